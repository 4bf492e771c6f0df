/**
 * Curated answers (knowledge/faq/*.yaml): questions an admin answered by hand, each pinned to articles.
 * A close match is answered from here first; the pinned articles' text still comes from the index.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseArticleRef } from '../knowledge/article-reference.ts';
import type { LawCatalog } from '../knowledge/catalog.ts';
import { citationLabel } from '../knowledge/citation-label.ts';
import { isNotFound } from '../errors.ts';
import type { Logger } from '../log.ts';
import { citationOfArticle } from './citations.ts';
import { bigrams, dice, normalizeQuestion } from './text-match.ts';
import type { AnswerCitation } from './types.ts';

const articleNumber = z.union([z.number().int().positive(), z.string().min(1)]).transform((v, ctx) => {
  // 18, "18", "第十八条" and "第十条之一" are all accepted.
  const ref = parseArticleRef(v);
  if (!ref) {
    ctx.addIssue({ code: 'custom', message: `无法识别的条号：${v}` });
    return z.NEVER;
  }
  return ref;
});

export const faqEntrySchema = z.object({
  id: z.string().min(1),
  /** The question and the ways people phrase it. */
  questions: z.array(z.string().min(2)).min(1),
  /** The curated answer text, shown as written. */
  answer: z.string().min(1),
  /** Articles the answer rests on, by law title (full or short) and article number. */
  articles: z
    .array(z.object({ law: z.string().min(1), article: articleNumber }))
    .min(1, '每条常见问答至少要关联一个条文'),
});

export const faqFileSchema = z.object({ entries: z.array(faqEntrySchema).min(1) });

export type FaqEntry = z.infer<typeof faqEntrySchema>;

/** An entry whose pinned articles were all found in the index. */
export interface ResolvedFaq {
  id: string;
  questions: string[];
  answer: string;
  citations: AnswerCitation[];
  /** Bigram sets of the normalised question variants, built once. */
  grams: Set<string>[];
}

/** Load every *.yaml / *.yml in a folder; a broken file is logged and skipped, the rest still load. */
export async function loadFaqFiles(dir: string, logger: Logger): Promise<FaqEntry[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (err) {
    // No faq folder is the usual case; an unreadable one is logged, and answers go on without curated entries.
    if (!isNotFound(err)) logger.warn('faq folder unreadable, no curated answers', { path: dir, error: err instanceof Error ? err : String(err) });
    return [];
  }
  const out: FaqEntry[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const parsed = faqFileSchema.safeParse(parseYaml(await readFile(path, 'utf8')));
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        logger.warn('faq file skipped: invalid', { path, problems });
        continue;
      }
      out.push(...parsed.data.entries);
    } catch (err) {
      logger.warn('faq file skipped: unreadable', { path, error: err instanceof Error ? err : String(err) });
    }
  }
  return out;
}

/** Pin entries to the index's current articles; entries whose articles are missing are logged and dropped. */
export function resolveFaq(entries: FaqEntry[], catalog: LawCatalog, logger: Logger): ResolvedFaq[] {
  const out: ResolvedFaq[] = [];
  const unpinned: string[] = [];
  for (const e of entries) {
    const citations: AnswerCitation[] = [];
    for (const pin of e.articles) {
      const law = catalog.resolve(pin.law).find((v) => v.status === 'current');
      const art = law?.articles.find((a) => a.number === pin.article.number && a.suffix === pin.article.suffix);
      if (law && art) citations.push(citationOfArticle(law, art));
      else unpinned.push(`${e.id}→${citationLabel({ law: pin.law, article: pin.article.number, articleSuffix: pin.article.suffix })}`);
    }
    if (citations.length !== e.articles.length) continue;
    out.push({ id: e.id, questions: e.questions, answer: e.answer, citations, grams: e.questions.map((q) => bigrams(normalizeQuestion(q))) });
  }
  // One line for all of them: with no law files yet, every entry is unpinned and a line each is noise.
  if (unpinned.length) logger.warn('faq entries skipped: pinned articles not in index', { count: unpinned.length, entries: unpinned.join(', ') });
  return out;
}

/** Dice similarity of character bigrams at or above which a question counts as the FAQ's question. */
export const FAQ_MIN_SIMILARITY = 0.72;

/** The closest curated entry, when it is close enough to count as the same question. */
export function matchFaq(question: string, faq: ResolvedFaq[], minSimilarity = FAQ_MIN_SIMILARITY): { entry: ResolvedFaq; similarity: number } | undefined {
  const g = bigrams(normalizeQuestion(question));
  let best: { entry: ResolvedFaq; similarity: number } | undefined;
  for (const entry of faq) {
    for (const qg of entry.grams) {
      const s = dice(g, qg);
      if (!best || s > best.similarity) best = { entry, similarity: s };
    }
  }
  return best && best.similarity >= minSimilarity ? best : undefined;
}
