/**
 * Test harness for the web chat: the production wiring (src/app/) with records on disk in a temp dir and
 * the web chat listening on 127.0.0.1 (started by the app's own startWebChat). The operator at the
 * terminal is the admin who issues sign-in links with /weblink, as a bureau's operator would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type AppOverrides } from '../../src/app/app.ts';
import { startWebChat } from '../../src/app/transports.ts';
import type { RunningWebChat } from '../../src/chat/web/server.ts';
import { terminalOutput } from '../../src/chat/terminal/repl.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import type { SqliteRecords } from '../../src/records/index.ts';
import type { UserRecord } from '../../src/records/types.ts';
import { ROLES, scriptedAnswerer } from './harness.ts';

/** A port nobody listens on right now (the web chat's links need it before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface WebHarness {
  app: App;
  config: Config;
  records: SqliteRecords;
  url: string;
  web: RunningWebChat;
  /** Stop the web chat and start it again on the same port and database (a restart). */
  restartWeb(): Promise<void>;
  /** The operator types a line in the terminal chat; resolves with what the terminal printed. */
  operator(text: string): Promise<string>;
  /** A sign-in link and code for a person, issued by the operator with /weblink. */
  issue(who: string): Promise<{ link: string; code: string; printed: string }>;
  /** A registered, active colleague (with a Telegram identity, as one registered before the web chat). */
  colleague(name: string, opts?: { isAdmin?: boolean; telegramId?: string }): Promise<UserRecord>;
  stop(): Promise<void>;
}

export interface WebHarnessOptions extends AppOverrides {
  env?: Record<string, string>;
  /** The knowledge folder (the checklist for the quiz); default none. */
  knowledgeDir?: string;
}

export async function startWebHarness(opts: WebHarnessOptions = {}): Promise<WebHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'pufa-web-'));
  const port = await freePort();
  const { env, knowledgeDir, ...overrides } = opts;
  const config = loadConfig({ LOG_LEVEL: 'silent', WEB_CHAT_PORT: String(port), WEB_CHAT_HOST: '127.0.0.1', ...env }, { dataDir: join(dir, 'data'), knowledgeDir }, dir);
  // A scripted answerer, fixed roles and no quiz unless the test asks for the real ones (by passing them, or undefined).
  const app = createApp(config, silentLogger, { answerer: scriptedAnswerer(), roles: ROLES, quiz: false, ...overrides });
  const records = app.records();
  const printed: string[] = [];
  const out = terminalOutput((s) => void printed.push(s), join(dir, 'exports'));
  const operatorFrom = { identity: { channel: 'local' as const, id: 'operator' }, name: '值班管理员', privateChatId: 'local' };
  const io = { stdin: process.stdin, stdout: { write: () => true }, stderr: { write: () => true } };
  let started = await startWebChat(app, io);
  if (!started) throw new Error('web chat did not start');
  let telegramIds = 7000;
  const h: WebHarness = {
    app,
    config,
    records,
    url: started.url,
    get web() {
      return started!.web;
    },
    async restartWeb() {
      await started!.stop();
      started = await startWebChat(app, io);
    },
    async operator(text) {
      const from = printed.length;
      await (await app.chat()).handle({ kind: 'text', chatId: 'local', chatType: 'private', from: operatorFrom, text }, out);
      return printed.slice(from).join('');
    },
    async issue(who) {
      const text = await h.operator(`/weblink ${who}`);
      const link = /登录链接：(\S+)/.exec(text)?.[1];
      const code = /登录码：([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(text)?.[1];
      if (!link || !code) throw new Error(`no sign-in link in: ${text}`);
      return { link, code, printed: text };
    },
    colleague: (name, o = {}) =>
      records.users.create({
        identity: { channel: 'telegram', id: o.telegramId ?? String(++telegramIds) },
        name,
        department: '预算科',
        rank: '一级科员',
        roles: ['全体干部'],
        status: 'active',
        isAdmin: o.isAdmin,
      }),
    async stop() {
      await started?.stop();
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}
