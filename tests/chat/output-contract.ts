/**
 * The ChatOutput contract: what every transport's output port must do, whatever service it talks to.
 * Each transport's test file calls `chatOutputContract` with a factory that gives its real output port
 * wired to a stand-in of its service on 127.0.0.1 (or to captured streams), and a way to read the chat as
 * the person in it sees it. The cases use the port's own abilities (message length, edits, buttons).
 */
import { describe, expect, it } from 'vitest';
import { bold, measureOf, para } from '../../src/chat/format.ts';
import type { Block, Button, ChatOutput, OutMessage } from '../../src/chat/types.ts';

/** One message as the person sees it: its text and the buttons under it. */
export interface SeenMessage {
  id: string;
  text: string;
  buttons: Button[];
}

export interface OutputUnderTest {
  output: ChatOutput;
  /** A private chat of one person. */
  chatId: string;
  /** The chat as its person sees it now, oldest first (an edit in place changes a message, otherwise adds one). */
  screen(): Promise<SeenMessage[]>;
  /** The callback answers the service received, by callback id (the text shown, if any). */
  callbackAnswers(): Promise<Map<string, string | undefined>>;
  /** A callback id as the service would give it for a press on `button` under message `messageId`. */
  press(messageId: string, button: Button): Promise<string>;
  close(): Promise<void>;
}

/** A citation-like block of `chars` characters that must never be split without its label. */
function citationBlock(n: number, chars: number): Block {
  const label = `《中华人民共和国测试法》第${n}条`;
  const sentence = `第${n}项：收入<支出>&“结余”不得挪用；`;
  let text = '';
  while (text.length < chars) text += sentence;
  return { spans: [bold(label), '\n', text], keep: label };
}

/** A reply of about 2.5 service messages, one citation alone longer than a message, and buttons. */
function longReply(limit: number): OutMessage {
  const size = Math.min(limit, 20_000);
  return {
    blocks: [para('以下几条与您的问题有关。'), citationBlock(1, Math.floor(size * 0.4)), citationBlock(2, Math.floor(size * 1.3)), citationBlock(3, Math.floor(size * 0.6))],
    buttons: [[{ text: '👍 有帮助', data: 'fb:1:up' }, { text: '👎 没帮助', data: 'fb:1:down' }], [{ text: '📖 查看全文', data: 'qa:1:full' }]],
  };
}

const compact = (s: string) => s.replace(/\s+/g, '');

export function chatOutputContract(name: string, make: () => Promise<OutputUnderTest>) {
  describe(`ChatOutput contract: ${name}`, () => {
    it('splits a long reply at its limit without ever breaking a citation away from its label, losing nothing', async () => {
      const t = await make();
      try {
        const { maxMessageLength } = t.output.abilities;
        // In the service's own unit: WeCom counts UTF-8 bytes, so a Chinese character is 3 of them.
        const measure = measureOf(t.output.abilities);
        const msg = longReply(maxMessageLength);
        const refs = await t.output.send(t.chatId, msg);
        const seen = await t.screen();
        expect(seen).toHaveLength(refs.length);
        for (const m of seen) {
          expect(measure(m.text)).toBeLessThanOrEqual(maxMessageLength);
          // A part either opens the reply or starts at a citation label (continuations repeat it).
          expect(m === seen[0] || m.text.startsWith('《中华人民共和国测试法》第')).toBe(true);
        }
        const all = compact(seen.map((m) => m.text).join(''));
        for (const block of msg.blocks.slice(1)) {
          const body = compact(block.spans.slice(2).map((s) => (typeof s === 'string' ? s : s.text)).join(''));
          // Every character of every citation arrives, in order (continuation labels interleave).
          let at = 0;
          for (const piece of body.match(/.{1,40}/g)!) {
            const i = all.indexOf(piece, at);
            expect(i, `lost text of ${block.keep}`).toBeGreaterThanOrEqual(0);
            at = i;
          }
        }
      } finally {
        await t.close();
      }
    });

    it('shows the buttons under the last part only, carrying their data', async () => {
      const t = await make();
      try {
        const msg = longReply(t.output.abilities.maxMessageLength);
        await t.output.send(t.chatId, msg);
        const seen = await t.screen();
        expect(seen.at(-1)!.buttons).toEqual(msg.buttons!.flat());
        for (const m of seen.slice(0, -1)) expect(m.buttons).toEqual([]);
      } finally {
        await t.close();
      }
    });

    it('an edit shows the new text and buttons (in place when the transport edits in place)', async () => {
      const t = await make();
      try {
        const [ref] = await t.output.send(t.chatId, { blocks: [para('第 1/10 题：预算年度从哪天开始？')], buttons: [[{ text: 'A', data: 'qz:1:a' }]] });
        await t.output.edit(ref!, { blocks: [para('回答正确！预算年度自公历一月一日起。')], buttons: [[{ text: '下一题 ▶', data: 'qz:1:next' }]] });
        const seen = await t.screen();
        if (t.output.abilities.editsInPlace) {
          expect(seen).toHaveLength(1);
          expect(seen[0]!.id).toBe(ref!.messageId);
        }
        expect(seen.at(-1)!.text).toContain('回答正确');
        expect(seen.at(-1)!.buttons).toEqual([{ text: '下一题 ▶', data: 'qz:1:next' }]);
      } finally {
        await t.close();
      }
    });

    it('answers a button press, with a short text when given', async () => {
      const t = await make();
      try {
        const button = { text: '👍 有帮助', data: 'fb:1:up' };
        const [ref] = await t.output.send(t.chatId, { blocks: [para('预算年度自公历一月一日起，至十二月三十一日止。')], buttons: [[button]] });
        const id = await t.press(ref!.messageId, button);
        await t.output.answerCallback(id, { text: '感谢反馈' });
        expect((await t.callbackAnswers()).get(id)).toBe('感谢反馈');
      } finally {
        await t.close();
      }
    });
  });
}
