/**
 * The index is never replaced by a worse one without being asked: a restart without LAWS_DIR, an empty or
 * mistyped laws folder keep the serving index (one Chinese line), unless --replace is given.
 */
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { openIndex, runIngest } from '../../src/search/index.ts';
import { IndexKeptError, LawsFolderMissingError } from '../../src/search/ingest-guard.ts';
import { runPufa } from '../helpers/run-pufa.ts';
import { writeFixtureKnowledge } from './fixtures.ts';

let root: string;
let lawsDir: string;
let knowledgeDir: string;
let dataDir: string;
let config: Config;
const pointer = () => readFile(join(dataDir, 'index', 'CURRENT'), 'utf8');
const withLaws = (laws: string | undefined, env: Record<string, string> = {}) =>
  loadConfig({ LOG_LEVEL: 'silent', ...env }, { dataDir, knowledgeDir, ...(laws === undefined ? {} : { lawsDir: laws }) }, root);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-guard-'));
  ({ lawsDir, knowledgeDir } = await writeFixtureKnowledge(root));
  dataDir = join(root, 'data');
  config = withLaws(lawsDir);
  await runIngest(config);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ingest guard', () => {
  it('remembers where the laws came from', async () => {
    const index = await openIndex(config);
    expect(index.manifest.origin).toEqual({ lawsDir, files: 3, laws: 2 });
  });

  it('keeps the index when LAWS_DIR is not set and the default folder does not exist', async () => {
    const before = await pointer();
    const err = await runIngest(withLaws(undefined)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexKeptError);
    const message = (err as IndexKeptError).userMessage;
    expect(message).toContain('未设置 LAWS_DIR');
    expect(message).toContain(`来自 ${lawsDir}`);
    expect(message).toContain('--replace');
    expect(message.split('\n')).toHaveLength(1);
    expect(await pointer()).toBe(before);
    expect((await openIndex(config)).catalog.versions.length).toBe(3);
  });

  it('keeps the index when the laws folder is empty, and replaces it with --replace', async () => {
    const empty = join(root, 'empty-laws');
    await mkdir(empty);
    const before = await pointer();
    const err = await runIngest(withLaws(empty, { LAWS_DIR: empty })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexKeptError);
    expect((err as IndexKeptError).userMessage).toContain('没有法规文件');
    expect(await pointer()).toBe(before);

    // A separate data directory, so the other tests keep their index.
    const other = join(root, 'data-replace');
    await cp(dataDir, other, { recursive: true });
    const replaceConfig = loadConfig({ LOG_LEVEL: 'silent' }, { dataDir: other, knowledgeDir, lawsDir: empty }, root);
    const s = await runIngest(replaceConfig, { replace: true });
    expect(s.laws).toBe(0);
  });

  it('refuses to build from a far smaller folder (under half the law files)', async () => {
    const partial = join(root, 'partial-laws');
    await mkdir(join(partial, '行政法规'), { recursive: true });
    await cp(join(lawsDir, '行政法规'), join(partial, '行政法规'), { recursive: true });
    const err = await runIngest(withLaws(partial)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexKeptError);
    expect((err as IndexKeptError).userMessage).toContain('只有 1 个法规文件');
  });

  it('names the setting of a missing laws folder, and never builds a 0-law index from it', async () => {
    const fresh = join(root, 'data-fresh');
    const typo = join(root, 'lasw');
    const fromEnv = loadConfig({ LOG_LEVEL: 'silent', LAWS_DIR: typo }, { dataDir: fresh, knowledgeDir }, root);
    const err = await runIngest(fromEnv).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LawsFolderMissingError);
    expect((err as LawsFolderMissingError).userMessage).toBe(`法规目录不存在：${typo}：请检查 LAWS_DIR 的设置。`);
    const cli = await runPufa(['ingest', '--data', fresh, '--knowledge', knowledgeDir, '--laws', typo], { env: { LOG_LEVEL: 'silent' } });
    expect(cli.code).toBe(1);
    expect(cli.err).toContain('请检查 --laws 的设置');
    await expect(readFile(join(fresh, 'index', 'CURRENT'), 'utf8')).rejects.toThrow();
  });

  it('pufa start without LAWS_DIR says so in one line and still answers from the old index', async () => {
    // A changed report makes the index stale, so start has to decide what to do with it.
    const run = await runPufa(['start', '--data', dataDir, '--knowledge', knowledgeDir], {
      env: { LOG_LEVEL: 'silent' },
      cwd: root,
      stdin: '/law 示范管理法 2\n',
    });
    expect(run.code).toBe(0);
    const lines = run.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('保留原索引继续使用');
    expect(run.out).toContain('示范年度自公历一月一日起，至十二月三十一日止。');
  });
});
