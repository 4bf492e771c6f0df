/**
 * Loads every knowledge file: law files from the laws folder, the bureau's own documents (reports) from
 * knowledge/. Each file is read (any supported format), cleaned, then parsed as a law or a report.
 * Broken files are named and skipped; everything else still loads.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
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
}

export interface LoadedKnowledge {
  catalog: LawCatalog;
  documents: KnowledgeDocument[];
  skipped: SkippedFile[];
  /** Every file listed, also those `only` left out (their keys are absent from `hashes`). */
  files: SourceFile[];
  /** Content hash per file key: the manifest compares these for incremental re-ingest. */
  hashes: Record<string, string>;
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    // Hidden files and Word's lock files (~$name.docx) are not knowledge.
    if (e.name.startsWith('.') || e.name.startsWith('~$')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() || e.isSymbolicLink()) out.push(p);
  }
  return out;
}

/** List the files a load would read, with sizes and times (cheap: no content is read). */
export async function listSourceFiles(lawsDir: string, knowledgeDir: string): Promise<SourceFile[]> {
  const notReadme = (p: string) => !/readme\.md$/i.test(p);
  return [...(await sourceFilesUnder(lawsDir, 'laws', notReadme)), ...(await sourceFilesUnder(join(knowledgeDir, 'reports'), 'reports', notReadme))];
}

/** The files below `root` (sorted, hidden ones left out) keyed `${role}/<relative path>`, with sizes and times. */
export async function sourceFilesUnder(root: string, role: string, keep: (path: string) => boolean = () => true): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const p of await walk(root)) {
    if (!keep(p)) continue;
    const s = await stat(p);
    files.push({ path: p, key: `${role}/${relative(root, p).split(sep).join('/')}`, size: s.size, mtimeMs: s.mtimeMs });
  }
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

export async function loadKnowledge(opts: LoadOptions): Promise<LoadedKnowledge> {
  const log = opts.logger ?? silentLogger;
  const files = await listSourceFiles(opts.lawsDir, opts.knowledgeDir);
  const parsed: ParsedFile[] = [];
  const skipped: SkippedFile[] = [];
  const hashes: Record<string, string> = {};
  let done = 0;
  for (const file of files) {
    try {
      const { text, format } = await readKnowledgeFile(file.path);
      hashes[file.key] = createHash('sha256').update(text).digest('hex').slice(0, 16);
      const result = await parseSourceFile(file, text, format);
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
  return { catalog, documents, skipped, files, hashes };
}
