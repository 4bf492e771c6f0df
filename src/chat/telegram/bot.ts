/**
 * The Telegram transport (grammY): turns updates into core events and implements the output port.
 * Long polling through @grammyjs/runner by default; a webhook with the secret-token header when configured.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { bodyLimit } from '../../http-body-limit.ts';
import { closeHttp, listenHttp } from '../../http-server.ts';
import { Bot, GrammyError, InputFile, webhookCallback, type Context, type Transformer } from 'grammy';
import type { Message, MessageEntity } from 'grammy/types';
import { Hono } from 'hono';
import type { Config } from '../../config.ts';
import { PufaError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { ChatCore } from '../core.ts';
import { splitMessage } from '../format.ts';
import type { Button, ChatOutput, IncomingEvent, MessageRef, OutMessage, OutputAbilities, Sender } from '../types.ts';
import { renderHtml } from './html.ts';

export interface TelegramBotOptions {
  core: ChatCore;
  config: Pick<Config, 'telegram'>;
  logger: Logger;
  /** Where the webhook server listens (default 0.0.0.0 and config.telegram.webhook.port; port 0 picks a free one). */
  webhookListen?: { host?: string; port?: number };
  /** How long a webhook request may wait for its update before Telegram gets its 200 (processing goes on). */
  webhookAckMs?: number;
  /** Throttler settings (default: DEFAULT_THROTTLE). */
  throttle?: Parameters<typeof apiThrottler>[0];
  /** How long to wait for Telegram to answer getMe at start before giving up with a clear message. */
  connectTimeoutMs?: number;
}

/**
 * Telegram's published limits: ~30 messages/s overall, 20/min per group, about 1/s per private chat with
 * short bursts allowed. Private chats get a bucket of 5 refilled at 1/s, so a reply never waits behind the
 * previous one; anything over is paced, and a 429 that slips through is retried by auto-retry.
 */
export const DEFAULT_THROTTLE: NonNullable<Parameters<typeof apiThrottler>[0]> = {
  global: { reservoir: 30, reservoirRefreshAmount: 30, reservoirRefreshInterval: 1000 },
  group: { maxConcurrent: 1, minTime: 1000, reservoir: 20, reservoirRefreshAmount: 20, reservoirRefreshInterval: 60_000 },
  out: { maxConcurrent: 1, reservoir: 5, reservoirIncreaseAmount: 1, reservoirIncreaseInterval: 1000, reservoirIncreaseMaximum: 5 },
};

export interface RunningBot {
  mode: 'polling' | 'webhook';
  /** The webhook server's address (webhook mode). */
  address?: AddressInfo;
  /** Stop taking updates, finish the ones in flight. */
  stop(): Promise<void>;
}

export interface TelegramBot {
  bot: Bot;
  output: ChatOutput;
  /** Connect (getMe) and start polling or the webhook. Aborting `signal` gives up connecting. */
  start(signal?: AbortSignal): Promise<RunningBot>;
}

const CONNECT_TIMEOUT_MS = 30_000;
const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

/** The first call to Telegram failed: a wrong token, or no way through to the Bot API server. */
function connectError(err: unknown, apiRoot: string): PufaError {
  if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
    return new PufaError('Telegram 拒绝了机器人令牌：请检查 TELEGRAM_BOT_TOKEN（向 @BotFather 获取）。', { cause: err });
  }
  return new PufaError(
    `无法连接 Telegram（${apiRoot}）：请检查网络或代理，或把 TELEGRAM_API_ROOT 设为本单位能访问的 Bot API 服务器。`,
    { cause: err },
  );
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
// Only message-sending calls are throttled: chat actions and callback answers must not queue behind them.
const THROTTLED = /^(?:send(?!ChatAction)|edit|copy|forward)/;

function keyboard(buttons?: Button[][]) {
  if (!buttons?.length) return undefined;
  return { inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) };
}

function senderOf(from: { id: number; first_name: string; last_name?: string; username?: string }): Sender {
  return {
    identity: { channel: 'telegram', id: String(from.id) },
    name: [from.first_name, from.last_name].filter(Boolean).join(' '),
    username: from.username,
    privateChatId: String(from.id),
  };
}

/**
 * In groups pufa speaks only when addressed: a mention, a /command@pufa, or a reply to its message.
 * Returns the text with the mention removed, or undefined when the message is not for the bot.
 */
export function addressedText(msg: Message, bot: { id: number; username: string }): string | undefined {
  const text = msg.text ?? '';
  if (msg.chat.type === 'private') return text;
  const handle = `@${bot.username}`.toLowerCase();
  const entities: MessageEntity[] = msg.entities ?? [];
  let mentioned = false;
  for (const e of entities) {
    const part = text.slice(e.offset, e.offset + e.length).toLowerCase();
    if (e.type === 'mention' && part === handle) mentioned = true;
    if (e.type === 'bot_command' && part.endsWith(handle)) mentioned = true;
  }
  const repliedToBot = msg.reply_to_message?.from?.id === bot.id;
  if (!mentioned && !repliedToBot) return undefined;
  const stripped = text.replace(new RegExp(`@${bot.username}\\b`, 'gi'), (m, offset: number) =>
    // Keep /cmd@bot intact (the core strips it), drop a bare mention.
    offset > 0 && /\S/.test(text[offset - 1]!) ? m : '',
  );
  return stripped.trim();
}

/** What Telegram shows: HTML, 4,096 UTF-16 units a message, inline keyboards, edits in place. */
export const TELEGRAM_ABILITIES: OutputAbilities = {
  maxMessageLength: 4096,
  formatting: 'html',
  editsInPlace: true,
  buttons: 'inline',
  reachesOthers: true,
};
const TELEGRAM_LIMIT = TELEGRAM_ABILITIES.maxMessageLength;

/** The output port over the Bot API: HTML with escaping, split at Telegram's limit, buttons on the last part. */
export function telegramOutput(bot: Bot, logger: Logger): ChatOutput {
  const api = bot.api;
  const opts = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };
  return {
    abilities: TELEGRAM_ABILITIES,
    async send(chatId, msg) {
      const parts = splitMessage(msg.blocks, TELEGRAM_LIMIT);
      const refs: MessageRef[] = [];
      for (const [i, part] of parts.entries()) {
        const last = i === parts.length - 1;
        const sent = await api.sendMessage(chatId, renderHtml(part), {
          ...opts,
          reply_markup: last ? keyboard(msg.buttons) : undefined,
        });
        refs.push({ chatId: String(sent.chat.id), messageId: String(sent.message_id) });
      }
      return refs;
    },
    async edit(ref, msg: OutMessage) {
      const [first, ...rest] = splitMessage(msg.blocks, TELEGRAM_LIMIT);
      try {
        await api.editMessageText(ref.chatId, Number(ref.messageId), renderHtml(first!), {
          ...opts,
          reply_markup: rest.length ? undefined : (keyboard(msg.buttons) ?? { inline_keyboard: [] }),
        });
      } catch (err) {
        // A double tap edits to the same content: Telegram says "not modified", which is fine.
        if (err instanceof GrammyError && /not modified/i.test(err.description)) return;
        throw err;
      }
      if (rest.length) await this.send(ref.chatId, { blocks: rest.flat(), buttons: msg.buttons });
    },
    async answerCallback(callbackId, o = {}) {
      try {
        await api.answerCallbackQuery(callbackId, { text: o.text, show_alert: o.alert });
      } catch (err) {
        // An old query (over ~15 min) can no longer be answered; the user has moved on.
        logger.debug('answerCallbackQuery failed', { error: err as Error });
      }
    },
    async typing(chatId) {
      await api.sendChatAction(chatId, 'typing');
    },
    async sendDocument(chatId, doc) {
      await api.sendDocument(chatId, new InputFile(doc.data, doc.filename), doc.caption ? { caption: doc.caption } : {});
    },
  };
}

/**
 * Build the bot. Nothing talks to Telegram until start().
 * @example const tg = createTelegramBot(token, { core, config, logger }); const running = await tg.start();
 */
export function createTelegramBot(token: string, opts: TelegramBotOptions): TelegramBot {
  const { core, config, logger } = opts;
  const bot = new Bot(token, { client: { apiRoot: config.telegram.apiRoot } });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  const throttler = apiThrottler({ ...DEFAULT_THROTTLE, ...opts.throttle });
  const throttle: Transformer = (prev, method, payload, signal) =>
    THROTTLED.test(method) ? throttler(prev, method, payload, signal) : prev(method, payload, signal);
  bot.api.config.use(throttle);
  const output = telegramOutput(bot, logger);

  const source = () => `telegram:${bot.botInfo.id}`;
  /** The core's view of a text update (undefined when the message is not for the bot). */
  const textEvent = (ctx: Context): IncomingEvent | undefined => {
    const msg = ctx.message;
    if (!msg?.text || !ctx.from || !ctx.chat) return undefined;
    const text = addressedText(msg, bot.botInfo);
    if (text === undefined) return undefined;
    return {
      kind: 'text',
      update: { source: source(), id: String(ctx.update.update_id) },
      chatId: String(ctx.chat.id),
      chatType: ctx.chat.type === 'private' ? 'private' : 'group',
      from: senderOf(ctx.from),
      text,
    };
  };

  // Recorded as received first, before the update waits its turn below or Telegram hears it was delivered:
  // a bot stopped hard finds it at its next start and answers it then.
  const accepted = new WeakMap<Context, IncomingEvent>();
  bot.use(async (ctx, next) => {
    const event = textEvent(ctx);
    if (event) {
      accepted.set(ctx, event);
      await core.accept(event);
    }
    await next();
  });

  // One chat's (and one user's) updates in order; different chats in parallel.
  bot.use(
    sequentialize((ctx: Context) => {
      const keys = [ctx.chat?.id, ctx.from?.id].filter((x) => x !== undefined).map(String);
      return keys.length ? keys : undefined;
    }),
  );

  bot.on('message:text', async (ctx) => {
    const event = accepted.get(ctx);
    if (event) await core.handle(event, output);
  });
  bot.on('callback_query:data', async (ctx) => {
    const q = ctx.callbackQuery;
    const chat = q.message?.chat;
    await core.handle(
      {
        kind: 'callback',
        update: { source: source(), id: String(ctx.update.update_id) },
        chatId: String(chat?.id ?? q.from.id),
        chatType: !chat || chat.type === 'private' ? 'private' : 'group',
        from: senderOf(q.from),
        callbackId: q.id,
        data: q.data,
        message: q.message ? { chatId: String(q.message.chat.id), messageId: String(q.message.message_id) } : undefined,
      },
      output,
    );
  });
  // Buttons without data (games) still get their spinner cleared.
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery().catch(() => undefined));
  bot.catch((err) => logger.error('update failed', { update: err.ctx.update.update_id, error: err.error as Error }));

  async function registerCommands() {
    const all = core.commands();
    const toBot = (cs: typeof all) => cs.map((c) => ({ command: c.name, description: c.description }));
    const publicCmds = all.filter((c) => c.access !== 'admin');
    try {
      await bot.api.setMyCommands(toBot(publicCmds));
      await bot.api.setMyCommands(toBot(publicCmds), { scope: { type: 'all_private_chats' } });
      const adminCmds = all.filter((c) => c.access === 'admin');
      if (adminCmds.length) {
        for (const id of config.telegram.adminIds) {
          await bot.api
            .setMyCommands(toBot(all), { scope: { type: 'chat', chat_id: Number(id) } })
            .catch((err) => logger.warn('admin command menu not set', { admin: id, error: err as Error }));
        }
      }
    } catch (err) {
      logger.warn('setMyCommands failed', { error: err as Error });
    }
  }

  async function startPolling(): Promise<RunningBot> {
    await bot.api.deleteWebhook();
    await registerCommands();
    const handle: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES } } });
    logger.info('bot polling', { username: bot.botInfo.username });
    return {
      mode: 'polling',
      async stop() {
        if (handle.isRunning()) await handle.stop();
        await core.drain();
      },
    };
  }

  async function startWebhook(webhook: NonNullable<Config['telegram']['webhook']>): Promise<RunningBot> {
    // Without a configured secret, a fresh random one per start still keeps strangers out.
    const secret = webhook.secret ?? randomBytes(24).toString('hex');
    const path = new URL(webhook.url).pathname || '/';
    const app = new Hono();
    const handleUpdate = webhookCallback(bot, 'hono', {
      secretToken: secret,
      // Reply 200 before a slow answer is done, so Telegram does not redeliver; handling goes on.
      onTimeout: 'return',
      timeoutMilliseconds: opts.webhookAckMs ?? 2_000,
    });
    // Telegram's updates are a few kilobytes; anything far larger is not one.
    app.post(path, bodyLimit(WEBHOOK_MAX_BODY_BYTES), (c) => handleUpdate(c));
    await registerCommands();
    const server = await listenHttp(app.fetch, {
      host: opts.webhookListen?.host ?? '0.0.0.0',
      port: opts.webhookListen?.port ?? webhook.port,
      setting: 'WEBHOOK_PORT',
    });
    const address = server.address() as AddressInfo;
    await bot.api.setWebhook(webhook.url, { secret_token: secret, allowed_updates: ALLOWED_UPDATES });
    logger.info('bot webhook', { url: webhook.url, port: address.port });
    return {
      mode: 'webhook',
      address,
      async stop() {
        await closeHttp(server);
        await core.drain();
      },
    };
  }

  return {
    bot,
    output,
    async start(signal) {
      // grammY waits up to 500 s per request; at start a silent network should fail fast and say so.
      const timeout = AbortSignal.timeout(opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
      try {
        // grammY types its signal with a polyfill's AbortSignal; Node's is the same at run time.
        await bot.init((signal ? AbortSignal.any([signal, timeout]) : timeout) as Parameters<typeof bot.init>[0]);
      } catch (err) {
        if (signal?.aborted) throw new PufaError('已取消连接 Telegram。', { cause: err });
        throw connectError(err, config.telegram.apiRoot ?? 'https://api.telegram.org');
      }
      const running = await (config.telegram.webhook ? startWebhook(config.telegram.webhook) : startPolling());
      // Messages accepted before a hard stop and never answered: answered now (drain() waits for them too).
      void core.resume(source(), output).catch((err) => logger.error('resuming pending messages failed', { error: err as Error }));
      return running;
    },
  };
}
