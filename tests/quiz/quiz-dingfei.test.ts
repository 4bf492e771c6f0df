/**
 * The weekly quiz over DingTalk (interactive cards) and over Feishu (cards), each through its real SDK
 * against its local stand-in, records on disk: a whole quiz from /quiz to the summary, with a press the
 * server redelivers and a press made while the connection is down (delivered after the reconnect). The
 * training record holds each answer exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDingTalkBot } from '../../src/chat/dingtalk/bot.ts';
import { createFeishuBot } from '../../src/chat/feishu/bot.ts';
import { silentLogger } from '../../src/log.ts';
import { startDingTalkServer } from '../helpers/dingtalk-server.ts';
import { startFeishuServer } from '../helpers/feishu-server.ts';
import { openQuizStack, quizKnowledge, type QuizStack } from './quiz-harness.ts';

let dir: string;
beforeAll(async () => {
  await quizKnowledge();
  dir = await mkdtemp(join(tmpdir(), 'pufa-quiz-dingfei-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Seen {
  text: string;
  buttons: { text: string; data: string }[];
}

/** One press on the quiz message, with what the transport may do to it: redeliver the press, or drop the connection first. */
type Press = (data: string, twist?: 'redeliver' | 'offline') => Promise<Seen>;

/** What `redeliver` does must not add an answer to this week's attempt. */
async function expectRecordedOnce(stack: QuizStack, userId: number, redeliver: () => Promise<void>) {
  const recorded = async () => (await stack.training.answers((await stack.training.openAttempt(userId, '2026-W48'))!.id)).length;
  const before = await recorded();
  await redeliver();
  await stack.core.drain();
  expect(await recorded()).toBe(before);
}

const isQuiz = (b: { data: string }) => /^qz:[atmn]:/.test(b.data);

/** Play from the first question to the summary; the 3rd answer is redelivered, the 6th is pressed while offline. */
async function play(first: Seen, press: Press): Promise<{ summary: string; answered: number }> {
  let seen = first;
  let answered = 0;
  for (let step = 0; step < 60; step++) {
    const answers = seen.buttons.filter((b) => b.data.startsWith('qz:a:'));
    const toggles = seen.buttons.filter((b) => b.data.startsWith('qz:t:'));
    const next = seen.buttons.find((b) => b.data.startsWith('qz:n:'));
    const twist = answered === 2 ? 'redeliver' : answered === 5 ? 'offline' : undefined;
    if (answers.length) {
      seen = await press(answers[0]!.data, twist);
      answered++;
    } else if (toggles.length) {
      const ticked = await press(toggles[0]!.data);
      seen = await press(ticked.buttons.find((b) => b.data.startsWith('qz:m:'))!.data, twist);
      answered++;
    } else if (next) {
      seen = await press(next.data);
    } else {
      return { summary: seen.text, answered };
    }
  }
  throw new Error('the quiz did not end');
}

it('a full weekly quiz over DingTalk is recorded exactly once under a redelivered press and a dropped connection', async () => {
  const dt = await startDingTalkServer({ cardTemplateId: 'pufa-card.schema' });
  const stack = await openQuizStack(join(dir, 'dingtalk'), { env: dt.env() });
  const bot = createDingTalkBot({ core: stack.core, config: stack.config, logger: silentLogger, backoff: { initialMs: 20, maxMs: 200 } });
  const running = await bot.start();
  try {
    const alice = { staffId: '0420001', nick: '张三' };
    const staff = await stack.records.users.create({ identity: { channel: 'dingtalk', id: alice.staffId }, name: '张三', department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
    dt.write(alice, '/quiz');
    const card = await dt.waitForMessage((m) => m.chatId === 'user:0420001' && m.buttons.some(isQuiz));
    const press: Press = async (data, twist) => {
      const before = card.updatedAt;
      if (twist === 'offline') dt.drop();
      const frame = dt.press(alice, card.id, data);
      const updated = await dt.waitForUpdate(card.id, before);
      await dt.waitForAck(frame);
      if (twist === 'redeliver') {
        await expectRecordedOnce(stack, staff.id, async () => {
          dt.acks.delete(frame.headers.messageId!);
          dt.redeliver(frame);
          await dt.waitForAck(frame);
        });
      }
      return { text: updated.text, buttons: updated.buttons };
    };
    const connections = dt.connections();
    const { summary, answered } = await play({ text: card.text, buttons: card.buttons }, press);
    expect(dt.connections()).toBeGreaterThan(connections);
    expect(answered).toBe(10);
    expect(summary).toContain('得分：');
    await stack.core.drain();
    const week = await stack.training.weeklyResult(staff.id, '2026-W48');
    expect(week).toMatchObject({ attempts: 1 });
    const attempts = await stack.training.weeklyResults(staff.id);
    expect(attempts).toHaveLength(1);
    // One message for the whole quiz: the card, edited in place.
    expect(dt.screen('user:0420001').filter((m) => m.buttons.some(isQuiz) || m.text.includes('得分：'))).toHaveLength(1);
  } finally {
    await running.stop();
    await stack.close();
    await dt.close();
  }
});

it('a full weekly quiz over Feishu is recorded exactly once under a redelivered press and a dropped connection', async () => {
  const fs = await startFeishuServer();
  const stack = await openQuizStack(join(dir, 'feishu'), { env: fs.env() });
  const running = await createFeishuBot({ core: stack.core, config: stack.config, logger: silentLogger }).start();
  try {
    const alice = { openId: 'ou_alice', name: '张三' };
    const staff = await stack.records.users.create({ identity: { channel: 'feishu', id: alice.openId }, name: '张三', department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
    fs.write(alice, '/quiz');
    const card = await fs.waitForMessage((m) => m.chatId === fs.privateChat(alice) && m.buttons.some(isQuiz));
    const press: Press = async (data, twist) => {
      const before = card.updatedAt;
      if (twist === 'offline') fs.drop();
      const ev = fs.press(alice, card.id, data);
      const updated = await fs.waitForUpdate(card.id, before);
      await fs.waitForResponse(ev);
      if (twist === 'redeliver') {
        await expectRecordedOnce(stack, staff.id, async () => {
          fs.redeliver(ev);
          await fs.waitForResponse(ev);
        });
      }
      return { text: updated.text, buttons: updated.buttons };
    };
    const connections = fs.connections();
    const { summary, answered } = await play({ text: card.text, buttons: card.buttons }, press);
    expect(fs.connections()).toBeGreaterThan(connections);
    expect(answered).toBe(10);
    expect(summary).toContain('得分：');
    await stack.core.drain();
    expect(await stack.training.weeklyResult(staff.id, '2026-W48')).toMatchObject({ attempts: 1 });
    expect(await stack.training.weeklyResults(staff.id)).toHaveLength(1);
    expect(fs.screen(fs.privateChat(alice)).filter((m) => m.buttons.some(isQuiz) || m.text.includes('得分：'))).toHaveLength(1);
  } finally {
    await running.stop();
    await stack.close();
    await fs.close();
  }
});
