/**
 * Every accepted message gets answered: the real `pufa bot` process is killed (SIGKILL) while a question is
 * in flight (waiting for the model); after a restart the question is answered exactly once, and a redelivery
 * of the same update is not answered again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openSqliteRecords, createSqliteInbox } from '../../src/records/index.ts';
import { runIngest } from '../../src/search/index.ts';
import { startChatServer, type ChatServer } from '../answer/chat-completions-server.ts';
import { startBotApiServer, type BotApiServer } from '../helpers/bot-api-server.ts';
import { CORPUS_LAWS_DIR, REPO_ROOT } from '../helpers/test-index.ts';
import { ADMIN, isSend, startHarness, user, visibleText, type Harness } from './harness.ts';

const ARTICLE_18 = '预算年度自公历一月一日起，至十二月三十一日止。';
let dir: string;
let flags: string[];
let api: BotApiServer;
let model: ChatServer;
const admin = user(1001, '王局长');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-restart-'));
  const laws = join(dir, 'laws');
  await mkdir(join(laws, '经济法'), { recursive: true });
  await symlink(join(CORPUS_LAWS_DIR, '经济法', '预算法(2018-12-29).md'), join(laws, '经济法', '预算法(2018-12-29).md'));
  await mkdir(join(dir, 'knowledge'));
  flags = ['--data', join(dir, 'data'), '--laws', laws, '--knowledge', join(dir, 'knowledge')];
  await runIngest(loadConfig({ LOG_LEVEL: 'silent' }, { dataDir: join(dir, 'data'), lawsDir: laws, knowledgeDir: join(dir, 'knowledge') }, dir));
  api = await startBotApiServer();
  model = await startChatServer();
});
afterAll(async () => {
  await model.close();
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

function startBot(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/pufa.js'), 'bot', ...flags], {
    cwd: dir,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'error', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ADMIN_TELEGRAM_IDS: String(admin.id), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return { child, exited: new Promise((resolve) => child.on('exit', resolve)) };
}

async function until(test: () => boolean) {
  while (!test()) await new Promise((r) => setTimeout(r, 20));
}

const answers = (since: number) => api.calls.slice(since).filter((c) => isSend(admin.id)(c) && visibleText(String(c.payload.text)).includes(ARTICLE_18));

it('kill -9 while a question waits for the model: after the restart it is answered once', async () => {
  // The first process asks a model that never answers: the question is in flight when the process dies.
  model.respond({ kind: 'hang' });
  const first = startBot({ OPENAI_BASE_URL: model.url, OPENAI_TIMEOUT_MS: '120000', OPENAI_MAX_RETRIES: '0', LLM_STREAM: 'false' });
  await api.waitFor((c) => c.method === 'setMyCommands', { timeoutMs: 30_000 });
  const update = api.text(admin, '预算年度是怎么规定的？');
  await until(() => model.requests.length > 0);
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe(null);
  expect(answers(0)).toHaveLength(0);

  // Restarted without the model: the offline answer.
  const since = api.calls.length;
  const second = startBot({});
  try {
    await api.waitFor((c) => answers(since).includes(c), { since, timeoutMs: 30_000 });
    // Telegram delivers the same update again; then another message, answered after it in the same chat.
    api.redeliver(update);
    api.text(admin, '/help');
    await api.waitFor((c) => isSend(admin.id)(c) && visibleText(String(c.payload.text)).includes('/law'), { since, timeoutMs: 30_000 });
    expect(answers(since)).toHaveLength(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    second.child.kill('SIGKILL');
  }
  const records = openSqliteRecords(join(dir, 'data', 'pufa.sqlite'));
  try {
    expect(await createSqliteInbox(records.db).pending(`telegram:${api.botUser.id}`)).toEqual([]);
  } finally {
    await records.close();
  }
});

describe('messages found pending at start-up', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('a recent one is answered, one over an hour old gets a note to ask again, one over a day old is dropped', async () => {
    const now = new Date('2026-03-02T10:00:00+08:00');
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) }, now: () => now });
    const source = `telegram:${h.api.botUser.id}`;
    const event = (id: string, text: string) => ({
      kind: 'text' as const,
      update: { source, id },
      chatId: String(ADMIN.id),
      chatType: 'private' as const,
      from: { identity: { channel: 'telegram' as const, id: String(ADMIN.id) }, name: ADMIN.first_name, privateChatId: String(ADMIN.id) },
      text,
    });
    const at = (minutesAgo: number) => createSqliteInbox(h!.records.db, () => new Date(now.getTime() - minutesAgo * 60_000));
    await at(3 * 24 * 60).receive(source, '900001', event('900001', '三天前的问题'));
    await at(90).receive(source, '900002', event('900002', '预算年度是怎么规定的？（一个半小时前）'));
    await at(5).receive(source, '900003', event('900003', '预算年度是怎么规定的？'));
    const since = h.api.calls.length;
    await h.core.resume(source, h.telegram.output);
    const texts = h.api.calls.slice(since).filter(isSend(ADMIN.id)).map((c) => visibleText(String(c.payload.text)));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toBe('抱歉，普法助手刚才重启，没来得及回答您之前的问题「预算年度是怎么规定的？（一个半小时前）」，请重新发送。');
    expect(texts[1]).toContain(ARTICLE_18);
    expect((h.answerer as { questions: string[] }).questions).toEqual(['预算年度是怎么规定的？']);
    expect(await createSqliteInbox(h.records.db).pending(source)).toEqual([]);
    // Nothing is answered twice when resume runs again.
    await h.core.resume(source, h.telegram.output);
    expect(h.api.calls.slice(since).filter(isSend(ADMIN.id))).toHaveLength(2);
  });
});
