/**
 * Loads every knowledge file: law files from the laws folder, the bureau's own documents (reports) from
 * knowledge/. Each file is read (any supported format), cleaned, then parsed as a law or a report.
 * Broken files are named and skipped; everything else still loads.
 */
import { createHash } from 'node:crypto';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { describeFsError, errorCode } from '../fs-errors.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import { buildCatalog, type LawCatalog } from './catalog.ts';
import { cleanText, type SourceFormat } from './cleaners.ts';
import { parseLawText } from './parse-law.ts';
import { parseReportText } from './parse-report.ts';
import { formatOf, readKnowledgeFile, UnreadableFileError } from './readers.ts';
import type { KnowledgeDocument, ParsedFile, SkippedFile } from './types.ts';

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path relative to its root, prefixed by the root's role: laws/经济法/预算法(2018-12-29).md. */
  key: string;
  size: number;
  mtimeMs: number;
}

export interface LoadOptions {
  lawsDir: string;
  knowledgeDir: string;
  logger?: Logger;
  /** Called after each file, for progress bars. */
  onFile?: (done: number, total: number, file: SourceFile) => void;
  /**
   * Keep only the laws from the laws folder whose full title passes (all their versions); documents
   * without articles from the laws folder go too. Reports are always kept. For `--checklist-only`
   * (see checklistFilter). `books` are the books a file holds (民法典/合同编.md → ['合同编']).
   */
  only?: (lawTitle: string, books?: string[]) => boolean;
  /** Files larger than this are named and skipped (INGEST_MAX_FILE_MB). */
  maxFileBytes?: number;
}

export interface LoadedKnowledge {
  catalog: LawCatalog;
  documents: KnowledgeDocument[];
  skipped: SkippedFile[];
  /** Files read, but with something an admin should look at (repeated article numbers). */
  warnings: SkippedFile[];
  /** Every file listed, also those `only` left out (their keys are absent from `hashes`). */
  files: SourceFile[];
  /** Content hash per file key: the manifest compares these for incremental re-ingest. */
  hashes: Record<string, string>;
}

/** An entry the walk could not use: named in the ingest summary, never fatal. */
interface Unreadable {
  path: string;
  reason: string;
  cause: unknown;
}

function unreadableReason(err: unknown, what: 'folder' | 'link'): string {
  const code = errorCode(err);
  if (what === 'link' && code === 'ENOENT') return '符号链接指向的文件不存在';
  if (code === 'ELOOP') return '符号链接形成了循环';
  const why = describeFsError(err) ?? (err as Error).message;
  return what === 'folder' ? `无法读取文件夹：${why}` : `无法读取链接：${why}`;
}

/**
 * Every file below `dir`, sorted. Symbolic links are followed (to files and folders); a dangling link, a
 * link loop or an unreadable folder is recorded in `bad` and skipped. Each real folder is walked once.
 */
async function walk(dir: string, bad: Unreadable[], seen = new Set<string>(), isRoot = true): Promise<{ path: string; size: number; mtimeMs: number }[]> {
  let entries;
  try {
    const real = await realpath(dir);
    if (seen.has(real)) {
      bad.push({ path: dir, reason: '符号链接形成了循环（指向已读取过的文件夹）', cause: undefined });
      return [];
    }
    seen.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    // A missing root is an empty folder here; the ingest guard decides whether that is an error.
    if (!(isRoot && errorCode(err) === 'ENOENT')) bad.push({ path: dir, reason: unreadableReason(err, 'folder'), cause: err });
    return [];
  }
  const out: { path: string; size: number; mtimeMs: number }[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    // Hidden files and Word's lock files (~$name.docx) are not knowledge.
    if (e.name.startsWith('.') || e.name.startsWith('~$')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      out.push(...(await walk(p, bad, seen, false)));
      continue;
    }
    if (!e.isFile() && !e.isSymbolicLink()) continue;
    let s;
    try {
      s = await stat(p);
    } catch (err) {
      bad.push({ path: p, reason: unreadableReason(err, e.isSymbolicLink() ? 'link' : 'folder'), cause: err });
      continue;
    }
    if (s.isDirectory()) out.push(...(await walk(p, bad, seen, false)));
    else if (s.isFile()) out.push({ path: p, size: s.size, mtimeMs: s.mtimeMs });
  }
  return out;
}

/** List the files a load would read, with sizes and times (cheap: no content is read). */
export async function listSourceFiles(lawsDir: string, knowledgeDir: string, skipped?: SkippedFile[]): Promise<SourceFile[]> {
  const notReadme = (p: string) => !/readme\.md$/i.test(p);
  return [
    ...(await sourceFilesUnder(lawsDir, 'laws', notReadme, skipped)),
    ...(await sourceFilesUnder(join(knowledgeDir, 'reports'), 'reports', notReadme, skipped)),
  ];
}

/**
 * The files below `root` (sorted, hidden ones left out) keyed `${role}/<relative path>`, with sizes and times.
 * Entries that cannot be read (dangling links, link loops, unreadable folders) go to `skipped` when given.
 */
export async function sourceFilesUnder(
  root: string,
  role: string,
  keep: (path: string) => boolean = () => true,
  skipped?: SkippedFile[],
): Promise<SourceFile[]> {
  const bad: Unreadable[] = [];
  const keyOf = (p: string) => `${role}/${relative(root, p).split(sep).join('/')}`.replace(/\/$/, '');
  const files = (await walk(root, bad))
    .filter((f) => keep(f.path))
    .map((f) => ({ path: f.path, key: keyOf(f.path), size: f.size, mtimeMs: f.mtimeMs }));
  for (const b of bad) skipped?.push({ path: keyOf(b.path), reason: b.reason });
  return files;
}

/**
 * Clean and parse one source file's text into a law or a document. Files under knowledge/reports are the
 * bureau's reports, split along their own headings; everything else is parsed as a law.
 */
export async function parseSourceFile(file: SourceFile, text: string, format: SourceFormat = formatOf(file.path)): Promise<ParsedFile> {
  const rel = file.key.slice(file.key.indexOf('/') + 1);
  const parts = rel.split('/');
  const category = parts.length > 1 ? parts[0]! : '';
  const fileStem = basename(file.path, extname(file.path));
  const cleaned = cleanText(text, format);
  if (file.key.startsWith('reports/')) {
    return { kind: 'document', document: parseReportText(cleaned, { sourcePath: file.key, fileStem, category }) };
  }
  return parseLawText(cleaned, { sourcePath: file.key, category, fileStem });
}

const MB = 1024 * 1024;

/** How many articles repeat an earlier article's number (第三条 twice counts once), and the first one. */
export function repeatedArticles(articles: { number: number; suffix: number; label: string }[]): { count: number; first?: string } {
  const seen = new Set<number>();
  let count = 0;
  let first: string | undefined;
  for (const a of articles) {
    const key = a.number * 1000 + a.suffix;
    if (seen.has(key)) {
      count++;
      first ??= a.label;
    } else seen.add(key);
  }
  return { count, first };
}

export async function loadKnowledge(opts: LoadOptions): Promise<LoadedKnowledge> {
  const log = opts.logger ?? silentLogger;
  const skipped: SkippedFile[] = [];
  const warnings: SkippedFile[] = [];
  const files = await listSourceFiles(opts.lawsDir, opts.knowledgeDir, skipped);
  for (const s of skipped) log.warn('skipped entry', { path: s.path, reason: s.reason });
  const parsed: ParsedFile[] = [];
  const hashes: Record<string, string> = {};
  let done = 0;
  for (const file of files) {
    if (opts.maxFileBytes !== undefined && file.size > opts.maxFileBytes) {
      const reason = `文件过大（${(file.size / MB).toFixed(1)} MB，上限 ${Math.round(opts.maxFileBytes / MB)} MB，可用 INGEST_MAX_FILE_MB 调整）`;
      skipped.push({ path: file.key, reason });
      log.warn('skipped file', { path: file.path, reason });
      opts.onFile?.(++done, files.length, file);
      continue;
    }
    try {
      const { text, format } = await readKnowledgeFile(file.path);
      hashes[file.key] = createHash('sha256').update(text).digest('hex').slice(0, 16);
      const result = await parseSourceFile(file, text, format);
      if (result.kind === 'law') {
        const repeated = repeatedArticles(result.law.articles);
        if (repeated.count) {
          const reason = `有 ${repeated.count} 处重复的条号（如${repeated.first}），可能是几部法规或几个版本合在了一个文件里`;
          warnings.push({ path: file.key, reason });
          log.warn('repeated article numbers', { path: file.path, count: repeated.count });
        }
      }
      if (opts.only && file.key.startsWith('laws/') && (result.kind !== 'law' || !opts.only(result.law.title, result.law.books))) {
        delete hashes[file.key];
      } else {
        parsed.push(result);
      }
    } catch (err) {
      const reason = err instanceof UnreadableFileError ? err.reason : `解析失败：${(err as Error).message}`;
      skipped.push({ path: file.key, reason });
      log.warn('skipped file', { path: file.path, reason, cause: err instanceof Error ? err : String(err) });
    }
    opts.onFile?.(++done, files.length, file);
  }
  const catalog = buildCatalog(parsed.flatMap((p) => (p.kind === 'law' ? [p.law] : [])));
  const documents = parsed.flatMap((p) => (p.kind === 'document' ? [p.document] : []));
  return { catalog, documents, skipped, warnings, files, hashes };
}
