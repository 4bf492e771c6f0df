/**
 * Changing the knowledge folders from the dashboard: uploading a law file or a report (name sanitised,
 * content checked by the real readers and parsers, written atomically: a hidden temporary file in the same
 * folder, then a rename), editing the must-know checklist (validated by the checklist loader itself before it
 * replaces the file), and accepting or discarding drafted 常见问法. Every refusal is a PufaError in Chinese.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PufaError, isNotFound } from '../errors.ts';
import { DRAFT_SUFFIX, parseQuestionFile, QUESTIONS_DIR } from '../knowledge/article-questions.ts';
import { loadChecklist } from '../knowledge/checklist.ts';
import { parseSourceFile } from '../knowledge/load.ts';
import { readKnowledgeFile, SUPPORTED_EXTENSIONS, UnreadableFileError } from '../knowledge/readers.ts';

export type UploadKind = 'law' | 'report';
const MB = 1024 * 1024;
const MAX_NAME = 100;

/**
 * A file name safe to write: no folders, no control or reserved characters, no leading dot, at most 100
 * characters, one of the supported extensions. Throws PufaError otherwise.
 * @example sanitizeFileName('..\\\\C:/x/预算法(2018-12-29).md') // '预算法(2018-12-29).md'
 */
export function sanitizeFileName(raw: string): string {
  const last = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  let name = last.replace(/[\u0000-\u001f\u007f<>:"|?*\u200b-\u200f\u2028\u2029\ufeff]/g, '').replace(/\s+/g, ' ').trim();
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  const ext = extname(name).toLowerCase();
  if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new PufaError(`不支持的文件类型「${ext || '无扩展名'}」：请上传 .md、.txt、.docx 或 .pdf 文件。`);
  }
  let stem = name.slice(0, -ext.length).trim();
  if (!stem) throw new PufaError('文件名不能为空。');
  if ([...stem].length > MAX_NAME) stem = [...stem].slice(0, MAX_NAME).join('');
  return `${stem}${ext}`;
}

/** A folder name under the laws folder (a category such as 经济法): the same rules, no extension. */
export function sanitizeCategory(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const c = raw.normalize('NFC').replace(/[\u0000-\u001f\u007f<>:"|?*\\/]/g, '').replace(/\s+/g, ' ').trim().replace(/^[.\s]+/, '');
  if ([...c].length > 40) throw new PufaError('类别名称过长（最多 40 个字符）。');
  return c;
}

/** The first-level folders of the laws folder (LawRefBook's categories), sorted. */
export async function lawCategories(lawsDir: string): Promise<string[]> {
  try {
    return (await readdir(lawsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort((a, b) => a.localeCompare(b, 'zh-Hans-CN'));
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/** Write bytes to `file` atomically: a hidden temporary file beside it (never listed by ingest), then a rename. */
export async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(file, '..', `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export interface UploadResult {
  /** Where it was written (absolute) and its key as the index lists it (laws/经济法/x.docx). */
  path: string;
  key: string;
  replaced: boolean;
  /** What the readers found in it. */
  detail: string;
}

/**
 * Check and store an uploaded file in the laws folder (optionally a category below it) or knowledge/reports.
 * The file is read and parsed as ingest would; one that holds no article (a law) or no text is refused.
 */
export async function storeUpload(
  folders: { lawsDir: string; knowledgeDir: string; maxFileBytes: number },
  upload: { name: string; data: Uint8Array; kind: UploadKind; category?: string },
): Promise<UploadResult> {
  if (upload.data.byteLength === 0) throw new PufaError('上传的文件是空的。');
  if (upload.data.byteLength > folders.maxFileBytes) {
    throw new PufaError(`文件过大（${(upload.data.byteLength / MB).toFixed(1)} MB，上限 ${Math.round(folders.maxFileBytes / MB)} MB，可用 INGEST_MAX_FILE_MB 调整）。`);
  }
  const name = sanitizeFileName(upload.name);
  const category = upload.kind === 'law' && upload.category ? sanitizeCategory(upload.category) : '';
  const dir = upload.kind === 'report' ? join(folders.knowledgeDir, 'reports') : category ? join(folders.lawsDir, category) : folders.lawsDir;
  const key = upload.kind === 'report' ? `reports/${name}` : `laws/${category ? `${category}/` : ''}${name}`;
  // Read and parse a private copy first: nothing lands in the folders unless it would load.
  const scratch = await mkdtemp(join(tmpdir(), 'pufa-upload-'));
  let detail: string;
  try {
    const probe = join(scratch, name);
    await writeFile(probe, upload.data);
    let text: string;
    let format;
    try {
      ({ text, format } = await readKnowledgeFile(probe));
    } catch (err) {
      if (err instanceof UnreadableFileError) throw new PufaError(`无法读取「${name}」：${err.reason}`, { cause: err });
      throw err;
    }
    const parsed = await parseSourceFile({ path: probe, key, size: upload.data.byteLength, mtimeMs: Date.now() }, text, format);
    if (upload.kind === 'law' && (parsed.kind !== 'law' || !parsed.law.articles.length)) {
      throw new PufaError(`「${name}」中没有识别出任何条文（第一条、第二条……）：请确认这是法律法规的全文；本单位的报告请选「本单位报告」。`);
    }
    if (parsed.kind === 'law') {
      detail = `《${parsed.law.title}》${parsed.law.version ? `（${parsed.law.version}）` : ''}，${parsed.law.articles.length} 条`;
    } else {
      if (!parsed.document.sections.length) throw new PufaError(`「${name}」中没有读出任何内容。`);
      detail = `《${parsed.document.title}》，${parsed.document.sections.length} 节`;
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  const replaced = await stat(path).then(() => true, () => false);
  await writeAtomic(path, upload.data);
  return { path, key, replaced, detail };
}

const CHECKLIST_DIR = 'checklists';

/** The checklist file the dashboard edits: the first YAML file in knowledge/checklists (must-know.yaml when none). */
export async function checklistFile(knowledgeDir: string): Promise<{ path: string; name: string; text: string }> {
  const dir = join(knowledgeDir, CHECKLIST_DIR);
  let names: string[] = [];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n) && !n.startsWith('.')).sort();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const name = names[0] ?? 'must-know.yaml';
  const path = join(dir, name);
  const text = await readFile(path, 'utf8').catch((err: unknown) => {
    if (isNotFound(err)) return '';
    throw err;
  });
  return { path, name, text };
}

/**
 * Replace the checklist file with `text` after the checklist loader accepted it (schema, roles, `extends`),
 * run on a copy of the checklist folder with the new text in place. Returns the role names.
 */
export async function saveChecklist(knowledgeDir: string, text: string): Promise<{ name: string; roles: string[] }> {
  const current = await checklistFile(knowledgeDir);
  const scratch = await mkdtemp(join(tmpdir(), 'pufa-checklist-'));
  let roles: string[];
  try {
    const dir = join(scratch, CHECKLIST_DIR);
    await mkdir(dir);
    for (const n of await readdir(join(knowledgeDir, CHECKLIST_DIR)).catch(() => [] as string[])) {
      if (n !== current.name && !n.startsWith('.')) await writeFile(join(dir, n), await readFile(join(knowledgeDir, CHECKLIST_DIR, n)));
    }
    await writeFile(join(dir, current.name), text);
    roles = (await loadChecklist(scratch)).roles.map((r) => r.name);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  await mkdir(join(knowledgeDir, CHECKLIST_DIR), { recursive: true });
  await writeAtomic(current.path, text);
  return { name: current.name, roles };
}

export interface DraftFile {
  /** File name in knowledge/questions: 某某条例.draft.yaml. */
  name: string;
  text: string;
  /** The law or document it is for, and how many questions; or why it cannot be used. */
  title?: string;
  questions: number;
  articles: number;
  problems: string[];
}

const isDraftName = (n: string) => n.endsWith(DRAFT_SUFFIX) && !n.startsWith('.') && !/[\\/]/.test(n);
const DRAFT_LINE = /^\s*#.*【草稿】.*$/gm;

async function readDraft(dir: string, name: string): Promise<DraftFile> {
  const text = await readFile(join(dir, name), 'utf8');
  const out: DraftFile = { name, text, questions: 0, articles: 0, problems: [] };
  try {
    const set = parseQuestionFile(parseYaml(text), `${QUESTIONS_DIR}/${name}`);
    if ('problems' in set) out.problems = set.problems;
    else if (set.kind === 'law') {
      out.title = set.law;
      out.articles = set.articles.length;
      out.questions = set.articles.reduce((n, a) => n + a.questions.length, 0);
    } else {
      out.title = set.document;
      out.articles = set.sections.length;
      out.questions = set.sections.reduce((n, s) => n + s.questions.length, 0);
    }
  } catch (err) {
    out.problems = [`YAML 格式错误：${(err as Error).message.split('\n')[0]}`];
  }
  return out;
}

/** The drafted 常见问法 files awaiting review. */
export async function listDrafts(knowledgeDir: string): Promise<DraftFile[]> {
  const dir = join(knowledgeDir, QUESTIONS_DIR);
  const names = await readdir(dir).catch((err: unknown) => {
    if (isNotFound(err)) return [] as string[];
    throw err;
  });
  return Promise.all(names.filter(isDraftName).sort().map((n) => readDraft(dir, n)));
}

/** One draft by name; undefined when there is none. */
export async function getDraft(knowledgeDir: string, name: string): Promise<DraftFile | undefined> {
  if (!isDraftName(name)) return undefined;
  return readDraft(join(knowledgeDir, QUESTIONS_DIR), name).catch((err: unknown) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });
}

/**
 * Accept a reviewed draft: without its 【草稿】 lines, as knowledge/questions/<name>.yaml (refused if that
 * exists: merge by hand), and the draft removed. The next ingest uses it.
 */
export async function acceptDraft(knowledgeDir: string, name: string): Promise<{ file: string; questions: number }> {
  const draft = await getDraft(knowledgeDir, name);
  if (!draft) throw new PufaError('没有这个草稿。');
  if (draft.problems.length) throw new PufaError(`草稿有误，不能采用：${draft.problems.slice(0, 3).join('；')}`);
  if (!draft.questions) throw new PufaError('草稿里没有问法。');
  const dir = join(knowledgeDir, QUESTIONS_DIR);
  const file = name.slice(0, -DRAFT_SUFFIX.length) + '.yaml';
  if (await stat(join(dir, file)).then(() => true, () => false)) {
    throw new PufaError(`已有 ${file}：请先把草稿与它合并（在服务器上编辑），再删除草稿。`);
  }
  await writeAtomic(join(dir, file), draft.text.replace(DRAFT_LINE, '').replace(/^\n+/, ''));
  await rm(join(dir, name));
  return { file, questions: draft.questions };
}

/** Throw a draft away. */
export async function discardDraft(knowledgeDir: string, name: string): Promise<void> {
  if (!(await getDraft(knowledgeDir, name))) throw new PufaError('没有这个草稿。');
  await rm(join(knowledgeDir, QUESTIONS_DIR, name));
}
