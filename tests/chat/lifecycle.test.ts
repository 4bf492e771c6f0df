import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startBotApiServer } from '../helpers/bot-api-server.ts';
import { CORPUS_LAWS_DIR, REPO_ROOT } from '../helpers/test-index.ts';
import { isSend, user, visibleText } from './harness.ts';

let dir: string;
let laws: string;
let knowledge: string;
let data: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-start-'));
  // A two-law corpus keeps the first-run ingest of `pufa start` quick.
  laws = join(dir, 'laws');
  await mkdir(join(laws, '经济法'), { recursive: true });
  await symlink(join(CORPUS_LAWS_DIR, '经济法', '预算法(2018-12-29).md'), join(laws, '经济法', '预算法(2018-12-29).md'));
  knowledge = join(dir, 'knowledge');
  await mkdir(knowledge);
  data = join(dir, 'data');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('pufa start without a token: builds the missing index, then the terminal chat answers piped questions', async () => {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end('预算年度是怎么规定的？\n');
  const code = await main(['start', '--data', data, '--laws', laws, '--knowledge', knowledge], {
    stdin,
    stdout,
    stderr,
    env: { LOG_LEVEL: 'error' },
    cwd: dir,
  });
  expect(err).toContain('首次运行：正在建立知识库索引');
  expect(code).toBe(0);
  expect(out).toContain('《中华人民共和国预算法》第十八条');
  expect(err).not.toContain('还没有法规文件');
});

it('pufa start with an empty laws folder says where law files go, and still opens the chat', async () => {
  const stdin = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end('');
  const emptyLaws = join(dir, 'no-laws-yet');
  await mkdir(emptyLaws);
  const code = await main(['start', '--data', join(dir, 'data-empty'), '--laws', emptyLaws, '--knowledge', knowledge], {
    stdin,
    stdout: new PassThrough(),
    stderr,
    env: { LOG_LEVEL: 'error' },
    cwd: dir,
  });
  expect(code).toBe(0);
  expect(err).toContain(`法规目录（${emptyLaws}）里还没有法规文件`);
  expect(err).toContain('pufa laws fetch');
});

it('pufa bot: SIGTERM while a reply is in flight finishes the reply, closes the database and exits 0', async () => {
  const api = await startBotApiServer();
  const admin = user(1001, '王局长');
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/pufa.js'), 'bot', '--data', data, '--laws', laws, '--knowledge', knowledge], {
    cwd: dir,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'error', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ADMIN_TELEGRAM_IDS: String(admin.id) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    await api.waitFor((c) => c.method === 'setMyCommands', { timeoutMs: 30_000 });
    const release = api.hold('sendMessage');
    api.text(admin, '预算年度是怎么规定的？');
    // The answer is on its way to Telegram, which is slow to accept it; now the operator stops the bot.
    await api.waitFor((c) => c.method === 'held:sendMessage');
    child.kill('SIGTERM');
    // Let Telegram answer only once the bot has begun stopping.
    await new Promise<void>((resolve) => {
      const check = () => stderr.includes('正在停止') && (child.stderr.off('data', check), resolve());
      child.stderr.on('data', check);
      check();
    });
    release();
    expect(await exited).toBe(0);
    const reply = api.calls.find(isSend(admin.id))!;
    // The bot was still there to receive Telegram's answer: it waited for its in-flight reply.
    expect(reply.clientGone).toBe(false);
    expect(visibleText(reply.payload.text)).toContain('《中华人民共和国预算法》第十八条');
    // A cleanly closed SQLite database leaves no write-ahead log behind.
    expect(existsSync(join(data, 'pufa.sqlite'))).toBe(true);
    expect(existsSync(join(data, 'pufa.sqlite-wal'))).toBe(false);
  } finally {
    child.kill('SIGKILL');
    await api.close();
  }
});
