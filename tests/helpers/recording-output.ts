/**
 * A ChatOutput that records what the core sends (as plain text too), for tests that drive the core as a
 * transport would: the admin commands, or a WeCom-like channel before its transport exists.
 */
import { plainText } from '../../src/chat/format.ts';
import { TELEGRAM_ABILITIES } from '../../src/chat/telegram/bot.ts';
import type { ChatOutput, OutDocument, OutMessage, OutputAbilities } from '../../src/chat/types.ts';

export interface Sent {
  chatId: string;
  msg: OutMessage;
  text: string;
}

export type RecordingOutput = ChatOutput & { sent: Sent[]; docs: { chatId: string; doc: OutDocument }[]; callbackAnswers: (string | undefined)[] };

/** Records what is sent; a chat app that reaches other people (Telegram's abilities) unless told otherwise. */
export function recordingOutput(abilities: OutputAbilities = TELEGRAM_ABILITIES): RecordingOutput {
  let id = 0;
  const sent: Sent[] = [];
  const docs: { chatId: string; doc: OutDocument }[] = [];
  const callbackAnswers: (string | undefined)[] = [];
  return {
    abilities,
    sent,
    docs,
    callbackAnswers,
    async send(chatId, msg) {
      sent.push({ chatId, msg, text: plainText(msg.blocks) });
      return [{ chatId, messageId: String(++id) }];
    },
    async edit(ref, msg) {
      sent.push({ chatId: ref.chatId, msg, text: plainText(msg.blocks) });
    },
    async answerCallback(_id, o = {}) {
      callbackAnswers.push(o.text);
    },
    async typing() {},
    async sendDocument(chatId, doc) {
      docs.push({ chatId, doc });
    },
  };
}
