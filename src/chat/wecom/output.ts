/**
 * The WeCom output port: replies through /cgi-bin/message/send as plain text messages (≤ 2,048 UTF-8 bytes
 * each, split without breaking a citation) and buttons as template cards (按钮交互型, ≤ 6 buttons a card).
 *
 * Why text and not markdown: WeCom's markdown shows only in the 企业微信 client (the 微信插件 shows
 * 「暂不支持」) and has the same 2,048-byte cap, while text reaches every client, 政务微信 included.
 *
 * Edits: WeCom cannot change a sent text message. A card can be replaced once per response_code, which
 * message/send returns for the card and every button press renews, so an edit of a card that was just
 * pressed (the quiz moving on) updates it in place when the new text fits a card; otherwise the old card's
 * buttons are retired (「已更新，见下方」) and the new content is sent below. Either way the card keeps one
 * logical message id, so a feature that remembers "the quiz message" still recognises presses on it.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../log.ts';
import { blockText, plainText, splitMessage, utf8Length } from '../format.ts';
import type { Block, Button, ChatOutput, MessageRef, OutMessage, OutputAbilities } from '../types.ts';
import type { WeComApi } from './api.ts';

/** WeCom's text message: 2,048 bytes of UTF-8, plain text with line breaks, cards for buttons, no edits of text. */
export const WECOM_ABILITIES: OutputAbilities = {
  maxMessageLength: 2048,
  lengthUnit: 'utf8',
  formatting: 'plain',
  editsInPlace: false,
  buttons: 'inline',
  reachesOthers: true,
};

/** Card text budgets (WeCom's guidance for 按钮交互型: title ≤ 36 characters, 二级文本 ≤ 160; more is cut off on phones). */
export const CARD_TITLE_MAX = 36;
export const CARD_TEXT_MAX = 160;
/** Buttons a card holds (button_list ≤ 6); more go on further cards of the same message. */
export const CARD_BUTTONS_MAX = 6;
/** WeCom drops messages past 30 a minute to one member; pufa waits instead. */
export const PER_MEMBER_PER_MINUTE = 30;
/** A response_code is valid 72 hours and once. */
const CODE_TTL_MS = 72 * 3600_000;
const CARDS_KEPT = 10_000;
const RETIRED = '已更新，见下方';

export interface WeComOutputOptions {
  api: WeComApi;
  agentId: number;
  logger: Logger;
  /** Messages a minute to one member before pufa waits (default 30; tests driving a quiz at machine speed lift it). */
  perMemberPerMinute?: number;
  now?: () => number;
}

/** What pufa remembers of a card message: who has it, its newest task_id, and a response_code not yet used. */
interface CardState {
  userid: string;
  taskId: string;
  code?: { value: string; taskId: string; at: number };
}

export interface WeComOutput extends ChatOutput {
  /**
   * A button was pressed on the card with this task_id: remember the press's response_code (so the next edit
   * can update the card in place) and give the card's logical message id.
   */
  pressed(userid: string, taskId: string, responseCode: string | undefined): MessageRef;
}

/** A card's task_id is `<logical id>-<random>`; every card and re-send of one message shares the logical id. */
export const logicalIdOf = (taskId: string) => taskId.split('-')[0]!;

/** The callback id pufa gives a press: who pressed, on which card, when (answers go back to that member). */
export function callbackIdOf(userid: string, taskId: string, createTime: string): string {
  return `${encodeURIComponent(userid)}|${taskId}|${createTime}`;
}
const useridOfCallback = (callbackId: string) => decodeURIComponent(callbackId.split('|')[0]!);

const newLogicalId = () => `p${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;

const truncate = (s: string, max: number) => ([...s].length <= max ? s : `${[...s].slice(0, max - 1).join('')}…`);

/** Text parts of at most 2,048 bytes as WeCom counts them after rendering (quotes add their bar). */
export function textParts(blocks: Block[]): Block[][] {
  const limit = WECOM_ABILITIES.maxMessageLength;
  let budget = limit;
  for (;;) {
    const parts = splitMessage(blocks, budget, utf8Length);
    const over = Math.max(...parts.map((p) => utf8Length(plainText(p)) - limit));
    if (over <= 0) return parts;
    budget -= over + 8;
  }
}

/** The card's title and body when the whole text fits a card, else undefined. */
function cardText(blocks: Block[]): { title: string; body: string } | undefined {
  const text = plainText(blocks).trim();
  const nl = text.indexOf('\n');
  const title = (nl < 0 ? text : text.slice(0, nl)).trim();
  const body = nl < 0 ? '' : text.slice(nl + 1).trim();
  if ([...title].length > CARD_TITLE_MAX || [...body].length > CARD_TEXT_MAX) return undefined;
  return { title, body };
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function templateCard(taskId: string, text: { title: string; body: string }, buttons: Button[]) {
  return {
    card_type: 'button_interaction',
    main_title: { title: text.title || '请选择' },
    ...(text.body ? { sub_title_text: text.body } : {}),
    task_id: taskId,
    button_list: buttons.map((b, i) => ({ text: b.text, style: i === 0 ? 1 : 2, key: b.data })),
  };
}

/**
 * @example
 * const out = wecomOutput({ api, agentId: 1000002, logger });
 * await out.send('zhangsan', { blocks: [para('您好')], buttons: [[{ text: '开始答题', data: 'qz:s' }]] });
 */
export function wecomOutput(opts: WeComOutputOptions): WeComOutput {
  const { api, agentId, logger } = opts;
  const now = opts.now ?? Date.now;
  const perMinute = opts.perMemberPerMinute ?? PER_MEMBER_PER_MINUTE;
  const cards = new Map<string, CardState>();
  const recent = new Map<string, number[]>();

  /** Wait until one more message to `userid` stays within WeCom's per-member minute. */
  async function pace(userid: string) {
    if (!Number.isFinite(perMinute)) return;
    for (;;) {
      const t = now();
      const sent = (recent.get(userid) ?? []).filter((at) => t - at < 60_000);
      if (sent.length < perMinute) {
        sent.push(t);
        recent.set(userid, sent);
        return;
      }
      recent.set(userid, sent);
      await new Promise((r) => setTimeout(r, 60_000 - (t - sent[0]!) + 5));
    }
  }

  async function sendRaw(userid: string, msgtype: string, content: Record<string, unknown>) {
    await pace(userid);
    return api.post<{ msgid?: string; response_code?: string; invaliduser?: string }>('/cgi-bin/message/send', {
      touser: userid,
      msgtype,
      agentid: agentId,
      [msgtype]: content,
    });
  }

  function remember(logical: string, state: CardState) {
    cards.delete(logical);
    cards.set(logical, state);
    // Oldest first: a card nobody pressed for long is forgotten (its presses still work; edits send anew).
    while (cards.size > CARDS_KEPT) cards.delete(cards.keys().next().value!);
  }

  /** Send cards for `buttons` under `logical`; the first carries `text` (or a title when the text went above). */
  async function sendCards(userid: string, logical: string, text: { title: string; body: string }, buttons: Button[]) {
    let state: CardState = cards.get(logical) ?? { userid, taskId: '' };
    for (const [i, group] of chunk(buttons, CARD_BUTTONS_MAX).entries()) {
      // Unique per card, even for a card pufa forgot in a restart and sends anew.
      const taskId = `${logical}-${randomBytes(4).toString('hex')}`;
      const part = i === 0 ? text : { title: truncate(`${text.title}（续）`, CARD_TITLE_MAX), body: '' };
      const sent = await sendRaw(userid, 'template_card', templateCard(taskId, part, group));
      state = { ...state, taskId, code: sent.response_code ? { value: sent.response_code, taskId, at: now() } : undefined };
    }
    remember(logical, state);
  }

  async function sendMessage(userid: string, msg: OutMessage, logical?: string): Promise<MessageRef[]> {
    const buttons = (msg.buttons ?? []).flat();
    const refs: MessageRef[] = [];
    const parts = textParts(msg.blocks);
    const inCard = buttons.length ? cardText(parts.at(-1)!) : undefined;
    const asText = inCard ? parts.slice(0, -1) : parts;
    for (const part of asText) {
      const sent = await sendRaw(userid, 'text', { content: plainText(part) });
      refs.push({ chatId: userid, messageId: String(sent.msgid ?? newLogicalId()) });
    }
    if (buttons.length) {
      const id = logical ?? newLogicalId();
      const firstLine = blockText(parts.at(-1)![0] ?? { spans: [] }).split('\n')[0]!.trim();
      await sendCards(userid, id, inCard ?? { title: truncate(firstLine, CARD_TITLE_MAX), body: '' }, buttons);
      refs.push({ chatId: userid, messageId: id });
    }
    return refs;
  }

  /** The unused response_code of a card, if WeCom still honours it. */
  function takeCode(state: CardState | undefined) {
    const code = state?.code;
    if (!state || !code) return undefined;
    state.code = undefined;
    return now() - code.at < CODE_TTL_MS ? code : undefined;
  }

  async function updateCard(userid: string, code: string, update: Record<string, unknown>) {
    await api.post('/cgi-bin/message/update_template_card', { userids: [userid], agentid: agentId, response_code: code, ...update });
  }

  return {
    abilities: WECOM_ABILITIES,
    send: (chatId, msg) => sendMessage(chatId, msg),
    async edit(ref, msg) {
      const state = cards.get(ref.messageId);
      const code = takeCode(state);
      const buttons = (msg.buttons ?? []).flat();
      const parts = textParts(msg.blocks);
      const text = parts.length === 1 ? cardText(parts[0]!) : undefined;
      if (code && text && buttons.length && buttons.length <= CARD_BUTTONS_MAX) {
        await updateCard(ref.chatId, code.value, { template_card: templateCard(code.taskId, text, buttons) });
        return;
      }
      if (code) {
        // The old buttons would only confuse: show they are done; the new content follows below.
        await updateCard(ref.chatId, code.value, { button: { replace_name: RETIRED } }).catch((err: unknown) =>
          logger.warn('retiring a card failed', { error: err as Error }),
        );
      }
      await sendMessage(ref.chatId, msg, state ? ref.messageId : undefined);
    },
    async answerCallback(callbackId, o = {}) {
      // WeCom has no toast: a short answer (感谢反馈, a refusal) arrives as a message of its own.
      if (!o.text) return;
      await sendRaw(useridOfCallback(callbackId), 'text', { content: o.text });
    },
    async typing() {
      // WeCom shows no typing indicator to an app's chat.
    },
    async sendDocument(chatId, doc) {
      const form = new FormData();
      form.append('media', new Blob([new Uint8Array(doc.data)]), doc.filename);
      const uploaded = await api.upload<{ media_id: string }>('/cgi-bin/media/upload', { type: 'file' }, form);
      if (doc.caption) await sendRaw(chatId, 'text', { content: doc.caption });
      await sendRaw(chatId, 'file', { media_id: uploaded.media_id });
    },
    pressed(userid, taskId, responseCode) {
      const logical = logicalIdOf(taskId);
      const state = cards.get(logical) ?? { userid, taskId };
      if (responseCode) state.code = { value: responseCode, taskId, at: now() };
      remember(logical, state);
      return { chatId: userid, messageId: logical };
    },
  };
}
