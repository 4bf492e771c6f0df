/**
 * ROUGE-L as LawBench scores its article-recall task (1-1): both texts are cut into words by jieba (precise
 * mode, HMM on), white space is dropped, and the F-measure of the longest common subsequence of the two word
 * sequences is taken (rouge_chinese's summary-level ROUGE-L, which joins all sentences into one sequence).
 */
import { getJieba } from '../search/tokenize.ts';

/** jieba's precise-mode words of a text without white space, as `' '.join(jieba.cut(t)).split()` gives them. */
export function rougeWords(text: string): string[] {
  return getJieba()
    .cut(text, true)
    .flatMap((w) => w.split(/\s+/))
    .filter((w) => w !== '');
}

/** Length of the longest common subsequence of two word sequences (one row of the table at a time). */
function lcsLength(a: string[], b: string[]): number {
  let prev = new Uint32Array(b.length + 1);
  let row = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

/**
 * ROUGE-L F-measure of a prediction against a reference (0…1). An empty prediction counts as 「无内容」.
 * @example rougeL('预算年度自公历一月一日起', '预算年度自公历一月一日起，至十二月三十一日止。') // ≈ 0.67
 */
export function rougeL(prediction: string, reference: string): number {
  const hyp = rougeWords(prediction.trim() === '' ? '无内容' : prediction);
  const ref = rougeWords(reference);
  if (!hyp.length || !ref.length) return 0;
  const lcs = lcsLength(ref, hyp);
  const r = lcs / ref.length;
  const p = lcs / hyp.length;
  return (2 * p * r) / (p + r + 1e-8);
}
