/**
 * The one 第X条 pattern and the parsers built on it: Chinese and Arabic digits alike in law texts (article
 * starts, cross-references), questions, knowledge files and model replies; and the one citation label.
 */
import { describe, expect, it } from 'vitest';
import { articleLabel, articleLabelPattern, parseArticleRef, parseArticleReferences } from '../../src/knowledge/article-reference.ts';
import { buildCatalog, type ParsedLaw } from '../../src/knowledge/catalog.ts';
import { citationLabel } from '../../src/knowledge/citation-label.ts';
import { parseLawText } from '../../src/knowledge/parse-law.ts';
import { checkReply } from '../../src/answer/verify.ts';
import { crossReferenceText } from '../../src/search/chunking.ts';

const numbers = (text: string) => [...text.matchAll(articleLabelPattern())].map((m) => [m[1], m[2]]);

describe('the 第X条 pattern', () => {
  it('reads Chinese, Arabic and full-width numbers, with and without 之X', () => {
    expect(numbers('依照第十八条、第18条、第１８条和第十条之一、第10条之1处理')).toEqual([
      ['十八', undefined],
      ['18', undefined],
      ['１８', undefined],
      ['十', '一'],
      ['10', '1'],
    ]);
  });

  it('is what file references, question references and labels agree on', () => {
    for (const ref of ['第十条之一', '10之1', '第10条之1', ' 第 十 条 之 一 ']) expect(parseArticleRef(ref)).toEqual({ number: 10, suffix: 1 });
    expect(parseArticleRef(18)).toEqual({ number: 18, suffix: 0 });
    expect(parseArticleRef('第十八款')).toBeUndefined();
    expect(articleLabel(10, 1)).toBe('第十条之一');
    const law = { title: '中华人民共和国预算法', start: 0, end: 3 };
    for (const q of ['预算法第十八条至第二十条', '预算法第18条至第20条', '预算法第18-20条', '预算法第 18 至 20 条']) {
      const [ref] = parseArticleReferences(q, [law]);
      expect(ref?.lawTitle, q).toBe('中华人民共和国预算法');
      expect(ref?.articles.map((a) => a.number), q).toEqual([18, 19, 20]);
    }
  });
});

describe('both digit styles where articles are recognised', () => {
  it('starts articles of a law text whether the label is written in Chinese or Arabic digits', () => {
    const parsed = parseLawText('# 某某办法\n<!-- INFO END -->\n第1条 为了规范管理，制定本办法。\n第2条 本办法自公布之日起施行。', {
      sourcePath: '某某办法.md',
      category: '',
      fileStem: '某某办法',
    });
    expect(parsed.kind).toBe('law');
    if (parsed.kind === 'law') expect(parsed.law.articles.map((a) => a.number)).toEqual([1, 2]);
  });

  it('follows a cross-reference written in either style', () => {
    const law = (articles: [number, string][]) =>
      ({
        title: '中华人民共和国测试法',
        category: '',
        version: '2020-01-01',
        info: [],
        books: [],
        sources: ['laws/测试法.md'],
        articles: articles.map(([number, text]) => ({ number, suffix: 0, label: articleLabel(number), path: [], text })),
      }) as unknown as ParsedLaw;
    const catalog = buildCatalog([
      law([
        [1, '违反本法第三条规定的，处以罚款。'],
        [2, '违反本法第3条规定的，处以罚款。'],
        [3, '采购人应当公开采购意向。'],
      ]),
    ]);
    const v = catalog.current[0]!;
    expect(crossReferenceText(v, 0, catalog)).toMatch(/采购意向|公开/);
    expect(crossReferenceText(v, 1, catalog)).toBe(crossReferenceText(v, 0, catalog));
  });

  it('checks article labels in a model reply in either style against the cited source', () => {
    const sources = [{ n: 1, text: '《中华人民共和国预算法》第十八条 预算年度自公历一月一日起，至十二月三十一日止。' }];
    expect(checkReply('见预算法第18条[1]。', sources).unsupported).toEqual([]);
    expect(checkReply('见预算法第十八条[1]。', sources).unsupported).toEqual([]);
    expect(checkReply('见预算法第19条[1]。', sources).unsupported).toEqual(['第19条']);
  });
});

describe('the citation label', () => {
  it('names an article with its law and a report section in 「」', () => {
    expect(citationLabel({ doc: 'law', law: '中华人民共和国预算法', articleLabel: '第十八条' })).toBe('《中华人民共和国预算法》第十八条');
    expect(citationLabel({ law: '中华人民共和国预算法', article: 10, articleSuffix: 1 })).toBe('《中华人民共和国预算法》第十条之一');
    expect(citationLabel({ doc: 'report', law: '区财政局2023年工作报告', section: '一、（一）' })).toBe('《区财政局2023年工作报告》「一、（一）」');
  });
});
