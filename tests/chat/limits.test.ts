/** Per-user limits and hints through the real grammY bot and the local Bot API server. */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, buttonsOf, isSend, messageOf, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('button presses', () => {
  it('150 taps of 查看全文 send at most CALLBACK_RATE_LIMIT_PER_MINUTE messages; every tap is answered, one says why', async () => {
    const fixed = new Date('2026-03-02T09:00:00+08:00');
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id), CALLBACK_RATE_LIMIT_PER_MINUTE: '40' }, now: () => fixed });
    const { api } = h;
    api.text(ADMIN, '预算年度是怎么规定的？');
    const reply = await api.waitFor(isSend(ADMIN.id));
    const full = buttonsOf(reply).find((b) => b.text === '📖 查看全文')!;
    const since = api.calls.length;
    for (let i = 0; i < 150; i++) api.press(ADMIN, messageOf(reply), full.data);
    const answers = await api.waitForCount((c) => c.method === 'answerCallbackQuery', 150, { since, timeoutMs: 60_000 });
    const sent = api.calls.slice(since).filter(isSend(ADMIN.id));
    expect(sent).toHaveLength(40);
    expect(answers.filter((a) => String(a.payload.text ?? '').includes('操作太频繁'))).toHaveLength(1);
  });
});

describe('messages that are not questions', () => {
  it('a bare number and emoji-only or zero-width messages get a hint, never a follow-up answer', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
    const { api } = h;
    const asked = (h.answerer as { questions: string[] }).questions;
    api.text(ADMIN, '预算年度是怎么规定的？');
    await api.waitFor(isSend(ADMIN.id));
    const hints: string[] = [];
    for (const text of ['3', '👍👍', '\u200b\u200b', '？？']) {
      const since = api.calls.length;
      api.text(ADMIN, text);
      hints.push(String((await api.waitFor(isSend(ADMIN.id), { since })).payload.text));
    }
    expect(hints[0]).toBe('没有编号为 3 的按钮。查看条文请写「预算法第3条」或 /law 预算法 3；提问请写出完整的问题。');
    for (const hint of hints.slice(1)) expect(hint).toContain('没有看到文字');
    expect(asked).toEqual(['预算年度是怎么规定的？']);
  });
});
