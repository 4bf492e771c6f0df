/**
 * The DingTalk transport: a robot in Stream mode (no public callback URL). Robot messages and card button
 * presses arrive over the stream; each is acked once handled, and a redelivered one (same msgId) is handled
 * once by the core's update claims. Replies go out as interactive cards when a card template is configured
 * (buttons call back over the stream, edits update the card in place), otherwise as Markdown through the
 * message's session webhook or the robot send API, with buttons as numbered choices.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import { PufaError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { ChatCore } from '../core.ts';
import { splitMessage } from '../format.ts';
import { numberedChoices, renderMarkdown } from '../markdown.ts';
import type { Block, Button, ChatOutput, IncomingEvent, MessageRef, OutMessage, OutputAbilities, Sender } from '../types.ts';
import { createDingTalkApi, dingTalkConnectError, type DingTalkApi } from './api.ts';
import { StreamClient, TOPIC_CARD, TOPIC_ROBOT, type Backoff, type DWClientDownStream } from './stream.ts';

type DingTalkConfig = NonNullable<Config['dingtalk']>;

/**
 * DingTalk cuts Markdown messages and card text off past about 5,000 characters; parts of 3,500 leave room
 * for the Markdown marks and escapes.
 */
const DINGTALK_LIMIT = 3500;

/** With a card template: cards edited in place, buttons that call back. */
export const DINGTALK_CARD_ABILITIES: OutputAbilities = {
  maxMessageLength: DINGTALK_LIMIT,
  formatting: 'markdown',
  editsInPlace: true,
  buttons: 'inline',
  reachesOthers: true,
};

/** Without one: Markdown messages, numbered choices the person answers by typing the number. */
export const DINGTALK_TEXT_ABILITIES: OutputAbilities = { ...DINGTALK_CARD_ABILITIES, editsInPlace: false, buttons: 'numbered' };

/** The robot message as the stream delivers it (topic /v1.0/im/bot/messages/get). */
export interface RobotMessage {
  msgId: string;
  msgtype: string;
  text?: { content: string };
  conversationId: string;
  /** '1' a private chat with the robot, '2' a group. */
  conversationType: string;
  conversationTitle?: string;
  senderStaffId?: string;
  senderNick?: string;
  isInAtList?: boolean;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
}

/** A card button press (topic /v1.0/card/instances/callback). */
interface CardCallback {
  outTrackId: string;
  userId: string;
  value?: string;
  content?: string;
}

/** DingTalk Markdown has no entities; a backslash keeps law text's own * _ ` # from turning into marks. */
const escapeDingTalk = (s: string) => s.replace(/([\\*_`#[\]])/g, '\\$1');
const markdown = (blocks: Block[]) => renderMarkdown(blocks, escapeDingTalk, '  \n');
/** The first line, unmarked: the notification preview DingTalk shows for a Markdown message. */
const titleOf = (blocks: Block[]) => (blocks[0]?.spans.map((s) => (typeof s === 'string' ? s : s.text)).join('') ?? '').split('\n')[0]!.slice(0, 40) || '普法助手';

/** Chat ids say what they are: the private chat with a staff member, or a group conversation. */
export const privateChatOf = (staffId: string) => `user:${staffId}`;
const groupChatOf = (conversationId: string) => `group:${conversationId}`;
function parseChat(chatId: string): { kind: 'user' | 'group'; id: string } {
  const i = chatId.indexOf(':');
  const kind = chatId.slice(0, i);
  if (i < 0 || (kind !== 'user' && kind !== 'group')) throw new Error(`not a DingTalk chat id: ${chatId}`);
  return { kind, id: chatId.slice(i + 1) };
}

const newTrackId = () => randomBytes(12).toString('hex');
// How long before a session webhook's stated expiry it is no longer trusted.
const WEBHOOK_MARGIN_MS = 60_000;

export interface DingTalkOutput extends ChatOutput {
  /** Remember a message's session webhook for replies in its chat (until it expires). */
  rememberWebhook(chatId: string, url: string, expiresAt: number): void;
  /** The numbered choice `n` of the chat's latest buttons (text mode), if any. */
  choice(chatId: string, n: number): { button: Button; message: MessageRef } | undefined;
  /** The chat a card was sent to by this process. */
  cardChat(outTrackId: string): string | undefined;
}

/** Card buttons: their data is the template's `buttons` variable, read back from the press's params. */
const cardButtons = (buttons?: Button[][]) => JSON.stringify((buttons ?? []).flat().map((b) => ({ text: b.text, data: b.data })));

/**
 * The output port over DingTalk's OpenAPI.
 * @example const out = dingTalkOutput(createDingTalkApi(creds, logger), config.dingtalk, logger); await out.send('user:0420', msg)
 */
export function dingTalkOutput(api: DingTalkApi, config: DingTalkConfig, logger: Logger, now: () => number = Date.now): DingTalkOutput {
  const webhooks = new Map<string, { url: string; until: number }>();
  const choices = new Map<string, { button: Button; message: MessageRef }[]>();
  const template = config.cardTemplateId;
  // Which chat each card went to, for presses on it (after a restart a press counts as private).
  const cardChats = new Map<string, string>();
  let nextId = 1;

  async function sendCard(chatId: string, blocks: Block[], buttons: Button[][] | undefined): Promise<MessageRef> {
    const chat = parseChat(chatId);
    const outTrackId = newTrackId();
    const target =
      chat.kind === 'user'
        ? { openSpaceId: `dtv1.card//IM_ROBOT.${chat.id}`, imRobotOpenSpaceModel: { supportForward: true }, imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: config.robotCode } }
        : { openSpaceId: `dtv1.card//IM_GROUP.${chat.id}`, imGroupOpenSpaceModel: { supportForward: true }, imGroupOpenDeliverModel: { robotCode: config.robotCode } };
    await api.call('POST', '/v1.0/card/instances/createAndDeliver', {
      cardTemplateId: template,
      outTrackId,
      callbackType: 'STREAM',
      userIdType: 1,
      cardData: { cardParamMap: { title: titleOf(blocks), markdown: markdown(blocks), buttons: cardButtons(buttons), notice: '' } },
      ...target,
    });
    cardChats.set(outTrackId, chatId);
    return { chatId, messageId: outTrackId };
  }

  async function sendText(chatId: string, text: string, title: string): Promise<MessageRef> {
    const hook = webhooks.get(chatId);
    const body = { title, text };
    if (hook && now() < hook.until) {
      await api.postWebhook(hook.url, { msgtype: 'markdown', markdown: body });
    } else {
      // No fresh webhook (a reminder, a broadcast, a private reply to a group message): the robot send API.
      const chat = parseChat(chatId);
      const msgParam = JSON.stringify(body);
      if (chat.kind === 'user') await api.call('POST', '/v1.0/robot/oToMessages/batchSend', { robotCode: config.robotCode, userIds: [chat.id], msgKey: 'sampleMarkdown', msgParam });
      else await api.call('POST', '/v1.0/robot/groupMessages/send', { robotCode: config.robotCode, openConversationId: chat.id, msgKey: 'sampleMarkdown', msgParam });
    }
    return { chatId, messageId: `m${nextId++}` };
  }

  const output: DingTalkOutput = {
    abilities: template ? DINGTALK_CARD_ABILITIES : DINGTALK_TEXT_ABILITIES,
    async send(chatId, msg) {
      const parts = splitMessage(msg.blocks, DINGTALK_LIMIT);
      const refs: MessageRef[] = [];
      for (const [i, part] of parts.entries()) {
        const buttons = i === parts.length - 1 && msg.buttons?.length ? msg.buttons : undefined;
        if (template) {
          refs.push(await sendCard(chatId, part, buttons));
          continue;
        }
        const text = markdown(part) + (buttons ? `\n\n${numberedChoices(buttons)}` : '');
        const ref = await sendText(chatId, text, titleOf(part));
        if (buttons) choices.set(chatId, buttons.flat().map((button) => ({ button, message: ref })));
        refs.push(ref);
      }
      return refs;
    },
    async edit(ref, msg) {
      if (!template) {
        await output.send(ref.chatId, msg);
        return;
      }
      const [first, ...rest] = splitMessage(msg.blocks, DINGTALK_LIMIT);
      await api.call('PUT', '/v1.0/card/instances', {
        outTrackId: ref.messageId,
        cardData: { cardParamMap: { title: titleOf(first!), markdown: markdown(first!), buttons: cardButtons(rest.length ? undefined : msg.buttons), notice: '' } },
        cardUpdateOptions: { updateCardDataByKey: true },
      });
      if (rest.length) await output.send(ref.chatId, { blocks: rest.flat(), buttons: msg.buttons });
    },
    async answerCallback(callbackId, o = {}) {
      if (!o.text) return;
      const [kind, a, b] = callbackId.split('|');
      try {
        if (kind === 'card') {
          // Shown on the card to the presser only (the template's private `notice` variable).
          await api.call('PUT', '/v1.0/card/instances', {
            outTrackId: a,
            privateData: { [b!]: { cardParamMap: { notice: o.text } } },
            cardUpdateOptions: { updatePrivateDataByKey: true },
          });
        } else {
          await sendText(a!, `» ${escapeDingTalk(o.text)}`, o.text.slice(0, 40));
        }
      } catch (err) {
        // A notice that cannot be shown is not worth failing the press for.
        logger.warn('callback notice not shown', { error: err as Error });
      }
    },
    async typing() {
      // DingTalk has no typing indicator.
    },
    rememberWebhook(chatId, url, expiresAt) {
      webhooks.set(chatId, { url, until: expiresAt - WEBHOOK_MARGIN_MS });
    },
    choice(chatId, n) {
      return choices.get(chatId)?.[n - 1];
    },
    cardChat: (outTrackId) => cardChats.get(outTrackId),
  };
  return output;
}

export interface DingTalkBotOptions {
  core: ChatCore;
  config: Pick<Config, 'dingtalk'>;
  logger: Logger;
  backoff?: Backoff;
  /** How long to wait for the first connection before giving up with a clear message. */
  connectTimeoutMs?: number;
}

export interface RunningDingTalk {
  stop(): Promise<void>;
}

export interface DingTalkBot {
  output: DingTalkOutput;
  /** The stream client (tests drop its connection). */
  client: StreamClient;
  /** Register at the gateway and open the stream; throws a Chinese message when that fails. */
  start(signal?: AbortSignal): Promise<RunningDingTalk>;
}

function senderOf(m: RobotMessage & { senderStaffId: string }): Sender {
  return {
    identity: { channel: 'dingtalk', id: m.senderStaffId },
    name: m.senderNick ?? '',
    privateChatId: privateChatOf(m.senderStaffId),
  };
}

/** What a card press carries: the button's data among the callback params. */
function pressedData(cb: CardCallback): string | undefined {
  for (const raw of [cb.value, cb.content]) {
    if (!raw) continue;
    try {
      const parsed = JSON.parse(raw) as { cardPrivateData?: { params?: Record<string, unknown> } };
      const data = parsed.cardPrivateData?.params?.data;
      if (typeof data === 'string') return data;
    } catch {
      // Not JSON: try the other field.
    }
  }
  return undefined;
}

const TEXT_ONLY = '目前只能读文字消息，请直接输入问题，例如「预算年度是怎么规定的？」。';

/**
 * Build the robot. Nothing talks to DingTalk until start().
 * @example const dt = createDingTalkBot({ core, config, logger }); const running = await dt.start(signal);
 */
export function createDingTalkBot(opts: DingTalkBotOptions): DingTalkBot {
  const { core, logger } = opts;
  const config = opts.config.dingtalk;
  if (!config) throw new PufaError('未配置钉钉：请设置 DINGTALK_CLIENT_ID 与 DINGTALK_CLIENT_SECRET。');
  const api = createDingTalkApi(config, logger.child('api'));
  const output = dingTalkOutput(api, config, logger);
  const client = new StreamClient({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    gatewayUrl: `${config.apiRoot}/v1.0/gateway/connections/open`,
    logger: logger.child('stream'),
    backoff: opts.backoff,
  });
  const source = `dingtalk:${config.robotCode}`;
  const ack = (frame: DWClientDownStream) => client.socketCallBackResponse(frame.headers.messageId, {});
  let presses = 0;

  async function onRobotMessage(frame: DWClientDownStream) {
    const m = JSON.parse(frame.data) as RobotMessage;
    const group = m.conversationType === '2';
    if (!m.senderStaffId) {
      logger.warn('message without a staff id ignored (not a member of the organisation)', { msgId: m.msgId });
      return;
    }
    // In a group DingTalk delivers @-mentions of the robot only; anything else is not for it.
    if (group && m.isInAtList === false) return;
    const chatId = group ? groupChatOf(m.conversationId) : privateChatOf(m.senderStaffId);
    if (m.sessionWebhook && m.sessionWebhookExpiredTime) output.rememberWebhook(chatId, m.sessionWebhook, Number(m.sessionWebhookExpiredTime));
    const base = { update: { source, id: m.msgId }, chatId, chatType: group ? ('group' as const) : ('private' as const), from: senderOf({ ...m, senderStaffId: m.senderStaffId }) };
    if (m.msgtype !== 'text' || !m.text) {
      if (!group) await output.send(chatId, { blocks: [{ spans: [TEXT_ONLY] }] });
      return;
    }
    const text = m.text.content.trim();
    const n = /^\d{1,2}$/.test(text) ? Number(text) : 0;
    const choice = n ? output.choice(chatId, n) : undefined;
    const event: IncomingEvent = choice
      ? { ...base, kind: 'callback', callbackId: `text|${chatId}|${++presses}`, data: choice.button.data, message: choice.message }
      : { ...base, kind: 'text', text };
    await core.handle(event, output);
  }

  async function onCardPress(frame: DWClientDownStream) {
    const cb = JSON.parse(frame.data) as CardCallback;
    const data = pressedData(cb);
    if (!data || !cb.userId) {
      logger.warn('card press without button data ignored', { outTrackId: cb.outTrackId });
      return;
    }
    const chatId = output.cardChat(cb.outTrackId) ?? privateChatOf(cb.userId);
    await core.handle(
      {
        kind: 'callback',
        update: { source, id: frame.headers.messageId },
        chatId,
        chatType: chatId.startsWith('group:') ? 'group' : 'private',
        from: { identity: { channel: 'dingtalk', id: cb.userId }, name: '', privateChatId: privateChatOf(cb.userId) },
        callbackId: `card|${cb.outTrackId}|${cb.userId}`,
        data,
        message: { chatId, messageId: cb.outTrackId },
      },
      output,
    );
  }

  const handled = (what: string, run: (frame: DWClientDownStream) => Promise<void>) => (frame: DWClientDownStream) => {
    void run(frame)
      .catch((err: unknown) => logger.error(`${what} failed`, { messageId: frame.headers.messageId, error: err as Error }))
      // Acked once handled (or found to be a redelivery): DingTalk then stops redelivering it.
      .finally(() => ack(frame));
  };
  client.registerCallbackListener(TOPIC_ROBOT, handled('robot message', onRobotMessage));
  client.registerCallbackListener(TOPIC_CARD, handled('card press', onCardPress));

  return {
    output,
    client,
    async start(signal) {
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('connect timeout')), opts.connectTimeoutMs ?? 30_000);
        signal?.addEventListener('abort', () => reject(new PufaError('已取消连接钉钉。')), { once: true });
      });
      try {
        await api.token();
        await Promise.race([client.open(), giveUp]);
      } catch (err) {
        client.stop();
        if (err instanceof PufaError) throw err;
        throw dingTalkConnectError(err, config.apiRoot);
      } finally {
        clearTimeout(timer);
      }
      logger.info('robot online', { robotCode: config.robotCode, cards: Boolean(config.cardTemplateId) });
      // Messages accepted before a hard stop and never answered: answered now (stop() waits for them too).
      void core.resume(source, output).catch((err: unknown) => logger.error('resuming pending messages failed', { error: err as Error }));
      return {
        async stop() {
          client.stop();
          await core.drain();
        },
      };
    },
  };
}
