/**
 * Starting the transports of one app: Telegram, WeCom, DingTalk, Feishu, the intranet web chat, the terminal
 * chat and the admin dashboard. Each attaches its output to the app's outbox while it
 * runs, so reminders and broadcasts reach people on every channel. `startTransports` starts every
 * configured one; one that fails to start says so in one Chinese line and the others keep running.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import type { Readable } from 'node:stream';
import { reminderMessage } from '../chat/features/quiz.ts';
import { textMessage } from '../chat/format.ts';
import type { RunningWebChat } from '../chat/web/server.ts';
import type { WecomSignIn } from '../chat/web/wecom-oauth.ts';
import { runTerminalChat } from '../chat/terminal/repl.ts';
import { userMessageOf } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { App } from './app.ts';
import type { Stoppable } from './lifecycle.ts';

export interface TransportIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: { write(s: string): unknown };
  /** Where the operator reads what started, what failed and how to stop. */
  stderr: { write(s: string): unknown };
}

/** The local account of the terminal chat (the core makes it a registered admin). */
export function localUser(): { id: string; name: string } {
  try {
    const name = userInfo().username;
    return { id: name, name };
  } catch {
    return { id: 'local', name: '本地用户' };
  }
}

/** The terminal chat until EOF or the signal; its `done` ends the run. */
export async function startTerminal(app: App, io: TransportIO, signal: AbortSignal): Promise<Stoppable> {
  const core = await app.chat();
  let detach = () => {};
  const done = runTerminalChat({
    core,
    input: io.stdin,
    output: io.stdout,
    user: localUser(),
    signal,
    filesDir: join(app.config.dataDir, 'exports'),
    onOutput: (output) => (detach = app.outbox.attach('local', { output, privateChat: () => 'local' })),
  }).finally(() => detach());
  return { name: 'terminal', done, stop: () => done };
}

/** The Telegram bot (long polling or webhook), with its output attached to the outbox. */
export async function startTelegram(app: App, io: TransportIO, signal: AbortSignal): Promise<Stoppable | undefined> {
  const token = app.config.telegram.token;
  if (!token) return undefined;
  const { createTelegramBot } = await import('../chat/telegram/bot.ts');
  const core = await app.chat();
  const telegram = createTelegramBot(token, { core, config: app.config, logger: app.logger.child('telegram') });
  io.stderr.write('正在连接 Telegram…\n');
  const running = await telegram.start(signal);
  const detach = app.outbox.attach('telegram', { output: telegram.output, privateChat: (id) => id });
  io.stderr.write(`普法助手已在 Telegram 上线（@${telegram.bot.botInfo.username}，${running.mode === 'webhook' ? 'webhook' : '长轮询'}）。\n`);
  return {
    name: 'telegram',
    async stop() {
      detach();
      await running.stop();
    },
  };
}

/** The WeCom self-built app (企业微信 / 政务微信): the callback server and the message API, attached as channel 'wecom'. */
export async function startWeCom(app: App, io: TransportIO, signal: AbortSignal): Promise<Stoppable | undefined> {
  const settings = app.config.wecom;
  if (!settings) return undefined;
  const { createWeComTransport } = await import('../chat/wecom/transport.ts');
  const core = await app.chat();
  const wecom = createWeComTransport({ core, config: settings, logger: app.logger.child('wecom') });
  io.stderr.write(`正在连接企业微信（${settings.apiRoot}）…\n`);
  const running = await wecom.start(signal);
  // A private chat with the app is the member's userid.
  const detach = app.outbox.attach('wecom', { output: wecom.output, privateChat: (userid) => userid });
  io.stderr.write(`普法助手已在企业微信上线（应用 ${settings.agentId}），回调地址：${running.url}\n`);
  return {
    name: 'wecom',
    async stop() {
      detach();
      await running.stop();
    },
  };
}

/** Once WeCom is configured, opening the web chat inside WeCom signs in through WeCom's OAuth. */
async function wecomSignIn(app: App, logger: Logger): Promise<WecomSignIn | undefined> {
  const settings = app.config.wecom;
  if (!settings) return undefined;
  const [{ createWeComApi }, { createWecomSignIn }] = await Promise.all([import('../chat/wecom/api.ts'), import('../chat/web/wecom-oauth.ts')]);
  const api = createWeComApi({ apiRoot: settings.apiRoot, corpId: settings.corpId, secret: settings.secret, logger });
  return createWecomSignIn({ corpId: settings.corpId, agentId: settings.agentId, oauthRoot: settings.oauthRoot, api });
}

/**
 * The intranet web chat (when WEB_CHAT_PORT is set), attached to the outbox as channel 'web': a person
 * with the page open gets reminders and broadcasts at once; with it closed, at their next visit.
 */
export async function startWebChat(app: App, io: TransportIO, opts: { port?: number } = {}): Promise<(Stoppable & { url: string; web: RunningWebChat }) | undefined> {
  const web = app.config.webChat;
  if (web.port === undefined && opts.port === undefined) return undefined;
  const { startWebChatServer } = await import('../chat/web/server.ts');
  const { webChatBaseUrl } = await import('../chat/web/signin.ts');
  const core = await app.chat();
  const logger = app.logger.child('webchat');
  const running = await startWebChatServer({ core, records: app.records(), config: app.config, logger, now: app.now, port: opts.port, wecom: await wecomSignIn(app, logger) });
  const detach = app.outbox.attach('web', { output: running.output, privateChat: (id) => id, online: (id) => running.hub.online(id) });
  const where = web.host === '0.0.0.0' || web.host === '::' ? '本机所有网络地址' : web.host;
  io.stderr.write(`网页聊天：${webChatBaseUrl({ ...web, port: Number(new URL(running.url).port) }) ?? running.url}/  （监听 ${where}；管理员发送 /weblink 姓名 为同事生成登录链接）\n`);
  return {
    name: 'webchat',
    url: running.url,
    web: running,
    async stop() {
      detach();
      await running.stop();
    },
  };
}

/** The DingTalk robot in Stream mode, with its output attached to the outbox (people by staff id). */
export async function startDingTalk(app: App, io: TransportIO, signal: AbortSignal): Promise<Stoppable | undefined> {
  if (!app.config.dingtalk) return undefined;
  const { createDingTalkBot, privateChatOf } = await import('../chat/dingtalk/bot.ts');
  const bot = createDingTalkBot({ core: await app.chat(), config: app.config, logger: app.logger.child('dingtalk') });
  io.stderr.write('正在连接钉钉…\n');
  const running = await bot.start(signal);
  const detach = app.outbox.attach('dingtalk', { output: bot.output, privateChat: privateChatOf });
  io.stderr.write(`普法助手已在钉钉上线（Stream 模式，${app.config.dingtalk.cardTemplateId ? '互动卡片' : 'Markdown 消息，按钮为编号'}）。\n`);
  return { name: 'dingtalk', stop: async () => (detach(), await running.stop()) };
}

/** The Feishu / Lark bot over the long connection, with its output attached to the outbox (people by open_id). */
export async function startFeishu(app: App, io: TransportIO, signal: AbortSignal): Promise<Stoppable | undefined> {
  if (!app.config.feishu) return undefined;
  const { createFeishuBot } = await import('../chat/feishu/bot.ts');
  const bot = createFeishuBot({ core: await app.chat(), config: app.config, logger: app.logger.child('feishu') });
  io.stderr.write('正在连接飞书…\n');
  const running = await bot.start(signal);
  const detach = app.outbox.attach('feishu', { output: bot.output, privateChat: (openId) => openId });
  io.stderr.write(`普法助手已在飞书上线（长连接，${app.config.feishu.domain}）。\n`);
  return { name: 'feishu', stop: async () => (detach(), await running.stop()) };
}

/** The admin dashboard over the app's records and index; without ADMIN_WEB_TOKEN a token for this run is printed. */
export async function startDashboard(app: App, io: TransportIO, opts: { port?: number } = {}): Promise<Stoppable & { url: string }> {
  const { startAdminWeb } = await import('../admin/server.ts');
  const config = app.config;
  const token = config.adminWeb.token ?? randomBytes(12).toString('base64url');
  const running = await startAdminWeb({
    config,
    logger: app.logger,
    records: app.records(),
    knowledge: () => app.index(),
    now: app.now,
    port: opts.port,
    token,
    ingest: app.ingest,
    messenger: { sendTo: (identities, text) => app.outbox.sendTo(identities, textMessage(text)), reaches: () => app.outbox.channels().length > 0 },
  });
  io.stderr.write(`管理后台：${running.url}/  （仅本机可访问：${config.adminWeb.host}）\n`);
  if (!config.adminWeb.token) io.stderr.write(`未设置 ADMIN_WEB_TOKEN，本次运行的临时登录口令：${token}\n`);
  return { name: 'dashboard', url: running.url, stop: () => running.stop() };
}

/** The quiz's Monday / Thursday / Sunday messages, sent over each person's channel while transports run. */
export async function startReminders(app: App): Promise<Stoppable | undefined> {
  const quiz = await app.quiz();
  if (!quiz) return undefined;
  const { createReminderScheduler } = await import('../quiz/reminders.ts');
  const settings = app.config.quiz;
  const reminders = createReminderScheduler({
    training: quiz.training,
    settings,
    logger: app.logger.child('reminders'),
    now: app.now,
    async send(target, kind, week) {
      const delivered = await app.outbox.sendTo(target.identities, reminderMessage(kind, week, settings));
      // No running transport reaches this person: give the claim back, a later run retries.
      if (!delivered) throw new Error('no running transport reaches this person');
    },
  });
  reminders.start();
  return { name: 'reminders', stop: () => reminders.stop() };
}

/** Start one transport; a failure is told in one Chinese line and logged, and the others go on. */
async function attempt(name: string, io: TransportIO, app: App, start: () => Promise<Stoppable | undefined>): Promise<Stoppable | undefined> {
  try {
    return await start();
  } catch (err) {
    app.logger.error('transport failed to start', { transport: name, error: err as Error });
    io.stderr.write(`${name}未能启动：${userMessageOf(err)}\n`);
    return undefined;
  }
}

/** What `startTransports` started; `chats` counts the chat transports among them (terminal, Telegram, …). */
export interface StartedTransports {
  services: Stoppable[];
  chats: number;
}

/**
 * Every configured transport at once (`npm start`): Telegram when a token is set, WeCom when WECOM_CORP_ID is
 * set, DingTalk and Feishu when their app credentials are set, the web chat when WEB_CHAT_PORT is set, the dashboard when
 * ADMIN_WEB_PORT is set, and the terminal chat when no chat transport for other people is configured.
 * Reminders run while a transport that reaches other people is up.
 */
export async function startTransports(app: App, io: TransportIO, signal: AbortSignal): Promise<StartedTransports> {
  const services: Stoppable[] = [];
  let chats = 0;
  const add = (s: Stoppable | undefined, chat = false) => {
    if (!s) return;
    services.push(s);
    if (chat) chats++;
  };
  const config = app.config;
  if (config.adminWeb.port !== undefined) add(await attempt('管理后台', io, app, () => startDashboard(app, io)));
  const remote = [
    config.telegram.token ? (['Telegram 机器人', () => startTelegram(app, io, signal)] as const) : undefined,
    config.wecom ? (['企业微信', () => startWeCom(app, io, signal)] as const) : undefined,
    config.dingtalk ? (['钉钉机器人', () => startDingTalk(app, io, signal)] as const) : undefined,
    config.feishu ? (['飞书机器人', () => startFeishu(app, io, signal)] as const) : undefined,
    config.webChat.port !== undefined ? (['网页聊天', () => startWebChat(app, io)] as const) : undefined,
  ].filter((t) => t !== undefined);
  for (const [name, start] of remote) add(await attempt(name, io, app, start), true);
  if (app.outbox.channels().length) add(await attempt('考试提醒', io, app, () => startReminders(app)));
  if (!remote.length) add(await startTerminal(app, io, signal), true);
  else if (chats) io.stderr.write('按 Ctrl-C 停止。\n');
  return { services, chats };
}
