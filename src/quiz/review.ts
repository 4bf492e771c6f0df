/**
 * Spaced repetition of the articles a user got wrong: one FSRS card per user and article (ts-fsrs).
 * Cards are plain JSON (dates as ISO strings) so the records layer can store them as they are.
 * A wrong answer rates the card Again (it comes back within days), a right one Good (the gap grows).
 */
import { createEmptyCard, fsrs, generatorParameters, Rating, State, type Card, type FSRS } from 'ts-fsrs';
import { articleKey } from './types.ts';

export interface ReviewCard {
  staffId: string;
  /** articleKey(law, number, suffix): version-independent, so a card survives an amendment. */
  article: string;
  law: string;
  articleNumber: number;
  articleSuffix: number;
  /** When the article is due again (ISO 8601). */
  due: string;
  stability: number;
  difficulty: number;
  reps: number;
  lapses: number;
  state: 'new' | 'learning' | 'review' | 'relearning';
  lastReview?: string;
  /** ts-fsrs bookkeeping kept for the next review. */
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
}

export interface AnswerOutcome {
  staffId: string;
  law: string;
  articleNumber: number;
  articleSuffix?: number;
  correct: boolean;
  at: Date;
}

export interface ReviewScheduler {
  /**
   * The card after an answer: a wrong answer creates the card if there is none; a right answer to an
   * article without a card needs no review and returns undefined.
   */
  record(card: ReviewCard | undefined, outcome: AnswerOutcome): ReviewCard | undefined;
  /** Cards due by `until`, most overdue first (ties by article key, for determinism). */
  due(cards: readonly ReviewCard[], until: Date): ReviewCard[];
}

const STATE_NAMES: Record<State, ReviewCard['state']> = {
  [State.New]: 'new',
  [State.Learning]: 'learning',
  [State.Review]: 'review',
  [State.Relearning]: 'relearning',
};
const STATES = Object.fromEntries(Object.entries(STATE_NAMES).map(([k, v]) => [v, Number(k) as State])) as Record<ReviewCard['state'], State>;

function toFsrs(c: ReviewCard): Card {
  return {
    due: new Date(c.due),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsed_days: c.elapsedDays,
    scheduled_days: c.scheduledDays,
    learning_steps: c.learningSteps,
    reps: c.reps,
    lapses: c.lapses,
    state: STATES[c.state],
    ...(c.lastReview ? { last_review: new Date(c.lastReview) } : {}),
  };
}

export interface ReviewSchedulerOptions {
  /** Target probability of recalling an article when it comes back (FSRS default 0.9). */
  requestRetention?: number;
  /** Longest gap between reviews, in days. */
  maximumIntervalDays?: number;
}

/**
 * @example const s = createReviewScheduler(); const card = s.record(undefined, { staffId: 'S17', law: '中华人民共和国预算法', articleNumber: 18, correct: false, at: new Date() })
 */
export function createReviewScheduler(opts: ReviewSchedulerOptions = {}): ReviewScheduler {
  // Weekly quizzes work in days: no same-day learning steps, and no fuzz so schedules are reproducible.
  const f: FSRS = fsrs(
    generatorParameters({
      request_retention: opts.requestRetention ?? 0.9,
      maximum_interval: opts.maximumIntervalDays ?? 365,
      enable_fuzz: false,
      enable_short_term: false,
    }),
  );
  return {
    record(card, o) {
      if (!card && o.correct) return undefined;
      const key = articleKey(o.law, o.articleNumber, o.articleSuffix ?? 0);
      const current = card ? toFsrs(card) : createEmptyCard(o.at);
      const { card: next } = f.next(current, o.at, o.correct ? Rating.Good : Rating.Again);
      return {
        staffId: o.staffId,
        article: key,
        law: o.law,
        articleNumber: o.articleNumber,
        articleSuffix: o.articleSuffix ?? 0,
        due: next.due.toISOString(),
        stability: next.stability,
        difficulty: next.difficulty,
        reps: next.reps,
        lapses: next.lapses,
        state: STATE_NAMES[next.state],
        ...(next.last_review ? { lastReview: next.last_review.toISOString() } : {}),
        elapsedDays: next.elapsed_days,
        scheduledDays: next.scheduled_days,
        learningSteps: next.learning_steps,
      };
    },
    due(cards, until) {
      return cards
        .filter((c) => new Date(c.due).getTime() <= until.getTime())
        .sort((a, b) => a.due.localeCompare(b.due) || a.article.localeCompare(b.article));
    },
  };
}
