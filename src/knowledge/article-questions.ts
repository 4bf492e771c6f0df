/**
 * How people ask about an article (常见问法, knowledge/questions/*.yaml): for the articles of a law, the
 * questions colleagues type in their own words (「钱实际收到才算吗？」 for 收付实现制). The laws say
 * 伪造会计凭证 where people say 做假账; the search indexes these questions as a field of their article
 * (src/search/question-field.ts), so an everyday question finds the article whose text uses the legal term.
 *
 * One file per law version:
 *   law: 中华人民共和国预算法        # as people write it; resolved through the catalog
 *   version: 2018-12-29            # optional; without it the current version
 *   articles:
 *     第十八条: [预算年度从几月几号算到几月几号？, …]
 * The questions apply to that version only: an amendment renumbers articles, so a file written for an older
 * version is reported as not applied rather than pinned to the wrong articles.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { LawCatalog } from './catalog.ts';
import { articleLabel, parseArticleRef } from './chinese-numerals.ts';
import type { SourceFile } from './load.ts';
import type { SkippedFile } from './types.ts';

export const QUESTIONS_DIR = 'questions';
/** A drafted file awaiting review (pufa questions draft): listed, never indexed, until renamed to .yaml. */
export const DRAFT_SUFFIX = '.draft.yaml';

const fileSchema = z.strictObject({
  law: z.string().trim().min(1, '不能为空'),
  version: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '版本应写成 2018-12-29')
    .optional(),
  note: z.string().optional(),
  articles: z.record(z.string(), z.array(z.string().trim().min(2, '问法太短')).min(1, '至少一个问法')),
});

export interface ArticleQuestionSet {
  /** The file, relative to the knowledge folder (questions/预算法.yaml). */
  source: string;
  law: string;
  version?: string;
  articles: { number: number; suffix: number; questions: string[] }[];
}

export interface LoadedQuestions {
  sets: ArticleQuestionSet[];
  skipped: SkippedFile[];
  /** Content hashes by file key (questions/…), for the index manifest. */
  hashes: Record<string, string>;
  /** Drafts awaiting review (questions/….draft.yaml), not used. */
  drafts: string[];
}

const YAML = /\.ya?ml$/i;

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
    else if (YAML.test(e.name)) out.push(p);
  }
  return out;
}

const isDraft = (path: string) => path.toLowerCase().endsWith(DRAFT_SUFFIX);

async function listAll(knowledgeDir: string): Promise<SourceFile[]> {
  const root = join(knowledgeDir, QUESTIONS_DIR);
  const out: SourceFile[] = [];
  for (const path of await walk(root)) {
    const s = await stat(path);
    out.push({ path, key: `${QUESTIONS_DIR}/${relative(root, path).split(sep).join('/')}`, size: s.size, mtimeMs: s.mtimeMs });
  }
  return out;
}

/**
 * The question files in use, with sizes and times (no content read): part of the index's staleness listing.
 * Drafts are left out, so renaming a reviewed draft to .yaml makes the index stale.
 */
export async function listQuestionFiles(knowledgeDir: string): Promise<SourceFile[]> {
  return (await listAll(knowledgeDir)).filter((f) => !isDraft(f.path));
}

/** Validate one parsed file; returns the set or the reasons it cannot be used. */
export function parseQuestionFile(data: unknown, source: string): ArticleQuestionSet | { problems: string[] } {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `${i.path.join('.') || '（整个文件）'}：${i.message}`) };
  const problems: string[] = [];
  const articles: ArticleQuestionSet['articles'] = [];
  for (const [label, questions] of Object.entries(parsed.data.articles)) {
    const ref = parseArticleRef(label);
    if (ref) articles.push({ ...ref, questions });
    else problems.push(`articles.${label}：无法识别的条号`);
  }
  if (problems.length) return { problems };
  return { source, law: parsed.data.law, ...(parsed.data.version ? { version: parsed.data.version } : {}), articles };
}

/**
 * Read every question file under knowledge/questions. A file that cannot be read or fails validation is
 * skipped with its reason (the ingest summary names it); the others still load. Drafts are only listed.
 */
export async function loadArticleQuestions(knowledgeDir: string): Promise<LoadedQuestions> {
  const out: LoadedQuestions = { sets: [], skipped: [], hashes: {}, drafts: [] };
  for (const file of await listAll(knowledgeDir)) {
    if (isDraft(file.path)) {
      out.drafts.push(file.key);
      continue;
    }
    let text: string;
    try {
      text = await readFile(file.path, 'utf8');
    } catch (err) {
      out.skipped.push({ path: file.key, reason: `无法读取：${(err as Error).message}` });
      continue;
    }
    out.hashes[file.key] = createHash('sha256').update(text).digest('hex').slice(0, 16);
    let data: unknown;
    try {
      data = parseYaml(text);
    } catch (err) {
      out.skipped.push({ path: file.key, reason: `YAML 格式错误：${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    const set = parseQuestionFile(data, file.key);
    if ('problems' in set) out.skipped.push({ path: file.key, reason: `常见问法文件有误：${set.problems.slice(0, 3).join('；')}` });
    else out.sets.push(set);
  }
  return out;
}

/** Key of one article of one ingested version: `${versionId}#${number}-${suffix}`. */
export function articleKey(versionId: string, number: number, suffix: number): string {
  return `${versionId}#${number}-${suffix}`;
}

export interface ResolvedQuestions {
  /** Questions by article key (articleKey). */
  byArticle: Map<string, string[]>;
  /** Questions pinned to an article of the index. */
  count: number;
  /** Why a set or an article was not applied, one line each (law not ingested, other version, no such article). */
  unapplied: string[];
}

/** Pin the question sets to the ingested laws' articles. */
export function resolveArticleQuestions(sets: ArticleQuestionSet[], catalog: Pick<LawCatalog, 'resolve'>): ResolvedQuestions {
  const byArticle = new Map<string, string[]>();
  const unapplied: string[] = [];
  let count = 0;
  for (const set of sets) {
    const versions = catalog.resolve(set.law);
    if (versions.length === 0) continue; // the law is simply not in this index (e.g. a smaller collection)
    const version = set.version ? versions.find((v) => v.version === set.version) : versions.find((v) => v.status === 'current');
    if (!version) {
      unapplied.push(`${set.source}：索引中的《${versions[0]!.title}》没有 ${set.version} 版`);
      continue;
    }
    const missing: string[] = [];
    for (const a of set.articles) {
      if (!version.articles.some((x) => x.number === a.number && x.suffix === a.suffix)) {
        missing.push(articleLabel(a.number, a.suffix));
        continue;
      }
      const key = articleKey(version.id, a.number, a.suffix);
      byArticle.set(key, [...(byArticle.get(key) ?? []), ...a.questions]);
      count += a.questions.length;
    }
    if (missing.length) unapplied.push(`${set.source}：《${version.title}》${version.version} 版没有${missing.slice(0, 5).join('、')}${missing.length > 5 ? ' 等' : ''}`);
  }
  return { byArticle, count, unapplied };
}
