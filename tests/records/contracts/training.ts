/**
 * The contract of TrainingRepository: attempts start once, answers count once and move the attempt on,
 * finishing writes the week's result and statement in one step, reads give back what was written.
 */
import { describe, expect, it } from 'vitest';
import { lastAttemptRule, person, question, takeAttempt, useRecords, type OpenRecords } from './harness.ts';

export function trainingContract(open: OpenRecords) {
  describe('training', () => {
    const ctx = useRecords(open);
    const questions = [question(0, 18), question(1, 13), question(2, 57, '中华人民共和国会计法')];
    const start = (userId: number, maxAttempts = 2) =>
      ctx.records.training.startAttempt({ userId, week: '2026-W47', questions, passMark: 60, maxAttempts, at: ctx.at });

    it('starts an attempt once for two devices, keeps its questions, and marks the week in progress', async () => {
      const { training } = ctx.records;
      const u = await person(ctx.records, 1);
      const [a, b] = await Promise.all([start(u.id), start(u.id)]);
      expect([a.kind, b.kind].sort()).toEqual(['resumed', 'started']);
      if (a.kind === 'exhausted' || b.kind === 'exhausted') return;
      expect(a.attempt.id).toBe(b.attempt.id);
      expect(a.attempt).toMatchObject({ attemptNo: 1, status: 'in_progress', currentIndex: 0, total: 3, passMark: 60, questions, message: null, selection: [] });
      expect(await training.openAttempt(u.id, '2026-W47')).toEqual(a.attempt);
      expect(await training.weeklyResult(u.id, '2026-W47')).toMatchObject({ status: 'in_progress', attempts: 0 });
      await training.setMessage(a.attempt.id, { chatId: 'zhangsan', messageId: '77' });
      expect((await training.getAttempt(a.attempt.id))!.message).toEqual({ chatId: 'zhangsan', messageId: '77' });
    });

    it('records an answer to the current question exactly once; old, closed and unknown attempts are refused', async () => {
      const { training } = ctx.records;
      const u = await person(ctx.records, 1);
      const s = await start(u.id);
      if (s.kind === 'exhausted') throw new Error('exhausted');
      const id = s.attempt.id;
      expect(await training.setSelection(id, 0, [2, 0, 2])).toBe(true);
      expect((await training.getAttempt(id))!.selection).toEqual([0, 2]);
      expect(await training.setSelection(id, 1, [1])).toBe(false);
      const first = await training.recordAnswer({ attemptId: id, index: 0, chosen: [0], correct: true, at: ctx.at });
      expect(first).toMatchObject({ kind: 'recorded', attempt: { currentIndex: 1, correctCount: 1, selection: [] }, answer: { questionIndex: 0, questionId: questions[0]!.id, law: '中华人民共和国预算法', article: 18, chosen: [0], correct: true } });
      expect((await training.recordAnswer({ attemptId: id, index: 0, chosen: [1], correct: false, at: ctx.at })).kind).toBe('duplicate');
      expect((await training.recordAnswer({ attemptId: id, index: 2, chosen: [1], correct: false, at: ctx.at })).kind).toBe('not_current');
      expect((await training.recordAnswer({ attemptId: id + 99, index: 0, chosen: [1], correct: false, at: ctx.at })).kind).toBe('missing');
      expect((await training.answers(id)).map((a) => a.questionIndex)).toEqual([0]);
    });

    it('keeps one review card per article, computed from the current one in the same step', async () => {
      const { training } = ctx.records;
      const u = await person(ctx.records, 1);
      const s = await start(u.id);
      if (s.kind === 'exhausted') throw new Error('exhausted');
      const seen: unknown[] = [];
      const review = (current: { card: unknown; lapses: number } | undefined) => {
        seen.push(current?.card);
        return { card: { reps: ((current?.card as { reps?: number })?.reps ?? 0) + 1 }, dueAt: '2026-11-20T00:00:00.000Z', lapses: (current?.lapses ?? 0) + 1 };
      };
      await training.recordAnswer({ attemptId: s.attempt.id, index: 0, chosen: [1], correct: false, at: ctx.at }, review);
      await training.recordAnswer({ attemptId: s.attempt.id, index: 0, chosen: [1], correct: false, at: ctx.at }, review);
      expect(seen).toEqual([undefined]);
      expect(await training.cards(u.id)).toEqual([
        { userId: u.id, law: '中华人民共和国预算法', article: 18, articleSuffix: 0, card: { reps: 1 }, dueAt: '2026-11-20T00:00:00.000Z', lapses: 1 },
      ]);
    });

    it('finishes once: the week result and the statement come from the finished attempts', async () => {
      const { training } = ctx.records;
      const u = await person(ctx.records, 1);
      const failed = await takeAttempt(ctx, u, '2026-W47', [true, false, false], questions);
      expect(failed).toMatchObject({ status: 'completed', score: 33, passed: false, finishedAt: ctx.at.toISOString(), durationMs: 30_000 });
      expect(await training.finishAttempt({ attemptId: failed.id, score: 100, passed: true, at: ctx.at }, lastAttemptRule())).toBe(false);
      expect((await training.recordAnswer({ attemptId: failed.id, index: 3, chosen: [0], correct: true, at: ctx.at })).kind).toBe('closed');
      const passed = await takeAttempt(ctx, u, '2026-W47', [true, true, false], questions);
      expect(passed.attemptNo).toBe(2);
      expect(await training.weeklyResult(u.id, '2026-W47')).toMatchObject({ status: 'passed', score: 67, attempts: 2, durationMs: 60_000, hours: 0.5 });
      expect(await training.statement(`stmt-${u.id}-2026-W47-2`)).toEqual({ actor: u.id, week: '2026-W47', attempt: 2 });
      expect(await training.statement('nope')).toBeUndefined();
      expect((await start(u.id)).kind).toBe('exhausted');
      expect((await training.attempts(u.id, '2026-W47')).map((a) => a.attemptNo)).toEqual([1, 2]);
    });

    it('reads results newest week first within a range, seen questions and per-law mistakes', async () => {
      const { training } = ctx.records;
      const u = await person(ctx.records, 1);
      for (const week of ['2026-W45', '2026-W46', '2026-W47']) await takeAttempt(ctx, u, week, [true, false, false], questions);
      await training.ensureWeek(u.id, '2026-W48', 60, ctx.at);
      await training.ensureWeek(u.id, '2026-W47', 60, ctx.at); // never overwrites a result
      expect((await training.weeklyResults(u.id)).map((w) => [w.week, w.status])).toEqual([
        ['2026-W48', 'not_started'],
        ['2026-W47', 'completed'],
        ['2026-W46', 'completed'],
        ['2026-W45', 'completed'],
      ]);
      expect((await training.weeklyResults(u.id, { fromWeek: '2026-W46', toWeek: '2026-W47' })).map((w) => w.week)).toEqual(['2026-W47', '2026-W46']);
      expect([...(await training.seenQuestionIds(u.id))].sort()).toEqual(questions.map((q) => q.id).sort());
      expect(await training.lawStats(u.id)).toEqual([
        { law: '中华人民共和国会计法', answers: 3, wrong: 3 },
        { law: '中华人民共和国预算法', answers: 6, wrong: 3 },
      ]);
    });
  });
}
