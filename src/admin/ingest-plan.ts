/**
 * A dry run of the next ingest: what it will add, change, remove and skip, and why — by comparing the
 * knowledge folders now with the listing and content hashes the serving index was built from. Only files
 * that are new or whose size or time changed are read (and parsed, to say what they hold); nothing is
 * written.
 *
 * @example const plan = await planIngest(folders, index.manifest, index.catalog)
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DRAFT_SUFFIX, listQuestionFiles, parseQuestionFile, QUESTIONS_DIR } from '../knowledge/article-questions.ts';
import type { LawCatalog } from '../knowledge/catalog.ts';
import { listSourceFiles, parseSourceFile, repeatedArticles, sourceFilesUnder, type SourceFile } from '../knowledge/load.ts';
import { readKnowledgeFile, unsupportedReason, UnreadableFileError } from '../knowledge/readers.ts';
import type { SkippedFile } from '../knowledge/types.ts';

export interface PlanEntry {
  /** laws/经济法/预算法(2018-12-29).md, reports/…, questions/… */
  key: string;
  /** What it holds or why it changed: 《中华人民共和国预算法》（2018-12-29），101 条；新版本 … */
  detail: string;
}

export interface IngestPlan {
  added: PlanEntry[];
  changed: PlanEntry[];
  removed: PlanEntry[];
  /** Files the ingest will not use, with the reason. */
  skipped: PlanEntry[];
  /** Files whose time changed but whose content is the same. */
  touched: PlanEntry[];
  unchanged: number;
  /** No index yet: everything is new. */
  firstBuild: boolean;
}

const MB = 1024 * 1024;
const stamp = (f: SourceFile) => `${f.size}:${Math.round(f.mtimeMs)}`;

/** What a law or report file holds, in a line; throws what the loader would skip it for. */
async function describe(file: SourceFile, catalog?: LawCatalog): Promise<{ detail: string; hash: string }> {
  if (file.key.startsWith('questions/')) {
    const text = await readFile(file.path, 'utf8');
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    let data: unknown;
    try {
      data = parseYaml(text);
    } catch (err) {
      throw new UnreadableFileError(file.key, `YAML 格式错误：${(err as Error).message.split('\n')[0]}`);
    }
    const set = parseQuestionFile(data, file.key);
    if ('problems' in set) throw new UnreadableFileError(file.key, `常见问法文件有误：${set.problems.slice(0, 3).join('；')}`);
    const n = set.kind === 'law' ? set.articles.reduce((k, a) => k + a.questions.length, 0) : set.sections.reduce((k, s) => k + s.questions.length, 0);
    return { detail: `常见问法：${set.kind === 'law' ? `《${set.law}》` : set.document}，${n} 条问法`, hash };
  }
  const { text, format } = await readKnowledgeFile(file.path);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const parsed = await parseSourceFile(file, text, format);
  if (parsed.kind === 'document') return { detail: `本单位文档《${parsed.document.title}》，${parsed.document.sections.length} 节`, hash };
  const law = parsed.law;
  if (!law.articles.length) throw new UnreadableFileError(file.key, '没有识别出任何条文（第一条、第二条……），请检查文件内容');
  const known = catalog?.resolve(law.title) ?? [];
  const novelty = !known.length ? '新法规' : known.some((v) => v.version === law.version) ? '已有此版本' : '新版本';
  const repeated = repeatedArticles(law.articles);
  return {
    detail: `《${law.title}》${law.version ? `（${law.version}）` : ''}，${law.articles.length} 条；${novelty}${repeated.count ? `；注意：${repeated.count} 处重复的条号` : ''}`,
    hash,
  };
}

/**
 * Compare the folders with the serving build (`manifest`: its listing of size:time and its content hashes).
 * `maxFileBytes` is INGEST_MAX_FILE_MB.
 */
export async function planIngest(
  folders: { lawsDir: string; knowledgeDir: string; maxFileBytes: number },
  manifest: { listing?: Record<string, string>; sources?: Record<string, string>; articleQuestions?: { sources?: Record<string, string> } } | undefined,
  catalog?: LawCatalog,
): Promise<IngestPlan> {
  const walkSkipped: SkippedFile[] = [];
  const files = [...(await listSourceFiles(folders.lawsDir, folders.knowledgeDir, walkSkipped)), ...(await listQuestionFiles(folders.knowledgeDir))];
  const listing = manifest?.listing ?? {};
  const hashes = { ...(manifest?.sources ?? {}), ...(manifest?.articleQuestions?.sources ?? {}) };
  const plan: IngestPlan = { added: [], changed: [], removed: [], skipped: [], touched: [], unchanged: 0, firstBuild: !manifest?.listing };
  for (const s of walkSkipped) plan.skipped.push({ key: s.path, detail: s.reason });
  const present = new Set<string>();
  for (const file of files) {
    present.add(file.key);
    const before = listing[file.key];
    if (before === stamp(file)) {
      plan.unchanged++;
      continue;
    }
    const unsupported = unsupportedReason(file.path);
    if (!file.key.startsWith('questions/') && unsupported) {
      plan.skipped.push({ key: file.key, detail: unsupported });
      continue;
    }
    if (file.size > folders.maxFileBytes) {
      plan.skipped.push({ key: file.key, detail: `文件过大（${(file.size / MB).toFixed(1)} MB，上限 ${Math.round(folders.maxFileBytes / MB)} MB，可用 INGEST_MAX_FILE_MB 调整）` });
      continue;
    }
    try {
      const { detail, hash } = await describe(file, catalog);
      if (before === undefined) plan.added.push({ key: file.key, detail });
      else if (hashes[file.key] === hash) plan.touched.push({ key: file.key, detail: '内容未变（只是修改时间变了）' });
      else plan.changed.push({ key: file.key, detail: `内容已修改：${detail}` });
    } catch (err) {
      const reason = err instanceof UnreadableFileError ? err.reason : `解析失败：${(err as Error).message}`;
      plan.skipped.push({ key: file.key, detail: reason });
    }
  }
  for (const key of Object.keys(listing)) {
    if (present.has(key)) continue;
    plan.removed.push({ key, detail: key.startsWith('questions/') ? '常见问法文件已删除或改名' : '文件已删除或移走：其中的法规或文档将从索引中去掉' });
  }
  for (const draft of await sourceFilesUnder(join(folders.knowledgeDir, QUESTIONS_DIR), QUESTIONS_DIR, (p) => p.endsWith(DRAFT_SUFFIX))) {
    plan.skipped.push({ key: draft.key, detail: '常见问法草稿：审阅并采用（去掉文件名中的 .draft）后才会使用' });
  }
  return plan;
}
