/**
 * What the operator and the user see: logs in <data>/logs/pufa.log (rotated), only warnings on the terminal,
 * every message Chinese and printed once.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logFileSink } from '../../src/log-file.ts';
import { createSinkLogger } from '../../src/log.ts';
import { runPufa } from '../helpers/run-pufa.ts';
import { writeFixtureKnowledge } from '../search/fixtures.ts';

let root: string;
let dirs: { lawsDir: string; knowledgeDir: string };
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-output-'));
  dirs = await writeFixtureKnowledge(root);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('logs go to the operator', () => {
  it('the terminal chat shows no log lines; the log file in the data directory has them', async () => {
    const data = join(root, 'data');
    const flags = ['--data', data, '--knowledge', dirs.knowledgeDir, '--laws', dirs.lawsDir];
    expect((await runPufa(['ingest', ...flags], { env: { LOG_LEVEL: 'info' } })).code).toBe(0);
    const chat = await runPufa(['chat', ...flags], { env: { LOG_LEVEL: 'info' }, cwd: root, stdin: '/law 示范采购条例 2\n' });
    expect(chat.code).toBe(0);
    expect(chat.out).toContain('七个工作日内');
    expect(chat.out + chat.err).not.toMatch(/INFO|admin provisioned/);
    const log = await readFile(join(data, 'logs', 'pufa.log'), 'utf8');
    expect(log).toMatch(/ INFO pufa:ingest: index published /);
    expect(log).toMatch(/ INFO pufa:chat: admin provisioned /);
  });

  it('rotates at the size cap and keeps three old files', async () => {
    const file = join(root, 'rotate', 'pufa.log');
    const log = createSinkLogger([logFileSink(file, { maxBytes: 300, level: 'info' })]);
    for (let i = 0; i < 60; i++) log.info('a line that fills the log', { i });
    const names = (await readdir(join(root, 'rotate'))).sort();
    expect(names).toEqual(['pufa.log', 'pufa.log.1', 'pufa.log.2', 'pufa.log.3']);
    for (const n of names) expect((await readFile(join(root, 'rotate', n))).length).toBeLessThanOrEqual(300);
    expect(await readFile(file, 'utf8')).toContain('i=59');
  });
});

describe('messages for the user: Chinese, specific, once', () => {
  it('a failed command prints its message once', async () => {
    const run = await runPufa(['eval', join(root, 'missing.jsonl'), '--data', join(root, 'data-eval')], { env: { LOG_LEVEL: 'info' } });
    expect(run.code).toBe(1);
    expect(run.err.trim().split('\n')).toEqual([`无法读取问题文件：${join(root, 'missing.jsonl')}`]);
  });

  it('bad flags and bad settings are explained in Chinese with the value given', async () => {
    const flag = await runPufa(['search', '预算', '--k', '-5']);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain('参数有误：选项 --k 的值不能以“-”开头');
    expect(flag.err).not.toMatch(/ambiguous|Option/);
    const setting = await runPufa(['search', '预算'], { env: { QUIZ_SIZE: 'ten', ADMIN_WEB_TOKEN: 'demo' } });
    expect(setting.code).toBe(2);
    expect(setting.err).toContain('QUIZ_SIZE: 应为数字（现为「ten」）');
    expect(setting.err).toContain('ADMIN_WEB_TOKEN: 口令太短（4 个字符）：至少 16 个字符');
    expect(setting.err).not.toMatch(/Invalid|expected|received/);
  });
});
