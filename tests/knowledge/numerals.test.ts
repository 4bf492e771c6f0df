import { describe, expect, it } from 'vitest';
import { articleLabel } from '../../src/knowledge/article-reference.ts';
import { parseChineseNumber, toChineseNumber } from '../../src/knowledge/chinese-numerals.ts';

describe('Chinese numerals', () => {
  it.each([
    ['一', 1],
    ['十', 10],
    ['十八', 18],
    ['二十', 20],
    ['一百零三', 103],
    ['一百一十', 110],
    ['四百六十三', 463],
    ['一千二百六十', 1260],
    ['两千', 2000],
    ['两万', 20000],
    ['二〇二三', 2023],
    ['壹佰零叁', 103],
    ['26', 26],
    ['２６', 26],
  ])('%s → %i', (s, n) => {
    expect(parseChineseNumber(s)).toBe(n);
  });

  it('is undefined for what is not a numeral', () => {
    expect(parseChineseNumber('')).toBeUndefined();
    expect(parseChineseNumber('条')).toBeUndefined();
    expect(parseChineseNumber('十八条')).toBeUndefined();
  });

  it('writes numbers as article labels print them, and reads them back', () => {
    expect(toChineseNumber(103)).toBe('一百零三');
    expect(toChineseNumber(10)).toBe('十');
    expect(toChineseNumber(110)).toBe('一百一十');
    expect(articleLabel(18)).toBe('第十八条');
    expect(articleLabel(10, 1)).toBe('第十条之一');
    for (let n = 1; n <= 1300; n++) expect(parseChineseNumber(toChineseNumber(n))).toBe(n);
  });
});
