/**
 * The read model of the training records: what the dashboard, the admin chat commands and the exports
 * count. It returns counts and rows; rates, changes from last week, labels and week arithmetic are the
 * admin's (src/admin/stats.ts), so a second adapter only has to count the same way.
 *
 * Who counts in a week (应参加): people whose account is active now, registered before the week ended,
 * with at least one identity on a real channel (the local terminal operator is not staff).
 * 完成 (finished): the week's result is 'completed' or 'passed'.
 */
import type { WeeklyResult } from './training.ts';
import type { Identity, UserStatus } from './types.ts';

/** A quiz week as the read model needs it: its key and the instant it ends. */
export interface WeekWindow {
  key: string;
  end: Date;
}

export type GroupBy = 'overall' | 'department' | 'rank';

/** The eligible people of a week in one group, and how they did. */
export interface GroupCounts {
  /** Department or rank; '' for overall. */
  key: string;
  eligible: number;
  finished: number;
  passed: number;
  /** Mean week score of those who finished; null when nobody did. */
  avgScore: number | null;
  /** 学时 credited in the week. */
  hours: number;
}

/** Who a person is, as the admin's lists show them. */
export interface PersonSummary {
  userId: number;
  staffId: string;
  name: string;
  department: string;
  rank: string;
  roles: string[];
  accountStatus: UserStatus;
  /** Where the person can be reached, oldest first. */
  identities: Identity[];
}

/** A person and their result in one week (null: no result row that week). */
export interface PersonWeekRow extends PersonSummary {
  /** Counted in the week's figures. */
  eligible: boolean;
  result: Pick<WeeklyResult, 'status' | 'score' | 'passMark' | 'attempts' | 'durationMs' | 'hours'> | null;
}

/** Answers given in an instant range, or in the attempts of a week range (inclusive). */
export type AnswerRange = { since: Date; until: Date } | { fromWeek: string; toWeek: string };

export interface WeakArticleCounts {
  law: string;
  article: number;
  articleSuffix: number;
  /** Newest version the answers were given on. */
  version: string;
  answers: number;
  wrong: number;
  /** People who answered it wrong at least once. */
  people: number;
}

/** One person's weeks in a period (a list of weeks): counted only in the weeks the person was eligible. */
export interface PersonPeriodCounts extends PersonSummary {
  /** Weeks of the period the person counted in (应参加). */
  eligibleWeeks: number;
  finishedWeeks: number;
  passedWeeks: number;
  /** 学时 credited in those weeks. */
  hours: number;
  /** Sum of the week scores of the finished weeks (mean = scoreSum / finishedWeeks). */
  scoreSum: number;
  /** Time spent in finished attempts of those weeks. */
  durationMs: number;
}

/** How one question of the quizzes was answered in a week range. */
export interface QuestionCounts {
  questionId: string;
  type: 'single' | 'multiple' | 'judge';
  law: string;
  article: number;
  articleSuffix: number;
  version: string;
  /** As shown to people (from one attempt that had it). */
  stem: string;
  options: string[];
  /** Indexes of the right options. */
  answer: number[];
  answered: number;
  right: number;
  /** What was chosen and how often (right and wrong choices), most often first. */
  choices: { chosen: number[]; count: number }[];
}

/** A law's questions answered in a week range. */
export interface LawStudied {
  law: string;
  answers: number;
  wrong: number;
  /** Distinct articles asked about. */
  articles: number;
  /** People who answered at least one of its questions. */
  people: number;
}

/** A week range (inclusive week keys). */
export interface WeekRange {
  fromWeek: string;
  toWeek: string;
}

export interface TrainingReadModel {
  /** A week's eligible people and their results: one row overall, or one per department / rank (sorted by key). */
  groups(week: WeekWindow, by: GroupBy): Promise<GroupCounts[]>;
  /** A week's eligible people and anyone else with a result that week, by department, name, id. */
  peopleOfWeek(week: WeekWindow): Promise<PersonWeekRow[]>;
  /** Departments of active people reachable on a real channel, sorted. */
  departments(): Promise<string[]>;
  /**
   * Articles answered wrong at least once in a range (of one person, if given), most wrong first, then by
   * wrong rate, law, article; at most `limit` (20).
   */
  weakArticles(range: AnswerRange, opts?: { userId?: number; limit?: number }): Promise<WeakArticleCounts[]>;
  /** The stored xAPI statements of the weeks in range, by week, then as stored. */
  xapiStatements(fromWeek: string, toWeek: string): Promise<unknown[]>;
  /**
   * Every person eligible in at least one of the weeks, with their counts over those weeks (a week counts for
   * a person only if they were eligible in it), by department, name, id.
   */
  periodPeople(weeks: WeekWindow[]): Promise<PersonPeriodCounts[]>;
  /**
   * Week scores of the eligible people who finished, in the weeks given: `bins` counts (0–9, 10–19, …, 90–100
   * for 10 bins; 100 falls in the last).
   */
  scoreHistogram(weeks: WeekWindow[], bins?: number): Promise<number[]>;
  /** Questions answered in the attempts of a week range (of one article, if given), most wrong first; at most `limit` (200). */
  questionStats(range: WeekRange, opts?: { law?: string; article?: number; articleSuffix?: number; limit?: number }): Promise<QuestionCounts[]>;
  /** Laws whose questions were answered in the attempts of a week range, most answered first. */
  lawsStudied(range: WeekRange): Promise<LawStudied[]>;
}
