/**
 * The training records behind the quiz: attempts, exactly-once answers, grading best vs last, 学时, FSRS
 * cards, xAPI statements, the /me figures, and the reminder schedule at given instants (no waiting).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createReminderScheduler, dueReminder, type ReminderKind } from '../../src/quiz/reminders.ts';
import type { QuizService, QuizUser } from '../../src/quiz/session.ts';
import type { ReminderTarget } from '../../src/records/training.ts';
import { openQuizStack, quizKnowledge, WEDNESDAY, type QuizStack } from './quiz-harness.ts';

let dir: string;
let clock: Date;
let stack: QuizStack | undefined;
beforeAll(async () => {
  await quizKnowledge();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-quiz-records-'));
  clock = WEDNESDAY;
});
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  await rm(dir, { recursive: true, force: true });
});

const open = (env: Record<string, string> = {}) => openQuizStack(dir, { now: () => clock, env });

async function staff(s: QuizStack, n: number, status: 'active' | 'pending' | 'disabled' = 'active') {
  const u = await s.records.users.create({ identity: { channel: 'telegram', id: String(5000 + n) }, name: `同事${n}`, roles: ['全体干部'], status: 'active' });
  if (status !== 'active') await s.records.users.transition(u.id, 'active', status);
  return u;
}

/** Take this week's quiz (a new attempt when one is finished), `right` questions answered right. */
async function take(quiz: QuizService, user: QuizUser, right: number, minutes = 5) {
  const r = await quiz.open(user, { retry: true });
  if (r.kind !== 'attempt') throw new Error(`no attempt: ${r.kind}`);
  const a = r.attempt;
  for (let i = 0; i < a.total; i++) {
    const q = a.questions[i]!;
    const wrong = q.options.findIndex((_, k) => !q.answer.includes(k));
    clock = new Date(clock.getTime() + (minutes * 60_000) / a.total);
    const res = await quiz.answer(user, a.id, i, i < right ? q.answer : [wrong]);
    expect(res.kind).toBe('recorded');
  }
  return (await quiz.attempt(a.id))!;
}

describe('attempts and answers', () => {
  it('snapshots the questions, counts every answer once, refuses other questions, and starts once for two devices', async () => {
    stack = await open();
    const u = await staff(stack, 1);
    const [a, b] = await Promise.all([stack.quiz.open(u), stack.quiz.open(u)]);
    expect(a.kind === 'attempt' && b.kind === 'attempt' && a.attempt.id === b.attempt.id).toBe(true);
    const attempt = (a as Extract<typeof a, { kind: 'attempt' }>).attempt;
    expect(attempt.questions).toHaveLength(10);
    expect(await stack.training.attempts(u.id, '2026-W48')).toHaveLength(1);
    expect(await stack.training.weeklyResult(u.id, '2026-W48')).toMatchObject({ status: 'in_progress', score: null, hours: 0 });

    const q0 = attempt.questions[0]!;
    const results = await Promise.all([1, 2, 3].map(() => stack!.quiz.answer(u, attempt.id, 0, q0.answer)));
    expect(results.map((r) => r.kind).sort()).toEqual(['duplicate', 'duplicate', 'recorded']);
    expect((await stack.quiz.answer(u, attempt.id, 5, [0])).kind).toBe('not_current');
    expect((await stack.quiz.answer(u, attempt.id, 0, [1, 2])).kind).toBe('duplicate');
    const answers = await stack.training.answers(attempt.id);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ questionIndex: 0, questionId: q0.id, law: q0.law, article: q0.articleNumber, version: q0.version, correct: true });
    expect((await stack.quiz.attempt(attempt.id))!).toMatchObject({ currentIndex: 1, correctCount: 1 });

    // The same user and week plan the same questions (a second database, same staff id).
    const again = await stack.quiz.open(u);
    expect(again.kind === 'attempt' && again.attempt.questions.map((q) => q.id)).toEqual(attempt.questions.map((q) => q.id));
  });

  it('grades by the best attempt or the last, credits 学时 only for a pass, stores one xAPI statement per attempt', async () => {
    for (const grading of ['best', 'last'] as const) {
      await stack?.close();
      stack = await open({ QUIZ_GRADING: grading, QUIZ_ATTEMPTS_PER_WEEK: '2', QUIZ_HOURS_PER_PASS: '0.5' });
      const u = await staff(stack, grading === 'best' ? 10 : 11);
      const first = await take(stack.quiz, u, 8, 6);
      expect(first).toMatchObject({ status: 'completed', score: 80, passed: true, durationMs: 6 * 60_000 });
      expect(await stack.training.weeklyResult(u.id, '2026-W48')).toMatchObject({ status: 'passed', score: 80, attempts: 1, hours: 0.5 });
      const second = await take(stack.quiz, u, 4, 4);
      expect(second).toMatchObject({ attemptNo: 2, score: 40, passed: false });
      const week = await stack.training.weeklyResult(u.id, '2026-W48');
      if (grading === 'best') expect(week).toMatchObject({ status: 'passed', score: 80, attempts: 2, hours: 0.5, durationMs: 10 * 60_000 });
      else expect(week).toMatchObject({ status: 'completed', score: 40, attempts: 2, hours: 0, durationMs: 10 * 60_000 });
      // No third attempt: the week's result instead.
      const third = await stack.quiz.open(u, { retry: true });
      expect(third).toMatchObject({ kind: 'finished', attemptsLeft: 0 });
      const statements = stack.records.db.prepare('SELECT statement FROM xapi_statements WHERE user_id = ? ORDER BY stored_at').all(u.id) as { statement: string }[];
      expect(statements.map((s) => JSON.parse(s.statement).result.score.raw)).toEqual([80, 40]);
      expect(statements.map((s) => JSON.parse(s.statement).verb.id.split('/').pop())).toEqual(['passed', 'failed']);
      // Finishing again writes nothing (INSERT OR IGNORE on the deterministic id, and the attempt is closed).
      expect(await stack.training.finishAttempt({ attemptId: second.id, score: 100, passed: true, at: clock }, () => ({ weekly: {} as never }))).toBe(false);
      expect((stack.records.db.prepare('SELECT COUNT(*) AS n FROM xapi_statements WHERE user_id = ?').get(u.id) as { n: number }).n).toBe(2);
    }
  });

  it('keeps one FSRS card per article: a wrong answer makes it due within days, a right one pushes it out', async () => {
    stack = await open();
    const u = await staff(stack, 2);
    const attempt = await take(stack.quiz, u, 7);
    const cards = await stack.training.cards(u.id);
    expect(cards).toHaveLength(3);
    for (const c of cards) {
      const days = (new Date(c.dueAt).getTime() - clock.getTime()) / 86_400_000;
      expect(days).toBeLessThan(7);
      expect(attempt.questions.slice(7).some((q) => q.law === c.law && q.articleNumber === c.article)).toBe(true);
    }
    // A later right answer on a carded article schedules it further out.
    const card = cards[0]!;
    const before = new Date(card.dueAt).getTime();
    clock = new Date('2026-12-02T02:00:00Z');
    const next = await stack.quiz.open(u);
    if (next.kind !== 'attempt') throw new Error('no attempt next week');
    const reviews = next.attempt.questions.filter((q) => cards.some((c) => c.law === q.law && c.article === q.articleNumber));
    expect(reviews.length).toBeGreaterThan(0);
    const i = next.attempt.questions.indexOf(reviews[0]!);
    for (let k = 0; k <= i; k++) {
      const q = next.attempt.questions[k]!;
      await stack.quiz.answer(u, next.attempt.id, k, q.answer);
    }
    const after = (await stack.training.cards(u.id)).find((c) => c.law === reviews[0]!.law && c.article === reviews[0]!.articleNumber)!;
    expect(new Date(after.dueAt).getTime() - clock.getTime()).toBeGreaterThan(before - WEDNESDAY.getTime());
  });
});

describe('/me figures', () => {
  it('this week, the year (weeks passed, hours), the streak of passed weeks, and the weakest laws', async () => {
    stack = await open();
    const u = await staff(stack, 3);
    const put = stack.records.db.prepare(
      "INSERT INTO weekly_results (user_id, week, status, score, pass_mark, attempts, duration_ms, hours, updated_at) VALUES (?, ?, ?, ?, 60, 1, 1000, ?, '2026-01-01T00:00:00Z')",
    );
    // 2025-W52 passed (last year), 2026-W01 passed, W02 failed, W45–W47 passed.
    put.run(u.id, '2025-W52', 'passed', 90, 0.5);
    put.run(u.id, '2026-W01', 'passed', 80, 0.5);
    put.run(u.id, '2026-W02', 'completed', 40, 0);
    for (const w of ['2026-W45', '2026-W46', '2026-W47']) put.run(u.id, w, 'passed', 70, 0.5);
    let p = await stack.quiz.profile(u);
    expect(p).toMatchObject({ status: 'not_started', year: { year: 2026, weeksPassed: 4, hours: 2 }, streak: 3, weakLaws: [] });
    await take(stack.quiz, u, 6);
    p = await stack.quiz.profile(u);
    expect(p).toMatchObject({ status: 'passed', year: { weeksPassed: 5, hours: 2.5 }, streak: 4 });
    expect((await stack.training.lawStats(u.id)).reduce((n, w) => n + w.wrong, 0)).toBe(4);
    expect(p.weakLaws.length).toBeGreaterThan(0);
    expect(p.weakLaws.length).toBeLessThanOrEqual(3);
    expect(p.weakLaws[0]!.wrong).toBeGreaterThanOrEqual(p.weakLaws.at(-1)!.wrong);
  });
});

describe('reminders', () => {
  const SH = { MONDAY_0900: new Date('2026-11-23T01:00:00Z'), THURSDAY_1459: new Date('2026-11-26T06:59:00Z'), THURSDAY_1500: new Date('2026-11-26T07:00:00Z'), SUNDAY_1000: new Date('2026-11-29T02:00:00Z') };

  it('knows which reminder is due, in the configured time zone', () => {
    const settings = { timezone: 'Asia/Shanghai', openAt: '09:00', remindThursdayAt: '15:00', remindSundayAt: '10:00', passMark: 60 };
    expect(dueReminder(new Date('2026-11-23T00:59:00Z'), settings).kind).toBeUndefined();
    expect(dueReminder(SH.MONDAY_0900, settings)).toMatchObject({ kind: 'open', week: { key: '2026-W48' } });
    expect(dueReminder(SH.THURSDAY_1459, settings).kind).toBe('open');
    expect(dueReminder(SH.THURSDAY_1500, settings).kind).toBe('thursday');
    expect(dueReminder(SH.SUNDAY_1000, settings).kind).toBe('sunday');
    // Sunday 23:30 in Shanghai is still that week; in UTC it is Sunday 15:30.
    expect(dueReminder(new Date('2026-11-29T15:30:00Z'), settings)).toMatchObject({ kind: 'sunday', week: { key: '2026-W48' } });
    // Another zone: Thursday 15:00 in Berlin is 14:00 UTC.
    const berlin = { ...settings, timezone: 'Europe/Berlin' };
    expect(dueReminder(new Date('2026-11-26T13:59:00Z'), berlin).kind).toBe('open');
    expect(dueReminder(new Date('2026-11-26T14:00:00Z'), berlin).kind).toBe('thursday');
  });

  it('opens the week for every active user, reminds only the unfinished, each once, also after a restart', async () => {
    stack = await open();
    const done = await staff(stack, 20);
    const started = await staff(stack, 21);
    const idle = await staff(stack, 22);
    const failing = await staff(stack, 23);
    await staff(stack, 24, 'pending');
    await staff(stack, 25, 'disabled');
    const sent: { user: number; kind: ReminderKind }[] = [];
    const broken = new Set<number>([failing.id]);
    const scheduler = () =>
      createReminderScheduler({
        training: stack!.training,
        settings: stack!.config.quiz,
        send: async (t: ReminderTarget, kind) => {
          if (broken.has(t.userId)) throw new Error('403 blocked');
          sent.push({ user: t.userId, kind });
        },
      });
    const s1 = scheduler();
    expect(await s1.runDue(new Date('2026-11-23T00:30:00Z'))).toMatchObject({ sent: 0 });
    expect(await s1.runDue(SH.MONDAY_0900)).toMatchObject({ week: '2026-W48', kind: 'open', sent: 3, failed: 1 });
    expect(sent.map((x) => x.user).sort()).toEqual([done.id, started.id, idle.id].sort());
    expect(await stack.training.weeklyResult(idle.id, '2026-W48')).toMatchObject({ status: 'not_started' });

    // One finishes, one is half way; Thursday 15:00 reminds the unfinished only.
    clock = new Date('2026-11-24T02:00:00Z');
    await take(stack.quiz, done, 9);
    const half = await stack.quiz.open(started);
    if (half.kind !== 'attempt') throw new Error('no attempt');
    await stack.quiz.answer(started, half.attempt.id, 0, half.attempt.questions[0]!.answer);
    sent.length = 0;
    broken.clear();
    expect(await s1.runDue(SH.THURSDAY_1500)).toMatchObject({ kind: 'thursday', sent: 3 });
    expect(sent.map((x) => x.user).sort()).toEqual([started.id, idle.id, failing.id].sort());
    // Again, and after a restart (a new scheduler on the same database): nothing more.
    expect(await s1.runDue(new Date(SH.THURSDAY_1500.getTime() + 60_000))).toMatchObject({ sent: 0 });
    expect(await scheduler().runDue(new Date(SH.THURSDAY_1500.getTime() + 3600_000))).toMatchObject({ sent: 0 });
    // The failed open message was given back and goes out before Thursday's time.
    sent.length = 0;
    expect(await scheduler().runDue(SH.THURSDAY_1459)).toMatchObject({ kind: 'open', sent: 1 });
    expect(sent).toEqual([{ user: failing.id, kind: 'open' }]);
    // Sunday: the finished user is never reminded.
    sent.length = 0;
    await scheduler().runDue(SH.SUNDAY_1000);
    expect(sent.map((x) => x.user)).not.toContain(done.id);
    expect(sent.map((x) => x.kind)).toEqual(['sunday', 'sunday', 'sunday']);
    const rows = stack.records.db.prepare('SELECT kind, COUNT(*) AS n FROM reminders_sent GROUP BY kind ORDER BY kind').all();
    expect(rows).toEqual([{ kind: 'open', n: 4 }, { kind: 'sunday', n: 3 }, { kind: 'thursday', n: 3 }]);
  });

  it('starts its cron jobs and stops cleanly', async () => {
    stack = await open();
    const s = createReminderScheduler({ training: stack.training, settings: stack.config.quiz, send: async () => {}, now: () => new Date('2026-11-23T00:00:00Z') });
    s.start();
    await s.stop();
  });
});
