/**
 * Thirty colleagues take the weekly quiz at the same time through the local Bot API server: every answer
 * recorded exactly once, nobody's quiz lost or mixed with another's. Correctness only — the latency
 * figures for 300 users are scripts/bench-quiz.ts's job.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBotApiServer, type BotApiServer } from '../helpers/bot-api-server.ts';
import { callDispatcher, takeQuiz } from '../helpers/quiz-driver.ts';
import { activeStaff, quizKnowledge, startQuizBot, type QuizBot } from './quiz-harness.ts';

const USERS = 30;
let dir: string;
let api: BotApiServer;
let bot: QuizBot;
beforeAll(async () => {
  await quizKnowledge();
  dir = await mkdtemp(join(tmpdir(), 'pufa-quiz-many-'));
  api = await startBotApiServer();
  bot = await startQuizBot(dir, api);
});
afterAll(async () => {
  await bot.stop();
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

it(`${USERS} users at once: every answer exactly once, no quiz lost or mixed`, async () => {
  const people = Array.from({ length: USERS }, (_, i) => ({ id: 300_000 + i, first_name: `同事${i + 1}` }));
  const records = await Promise.all(people.map((p) => activeStaff(bot.records, p)));
  const d = callDispatcher(api);
  try {
    // Everyone answers with a different pattern, so a mixed-up answer would show in the scores.
    const plays = await Promise.all(people.map((p, u) => takeQuiz(api, d, p, { choose: (i, n) => (i + u) % n })));
    for (const [u, play] of plays.entries()) {
      expect(play.questions).toBe(10);
      expect(play.attemptIds.size).toBe(1);
      const attempt = (await bot.training.getAttempt(Number([...play.attemptIds][0])))!;
      expect(attempt.userId).toBe(records[u]!.id);
      expect(attempt).toMatchObject({ status: 'completed', currentIndex: 10 });
      const answers = await bot.training.answers(attempt.id);
      expect(answers.map((a) => a.questionIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // The chosen option of each answer is the one this user pressed, on this user's own questions.
      answers.forEach((a, i) => {
        expect(a.questionId).toBe(attempt.questions[i]!.id);
        expect(a.chosen).toEqual([(i + u) % attempt.questions[i]!.options.length]);
      });
      expect(play.summary).toContain(`得分：${attempt.score} 分`);
      expect(await bot.training.weeklyResult(records[u]!.id, '2026-W48')).toMatchObject({ attempts: 1, score: attempt.score });
    }
    const db = bot.records.db;
    expect((db.prepare('SELECT COUNT(*) AS n FROM quiz_answers').get() as { n: number }).n).toBe(USERS * 10);
    expect((db.prepare('SELECT COUNT(*) AS n FROM quiz_attempts').get() as { n: number }).n).toBe(USERS);
    expect((db.prepare('SELECT COUNT(*) AS n FROM xapi_statements').get() as { n: number }).n).toBe(USERS);
    // No edit ever went to another user's chat message.
    const byMessage = new Map<number, number>();
    for (const c of api.calls) if (c.method === 'sendMessage' && c.result) byMessage.set(Number(c.result.message_id), Number(c.payload.chat_id));
    for (const c of api.calls.filter((x) => x.method === 'editMessageText')) expect(byMessage.get(Number(c.payload.message_id))).toBe(Number(c.payload.chat_id));
  } finally {
    d.stop();
  }
});
