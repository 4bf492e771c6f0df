/**
 * `pufa laws fetch`: downloads the checklist's laws from a mirror of the LawRefBook/Laws layout.
 *
 * LawRefBook keeps one Markdown file per law version under its category folder
 * (经济法/预算法(2018-12-29).md, 民法典/合同编.md) and ships its index as `db.sqlite3` at the root:
 * table `category` (id, name, folder…) and table `law` (name, filename, publish, expired, category_id…).
 * Its apps build a file's path as `${folder}/${filename ?? `${name}(${publish})`}.md`, falling back to
 * `${folder}/${name}.md`; so do we. A mirror is any HTTP server with the same layout (the default is the
 * public repository's raw files). Files are written whole or not at all.
 */
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PufaError } from '../errors.ts';
import { readLawRefBookIndex } from '../records/lawrefbook-index.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import type { ChecklistLaw } from '../knowledge/checklist.ts';
import { bookKey, lastNameSegment, lawNameKey, lawNameStem } from '../knowledge/law-names.ts';

/** The index file LawRefBook ships at the root of its repository. */
export const MIRROR_INDEX = 'db.sqlite3';

export interface MirrorLaw {
  name: string;
  folder: string;
  /** YYYY-MM-DD or '' */
  publish: string;
  expired: boolean;
  /** Paths to try, relative to the mirror root, best first. */
  paths: string[];
}

export interface FetchLawsOptions {
  mirrorUrl: string;
  timeoutMs: number;
  lawsDir: string;
  /** The laws to fetch, as the checklist names them. */
  laws: ChecklistLaw[];
  /** Replace files already present (default: keep them). */
  overwrite?: boolean;
  logger?: Logger;
  /** Called after each file, for progress output. */
  onFile?: (event: { path: string; status: 'downloaded' | 'existing' | 'failed'; reason?: string }) => void;
  fetch?: typeof fetch;
}

export interface FetchLawsResult {
  /** Files written (relative to lawsDir). */
  downloaded: string[];
  /** Files already present and kept. */
  existing: string[];
  /** Checklist titles the mirror's index does not list. */
  missing: string[];
  failed: { path: string; reason: string }[];
}

function urlOf(mirrorUrl: string, path: string): string {
  return `${mirrorUrl.replace(/\/+$/, '')}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

function describeNetworkError(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; name?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.cause?.name === 'TimeoutError') return '连接超时';
  const code = e.cause?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return '找不到服务器，可能未联网';
  if (code === 'ECONNREFUSED') return '连接被拒绝';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return '连接中断';
  return code || (err as Error).message || '网络错误';
}

function offlineError(mirrorUrl: string, lawsDir: string, err: unknown): PufaError {
  return new PufaError(
    `无法连接法规镜像 ${mirrorUrl}（${describeNetworkError(err)}）。请检查网络，或用 LAWS_MIRROR_URL 指向可访问的镜像；` +
      `也可以手动把法规文件（国家法律法规数据库的 DOCX、LawRefBook 的 Markdown）放入 ${lawsDir}。`,
    { cause: err },
  );
}

/** GET a file whole within the timeout; undefined on 404. Network failures throw (see offlineError). */
async function download(fetchImpl: typeof fetch, url: string, timeoutMs: number, stop?: AbortSignal): Promise<Uint8Array | undefined> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const res = await fetchImpl(url, { signal: stop ? AbortSignal.any([timeout, stop]) : timeout });
  if (res.status === 404) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

/** Read the law list from LawRefBook's db.sqlite3. */
export function readMirrorIndex(dbPath: string): MirrorLaw[] {
  return readLawRefBookIndex(dbPath).map((r) => {
    const publish = (r.publish ?? '').slice(0, 10);
    const md = (f: string) => (f.endsWith('.md') ? f : `${f}.md`);
    const paths = [
      ...(r.filename ? [`${r.folder}/${md(r.filename)}`] : []),
      ...(publish ? [`${r.folder}/${r.name}(${publish}).md`] : []),
      `${r.folder}/${r.name}.md`,
    ];
    return { name: r.name, folder: r.folder, publish, expired: Boolean(r.expired), paths: [...new Set(paths)] };
  });
}

/**
 * The mirror's files for one checklist law: every version of the name (民法典: the files of its folder,
 * only the listed books when `books` is given).
 */
export function selectMirrorLaws(index: MirrorLaw[], law: ChecklistLaw): MirrorLaw[] {
  const keyed = index.map((l) => ({ law: l, name: lawNameKey(l.name), folder: lawNameKey(l.folder.split('/').pop() ?? '') }));
  const byName = keyed.filter((l) => l.name === lawNameKey(law.title));
  if (byName.length) return byName.map((l) => l.law);
  // A category in front (经济法·预算法): the name is the last segment.
  const key = lawNameKey(lastNameSegment(law.title));
  const bySegment = keyed.filter((l) => l.name === key);
  if (bySegment.length) return bySegment.map((l) => l.law);
  // A code split into books lives in a folder of its own name (民法典/总则.md, 民法典/合同编.md).
  const books = law.books?.map(bookKey);
  const inFolder = keyed.filter((l) => l.folder === key);
  if (inFolder.length) return inFolder.filter((l) => !books || books.includes(bookKey(l.law.name))).map((l) => l.law);
  // The kind swapped (信访工作办法 → 信访工作条例), when only one name fits.
  const sameStem = keyed.filter((l) => lawNameStem(l.name) === lawNameStem(key));
  return new Set(sameStem.map((l) => l.law.name)).size === 1 ? sameStem.map((l) => l.law) : [];
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Download the given laws (all their versions) into lawsDir.
 * @example await fetchLaws({ mirrorUrl: config.lawsMirror.url, timeoutMs: 20000, lawsDir: config.lawsDir, laws: checklist.roles.flatMap((r) => r.laws) })
 */
export async function fetchLaws(opts: FetchLawsOptions): Promise<FetchLawsResult> {
  const log = opts.logger ?? silentLogger;
  const fetchImpl = opts.fetch ?? fetch;
  const result: FetchLawsResult = { downloaded: [], existing: [], missing: [], failed: [] };
  const tmp = await mkdtemp(join(tmpdir(), 'pufa-laws-'));
  try {
    let indexBytes: Uint8Array | undefined;
    try {
      indexBytes = await download(fetchImpl, urlOf(opts.mirrorUrl, MIRROR_INDEX), opts.timeoutMs);
    } catch (err) {
      throw offlineError(opts.mirrorUrl, opts.lawsDir, err);
    }
    if (!indexBytes) {
      throw new PufaError(`法规镜像 ${opts.mirrorUrl} 上没有索引文件 ${MIRROR_INDEX}：它不是 LawRefBook 格式的镜像，请检查 LAWS_MIRROR_URL。`);
    }
    const dbPath = join(tmp, MIRROR_INDEX);
    await writeFile(dbPath, indexBytes);
    let index: MirrorLaw[];
    try {
      index = readMirrorIndex(dbPath);
    } catch (cause) {
      throw new PufaError(`法规镜像的索引文件 ${MIRROR_INDEX} 无法读取（不是 LawRefBook 的数据库格式）。`, { cause });
    }

    // One download per file, even when several roles name the same law.
    const wanted = new Map<string, MirrorLaw>();
    const seenTitles = new Set<string>();
    for (const law of opts.laws) {
      const k = `${lawNameKey(law.title)}|${(law.books ?? []).join(',')}`;
      if (seenTitles.has(k)) continue;
      seenTitles.add(k);
      const found = selectMirrorLaws(index, law);
      if (found.length === 0 && !result.missing.includes(law.title)) result.missing.push(law.title);
      for (const f of found) wanted.set(f.paths[0]!, f);
    }

    const queue = [...wanted.values()];
    // The first network failure stops every download in flight, so nothing is written after we return.
    const stop = new AbortController();
    let fatal: unknown;
    const worker = async () => {
      for (let law = queue.shift(); law && !stop.signal.aborted; law = queue.shift()) {
        try {
          await fetchOne(law);
        } catch (err) {
          fatal ??= err;
          stop.abort();
        }
      }
    };
    const fetchOne = async (law: MirrorLaw) => {
      for (const path of law.paths) {
        const dest = join(opts.lawsDir, ...path.split('/'));
        if (!opts.overwrite && (await exists(dest))) {
          result.existing.push(path);
          opts.onFile?.({ path, status: 'existing' });
          return;
        }
      }
      let lastReason = '镜像上没有这个文件';
      for (const path of law.paths) {
        let bytes: Uint8Array | undefined;
        try {
          bytes = await download(fetchImpl, urlOf(opts.mirrorUrl, path), opts.timeoutMs, stop.signal);
        } catch (err) {
          if (stop.signal.aborted) return;
          if ((err as Error).message.startsWith('HTTP ')) {
            lastReason = (err as Error).message;
            continue;
          }
          throw offlineError(opts.mirrorUrl, opts.lawsDir, err);
        }
        if (!bytes) continue;
        if (stop.signal.aborted) return;
        const dest = join(opts.lawsDir, ...path.split('/'));
        await mkdir(dirname(dest), { recursive: true });
        // Write beside the target, then rename: an interrupted run never leaves half a law.
        const part = `${dest}.${process.pid}.part`;
        try {
          await writeFile(part, bytes);
          await rename(part, dest);
        } catch (err) {
          await rm(part, { force: true });
          throw err;
        }
        result.downloaded.push(path);
        opts.onFile?.({ path, status: 'downloaded' });
        log.debug('downloaded law', { path });
        return;
      }
      result.failed.push({ path: law.paths[0]!, reason: lastReason });
      opts.onFile?.({ path: law.paths[0]!, status: 'failed', reason: lastReason });
    };
    await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker));
    if (fatal) throw fatal;
    result.downloaded.sort();
    result.existing.sort();
    return result;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
