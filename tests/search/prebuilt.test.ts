/**
 * The tables built at ingest for the first question hold exactly what the answerer used to compute in each
 * process: the general IDF table, and the judge's list of foreign legal-area words (judge-tables.ts).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { citationsOfHits, type RankedCitation } from '../../src/answer/extractive.ts';
import { createRelevanceJudge, minScoreOf } from '../../src/answer/relevance.ts';
import type { Config } from '../../src/config.ts';
import { readQuestions } from '../../src/search/evaluate.ts';
import type { OpenedIndex } from '../../src/search/index.ts';
import { generalIdfMap } from '../../src/search/tokenize.ts';
import { EVAL_DIR, getChecklistIndex } from '../helpers/test-index.ts';

let index: OpenedIndex;
let config: Config;
beforeAll(async () => {
  ({ index, config } = await getChecklistIndex());
});

describe('prebuilt tables', () => {
  it('the IDF table gives jieba’s weight for every word, and none for words it lacks', () => {
    const idf = index.prebuilt!.idf;
    const map = generalIdfMap();
    let n = 0;
    for (const [word, weight] of map) if (n++ % 97 === 0) expect(idf.get(word), word).toBe(weight);
    for (const word of ['预算', '红烧肉', '第十八条', 'zzzz不存在的词']) expect(idf.get(word)).toBe(map.get(word));
  });

  it('the judge decides the same with the stored foreign-area words as with the list computed now', async () => {
    const { buildJudgeTables } = await import('../../src/search/judge-tables.ts');
    expect(index.foreignTerms).toEqual(buildJudgeTables(index.catalog, index.vocabulary!).foreignTerms);
    const opts = { catalog: index.catalog, vocabulary: index.vocabulary, minScore: minScoreOf(config), askedAbout: (r: RankedCitation) => index.askedAbout?.(r.chunk) ?? [] };
    const stored = createRelevanceJudge({ ...opts, foreignTerms: index.foreignTerms });
    const computed = createRelevanceJudge({ ...opts, foreignTerms: buildJudgeTables(index.catalog, index.vocabulary!).foreignTerms });
    const questions = (await readQuestions([join(EVAL_DIR, 'dev-a.jsonl'), join(EVAL_DIR, 'out-of-scope-dev.jsonl')])).map((q) => q.question);
    for (const q of questions.slice(0, 60)) {
      const ranked = citationsOfHits(await index.search(q, { k: 10 }), index.catalog, index.documents);
      expect(stored.signals(q, ranked), q).toEqual(computed.signals(q, ranked));
    }
  });

  it('keeps a combined keyword whose parts the laws hold apart, and drops one they hold together', async () => {
    const { OWN_COMBINATION_TEXTS } = await import('../../src/search/judge-tables.ts');
    const vocabulary = index.vocabulary!;
    // The 政务处分法 speaks of 公务员, contracts of 工资, but no checklist law of civil servants' pay.
    expect(vocabulary.usesTogether(['公务员', '工资'], OWN_COMBINATION_TEXTS)).toBe(false);
    expect(index.foreignTerms).toContain('公务员+工资');
    // 预算 and 调整 together are the 预算法's own matter (预算调整).
    expect(vocabulary.usesTogether(['预算', '调整'], OWN_COMBINATION_TEXTS)).toBe(true);
  });
});
