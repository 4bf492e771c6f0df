/** ROUGE-L as LawBench scores task 1-1: jieba words, longest common subsequence, F-measure. */
import { describe, expect, it } from 'vitest';
import { rougeL, rougeWords } from '../../src/answer/rouge-l.ts';

describe('rougeL', () => {
  const article = '预算年度自公历一月一日起，至十二月三十一日止。';

  it('is 1 for the same text and 0 for texts without a common word', () => {
    expect(rougeL(article, article)).toBeCloseTo(1, 6);
    expect(rougeL('红烧肉', article)).toBe(0);
  });

  it('ignores white space, so 款 on their own lines score like LawBench\'s comma-joined reference almost fully', () => {
    const body = '国家建立军人保险制度。\n军人伤亡保险适用本法。';
    const reference = '国家建立军人保险制度。,军人伤亡保险适用本法。';
    expect(rougeWords(body)).not.toContain('\n');
    const r = rougeL(body, reference);
    expect(r).toBeGreaterThan(0.9);
    expect(r).toBeLessThan(1);
  });

  it('grows with the share of the reference a prediction holds, and an empty prediction scores as 「无内容」', () => {
    const half = rougeL('预算年度自公历一月一日起', article);
    expect(half).toBeGreaterThan(0.4);
    expect(half).toBeLessThan(rougeL('预算年度自公历一月一日起，至十二月三十一日', article));
    expect(rougeL('', article)).toBe(0);
    expect(rougeL('', '无内容')).toBeCloseTo(1, 6);
  });
});
