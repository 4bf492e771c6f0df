/**
 * Every accepted WeCom message gets answered: WeCom is told "received" at once (it would redeliver
 * otherwise), so a question in flight when pufa is killed (SIGKILL) must come from the inbox. After a
 * restart it is answered exactly once, and WeCom pushing it again is not answered twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { runIngest } from '../../src/search/index.ts';
import { startChatServer, type ChatServer } from '../answer/chat-completions-server.ts';
import { CORPUS_LAWS_DIR, REPO_ROOT } from '../helpers/test-index.ts';
import { freePort, startWeComServer, type WeComServer } from '../helpers/wecom-server.ts';

const ARTICLE_18 = '预算年度自公历一月一日起，至十二月三十一日止。';
const MEMBER = 'zhangsan';
let dir: string;
let flags: string[];
let wecom: WeComServer;
let model: ChatServer;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-wecom-restart-'));
  const laws = join(dir, 'laws');
  await mkdir(join(laws, '经济法'), { recursive: true });
  await symlink(join(CORPUS_LAWS_DIR, '经济法', '预算法(2018-12-29).md'), join(laws, '经济法', '预算法(2018-12-29).md'));
  await mkdir(join(dir, 'knowledge'));
  flags = ['--data', join(dir, 'data'), '--laws', laws, '--knowledge', join(dir, 'knowledge')];
  await runIngest(loadConfig({ LOG_LEVEL: 'silent' }, { dataDir: join(dir, 'data'), lawsDir: laws, knowledgeDir: join(dir, 'knowledge') }, dir));
  wecom = await startWeComServer();
  model = await startChatServer();
  port = await freePort();
  wecom.callbackUrl = `http://127.0.0.1:${port}/wecom/callback`;
});
afterAll(async () => {
  await model.close();
  await wecom.close();
  await rm(dir, { recursive: true, force: true });
});

function startPufa(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/pufa.js'), 'start', ...flags], {
    cwd: dir,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ...wecom.env, WECOM_LISTEN_PORT: String(port), ADMIN_IDS: `wecom:${MEMBER}`, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return { child, exited: new Promise((resolve) => child.on('exit', resolve)) };
}

async function until(test: () => boolean, what: string, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const listening = async () => {
  for (;;) {
    try {
      await wecom.verifyUrl();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
};
// What the member sees (a short answer comes whole in a template card with its buttons).
const seen = () => wecom.screen(MEMBER).map((m) => m.text);
const answers = () => seen().filter((t) => t.includes(ARTICLE_18));

it('kill -9 while a WeCom question waits for the model: after the restart it is answered once', async () => {
  model.respond({ kind: 'hang' });
  const first = startPufa({ OPENAI_BASE_URL: model.url, OPENAI_TIMEOUT_MS: '120000', OPENAI_MAX_RETRIES: '0', LLM_STREAM: 'false' });
  await listening();
  const push = await wecom.sendText(MEMBER, '预算年度是怎么规定的？');
  await until(() => model.requests.length > 0, 'the question to reach the model');
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe(null);
  expect(answers()).toHaveLength(0);

  // Restarted without the model: the offline answer, from the inbox.
  const second = startPufa({});
  try {
    await until(() => answers().length > 0, 'the answer after the restart');
    // WeCom pushes the same message again: not answered a second time.
    await wecom.redeliver(push);
    await wecom.sendText(MEMBER, '/help');
    await until(() => seen().some((t) => t.includes('/law')), 'the /help reply');
    expect(answers()).toHaveLength(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    second.child.kill('SIGKILL');
  }
});
