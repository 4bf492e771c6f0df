/**
 * A question is analysed once per answer: the law-mention finder (a scan over every law name of the
 * catalog) runs once for the question, and once more only for a follow-up's combined query.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnswerer } from '../../src/answer/answerer.ts';
import type { Config } from '../../src/config.ts';
import type { KnowledgeIndex } from '../../src/search/types.ts';
import { getChecklistIndex } from '../helpers/test-index.ts';

let index: KnowledgeIndex;
let config: Config;

beforeAll(async () => {
  ({ index, config } = await getChecklistIndex());
});

/** Runs `fn` counting the calls of the index catalog's law-mention finder (search and answer share the catalog). */
async function countingMentions(fn: () => Promise<unknown>): Promise<number> {
  const catalog = index.catalog;
  const real = catalog.findLawMentions;
  let n = 0;
  catalog.findLawMentions = (text) => {
    n++;
    return real.call(catalog, text);
  };
  try {
    await fn();
  } finally {
    catalog.findLawMentions = real;
  }
  return n;
}

describe('question analysis', () => {
  it('finds the laws a question names once, for lookup, FAQ and retrieval together', async () => {
    const a = createAnswerer({ index, config, faqDir: mkdtempSync(join(tmpdir(), 'pufa-nofaq-')) });
    for (const q of ['预算法规定的预算年度从哪天到哪天？', '政府采购合同副本多长时间内备案？', '预算法第十八条']) {
      let answer;
      expect(await countingMentions(async () => (answer = await a.answer(q))), q).toBe(1);
      expect(answer!.mode, q).not.toBe('none');
    }
  });

  it('analyses a follow-up and its combined query, no more', async () => {
    const a = createAnswerer({ index, config, faqDir: mkdtempSync(join(tmpdir(), 'pufa-nofaq-')) });
    await a.answer('政府采购合同签订后，合同副本要在多长时间内报财政部门备案？', { conversationId: 'c' });
    expect(await countingMentions(() => a.answer('那超过期限怎么办？', { conversationId: 'c' }))).toBe(2);
  });
});
