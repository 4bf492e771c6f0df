/** Character-bigram similarity: cheap, dictionary-free relevance for short Chinese texts. */
import { bigramsOf } from '../search/bigrams.ts';

/** Drop punctuation, spaces and polite filler so that 「预算年度是怎么规定的？」 and 「预算年度怎么规定」 compare equal. */
export function normalizeQuestion(q: string): string {
  return q.replace(/[\s\p{P}\p{S}]/gu, '').replace(/请问|请教|您好|你好|一下|麻烦|呢|吗|吧|呀|啊|的/g, '');
}

/** The character bigrams of a text without spaces and punctuation; a single character stands for itself. */
export function bigrams(s: string): Set<string> {
  const t = s.replace(/[\s\p{P}\p{S}]/gu, '');
  return new Set(t.length === 1 ? [t] : bigramsOf(t));
}

/** Dice coefficient of two bigram sets (0…1). */
export function dice(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let common = 0;
  for (const g of a) if (b.has(g)) common++;
  return (2 * common) / (a.size + b.size);
}

/** Share of the query's bigrams found in the text (0…1). */
export function coverage(query: Set<string>, text: string): number {
  if (!query.size) return 0;
  let hit = 0;
  for (const g of query) if (text.includes(g)) hit++;
  return hit / query.size;
}
