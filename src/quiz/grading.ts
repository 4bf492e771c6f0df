/**
 * Grading, as in Moodle quizzes: each question right or wrong (多选 only when exactly the right set is
 * chosen), a score of 0–100, a pass mark, a number of attempts per week, and the best or the last attempt
 * counting. Pure functions over plain attempt data that the records layer stores.
 */
import type { Question } from './types.ts';

/** Right when the chosen options are exactly the answer (order and repeats ignored). */
export function isCorrect(question: Pick<Question, 'answer'>, chosen: readonly number[]): boolean {
  const a = new Set(question.answer);
  const c = new Set(chosen);
  return a.size === c.size && [...a].every((i) => c.has(i));
}

export interface ScoreResult {
  correct: number;
  total: number;
  /** 0–100, rounded to a whole number. */
  score: number;
}

/** Score a set of responses (unanswered questions count as wrong). */
export function scoreAttempt(questions: readonly Pick<Question, 'answer'>[], responses: readonly (readonly number[] | undefined)[]): ScoreResult {
  const correct = questions.filter((q, i) => responses[i] !== undefined && isCorrect(q, responses[i]!)).length;
  const total = questions.length;
  return { correct, total, score: total === 0 ? 0 : Math.round((100 * correct) / total) };
}

export function isPassing(score: number, passMark: number): boolean {
  return score >= passMark;
}

export interface FinishedAttempt {
  /** 1-based attempt number within the week. */
  attempt: number;
  score: number;
  /** ISO 8601. */
  finishedAt: string;
  durationMs: number;
}

export interface WeekGrade {
  /** The attempt that counts. */
  attempt: number;
  score: number;
  passed: boolean;
  attemptsUsed: number;
}

/**
 * The week's grade from its finished attempts: the best score (the earliest attempt on a tie) or the last
 * attempt, per config.quiz.grading. undefined when no attempt is finished.
 */
export function weekGrade(attempts: readonly FinishedAttempt[], grading: 'best' | 'last', passMark: number): WeekGrade | undefined {
  if (attempts.length === 0) return undefined;
  const sorted = [...attempts].sort((a, b) => a.attempt - b.attempt);
  const counting =
    grading === 'last' ? sorted[sorted.length - 1]! : sorted.reduce((best, a) => (a.score > best.score ? a : best), sorted[0]!);
  return { attempt: counting.attempt, score: counting.score, passed: isPassing(counting.score, passMark), attemptsUsed: sorted.length };
}

/** Attempts still allowed this week (config.quiz.attemptsPerWeek). */
export function attemptsLeft(attemptsUsed: number, attemptsPerWeek: number): number {
  return Math.max(0, attemptsPerWeek - attemptsUsed);
}

/** Training hours (学时) a week earns: config.quiz.hoursPerPass when passed, else none. */
export function creditedHours(grade: WeekGrade | undefined, hoursPerPass: number): number {
  return grade?.passed ? hoursPerPass : 0;
}
