import { afterEach, expect, it } from 'vitest';
import type { Answer, Answerer } from '../../src/answer/types.ts';
import { budgetYear, isSend, startHarness, ADMIN, visibleText, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

let nextId = 500;

function textUpdate(text: string) {
  const id = nextId++;
  return {
    update_id: id,
    message: { message_id: id, date: 0, chat: { id: ADMIN.id, type: 'private', first_name: ADMIN.first_name }, from: { ...ADMIN, is_bot: false }, text },
  };
}

async function post(h: Harness, update: unknown, secret?: string) {
  const url = `http://127.0.0.1:${h.running.address!.port}/tg/hook`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== undefined) headers['X-Telegram-Bot-Api-Secret-Token'] = secret;
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(update) });
}

it('webhook: registers the URL with its secret, refuses a wrong or missing secret, handles a redelivery once', async () => {
  h = await startHarness({ webhook: true, env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
  const { api } = h;
  expect(h.running.mode).toBe('webhook');
  const set = api.calls.find((c) => c.method === 'setWebhook')!;
  expect(set.payload).toMatchObject({ url: 'https://pufa.example.org/tg/hook', secret_token: 'test-secret_123' });

  const forged = textUpdate('预算年度是怎么规定的？');
  expect((await post(h, forged, 'wrong-secret')).status).toBe(401);
  expect((await post(h, forged)).status).toBe(401);

  const real = textUpdate('预算年度是怎么规定的？');
  expect((await post(h, real, 'test-secret_123')).status).toBe(200);
  const reply = await api.waitFor(isSend(ADMIN.id));
  expect(visibleText(reply.payload.text)).toContain('《中华人民共和国预算法》第十八条');
  // Telegram retries when it thinks delivery failed: the same update again changes nothing.
  expect((await post(h, real, 'test-secret_123')).status).toBe(200);
  expect((await post(h, textUpdate('/help'), 'test-secret_123')).status).toBe(200);
  await api.waitFor((c) => isSend(ADMIN.id)(c) && String(c.payload.text).includes('使用说明'));
  expect(api.sentTexts(ADMIN.id)).toHaveLength(2);
  expect(await h.records.qa.recent()).toHaveLength(1);
});

it('webhook: a slow answer is acknowledged to Telegram first and still delivered afterwards', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow: Answerer = {
    async answer(question) {
      await gate;
      return { question, answer: `《中华人民共和国预算法》第十八条规定：${budgetYear.text}`, mode: 'extractive', citations: [budgetYear], related: [], ms: 1 } satisfies Answer;
    },
  };
  h = await startHarness({ webhook: true, answerer: slow, webhookAckMs: 50, env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
  const res = await post(h, textUpdate('预算年度是怎么规定的？'), 'test-secret_123');
  // Telegram got its 200 while the answer is still being worked on: no redelivery.
  expect(res.status).toBe(200);
  expect(h.api.calls.some(isSend(ADMIN.id))).toBe(false);
  release();
  const reply = await h.api.waitFor(isSend(ADMIN.id));
  expect(visibleText(reply.payload.text)).toContain('第十八条');
});
