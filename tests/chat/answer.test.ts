import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/answerer.ts';
import { getChecklistIndex } from '../helpers/test-index.ts';
import { buttonsOf, isSend, messageOf, startHarness, ADMIN, visibleText, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  const { config, index } = await getChecklistIndex();
  h = await startHarness({ answerer: createAnswerer({ index, config }), env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
});
afterAll(async () => {
  await h?.stop();
});

it('an admin asks in Telegram and gets the budget law article 18 as the citation (real index, real answerer)', async () => {
  const { api } = h;
  api.text(ADMIN, '预算年度是怎么规定的？');
  const reply = await api.waitFor(isSend(ADMIN.id));
  const text = visibleText(reply.payload.text);
  expect(text).toContain('《中华人民共和国预算法》第十八条');
  const since = api.calls.length;
  api.press(ADMIN, messageOf(reply), buttonsOf(reply).find((b) => b.text.includes('全文'))!.data);
  const full = await api.waitFor(isSend(ADMIN.id), { since });
  expect(visibleText(full.payload.text)).toContain('预算年度自公历一月一日起，至十二月三十一日止');
});

it('/law 预算法 18 shows the article through the answerer’s direct lookup', async () => {
  const { api } = h;
  const since = api.calls.length;
  api.text(ADMIN, '/law 预算法 18');
  const reply = await api.waitFor(isSend(ADMIN.id), { since });
  const text = visibleText(reply.payload.text);
  expect(text.startsWith('《中华人民共和国预算法》第十八条')).toBe(true);
  expect(text).toContain('预算年度自公历一月一日起');
});
