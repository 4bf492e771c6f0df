/** The OpenAI-compatible embeddings client against a real local server: batching, retry, failure. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PufaError } from '../../src/errors.ts';
import { OpenAICompatibleEmbeddings } from '../../src/search/embedders/openai.ts';
import { createEmbedder } from '../../src/search/embedders/index.ts';
import { loadConfig } from '../../src/config.ts';
import { startEmbedServer, type EmbedServer } from './embed-server.ts';

let server: EmbedServer;
beforeEach(async () => {
  server = await startEmbedServer();
});
afterEach(async () => {
  await server.close();
});

describe('OpenAI-compatible embeddings', () => {
  it('sends texts in batches and returns one vector per text, in order', async () => {
    const e = new OpenAICompatibleEmbeddings({ model: 'm', baseURL: server.url, batchSize: 2 });
    const texts = ['预算法', '会计法', '审计法', '政府采购法', '宪法'];
    const vectors = await e.embedDocuments(texts);
    expect(server.batches).toEqual([['预算法', '会计法'], ['审计法', '政府采购法'], ['宪法']]);
    expect(vectors).toHaveLength(5);
    expect(e.dimension).toBe(8);
    expect(await e.embedQuery('宪法')).toEqual(vectors[4]);
  });

  it('retries after a 429 and then succeeds', async () => {
    server.failNext.push(429);
    const e = new OpenAICompatibleEmbeddings({ model: 'm', baseURL: server.url, maxRetries: 2 });
    const v = await e.embedQuery('罚款');
    expect(v).toHaveLength(8);
    expect(server.batches).toEqual([['罚款']]);
  });

  it('fails with a Chinese message naming the endpoint when retries run out', async () => {
    server.failAlways = 500;
    const e = new OpenAICompatibleEmbeddings({ model: 'm', baseURL: server.url, maxRetries: 1 });
    const err = await e.embedQuery('罚款').catch((x: unknown) => x);
    expect(err).toBeInstanceOf(PufaError);
    expect((err as PufaError).userMessage).toContain('向量服务调用失败');
    expect((err as PufaError).userMessage).toContain(server.url);
  });

  it('is chosen by EMBEDDER=openai with its own base URL and batch size', () => {
    const config = loadConfig({ EMBEDDER: 'openai', EMBEDDING_BASE_URL: server.url, EMBEDDING_MODEL: 'bge-m3' });
    const e = createEmbedder(config);
    expect(e).toBeInstanceOf(OpenAICompatibleEmbeddings);
    expect(e.id).toBe(`openai:bge-m3@${server.url}`);
  });
});
