/** An ingest whose embeddings endpoint dies halfway resumes where it stopped: only the rest is embedded again. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIngestSummary } from '../../src/cli/commands/ingest.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { PufaError } from '../../src/errors.ts';
import { indexStatus, openIndex, runIngest } from '../../src/search/index.ts';
import { startEmbedServer, type EmbedServer } from './embed-server.ts';
import { writeFixtureKnowledge } from './fixtures.ts';

let root: string;
let server: EmbedServer;
let config: Config;
const inputs = () => server.batches.flat();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-resume-'));
  server = await startEmbedServer();
  const dirs = await writeFixtureKnowledge(root);
  config = loadConfig(
    { LOG_LEVEL: 'silent', EMBEDDER: 'openai', EMBEDDING_BASE_URL: server.url, EMBEDDING_BATCH_SIZE: '2', OPENAI_MAX_RETRIES: '0' },
    { ...dirs, dataDir: join(root, 'data') },
    root,
  );
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('resumable ingest with a remote embeddings model', () => {
  it('keeps the vectors of the batches that arrived when the endpoint dies, and publishes nothing', async () => {
    server.failAfter = 2;
    const err = await runIngest(config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PufaError);
    expect((err as PufaError).userMessage).toContain('向量服务调用失败');
    expect(await indexStatus(config)).toBe('missing');
    expect(inputs()).toHaveLength(4);
    expect((await readdir(join(config.dataDir, 'index'))).some((f) => f.startsWith('embedding-journal-'))).toBe(true);
  });

  it('continues where it stopped: the journal’s vectors are reused and only the rest is sent', async () => {
    server.failAfter = undefined;
    server.failAlways = undefined;
    const first = new Set(inputs());
    const before = inputs().length;
    const s = await runIngest(config);
    // The four texts of the first run stand for more chunks: two versions of one law share unchanged articles.
    expect(s.resumed).toBeGreaterThanOrEqual(4);
    expect(s.embedded + s.resumed).toBe(s.chunks);
    const sent = inputs().slice(before);
    expect(sent).toHaveLength(s.embedded);
    expect(sent.filter((t) => first.has(t))).toEqual([]);
    expect(formatIngestSummary(s)).toContain(`接着上次中断的建库继续：上次已算好的向量 ${s.resumed} 个直接沿用`);
    expect((await readdir(join(config.dataDir, 'index'))).some((f) => f.startsWith('embedding-journal-'))).toBe(false);
    const index = await openIndex(config);
    const hits = await index.search('示范年度自公历一月一日起', { k: 3 });
    expect(hits[0]!.chunk.article).toBe(2);
  });
});
