/**
 * The one character-bigram helper: the overlapping pairs of a string, in order (「预算法」 → 预算, 算法).
 * Search indexes them per run of Chinese characters (tokenize.ts charBigrams); answers and quizzes compare
 * texts by them. No imports, so a quiz can use it without loading the segmenter.
 */
export function bigramsOf(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(i, i + 2));
  return out;
}
