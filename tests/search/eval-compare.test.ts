/**
 * `pufa eval`: Hit@k beside Recall@k, figures per kind (area), and `--compare` of the semantic hybrid with
 * the lexical-only configuration over an index built with the local embeddings server.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/search/index.ts';
import { loadConfig } from '../../src/config.ts';
import { runPufa } from '../helpers/run-pufa.ts';
import { startEmbedServer, type EmbedServer } from './embed-server.ts';
import { writeFixtureKnowledge } from './fixtures.ts';

let root: string;
let server: EmbedServer;
let env: Record<string, string>;
let dirs: { lawsDir: string; knowledgeDir: string };
let questions: string;
const law = '中华人民共和国示范管理法';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-compare-'));
  server = await startEmbedServer();
  dirs = await writeFixtureKnowledge(root);
  env = { LOG_LEVEL: 'silent', EMBEDDER: 'openai', EMBEDDING_BASE_URL: server.url, OPENAI_MAX_RETRIES: '0' };
  await runIngest(loadConfig(env, { ...dirs, dataDir: join(root, 'semantic') }, root));
  await runIngest(loadConfig({ LOG_LEVEL: 'silent' }, { ...dirs, dataDir: join(root, 'local') }, root));
  questions = join(root, 'q.jsonl');
  const rows = [
    { id: 'a', question: '示范年度从几月几号开始', gold: [{ law, article: 2 }], kind: 'civil_procedure' },
    // Two gold articles, only one of which the question is about: Hit@1 1, Recall@1 0.5.
    { id: 'b', question: '上级政府能不能调用下级的示范资金', gold: [{ law, article: 3 }, { law: '示范采购条例', article: 3 }], kind: 'administrative' },
  ];
  await writeFile(questions, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('pufa eval', () => {
  it('prints Hit@k beside Recall@k, overall and per kind with the area named in Chinese', async () => {
    const { code, out } = await runPufa(['eval', questions, '--data', join(root, 'local')]);
    expect(code).toBe(0);
    expect(out).toContain('Hit@1  R@1    Hit@5  R@5');
    expect(out).toMatch(/民事诉讼\(civil_procedure\)\s+1 /);
    expect(out).toMatch(/行政\(administrative\)\s+1  1\.000  0\.500/);
  });

  it('puts the lexical-only and the semantic configuration side by side', async () => {
    const { code, out } = await runPufa(['eval', questions, '--compare', '--data', join(root, 'semantic')], { env });
    expect(code).toBe(0);
    expect(out).toContain('离线（仅词法）');
    expect(out).toContain(`语义混合（openai:text-embedding-3-small@${server.url}）`);
    expect(out).toMatch(/全部\s+2 {2}\S+ {2}\S+ {2}\S+ {2}\S+ {2}\S+ {2}\S+/);
    const json = await runPufa(['eval', questions, '--compare', '--json', '--data', join(root, 'semantic')], { env });
    const r = JSON.parse(json.out) as { offline: { n: number; 'hit@5': number }; semantic: { n: number } };
    expect(r.offline.n).toBe(2);
    expect(r.semantic.n).toBe(2);
  });

  it('explains that --compare needs an index built with a semantic model', async () => {
    const { code, err } = await runPufa(['eval', questions, '--compare', '--data', join(root, 'local')]);
    expect(code).toBe(1);
    expect(err).toContain('--compare 需要用语义向量模型建立的索引');
  });
});
