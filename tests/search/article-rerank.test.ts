/** The article reranker's features on hand-made chunks: what each one rewards, independent of any index. */
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/knowledge/types.ts';
import { combine, DEFAULT_RERANK_WEIGHTS, featuresOf, profileQuery } from '../../src/search/article-rerank.ts';
import { analyzeQuestion, queryTerms } from '../../src/search/question.ts';

function law(article: number, text: string, part = 0): Chunk {
  return {
    id: `测试法@2020-01-01#${article}-0.${part}`,
    doc: 'law',
    sourceId: '测试法@2020-01-01',
    title: '中华人民共和国测试法',
    article,
    articleSuffix: 0,
    articleLabel: `第${article}条`,
    version: '2020-01-01',
    status: 'current',
    category: '',
    path: ['第三章 合同'],
    part,
    text,
  };
}

const idf = { idf: () => 1 };

describe('article reranker features', () => {
  const a = law(46, '采购人与中标供应商应当在中标通知书发出之日起三十日内签订政府采购合同。');
  const b = law(47, '政府采购合同自签订之日起七个工作日内，采购人应当将合同副本报同级政府采购监督管理部门备案。');
  const c = law(48, '违反本法第四十七条规定的，依照本法第七十一条处理。');
  const chunks = [a, b, c];

  it('rewards the words that tell neighbouring articles apart, the asked-for time limit and a verbatim phrase', () => {
    const q = analyzeQuestion('合同副本要多少天内备案？');
    const [fa, fb] = featuresOf(chunks, [a, b], q, profileQuery(q, queryTerms(q), idf));
    expect(fb!.distinct).toBeGreaterThan(fa!.distinct);
    expect(fb!.answerType).toBe(1);
    expect(fb!.phrase).toBeGreaterThan(fa!.phrase);
    expect(combine(fb!, DEFAULT_RERANK_WEIGHTS)).toBeGreaterThan(combine(fa!, DEFAULT_RERANK_WEIGHTS));
  });

  it('reads an article as a whole: words in another part of the same article count', () => {
    const head = law(50, '采购人应当编制采购计划。');
    const tail = law(50, '采购计划报财政部门备案。', 1);
    const alone = law(51, '采购人应当编制采购计划。');
    const q = analyzeQuestion('采购计划 备案');
    const [whole, single] = featuresOf([head, tail, alone], [head, alone], q, profileQuery(q, queryTerms(q), idf));
    expect(whole!.coverage).toBeGreaterThan(single!.coverage);
  });

  it('marks an article that only points to others, and prefers the report for the bureau’s own work', () => {
    const q = analyzeQuestion('局里去年怎么处理的？');
    const report: Chunk = { id: 'r#1.0', doc: 'report', sourceId: 'r', title: '报告', category: '', path: [], section: '一、', part: 0, text: '去年开展专项整治。' };
    const [fc, fr] = featuresOf([...chunks, report], [c, report], q, profileQuery(q, queryTerms(q), idf));
    expect(fc!.crossRef).toBe(-1);
    expect(fc!.ownWork).toBe(-1);
    expect(fr!.ownWork).toBe(1);
  });
});
