/**
 * The embedder contract (langchain's Embeddings plus what the index needs): every embedder the index can
 * use passes the same cases — the offline default, and the OpenAI-compatible client against a local
 * embeddings server on 127.0.0.1. Chinese text must embed to something (langchain's fake embeddings strip
 * non-Latin characters and would not).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEmbeddings, OpenAICompatibleEmbeddings, type IndexEmbeddings } from '../../src/search/embedders/index.ts';
import { startEmbedServer, type EmbedServer } from './embed-server.ts';

const TEXTS = ['预算年度自公历一月一日起，至十二月三十一日止。', '会计档案的保管期限', '政府采购合同应当自签订之日起七个工作日内备案', '宪法'];
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / (Math.hypot(...a) * Math.hypot(...b) || 1);

function embedderContract(name: string, make: () => IndexEmbeddings) {
  describe(`embedder contract: ${name}`, () => {
    it('gives one vector per text, in order, of the dimension it reports, and the same vector for a query', async () => {
      const e = make();
      const vectors = await e.embedDocuments(TEXTS);
      expect(vectors).toHaveLength(TEXTS.length);
      for (const v of vectors) {
        expect(v).toHaveLength(e.dimension!);
        expect(v.some((x) => x !== 0)).toBe(true);
        expect(v.every(Number.isFinite)).toBe(true);
      }
      expect(await e.embedQuery(TEXTS[1]!)).toEqual(vectors[1]);
      expect(await e.embedDocuments([])).toEqual([]);
    });

    it('tells different texts apart and embeds a text the same way every time and in every instance (vectors are reused across builds)', async () => {
      const [a, b] = [make(), make()];
      expect(a.id).toBe(b.id);
      expect(a.id.length).toBeGreaterThan(0);
      const [first, second] = [await a.embedDocuments(TEXTS), await b.embedDocuments([...TEXTS].reverse())];
      expect(second.reverse()).toEqual(first);
      expect(cosine(first[0]!, first[0]!)).toBeCloseTo(1, 6);
      expect(cosine(first[0]!, first[3]!)).toBeLessThan(0.999);
    });
  });
}

let server: EmbedServer;
beforeAll(async () => {
  server = await startEmbedServer();
});
afterAll(async () => {
  await server.close();
});

embedderContract('local (offline default)', () => new LocalEmbeddings());
embedderContract('OpenAI-compatible (local embeddings server)', () => new OpenAICompatibleEmbeddings({ model: 'bge-m3', baseURL: server.url, batchSize: 3 }));
