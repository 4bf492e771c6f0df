/**
 * How people ask about an article (常见问法, knowledge/questions/*.yaml): for the articles of a law, the
 * questions colleagues type in their own words (「房东把房子卖了，租房合同还算数吗？」 for 买卖不破租赁).
 * The laws say 出租人 where people say 房东; the search indexes these questions as a field of their article
 * (src/search/question-field.ts), so an everyday question finds the article whose text uses the legal term.
 *
 * One file per law version:
 *   law: 中华人民共和国民法典        # as people write it; resolved through the catalog
 *   version: 2020-05-28            # optional; without it the current version
 *   articles:
 *     第七百二十五条: [房东把房子卖了，租房合同还算数吗？, …]
 * The questions apply to that version only: an amendment renumbers articles, so a file written for an older
 * version is reported as not applied rather than pinned to the wrong articles.
 *
 * The bureau's own documents (knowledge/reports) take the same kind of file, by section label as answers
 * show it (a unique beginning is enough):
 *   document: XX区财政局关于2023年度法治政府建设情况的报告
 *   sections:
 *     一、（五）四是: [我们局清理挂账有什么计划？, …]
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { LawCatalog } from './catalog.ts';
import { articleLabel, parseArticleRef } from './article-reference.ts';
import { sourceFilesUnder, type SourceFile } from './load.ts';
import type { KnowledgeDocument, SkippedFile } from './types.ts';

export const QUESTIONS_DIR = 'questions';
/** A drafted file awaiting review (pufa questions draft): listed, never indexed, until renamed to .yaml. */
export const DRAFT_SUFFIX = '.draft.yaml';

const questionList = z.array(z.string().trim().min(2, '问法太短')).min(1, '至少一个问法');

const lawFileSchema = z.strictObject({
  law: z.string().trim().min(1, '不能为空'),
  version: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '版本应写成 2018-12-29')
    .optional(),
  note: z.string().optional(),
  articles: z.record(z.string(), questionList),
});

const documentFileSchema = z.strictObject({
  document: z.string().trim().min(1, '不能为空'),
  note: z.string().optional(),
  sections: z.record(z.string(), questionList),
});

export interface ArticleQuestionSet {
  kind: 'law';
  /** The file, relative to the knowledge folder (questions/预算法.yaml). */
  source: string;
  law: string;
  version?: string;
  articles: { number: number; suffix: number; questions: string[] }[];
}

export interface SectionQuestionSet {
  kind: 'document';
  source: string;
  /** The document's title as pufa shows it. */
  document: string;
  /** Section labels as answers show them, or a unique beginning of one (一、（五）四是). */
  sections: { label: string; questions: string[] }[];
}

export type QuestionSet = ArticleQuestionSet | SectionQuestionSet;

export interface LoadedQuestions {
  sets: QuestionSet[];
  skipped: SkippedFile[];
  /** Content hashes by file key (questions/…), for the index manifest. */
  hashes: Record<string, string>;
  /** Drafts awaiting review (questions/….draft.yaml), not used. */
  drafts: string[];
  /** The question files in use as listed (the index's staleness listing). */
  files: SourceFile[];
}

const isDraft = (path: string) => path.toLowerCase().endsWith(DRAFT_SUFFIX);

async function listAll(knowledgeDir: string): Promise<SourceFile[]> {
  return sourceFilesUnder(join(knowledgeDir, QUESTIONS_DIR), QUESTIONS_DIR, (p) => /\.ya?ml$/i.test(p));
}

/**
 * The question files in use, with sizes and times (no content read): part of the index's staleness listing.
 * Drafts are left out, so renaming a reviewed draft to .yaml makes the index stale.
 */
export async function listQuestionFiles(knowledgeDir: string): Promise<SourceFile[]> {
  return (await listAll(knowledgeDir)).filter((f) => !isDraft(f.path));
}

const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || '（整个文件）'}：${i.message}`);

/** Validate one parsed file (a law's or a document's); returns the set or the reasons it cannot be used. */
export function parseQuestionFile(data: unknown, source: string): QuestionSet | { problems: string[] } {
  if (data && typeof data === 'object' && 'document' in data) {
    const parsed = documentFileSchema.safeParse(data);
    if (!parsed.success) return { problems: issues(parsed.error) };
    const sections = Object.entries(parsed.data.sections).map(([label, questions]) => ({ label: label.trim(), questions }));
    return { kind: 'document', source, document: parsed.data.document, sections };
  }
  const parsed = lawFileSchema.safeParse(data);
  if (!parsed.success) return { problems: issues(parsed.error) };
  const problems: string[] = [];
  const articles: ArticleQuestionSet['articles'] = [];
  for (const [label, questions] of Object.entries(parsed.data.articles)) {
    const ref = parseArticleRef(label);
    if (ref) articles.push({ ...ref, questions });
    else problems.push(`articles.${label}：无法识别的条号`);
  }
  if (problems.length) return { problems };
  return { kind: 'law', source, law: parsed.data.law, ...(parsed.data.version ? { version: parsed.data.version } : {}), articles };
}

/**
 * Read every question file under knowledge/questions. A file that cannot be read or fails validation is
 * skipped with its reason (the ingest summary names it); the others still load. Drafts are only listed.
 */
export async function loadArticleQuestions(knowledgeDir: string): Promise<LoadedQuestions> {
  const out: LoadedQuestions = { sets: [], skipped: [], hashes: {}, drafts: [], files: [] };
  for (const file of await listAll(knowledgeDir)) {
    if (isDraft(file.path)) {
      out.drafts.push(file.key);
      continue;
    }
    out.files.push(file);
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

/** Key of one article of one ingested version: `${versionId}#${number}-${suffix}` (a chunk id without its part). */
export function articleKey(versionId: string, number: number, suffix: number): string {
  return `${versionId}#${number}-${suffix}`;
}

/** Key of one section of a document: `${documentId}#${sectionIndex}` (a chunk id without its part). */
export function sectionKey(documentId: string, index: number): string {
  return `${documentId}#${index}`;
}

export interface ResolvedQuestions {
  /** Questions by place: articleKey or sectionKey. */
  byPlace: Map<string, string[]>;
  /** Questions pinned to an article or section of the index. */
  count: number;
  /** Why a set, an article or a section was not applied, one line each (other version, no such article…). */
  unapplied: string[];
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** Pin the question sets to the ingested laws' articles and documents' sections. */
export function resolveQuestions(sets: QuestionSet[], catalog: Pick<LawCatalog, 'resolve'>, documents: KnowledgeDocument[]): ResolvedQuestions {
  const byPlace = new Map<string, string[]>();
  const unapplied: string[] = [];
  let count = 0;
  const pin = (key: string, questions: string[]) => {
    byPlace.set(key, [...(byPlace.get(key) ?? []), ...questions]);
    count += questions.length;
  };
  for (const set of sets) {
    if (set.kind === 'document') {
      const doc = documents.find((d) => squash(d.title) === squash(set.document));
      if (!doc) continue; // the document is not in this index
      const missing: string[] = [];
      for (const s of set.sections) {
        const exact = doc.sections.findIndex((x) => squash(x.label) === squash(s.label));
        const prefixed = doc.sections.flatMap((x, i) => (squash(x.label).startsWith(squash(s.label)) ? [i] : []));
        const index = exact >= 0 ? exact : prefixed.length === 1 ? prefixed[0]! : -1;
        if (index < 0) missing.push(prefixed.length > 1 ? `${s.label}（对应 ${prefixed.length} 个段落，请写完整）` : s.label);
        else pin(sectionKey(doc.id, index), s.questions);
      }
      if (missing.length) unapplied.push(`${set.source}：《${doc.title}》没有段落 ${missing.slice(0, 5).join('、')}${missing.length > 5 ? ' 等' : ''}`);
      continue;
    }
    const versions = catalog.resolve(set.law);
    if (versions.length === 0) continue; // the law is simply not in this index (e.g. a smaller collection)
    const version = set.version ? versions.find((v) => v.version === set.version) : versions.find((v) => v.status === 'current');
    if (!version) {
      unapplied.push(`${set.source}：索引中的《${versions[0]!.title}》没有 ${set.version} 版`);
      continue;
    }
    const missing: string[] = [];
    for (const a of set.articles) {
      if (version.articles.some((x) => x.number === a.number && x.suffix === a.suffix)) pin(articleKey(version.id, a.number, a.suffix), a.questions);
      else missing.push(articleLabel(a.number, a.suffix));
    }
    if (missing.length) unapplied.push(`${set.source}：《${version.title}》${version.version} 版没有${missing.slice(0, 5).join('、')}${missing.length > 5 ? ' 等' : ''}`);
  }
  return { byPlace, count, unapplied };
}
