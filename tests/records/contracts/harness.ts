/**
 * What every records contract suite runs on: an adapter factory (any adapter: SQLite today, PostgreSQL
 * tomorrow) opened fresh for each test with an injected clock, and small builders for rows made through
 * the ports themselves (never through an adapter's tables).
 */
import { afterEach, beforeEach } from 'vitest';
import type { AttemptQuestion, FinishDerived, QuizAttempt } from '../../../src/records/training.ts';
import type { Records } from '../../../src/records/ports.ts';
import type { Identity, NewUser, UserRecord } from '../../../src/records/types.ts';

/** Opens an empty records store whose clock is `now`. */
export type OpenRecords = (opts: { now: () => Date }) => Promise<Records>;

export interface ContractContext {
  records: Records;
  /** The adapter's clock; tests move it. */
  at: Date;
  /** Move the clock on. */
  tick(ms: number): void;
}

export const START = new Date('2026-11-16T01:00:00.000Z'); // Monday 09:00 in Shanghai, week 2026-W47

/** A fresh store for each test of the calling suite. */
export function useRecords(open: OpenRecords): ContractContext {
  const ctx = {
    records: undefined as unknown as Records,
    at: START,
    tick(ms: number) {
      ctx.at = new Date(ctx.at.getTime() + ms);
    },
  };
  beforeEach(async () => {
    ctx.at = START;
    ctx.records = await open({ now: () => ctx.at });
  });
  afterEach(async () => {
    await ctx.records.close();
  });
  return ctx;
}

export const tg = (id: string | number): Identity => ({ channel: 'telegram', id: String(id) });

/** An active, registered person on Telegram. */
export function person(records: Records, id: string | number, more: Partial<NewUser> = {}): Promise<UserRecord> {
  return records.users.create({ identity: tg(id), name: `同事${id}`, department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active', ...more });
}

/** A question of a law's article, as quizzes store them. */
export function question(i: number, article = 18, law = '中华人民共和国预算法'): AttemptQuestion {
  return {
    id: `${law}@2018-12-29:${article}:single:${i}`,
    type: 'single',
    stem: `第${i + 1}题`,
    options: ['甲', '乙', '丙', '丁'],
    answer: [0],
    law,
    article: `第${article}条`,
    articleNumber: article,
    articleSuffix: 0,
    version: '2018-12-29',
    explanation: `依据《${law}》第${article}条。`,
  };
}

/** What finishing writes, in the simplest rule: the last attempt's score, passed at 60. */
export const lastAttemptRule =
  (hours = 0.5) =>
  (finished: QuizAttempt[]): FinishDerived => {
    const last = finished.at(-1)!;
    const passed = (last.score ?? 0) >= last.passMark;
    return {
      weekly: {
        status: passed ? 'passed' : 'completed',
        score: last.score,
        passMark: last.passMark,
        attempts: finished.length,
        durationMs: finished.reduce((n, a) => n + (a.durationMs ?? 0), 0),
        hours: passed ? hours : 0,
      },
      statement: { id: `stmt-${last.userId}-${last.week}-${last.attemptNo}`, json: { actor: last.userId, week: last.week, attempt: last.attemptNo } },
    };
  };

/**
 * A whole attempt through the training port: start, answer each question (correct ones as given), finish.
 * Resolves with the finished attempt.
 */
export async function takeAttempt(
  ctx: ContractContext,
  user: UserRecord,
  week: string,
  correct: boolean[],
  questions: AttemptQuestion[] = correct.map((_, i) => question(i)),
): Promise<QuizAttempt> {
  const { training } = ctx.records;
  const started = await training.startAttempt({ userId: user.id, week, questions, passMark: 60, maxAttempts: 3, at: ctx.at });
  if (started.kind === 'exhausted') throw new Error('no attempts left');
  const attempt = started.attempt;
  for (let i = 0; i < questions.length; i++) {
    ctx.tick(10_000);
    await training.recordAnswer({ attemptId: attempt.id, index: i, chosen: correct[i] ? [0] : [1], correct: correct[i]!, at: ctx.at });
  }
  const score = Math.round((100 * correct.filter(Boolean).length) / correct.length);
  await training.finishAttempt({ attemptId: attempt.id, score, passed: score >= 60, at: ctx.at }, lastAttemptRule());
  return (await training.getAttempt(attempt.id))!;
}
