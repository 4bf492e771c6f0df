/**
 * The tables built at ingest for the first question (bigram pairs, general IDF) hold exactly what the answerer
 * used to compute in each process, and the no-basis judge decides the same with them as without.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { citationsOfHits, type RankedCitation } from '../../src/answer/extractive.ts';
import { createRelevanceJudge, minScoreOf } from '../../src/answer/relevance.ts';
import type { Config } from '../../src/config.ts';
import { readQuestions } from '../../src/search/evaluate.ts';
import type { OpenedIndex } from '../../src/search/index.ts';
import { pairKey, pairsOf } from '../../src/search/prebuilt.ts';
import { generalIdfMap } from '../../src/search/tokenize.ts';
import { EVAL_DIR, getChecklistIndex } from '../helpers/test-index.ts';

let index: OpenedIndex;
let config: Config;
beforeAll(async () => {
  ({ index, config } = await getChecklistIndex());
});

describe('prebuilt tables', () => {
  it('the pair table holds every character pair of the indexed texts, and nothing else', () => {
    const prebuilt = index.prebuilt!;
    expect(prebuilt).toBeDefined();
    const computed = pairsOf(index.chunks.map((c) => c.title + c.text));
    for (const key of computed) if (!prebuilt.pairs.has(key)) throw new Error(`missing pair ${key}`);
    for (const word of ['红烧', '羽毛', '足球', 'Wi', '电竞']) {
      expect(prebuilt.pairs.has(pairKey(word, 0)), word).toBe(computed.has(pairKey(word, 0)));
    }
  });

  it('the IDF table gives jieba’s weight for every word, and none for words it lacks', () => {
    const idf = index.prebuilt!.idf;
    const map = generalIdfMap();
    let n = 0;
    for (const [word, weight] of map) if (n++ % 97 === 0) expect(idf.get(word), word).toBe(weight);
    for (const word of ['预算', '红烧肉', '第十八条', 'zzzz不存在的词']) expect(idf.get(word)).toBe(map.get(word));
  });

  it('the judge decides the same with the prebuilt pairs as with pairs computed from the chunks', async () => {
    const opts = { catalog: index.catalog, chunks: index.chunks, minScore: minScoreOf(config), askedAbout: (r: RankedCitation) => index.askedAbout?.(r.chunk) ?? [] };
    const computed = createRelevanceJudge(opts);
    const prebuilt = createRelevanceJudge({ ...opts, pairs: index.prebuilt!.pairs });
    const questions = (await readQuestions([join(EVAL_DIR, 'dev-a.jsonl'), join(EVAL_DIR, 'out-of-scope-dev.jsonl')])).map((q) => q.question);
    for (const q of questions.slice(0, 60)) {
      const ranked = citationsOfHits(await index.search(q, { k: 10 }), index.catalog, index.documents);
      expect(prebuilt.signals(q, ranked), q).toEqual(computed.signals(q, ranked));
    }
  });
});
