/** One contract, every retriever: BM25, vectors and the hybrid answer the same cases the same way. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openIndex, runIngest, type OpenedIndex } from '../../src/search/index.ts';
import type { Retriever } from '../../src/search/types.ts';
import { NEW_RULE, OLD_RULE, writeFixtureKnowledge } from './fixtures.ts';

let root: string;
let index: OpenedIndex;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-contract-'));
  const dirs = await writeFixtureKnowledge(root);
  const config = loadConfig({ LOG_LEVEL: 'silent' }, { ...dirs, dataDir: join(root, 'data') }, root);
  await runIngest(config);
  index = await openIndex(config);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const retrievers: [string, () => Retriever][] = [
  ['bm25', () => index.retrievers.bm25],
  ['vector', () => index.retrievers.vector],
  ['hybrid', () => index.retrievers.hybrid],
];

describe.each(retrievers)('%s retriever', (_name, get) => {
  it('ranks the article that states the answer first', async () => {
    const hits = await get().search('示范年度自公历一月一日起至十二月三十一日止', { k: 3 });
    expect(hits[0]?.chunk.title).toBe('中华人民共和国示范管理法');
    expect(hits[0]?.chunk.article).toBe(2);
  });

  it('returns at most k hits, best first, with scores in [0, 1]', async () => {
    const hits = await get().search('示范资金 调用', { k: 2 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(2);
    for (const [i, h] of hits.entries()) {
      expect(h.score).toBeGreaterThanOrEqual(0);
      expect(h.score).toBeLessThanOrEqual(1);
      if (i > 0) expect(h.score).toBeLessThanOrEqual(hits[i - 1]!.score);
    }
  });

  it('never returns a superseded version unless asked', async () => {
    const current = await get().search('违反本法规定的 罚款数额', { k: 10 });
    expect(current.some((h) => h.chunk.text.includes(OLD_RULE))).toBe(false);
    expect(current.some((h) => h.chunk.text.includes(NEW_RULE))).toBe(true);
    const all = await get().search('违反本法规定的 罚款数额', { k: 10, includeSuperseded: true });
    expect(all.some((h) => h.chunk.text.includes(OLD_RULE) && h.chunk.status === 'superseded')).toBe(true);
  });

  it('keeps to the requested laws', async () => {
    const id = index.catalog.resolve('示范采购条例')[0]!.id;
    const hits = await get().search('合同 备案 期限', { k: 5, lawIds: [id] });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.chunk.sourceId === id)).toBe(true);
  });

  it('finds report passages and cites their section', async () => {
    const hits = await get().search('清理财政挂账遵循什么原则', { k: 3 });
    const report = hits.find((h) => h.chunk.doc === 'report' && h.chunk.text.includes('锁定总额、消化存量、严控增量'));
    expect(report?.chunk.section).toBeTruthy();
  });
});

describe('hybrid extras', () => {
  it('puts an article cited by law and number first', async () => {
    const hits = await index.search('示范采购条例第三条是怎么规定的', { k: 3 });
    expect(hits[0]?.chunk.title).toBe('示范采购条例');
    expect(hits[0]?.chunk.article).toBe(3);
  });

  it('understands colloquial wording through the legal synonym list', async () => {
    const hits = await index.search('合同签了以后多久要报财政局备案', { k: 3 });
    expect(hits[0]?.chunk.title).toBe('示范采购条例');
    expect(hits[0]?.chunk.article).toBe(2);
  });
});
