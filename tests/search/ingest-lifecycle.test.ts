/** Index lifecycle: missing → fresh → stale; incremental re-ingest; a failed ingest leaves the old index serving. */
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { PufaError } from '../../src/errors.ts';
import { indexStatus, openIndex, runIngest } from '../../src/search/index.ts';
import { startEmbedServer, type EmbedServer } from './embed-server.ts';
import { writeFixtureKnowledge } from './fixtures.ts';

let root: string;
let server: EmbedServer;
let config: Config;
let lawsDir: string;
const inputs = () => server.batches.flat().length;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-ingest-'));
  server = await startEmbedServer();
  const dirs = await writeFixtureKnowledge(root);
  lawsDir = dirs.lawsDir;
  config = loadConfig(
    { LOG_LEVEL: 'silent', EMBEDDER: 'openai', EMBEDDING_BASE_URL: server.url, OPENAI_MAX_RETRIES: '0' },
    { ...dirs, dataDir: join(root, 'data') },
    root,
  );
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('index lifecycle', () => {
  it('says clearly that there is no index yet', async () => {
    expect(await indexStatus(config)).toBe('missing');
    const err = await openIndex(config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PufaError);
    expect((err as PufaError).userMessage).toBe('知识库索引不存在，请先运行 npx pufa ingest');
  });

  it('builds an index that embeds every chunk once and is fresh', async () => {
    const s = await runIngest(config);
    expect(s.embedded).toBe(s.chunks);
    expect(inputs()).toBe(s.chunks);
    expect(s.laws).toBe(2);
    expect(s.versions).toBe(3);
    expect(await indexStatus(config)).toBe('fresh');
    const index = await openIndex(config);
    expect(index.manifest.embedder).toEqual({ id: `openai:text-embedding-3-small@${server.url}`, dimension: 8 });
    expect(Object.keys(index.manifest.sources)).toContain('laws/行政法规/示范采购条例(2021-03-01).md');
  });

  it('re-ingests unchanged files without embedding anything', async () => {
    const before = inputs();
    const s = await runIngest(config);
    expect(s.embedded).toBe(0);
    expect(s.reused).toBe(s.chunks);
    expect(inputs()).toBe(before);
  });

  it('notices a new law file and embeds only its chunks', async () => {
    await writeFile(
      join(lawsDir, '行政法规', '示范档案条例(2022-01-01).md'),
      '# 示范档案条例\n\n2022年1月1日公布\n\n<!-- INFO END -->\n\n第一条 会计档案的保管期限由国务院财政部门规定。\n\n第二条 档案销毁应当编制销毁清册。\n',
    );
    expect(await indexStatus(config)).toBe('stale');
    const before = inputs();
    const s = await runIngest(config);
    expect(s.embedded).toBe(2);
    expect(inputs() - before).toBe(2);
    const hits = await (await openIndex(config)).search('会计档案保管期限', { k: 3 });
    expect(hits[0]?.chunk.title).toBe('示范档案条例');
  });

  it('keeps the previous index serving when an ingest fails', async () => {
    const pointer = join(config.dataDir, 'index', 'CURRENT');
    const servingBefore = await readFile(pointer, 'utf8');
    await appendFile(join(lawsDir, '行政法规', '示范档案条例(2022-01-01).md'), '\n第三条 电子档案与纸质档案具有同等效力。\n');
    server.failAlways = 500;
    const err = await runIngest(config).catch((e: unknown) => e);
    server.failAlways = undefined;
    expect(err).toBeInstanceOf(PufaError);
    expect(await readFile(pointer, 'utf8')).toBe(servingBefore);
    const index = await openIndex(config);
    const hits = await index.search('会计档案保管期限', { k: 3 });
    expect(hits[0]?.chunk.title).toBe('示范档案条例');
    expect(index.chunks.some((c) => c.text.includes('电子档案'))).toBe(false);
    expect(await indexStatus(config)).toBe('stale');
  });

  it('counts as stale when another embedder is configured', async () => {
    const local = loadConfig({ LOG_LEVEL: 'silent' }, { dataDir: config.dataDir, knowledgeDir: config.knowledgeDir, lawsDir }, root);
    await runIngest(config);
    expect(await indexStatus(config)).toBe('fresh');
    expect(await indexStatus(local)).toBe('stale');
  });
});
