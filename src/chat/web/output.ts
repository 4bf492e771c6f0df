/**
 * The web chat's output port: messages, edits, button answers and files go to the person's open pages
 * through the hub. The page renders the structured blocks itself (text nodes, never markup from the
 * server), so law text full of 《》<>& cannot break anything.
 */
import { para, splitMessage } from '../format.ts';
import type { ChatOutput, MessageRef, OutputAbilities } from '../types.ts';
import type { ChatHub } from './hub.ts';

/**
 * A page shows styled text, edits in place and taps buttons; it reaches anyone with a web identity. A
 * reply is cut into bubbles of at most 6,000 characters (about three phone screens) so each stays readable.
 */
export const WEB_ABILITIES: OutputAbilities = {
  maxMessageLength: 6_000,
  formatting: 'html',
  editsInPlace: true,
  buttons: 'inline',
  reachesOthers: true,
  editIntervalMs: 250,
};

/** The callback id of a press: the chat it came from and the page's own id for the press. */
export const callbackIdOf = (chatId: string, pressId: string) => `${chatId}:${pressId}`;
const chatOfCallback = (callbackId: string) => callbackId.slice(0, callbackId.lastIndexOf(':'));

export function webOutput(hub: ChatHub): ChatOutput {
  const limit = WEB_ABILITIES.maxMessageLength;
  return {
    abilities: WEB_ABILITIES,
    async send(chatId, msg) {
      const parts = splitMessage(msg.blocks, limit);
      const refs: MessageRef[] = [];
      for (const [i, blocks] of parts.entries()) {
        const last = i === parts.length - 1;
        const m = await hub.post(chatId, { from: 'bot', blocks, buttons: last ? (msg.buttons ?? []) : [] });
        refs.push({ chatId, messageId: m.id });
      }
      return refs;
    },
    async edit(ref, msg) {
      const [first, ...rest] = splitMessage(msg.blocks, limit);
      await hub.replace(ref.chatId, ref.messageId, { blocks: first!, buttons: rest.length ? [] : (msg.buttons ?? []) });
      if (rest.length) await this.send(ref.chatId, { blocks: rest.flat(), buttons: msg.buttons });
    },
    async answerCallback(callbackId, o = {}) {
      hub.notify(chatOfCallback(callbackId), { t: 'answer', id: callbackId, text: o.text, alert: o.alert });
    },
    async typing(chatId) {
      hub.notify(chatId, { t: 'typing' });
    },
    async sendDocument(chatId, doc) {
      const id = hub.putFile(chatId, doc);
      await hub.post(chatId, { from: 'bot', blocks: doc.caption ? [para(doc.caption)] : [], buttons: [], file: { id, name: doc.filename, size: doc.data.byteLength } });
    },
  };
}
