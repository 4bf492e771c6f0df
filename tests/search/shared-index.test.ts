import { describe, expect, it } from 'vitest';
import { getChecklistIndex } from '../helpers/test-index.ts';

describe('shared checklist index', () => {
  it('answers a question about the budget year from the budget law', async () => {
    const { index } = await getChecklistIndex();
    const hits = await index.search('预算年度自公历哪天起到哪天止', { k: 5 });
    expect(hits.some((h) => h.chunk.title === '中华人民共和国预算法' && h.chunk.article === 18)).toBe(true);
    expect(index.manifest.counts.laws).toBeGreaterThanOrEqual(20);
  });
});
