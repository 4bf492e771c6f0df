/**
 * The weekly quiz over WeCom: the real WeCom transport against the local stand-in, the production wiring
 * over the shared index, records on disk. Every press is pushed twice (WeCom's redelivery) and every
 * answer tapped twice, and pufa restarts mid-quiz; the attempt is recorded exactly once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWeComTransport } from '../../src/chat/wecom/transport.ts';
import { silentLogger } from '../../src/log.ts';
import type { SeenMessage } from '../helpers/wecom-server.ts';
import { getChecklistIndex } from '../helpers/test-index.ts';
import { scriptedAnswerer } from '../chat/harness.ts';
import { startWeComHarness, wecomIdentity, type WeComHarness } from '../chat/wecom-harness.ts';
import { quizKnowledge, WEDNESDAY } from './quiz-harness.ts';

let h: WeComHarness;
beforeAll(async () => {
  const k = await quizKnowledge();
  const { index } = await getChecklistIndex();
  h = await startWeComHarness({ index, answerer: scriptedAnswerer(), quizBank: k.bank, now: () => WEDNESDAY, knowledgeDir: k.knowledgeDir, unpaced: true });
});
afterAll(async () => {
  await h?.stop();
});

const quizKeys = (m: SeenMessage) => m.buttons.filter((b) => /^qz:[atmn]:/.test(b.key));
/** The card the quiz goes on from: the newest card with live quiz buttons. */
function quizCard(userid: string): SeenMessage | undefined {
  return h.wecom.screen(userid).filter((m) => m.kind === 'card' && m.buttons.length).at(-1);
}

it('a full weekly quiz over WeCom is recorded exactly once under redelivered pushes, double taps and a restart of pufa mid-quiz', async () => {
  const userid = 'wangwu';
  await h.staff(userid, '王五');
  const user = (await h.records.users.findByIdentity(wecomIdentity(userid)))!;
  await h.wecom.sendText(userid, '/quiz');
  await h.core.drain();
  const attempt = (await h.app.quiz())!.training;
  const open = (await attempt.openAttempt(user.id, '2026-W48'))!;
  expect(open.total).toBe(10);
  const logical = quizCard(userid)!.id.split('-')[0];
  expect(open.message).toEqual({ chatId: userid, messageId: logical });

  /** pufa restarts mid-quiz: a new WeCom transport that knows nothing of the cards it sent before. */
  const restart = async () => {
    await h.running.stop();
    const again = createWeComTransport({ core: h.core, config: h.config.wecom!, logger: silentLogger, perMemberPerMinute: Infinity });
    h.running = await again.start();
    h.wecom.callbackUrl = h.running.url;
  };
  let steps = 0;
  for (;;) {
    const card = quizCard(userid)!;
    // Every card of the quiz is the same logical message, however often WeCom had to get a new one.
    expect(card.id.split('-')[0]).toBe(logical);
    const keys = quizKeys(card);
    const answer = keys.find((b) => b.key.startsWith('qz:a:'));
    const toggle = keys.find((b) => b.key.startsWith('qz:t:'));
    const next = keys.find((b) => b.key.startsWith('qz:n:'));
    const pick = answer ?? toggle ?? next;
    if (!pick) break;
    const push = await h.wecom.press(userid, card.id, pick.key);
    await h.wecom.redeliver(push);
    if (answer) await h.wecom.press(userid, card.id, pick.key);
    await h.core.drain();
    if (toggle) {
      const submit = quizKeys(quizCard(userid)!).find((b) => b.key.startsWith('qz:m:'))!;
      const p = await h.wecom.press(userid, quizCard(userid)!.id, submit.key);
      await h.wecom.redeliver(p);
      await h.core.drain();
    }
    expect(++steps).toBeLessThan(60);
    if (steps === 5) await restart();
  }
  const done = await attempt.attempts(user.id, '2026-W48');
  expect(done).toHaveLength(1);
  expect(done[0]!.status).toBe('completed');
  expect(await attempt.answers(done[0]!.id)).toHaveLength(10);
  const texts = h.wecom.screen(userid).map((m) => m.text).join('\n');
  expect(texts).toContain('得分：');
  // Each text message fits WeCom's 2,048 bytes.
  for (const t of h.wecom.texts(userid)) expect(Buffer.byteLength(t)).toBeLessThanOrEqual(2048);
});
