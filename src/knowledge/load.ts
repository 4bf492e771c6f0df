/**
 * Loads every knowledge file: law files from the laws folder, the bureau's own documents (reports) from
 * knowledge/. Broken files are named and skipped; everything else still loads.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import { buildCatalog, type LawCatalog } from './catalog.ts';
import { parseLawText } from './parse-law.ts';
import { isSupported, readFileText, UnreadableFileError } from './readers.ts';
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
}

export interface LoadedKnowledge {
  catalog: LawCatalog;
  documents: KnowledgeDocument[];
  skipped: SkippedFile[];
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
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() || e.isSymbolicLink()) out.push(p);
  }
  return out;
}

/** List the files a load would read, with sizes and times (cheap: no content is read). */
export async function listSourceFiles(lawsDir: string, knowledgeDir: string): Promise<SourceFile[]> {
  const roots: [string, string][] = [
    ['laws', lawsDir],
    ['reports', join(knowledgeDir, 'reports')],
  ];
  const files: SourceFile[] = [];
  for (const [role, root] of roots) {
    for (const p of await walk(root)) {
      if (/readme\.md$/i.test(p)) continue;
      const s = await stat(p);
      files.push({ path: p, key: `${role}/${relative(root, p).split(sep).join('/')}`, size: s.size, mtimeMs: s.mtimeMs });
    }
  }
  return files;
}

/** Parse one source file into a law or a document. Reports are split along their own headings. */
export async function parseSourceFile(file: SourceFile, text: string): Promise<ParsedFile> {
  const rel = file.key.slice(file.key.indexOf('/') + 1);
  const parts = rel.split('/');
  const category = parts.length > 1 ? parts[0]! : '';
  const fileStem = basename(file.path, extname(file.path));
  const parsed = parseLawText(text, { sourcePath: file.key, category, fileStem });
  if (file.key.startsWith('reports/') && parsed.kind === 'document') {
    parsed.document.kind = 'report';
  }
  return parsed;
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
      if (!isSupported(file.path)) throw new UnreadableFileError(file.path, `不支持的文件格式（${extname(file.path) || '无扩展名'}）`);
      const text = await readFileText(file.path);
      hashes[file.key] = createHash('sha256').update(text).digest('hex').slice(0, 16);
      parsed.push(await parseSourceFile(file, text));
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
