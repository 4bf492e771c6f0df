/**
 * The bar over WeCom with the real answerer over the shared index: 「预算年度是怎么规定的？」 is answered with
 * 《中华人民共和国预算法》第十八条, and fifty colleagues asking at once are each answered exactly once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getChecklistIndex } from '../helpers/test-index.ts';
import { isCardTo, startWeComHarness, type WeComHarness } from './wecom-harness.ts';

let h: WeComHarness;
beforeAll(async () => {
  const { index, config } = await getChecklistIndex();
  h = await startWeComHarness({ index, knowledgeDir: config.knowledgeDir, quiz: false });
});
afterAll(async () => {
  await h?.stop();
});

const QUESTION = '预算年度是怎么规定的？';

it('answers 「预算年度是怎么规定的？」 with 《中华人民共和国预算法》第十八条 (real index, real answerer)', async () => {
  await h.staff('zhaoliu', '赵六');
  await h.wecom.sendText('zhaoliu', QUESTION);
  await h.wecom.waitFor(isCardTo('zhaoliu'), { timeoutMs: 30_000 });
  // A short answer fits its card whole (title and text); a longer one goes above the card as text.
  const seen = h.wecom.screen('zhaoliu').map((m) => m.text).join('\n');
  expect(seen).toContain('《中华人民共和国预算法》第十八条');
  expect(seen).toContain('预算年度自公历一月一日起');
  expect(h.wecom.screen('zhaoliu').at(-1)!.buttons.map((b) => b.text)).toContain('📖 查看全文');
});

it('fifty colleagues asking at once are each answered once', async () => {
  const people = Array.from({ length: 50 }, (_, i) => `staff${String(i).padStart(2, '0')}`);
  for (const p of people) await h.staff(p);
  const since = h.wecom.calls.length;
  const pushes = await Promise.all(people.map((p) => h.wecom.sendText(p, QUESTION)));
  expect(pushes.every((p) => p.status === 200 && p.response === '')).toBe(true);
  await h.wecom.waitForCount((c) => c.path === '/cgi-bin/message/send' && c.errcode === 0 && c.body.msgtype === 'template_card', 50, { since, timeoutMs: 120_000 });
  await h.core.drain();
  const answer = h.wecom.screen('zhaoliu').map((m) => m.text);
  for (const p of people) {
    // The same reply as the first colleague got, once: nothing missing, nothing twice.
    expect(h.wecom.screen(p).map((m) => m.text)).toEqual(answer);
    expect(h.wecom.calls.slice(since).filter(isCardTo(p))).toHaveLength(1);
  }
});
