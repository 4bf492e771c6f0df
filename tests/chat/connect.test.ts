/**
 * Starting the bot when Telegram cannot be reached or refuses the token: a clear Chinese message within
 * the connect timeout, and giving up at once when the operator stops it. Servers on 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app/app.ts';
import { createTelegramBot } from '../../src/chat/telegram/bot.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A Bot API stand-in on 127.0.0.1: `silent` accepts requests and never answers; `refuse` answers 401. */
async function fakeTelegram(kind: 'silent' | 'refuse'): Promise<string> {
  const server = createServer((req, res) => {
    if (kind === 'refuse') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 401, description: 'Unauthorized' }));
    }
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function botFor(apiRoot: string, connectTimeoutMs: number) {
  const dir = await mkdtemp(join(tmpdir(), 'pufa-connect-'));
  const config = loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABC', TELEGRAM_API_ROOT: apiRoot, LOG_LEVEL: 'silent' }, { dataDir: join(dir, 'data') }, dir);
  const answerer = { answer: async (question: string) => ({ question, answer: '', mode: 'none' as const, citations: [], related: [], ms: 0 }) };
  const core = await createApp(config, silentLogger, { answerer, quiz: false }).chat();
  return createTelegramBot('123456:ABC', { core, config, logger: silentLogger, connectTimeoutMs });
}

it('says Telegram cannot be reached, naming the server and the setting to change, when nothing answers', async () => {
  const root = await fakeTelegram('silent');
  await expect((await botFor(root, 300)).start()).rejects.toThrow(`无法连接 Telegram（${root}）`);
  await expect((await botFor(root, 300)).start()).rejects.toThrow('TELEGRAM_API_ROOT');
});

it('says the token was refused when Telegram answers 401', async () => {
  const root = await fakeTelegram('refuse');
  await expect((await botFor(root, 5_000)).start()).rejects.toThrow('Telegram 拒绝了机器人令牌：请检查 TELEGRAM_BOT_TOKEN');
});

it('gives up connecting as soon as the operator stops it', async () => {
  const root = await fakeTelegram('silent');
  const stop = new AbortController();
  const started = (await botFor(root, 60_000)).start(stop.signal);
  setTimeout(() => stop.abort(), 50);
  await expect(started).rejects.toThrow('已取消连接 Telegram');
});
