/**
 * The Feishu / Lark transport over the long connection (no public callback URL), through the official
 * @larksuiteoapi/node-sdk: WSClient + EventDispatcher take `im.message.receive_v1` and `card.action.trigger`,
 * the Client sends and edits interactive cards (tenant token fetched and renewed by the SDK). Every message
 * is a card, so a streamed answer or a quiz question is edited in place, and buttons call back over the
 * same connection. A redelivered event is handled once (message_id / event_id claims in the core).
 */
import * as lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../../config.ts';
import { PufaError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { ChatCore } from '../core.ts';
import { splitMessage } from '../format.ts';
import { renderMarkdown } from '../markdown.ts';
import type { Block, Button, ChatOutput, IncomingEvent, MessageRef, OutputAbilities } from '../types.ts';

type FeishuConfig = NonNullable<Config['feishu']>;

/** Cards are limited to 30 KB of JSON; 6,000 characters of Chinese (3 bytes each) leave room for the markup. */
const FEISHU_LIMIT = 6000;

export const FEISHU_ABILITIES: OutputAbilities = {
  maxMessageLength: FEISHU_LIMIT,
  formatting: 'markdown',
  editsInPlace: true,
  buttons: 'inline',
  reachesOthers: true,
};

/** Card markdown reads tags and marks: law text's own < > & * _ ~ ` are written as entities. */
const escapeFeishu = (s: string) =>
  s.replace(/[&<>*_~`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '*': '&#42;', _: '&#95;', '~': '&#126;', '`': '&#96;' })[c]!);

/** A message as an interactive card: the Markdown, then one row of buttons per row. Shared cards can be updated. */
export function feishuCard(blocks: Block[], buttons?: Button[][]): string {
  const elements: unknown[] = [{ tag: 'markdown', content: renderMarkdown(blocks, escapeFeishu) }];
  for (const row of buttons ?? []) {
    elements.push({ tag: 'action', actions: row.map((b) => ({ tag: 'button', text: { tag: 'plain_text', content: b.text }, type: 'default', value: { data: b.data } })) });
  }
  return JSON.stringify({ config: { wide_screen_mode: true, update_multi: true }, elements });
}

/** Feishu answers every API call with { code, msg }; anything but 0 is an error worth its code in the log. */
function check<T extends { code?: number; msg?: string }>(what: string, res: T): T {
  if (res.code !== undefined && res.code !== 0) throw new Error(`Feishu ${what}: code ${res.code} ${res.msg ?? ''}`);
  return res;
}

/** A token cache per bot (the SDK's default is shared by every client in the process). */
function tokenCache(): lark.Cache {
  const values = new Map<string, { value: unknown; until?: number }>();
  const key = (k: string | symbol, ns?: string) => `${ns ?? ''}|${String(k)}`;
  return {
    async set(k, value, expire, o) {
      values.set(key(k as symbol, o?.namespace), { value, until: expire });
      return true;
    },
    async get(k, o) {
      const v = values.get(key(k as symbol, o?.namespace));
      if (!v || (v.until !== undefined && v.until < Date.now())) return undefined;
      return v.value;
    },
  };
}

function sdkLogger(logger: Logger) {
  const line = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    error: (...m: unknown[]) => logger.error(line(m)),
    warn: (...m: unknown[]) => logger.warn(line(m)),
    info: (...m: unknown[]) => logger.info(line(m)),
    debug: (...m: unknown[]) => logger.debug(line(m)),
    trace: () => {},
  };
}

export interface FeishuOutput extends ChatOutput {
  /** Wait until the core answers this press (or gives up), for the card callback's response. */
  awaitAnswer(callbackId: string, handled: Promise<void>, capMs: number): Promise<{ text?: string; alert?: boolean } | undefined>;
}

/**
 * The output port over the Feishu Client: one card per message part, edits patch the card, button presses
 * are answered in the callback's response (a toast).
 */
export function feishuOutput(client: lark.Client): FeishuOutput {
  const answers = new Map<string, (a: { text?: string; alert?: boolean }) => void>();
  const send = async (chatId: string, blocks: Block[], buttons?: Button[][]): Promise<MessageRef> => {
    // A person's open_id reaches their private chat; anything else is a chat_id.
    const res = check(
      'im.message.create',
      await client.im.message.create({
        params: { receive_id_type: chatId.startsWith('ou_') ? 'open_id' : 'chat_id' },
        data: { receive_id: chatId, msg_type: 'interactive', content: feishuCard(blocks, buttons) },
      }),
    );
    return { chatId: res.data?.chat_id ?? chatId, messageId: String(res.data?.message_id) };
  };
  const output: FeishuOutput = {
    abilities: FEISHU_ABILITIES,
    async send(chatId, msg) {
      const parts = splitMessage(msg.blocks, FEISHU_LIMIT);
      const refs: MessageRef[] = [];
      for (const [i, part] of parts.entries()) refs.push(await send(chatId, part, i === parts.length - 1 ? msg.buttons : undefined));
      return refs;
    },
    async edit(ref, msg) {
      const [first, ...rest] = splitMessage(msg.blocks, FEISHU_LIMIT);
      check('im.message.patch', await client.im.message.patch({ path: { message_id: ref.messageId }, data: { content: feishuCard(first!, rest.length ? undefined : msg.buttons) } }));
      if (rest.length) await output.send(ref.chatId, { blocks: rest.flat(), buttons: msg.buttons });
    },
    async answerCallback(callbackId, o = {}) {
      answers.get(callbackId)?.(o);
    },
    async typing() {
      // Feishu shows no typing indicator for bots.
    },
    async awaitAnswer(callbackId, handled, capMs) {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await new Promise((resolve) => {
          answers.set(callbackId, resolve);
          void handled.finally(() => resolve(undefined));
          timer = setTimeout(() => resolve(undefined), capMs);
        });
      } finally {
        answers.delete(callbackId);
        clearTimeout(timer);
      }
    },
  };
  return output;
}

interface MessageEvent {
  event_id?: string;
  sender: { sender_id?: { open_id?: string }; sender_type?: string };
  message: { message_id: string; chat_id: string; chat_type: string; message_type: string; content: string; mentions?: { key: string; id: { open_id?: string }; name?: string }[] };
}

interface CardActionEvent {
  event_id?: string;
  operator?: { open_id?: string };
  action?: { value?: { data?: unknown } };
  context?: { open_message_id?: string; open_chat_id?: string };
}

export interface FeishuBotOptions {
  core: ChatCore;
  config: Pick<Config, 'feishu'>;
  logger: Logger;
  /** How long to wait for the first connection before giving up with a clear message. */
  connectTimeoutMs?: number;
}

export interface FeishuBot {
  output: FeishuOutput;
  /** Fetch the bot's own identity, then open the long connection; throws a Chinese message when that fails. */
  start(signal?: AbortSignal): Promise<{ stop(): Promise<void> }>;
}

/** Feishu wants a card callback's answer within 3 s; the core usually answers within milliseconds. */
const CALLBACK_ANSWER_CAP_MS = 2500;
const TEXT_ONLY = '目前只能读文字消息，请直接输入问题，例如「预算年度是怎么规定的？」。';

function feishuConnectError(err: unknown, domain: string): PufaError {
  const message = err instanceof Error ? err.message : String(err);
  if (/tenant_access_token|app secret|app_id|10014|10003|auth/i.test(message)) {
    return new PufaError('飞书拒绝了应用凭证：请检查 FEISHU_APP_ID 与 FEISHU_APP_SECRET（开发者后台 → 凭证与基础信息）。', { cause: err });
  }
  return new PufaError(`无法连接飞书（${domain}）：请检查网络；国际版请设 FEISHU_DOMAIN=lark，私有部署请设为本单位开放平台地址。`, { cause: err });
}

/**
 * Build the bot. Nothing talks to Feishu until start().
 * @example const fs = createFeishuBot({ core, config, logger }); const running = await fs.start(signal);
 */
export function createFeishuBot(opts: FeishuBotOptions): FeishuBot {
  const { core, logger } = opts;
  const config: FeishuConfig | undefined = opts.config.feishu;
  if (!config) throw new PufaError('未配置飞书：请设置 FEISHU_APP_ID 与 FEISHU_APP_SECRET。');
  const sdkLog = sdkLogger(logger.child('sdk'));
  const common = { appId: config.appId, appSecret: config.appSecret, domain: config.domain, loggerLevel: lark.LoggerLevel.warn, logger: sdkLog };
  const client = new lark.Client({ ...common, cache: tokenCache() });
  const output = feishuOutput(client);
  const source = `feishu:${config.appId}`;
  let botOpenId = '';
  // Card presses carry the chat but not its kind: remembered from the messages seen in it.
  const groups = new Set<string>();

  function onMessage(e: MessageEvent): void {
    const m = e.message;
    const openId = e.sender.sender_id?.open_id;
    if (!openId || e.sender.sender_type === 'app') return;
    const group = m.chat_type !== 'p2p';
    if (group) groups.add(m.chat_id);
    // In a group pufa speaks only when @-mentioned.
    if (group && !m.mentions?.some((x) => x.id.open_id === botOpenId)) return;
    const base = {
      update: { source, id: m.message_id },
      chatId: m.chat_id,
      chatType: group ? ('group' as const) : ('private' as const),
      from: { identity: { channel: 'feishu' as const, id: openId }, name: '', privateChatId: openId },
    };
    let text: string | undefined;
    if (m.message_type === 'text') {
      try {
        text = String((JSON.parse(m.content) as { text?: string }).text ?? '');
      } catch {
        text = undefined;
      }
    }
    if (text === undefined) {
      if (!group) void output.send(m.chat_id, { blocks: [{ spans: [TEXT_ONLY] }] }).catch((err: unknown) => logger.warn('hint not sent', { error: err as Error }));
      return;
    }
    for (const mention of m.mentions ?? []) text = text.split(mention.key).join(mention.id.open_id === botOpenId ? '' : (mention.name ?? ''));
    const event: IncomingEvent = { ...base, kind: 'text', text: text.trim() };
    // Answered in the background: Feishu wants the event acknowledged within 3 s, and redelivers otherwise.
    void core.handle(event, output);
  }

  async function onCardAction(e: CardActionEvent): Promise<unknown> {
    const data = e.action?.value?.data;
    const openId = e.operator?.open_id;
    const messageId = e.context?.open_message_id;
    const chatId = e.context?.open_chat_id ?? openId;
    if (typeof data !== 'string' || !openId || !chatId || !e.event_id) {
      logger.warn('card action without button data ignored', { event: e.event_id });
      return {};
    }
    const callbackId = e.event_id;
    const handled = core.handle(
      {
        kind: 'callback',
        update: { source, id: e.event_id },
        chatId,
        chatType: groups.has(chatId) ? 'group' : 'private',
        from: { identity: { channel: 'feishu', id: openId }, name: '', privateChatId: openId },
        callbackId,
        data,
        message: messageId ? { chatId, messageId } : undefined,
      },
      output,
    );
    const answer = await output.awaitAnswer(callbackId, handled, CALLBACK_ANSWER_CAP_MS);
    return answer?.text ? { toast: { type: answer.alert ? 'warning' : 'info', content: answer.text } } : {};
  }

  return {
    output,
    async start(signal) {
      const timeoutMs = opts.connectTimeoutMs ?? 30_000;
      let ws: lark.WSClient | undefined;
      try {
        const info = check('bot.info', (await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as { code?: number; msg?: string; bot?: { open_id?: string } });
        botOpenId = info.bot?.open_id ?? '';
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('long connection timeout')), timeoutMs);
          const done = (err?: Error) => {
            clearTimeout(timer);
            if (err) reject(err);
            else resolve();
          };
          signal?.addEventListener('abort', () => done(new PufaError('已取消连接飞书。')), { once: true });
          ws = new lark.WSClient({ ...common, onReady: () => done(), onError: (err: Error) => done(err) });
          const dispatcher = new lark.EventDispatcher({ logger: sdkLog, loggerLevel: lark.LoggerLevel.warn }).register({
            'im.message.receive_v1': async (e: unknown) => onMessage(e as MessageEvent),
            'card.action.trigger': async (e: unknown) => onCardAction(e as CardActionEvent),
          } as never);
          void ws.start({ eventDispatcher: dispatcher });
        });
      } catch (err) {
        ws?.close({ force: true });
        if (err instanceof PufaError) throw err;
        throw feishuConnectError(err, config.domain);
      }
      logger.info('bot online', { appId: config.appId, bot: botOpenId });
      // Messages accepted before a hard stop and never answered: answered now (stop() waits for them too).
      void core.resume(source, output).catch((err: unknown) => logger.error('resuming pending messages failed', { error: err as Error }));
      return {
        async stop() {
          ws?.close();
          await core.drain();
        },
      };
    },
  };
}
