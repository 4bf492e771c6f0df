/**
 * The training repository: weekly quiz attempts, answers, weekly results, review cards, xAPI statements
 * and sent reminders, over the pinned tables of training-migrations.ts (read their header for the column
 * conventions). Every write that counts is idempotent and atomic: an answer is keyed by (attempt, index)
 * and moves the attempt on in the same transaction, so a double tap or a redelivered update counts once.
 * Grading rules live in src/quiz; this module only stores what it is given (imports flow quiz → records).
 */
import type Database from 'better-sqlite3';
import { identitiesByUser } from './sqlite-users.ts';
import type { ChannelId, Identity } from './types.ts';

export type WeekStatus = 'not_started' | 'in_progress' | 'completed' | 'passed';

/** A question as stored with its attempt (the quiz's Question is one; extra fields are kept as they are). */
export interface AttemptQuestion {
  /** Deterministic id: law title + version + article + type + the blanked span (src/quiz questionId). */
  id: string;
  type: 'single' | 'multiple' | 'judge';
  stem: string;
  options: string[];
  /** Indexes into options; judge questions use options ['正确', '错误']. */
  answer: number[];
  /** Full law title: 中华人民共和国预算法. */
  law: string;
  /** Label as printed: 第十八条. */
  article: string;
  articleNumber: number;
  articleSuffix: number;
  /** Law version date YYYY-MM-DD the question was made from. */
  version: string;
  /** 「依据《…》第…条：<article text>」 plus, where useful, why the other options are wrong. */
  explanation: string;
}

export interface QuizAttempt {
  id: number;
  userId: number;
  week: string;
  attemptNo: number;
  status: 'in_progress' | 'completed';
  questions: AttemptQuestion[];
  /** The question the user is on (== questions answered while in progress). */
  currentIndex: number;
  correctCount: number;
  total: number;
  score: number | null;
  passed: boolean | null;
  passMark: number;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** The chat message that shows the quiz. */
  message: { chatId: string; messageId: string } | null;
  /** Options toggled on the current 多选题. */
  selection: number[];
}

export interface QuizAnswerRecord {
  attemptId: number;
  questionIndex: number;
  questionId: string;
  type: AttemptQuestion['type'];
  law: string;
  article: number;
  articleSuffix: number;
  version: string;
  chosen: number[];
  correct: boolean;
  answeredAt: string;
}

export interface WeeklyResult {
  userId: number;
  week: string;
  status: WeekStatus;
  score: number | null;
  passMark: number;
  /** Finished attempts. */
  attempts: number;
  /** Time spent in finished attempts. */
  durationMs: number;
  /** 学时 credited (only for a passed week). */
  hours: number;
  updatedAt: string;
}

/** One spaced-repetition card per user and article; `card` is the quiz's ReviewCard as JSON. */
export interface StoredReviewCard {
  userId: number;
  law: string;
  article: number;
  articleSuffix: number;
  card: unknown;
  dueAt: string;
  lapses: number;
}

export type CardUpdate = { card: unknown; dueAt: string; lapses: number } | undefined;

export type StartOutcome =
  | { kind: 'started' | 'resumed'; attempt: QuizAttempt }
  | { kind: 'exhausted'; attemptsUsed: number };

export type AnswerOutcome =
  /** Counted now; `attempt` is the attempt after the answer. */
  | { kind: 'recorded'; attempt: QuizAttempt; answer: QuizAnswerRecord }
  /** That question was answered before (a double tap, a redelivered update): nothing changed. */
  | { kind: 'duplicate'; attempt: QuizAttempt; answer: QuizAnswerRecord }
  /** Not the question the user is on (an old button): refused. */
  | { kind: 'not_current'; attempt: QuizAttempt }
  /** The attempt is finished. */
  | { kind: 'closed'; attempt: QuizAttempt }
  | { kind: 'missing' };

export interface NewAnswer {
  attemptId: number;
  index: number;
  chosen: number[];
  correct: boolean;
  at: Date;
}

export interface FinishInput {
  attemptId: number;
  score: number;
  passed: boolean;
  at: Date;
}

/** What finishing derives from the week's finished attempts (this one included): the result and the xAPI statement. */
export interface FinishDerived {
  weekly: Omit<WeeklyResult, 'userId' | 'week' | 'updatedAt'>;
  statement?: { id: string; json: unknown };
}

export interface ReminderTarget {
  userId: number;
  staffId: string;
  name: string;
  /** Where the person can be reached (never the local terminal), oldest first. */
  identities: Identity[];
}

/** Reminders sent, so a restart, a second scheduler or a second admin never sends one twice. */
export interface ReminderLog {
  /**
   * Active people reachable on a channel (one of `channels`, else any but the local terminal) who have not
   * been sent this reminder for the week (and, with `unfinishedOnly`, have not finished the week's quiz).
   */
  reminderTargets(week: string, kind: string, opts: { unfinishedOnly: boolean; channels?: ChannelId[] }): Promise<ReminderTarget[]>;
  /** True the first time a (user, week, kind) reminder is claimed; false ever after. */
  claimReminder(userId: number, week: string, kind: string, at: Date): Promise<boolean>;
  /** Give a claim back (the message could not be sent), so a later run tries again. */
  releaseReminder(userId: number, week: string, kind: string): Promise<void>;
  /** The people sent (or being sent) this reminder in the week. */
  remindersSent(week: string, kind: string): Promise<Set<number>>;
}

export interface UserQuizStats {
  law: string;
  answers: number;
  wrong: number;
}

export interface TrainingRepository extends ReminderLog {
  getAttempt(id: number): Promise<QuizAttempt | undefined>;
  /** The attempt in progress of a user and week, if any. */
  openAttempt(userId: number, week: string): Promise<QuizAttempt | undefined>;
  /** Every attempt of a user and week, by attempt number. */
  attempts(userId: number, week: string): Promise<QuizAttempt[]>;
  /**
   * Resume the attempt in progress, or start the next one with these questions (at most `maxAttempts` a
   * week); marks the week in progress. Two devices starting at once get the same attempt.
   */
  startAttempt(input: { userId: number; week: string; questions: AttemptQuestion[]; passMark: number; maxAttempts: number; at: Date }): Promise<StartOutcome>;
  /** Remember which message shows the attempt (answers from other messages are refused). */
  setMessage(attemptId: number, ref: { chatId: string; messageId: string }): Promise<void>;
  /** Set the 多选 ticks of question `index`; false unless it is the current question of an open attempt. */
  setSelection(attemptId: number, index: number, selection: number[]): Promise<boolean>;
  /**
   * Record an answer to the current question, exactly once, and move the attempt on. `review` computes the
   * article's new card from its current one; it runs in the same transaction, only when the answer counts.
   */
  recordAnswer(answer: NewAnswer, review?: (current: StoredReviewCard | undefined) => CardUpdate): Promise<AnswerOutcome>;
  answers(attemptId: number): Promise<QuizAnswerRecord[]>;
  /**
   * Finish an attempt whose questions are all answered: score, pass, duration; then, in the same
   * transaction, the week's result and the xAPI statement that `derive` makes from the finished attempts.
   * False when it was finished already (nothing written).
   */
  finishAttempt(input: FinishInput, derive: (finished: QuizAttempt[]) => FinishDerived): Promise<boolean>;
  weeklyResult(userId: number, week: string): Promise<WeeklyResult | undefined>;
  /** A user's weekly results, newest week first. */
  weeklyResults(userId: number, opts?: { fromWeek?: string; toWeek?: string }): Promise<WeeklyResult[]>;
  /** Marks the week not started for a user with no result yet (the week's roll call). */
  ensureWeek(userId: number, week: string, passMark: number, at: Date): Promise<void>;
  cards(userId: number): Promise<StoredReviewCard[]>;
  /** Ids of the questions a user has answered (any week). */
  seenQuestionIds(userId: number): Promise<Set<string>>;
  /** Answers and wrong answers per law, most wrong first. */
  lawStats(userId: number): Promise<UserQuizStats[]>;
  statement(id: string): Promise<unknown | undefined>;
}

interface AttemptRow {
  id: number;
  user_id: number;
  week: string;
  attempt_no: number;
  status: 'in_progress' | 'completed';
  questions: string;
  current_index: number;
  correct_count: number;
  total: number;
  score: number | null;
  passed: number | null;
  pass_mark: number;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  chat_id: string | null;
  message_id: string | null;
  selection: string | null;
}

interface AnswerRow {
  attempt_id: number;
  question_index: number;
  question_id: string;
  type: AttemptQuestion['type'];
  law: string;
  article: number;
  article_suffix: number;
  version: string;
  chosen: string;
  correct: number;
  answered_at: string;
}

/** A weekly_results row as SQLite returns it. */
export interface WeeklyRow {
  user_id: number;
  week: string;
  status: WeekStatus;
  score: number | null;
  pass_mark: number;
  attempts: number;
  duration_ms: number;
  hours: number;
  updated_at: string;
}

interface CardRow {
  user_id: number;
  law: string;
  article: number;
  article_suffix: number;
  card: string;
  due_at: string;
  lapses: number;
}

// Questions are parsed once per attempt row version: button presses read the same attempt many times.
const questionCache = new Map<string, AttemptQuestion[]>();
function parseQuestions(json: string): AttemptQuestion[] {
  let qs = questionCache.get(json);
  if (!qs) {
    qs = JSON.parse(json) as AttemptQuestion[];
    if (questionCache.size > 2000) questionCache.clear();
    questionCache.set(json, qs);
  }
  return qs;
}

const toAttempt = (r: AttemptRow): QuizAttempt => ({
  id: r.id,
  userId: r.user_id,
  week: r.week,
  attemptNo: r.attempt_no,
  status: r.status,
  questions: parseQuestions(r.questions),
  currentIndex: r.current_index,
  correctCount: r.correct_count,
  total: r.total,
  score: r.score,
  passed: r.passed === null ? null : r.passed === 1,
  passMark: r.pass_mark,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  durationMs: r.duration_ms,
  message: r.chat_id && r.message_id ? { chatId: r.chat_id, messageId: r.message_id } : null,
  selection: r.selection ? (JSON.parse(r.selection) as number[]) : [],
});

const toAnswer = (r: AnswerRow): QuizAnswerRecord => ({
  attemptId: r.attempt_id,
  questionIndex: r.question_index,
  questionId: r.question_id,
  type: r.type,
  law: r.law,
  article: r.article,
  articleSuffix: r.article_suffix,
  version: r.version,
  chosen: JSON.parse(r.chosen) as number[],
  correct: r.correct === 1,
  answeredAt: r.answered_at,
});

/** A weekly_results row as the training record's WeeklyResult. */
export const toWeekly = (r: WeeklyRow): WeeklyResult => ({
  userId: r.user_id,
  week: r.week,
  status: r.status,
  score: r.score,
  passMark: r.pass_mark,
  attempts: r.attempts,
  durationMs: r.duration_ms,
  hours: r.hours,
  updatedAt: r.updated_at,
});

const toCard = (r: CardRow): StoredReviewCard => ({
  userId: r.user_id,
  law: r.law,
  article: r.article,
  articleSuffix: r.article_suffix,
  card: JSON.parse(r.card),
  dueAt: r.due_at,
  lapses: r.lapses,
});

/**
 * The SQLite implementation over an open records database (openSqliteRecords(...).db).
 * @example const training = createSqliteTraining(records.db)
 */
export function createSqliteTraining(db: Database.Database): TrainingRepository {
  const s = {
    attempt: db.prepare('SELECT * FROM quiz_attempts WHERE id = ?'),
    open: db.prepare("SELECT * FROM quiz_attempts WHERE user_id = ? AND week = ? AND status = 'in_progress' ORDER BY attempt_no DESC LIMIT 1"),
    attempts: db.prepare('SELECT * FROM quiz_attempts WHERE user_id = ? AND week = ? ORDER BY attempt_no'),
    countAttempts: db.prepare('SELECT COUNT(*) AS n FROM quiz_attempts WHERE user_id = ? AND week = ?'),
    insertAttempt: db.prepare(
      `INSERT INTO quiz_attempts (user_id, week, attempt_no, status, questions, current_index, correct_count, total, pass_mark, started_at)
       VALUES (?, ?, ?, 'in_progress', ?, 0, 0, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    weekInProgress: db.prepare(
      `INSERT INTO weekly_results (user_id, week, status, score, pass_mark, attempts, duration_ms, hours, updated_at)
       VALUES (?, ?, 'in_progress', NULL, ?, 0, 0, 0, ?)
       ON CONFLICT (user_id, week) DO UPDATE SET status = 'in_progress', updated_at = excluded.updated_at
       WHERE weekly_results.status = 'not_started'`,
    ),
    weekNotStarted: db.prepare(
      `INSERT INTO weekly_results (user_id, week, status, score, pass_mark, attempts, duration_ms, hours, updated_at)
       VALUES (?, ?, 'not_started', NULL, ?, 0, 0, 0, ?) ON CONFLICT DO NOTHING`,
    ),
    setMessage: db.prepare('UPDATE quiz_attempts SET chat_id = ?, message_id = ? WHERE id = ?'),
    setSelection: db.prepare(
      "UPDATE quiz_attempts SET selection = ? WHERE id = ? AND current_index = ? AND status = 'in_progress'",
    ),
    answer: db.prepare('SELECT * FROM quiz_answers WHERE attempt_id = ? AND question_index = ?'),
    answers: db.prepare('SELECT * FROM quiz_answers WHERE attempt_id = ? ORDER BY question_index'),
    insertAnswer: db.prepare(
      `INSERT OR IGNORE INTO quiz_answers (attempt_id, question_index, question_id, type, law, article, article_suffix, version, chosen, correct, answered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    advance: db.prepare(
      `UPDATE quiz_attempts SET current_index = current_index + 1, correct_count = correct_count + ?, selection = NULL
       WHERE id = ? AND current_index = ? AND status = 'in_progress'`,
    ),
    card: db.prepare('SELECT * FROM review_cards WHERE user_id = ? AND law = ? AND article = ? AND article_suffix = ?'),
    upsertCard: db.prepare(
      `INSERT INTO review_cards (user_id, law, article, article_suffix, card, due_at, lapses, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, law, article, article_suffix) DO UPDATE SET
         card = excluded.card, due_at = excluded.due_at, lapses = excluded.lapses, updated_at = excluded.updated_at`,
    ),
    cards: db.prepare('SELECT * FROM review_cards WHERE user_id = ? ORDER BY due_at, law, article, article_suffix'),
    finish: db.prepare(
      `UPDATE quiz_attempts SET status = 'completed', score = ?, passed = ?, finished_at = ?, duration_ms = ?, selection = NULL
       WHERE id = ? AND status = 'in_progress' AND current_index >= total`,
    ),
    finished: db.prepare("SELECT * FROM quiz_attempts WHERE user_id = ? AND week = ? AND status = 'completed' ORDER BY attempt_no"),
    upsertWeekly: db.prepare(
      `INSERT INTO weekly_results (user_id, week, status, score, pass_mark, attempts, duration_ms, hours, updated_at)
       VALUES (@userId, @week, @status, @score, @passMark, @attempts, @durationMs, @hours, @updatedAt)
       ON CONFLICT (user_id, week) DO UPDATE SET status = excluded.status, score = excluded.score, pass_mark = excluded.pass_mark,
         attempts = excluded.attempts, duration_ms = excluded.duration_ms, hours = excluded.hours, updated_at = excluded.updated_at`,
    ),
    insertStatement: db.prepare(
      'INSERT OR IGNORE INTO xapi_statements (id, user_id, week, attempt_id, statement, stored_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    statement: db.prepare('SELECT statement FROM xapi_statements WHERE id = ?'),
    weekly: db.prepare('SELECT * FROM weekly_results WHERE user_id = ? AND week = ?'),
    weeklies: db.prepare(
      'SELECT * FROM weekly_results WHERE user_id = ? AND week >= ? AND week <= ? ORDER BY week DESC',
    ),
    seen: db.prepare(
      'SELECT DISTINCT a.question_id AS id FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id WHERE t.user_id = ?',
    ),
    lawStats: db.prepare(
      `SELECT a.law AS law, COUNT(*) AS answers, SUM(1 - a.correct) AS wrong
       FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id
       WHERE t.user_id = ? GROUP BY a.law ORDER BY wrong DESC, CAST(wrong AS REAL) / answers DESC, a.law`,
    ),
    targets: db.prepare(
      `SELECT u.id AS userId, u.staff_id AS staffId, u.name AS name
       FROM users u
       WHERE u.status = 'active'
         AND EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = u.id AND i.channel <> 'local'
           AND (@channels IS NULL OR i.channel IN (SELECT value FROM json_each(@channels))))
         AND NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.user_id = u.id AND r.week = @week AND r.kind = @kind)
         AND (@unfinishedOnly = 0 OR NOT EXISTS (
           SELECT 1 FROM weekly_results w WHERE w.user_id = u.id AND w.week = @week AND w.status IN ('completed', 'passed')))
       ORDER BY u.id`,
    ),
    claim: db.prepare('INSERT OR IGNORE INTO reminders_sent (user_id, week, kind, sent_at) VALUES (?, ?, ?, ?)'),
    release: db.prepare('DELETE FROM reminders_sent WHERE user_id = ? AND week = ? AND kind = ?'),
    sent: db.prepare('SELECT user_id FROM reminders_sent WHERE week = ? AND kind = ?'),
  };
  const identitiesOf = identitiesByUser(db);

  const getAttempt = (id: number) => {
    const r = s.attempt.get(id) as AttemptRow | undefined;
    return r && toAttempt(r);
  };

  const start = db.transaction(
    (i: { userId: number; week: string; questions: AttemptQuestion[]; passMark: number; maxAttempts: number; at: Date }): StartOutcome => {
      const open = s.open.get(i.userId, i.week) as AttemptRow | undefined;
      if (open) return { kind: 'resumed', attempt: toAttempt(open) };
      const used = (s.countAttempts.get(i.userId, i.week) as { n: number }).n;
      if (used >= i.maxAttempts) return { kind: 'exhausted', attemptsUsed: used };
      const at = i.at.toISOString();
      s.insertAttempt.run(i.userId, i.week, used + 1, JSON.stringify(i.questions), i.questions.length, i.passMark, at);
      s.weekInProgress.run(i.userId, i.week, i.passMark, at);
      return { kind: 'started', attempt: toAttempt(s.open.get(i.userId, i.week) as AttemptRow) };
    },
  );

  const record = db.transaction((a: NewAnswer, review?: (current: StoredReviewCard | undefined) => CardUpdate): AnswerOutcome => {
    const row = s.attempt.get(a.attemptId) as AttemptRow | undefined;
    if (!row) return { kind: 'missing' };
    const attempt = toAttempt(row);
    const previous = s.answer.get(a.attemptId, a.index) as AnswerRow | undefined;
    if (previous) return { kind: 'duplicate', attempt, answer: toAnswer(previous) };
    if (attempt.status !== 'in_progress') return { kind: 'closed', attempt };
    if (a.index !== attempt.currentIndex || a.index >= attempt.total) return { kind: 'not_current', attempt };
    const q = attempt.questions[a.index]!;
    const at = a.at.toISOString();
    s.insertAnswer.run(a.attemptId, a.index, q.id, q.type, q.law, q.articleNumber, q.articleSuffix ?? 0, q.version ?? '', JSON.stringify(a.chosen), a.correct ? 1 : 0, at);
    s.advance.run(a.correct ? 1 : 0, a.attemptId, a.index);
    if (review) {
      const current = s.card.get(attempt.userId, q.law, q.articleNumber, q.articleSuffix ?? 0) as CardRow | undefined;
      const next = review(current && toCard(current));
      if (next) s.upsertCard.run(attempt.userId, q.law, q.articleNumber, q.articleSuffix ?? 0, JSON.stringify(next.card), next.dueAt, next.lapses, at);
    }
    return {
      kind: 'recorded',
      attempt: getAttempt(a.attemptId)!,
      answer: toAnswer(s.answer.get(a.attemptId, a.index) as AnswerRow),
    };
  });

  const finish = db.transaction((i: FinishInput, derive: (finished: QuizAttempt[]) => FinishDerived): boolean => {
    const row = s.attempt.get(i.attemptId) as AttemptRow | undefined;
    if (!row) return false;
    const durationMs = Math.max(0, i.at.getTime() - new Date(row.started_at).getTime());
    const at = i.at.toISOString();
    if (s.finish.run(i.score, i.passed ? 1 : 0, at, durationMs, i.attemptId).changes !== 1) return false;
    const finished = (s.finished.all(row.user_id, row.week) as AttemptRow[]).map(toAttempt);
    const { weekly, statement } = derive(finished);
    s.upsertWeekly.run({ ...weekly, userId: row.user_id, week: row.week, updatedAt: at });
    if (statement) s.insertStatement.run(statement.id, row.user_id, row.week, i.attemptId, JSON.stringify(statement.json), at);
    return true;
  });

  return {
    getAttempt: async (id) => getAttempt(id),
    async openAttempt(userId, week) {
      const r = s.open.get(userId, week) as AttemptRow | undefined;
      return r && toAttempt(r);
    },
    attempts: async (userId, week) => (s.attempts.all(userId, week) as AttemptRow[]).map(toAttempt),
    startAttempt: async (i) => start(i),
    async setMessage(attemptId, ref) {
      s.setMessage.run(ref.chatId, ref.messageId, attemptId);
    },
    setSelection: async (attemptId, index, selection) =>
      s.setSelection.run(selection.length ? JSON.stringify([...new Set(selection)].sort((a, b) => a - b)) : null, attemptId, index).changes === 1,
    recordAnswer: async (a, review) => record(a, review),
    answers: async (attemptId) => (s.answers.all(attemptId) as AnswerRow[]).map(toAnswer),
    finishAttempt: async (i, derive) => finish(i, derive),
    async weeklyResult(userId, week) {
      const r = s.weekly.get(userId, week) as WeeklyRow | undefined;
      return r && toWeekly(r);
    },
    weeklyResults: async (userId, o = {}) =>
      (s.weeklies.all(userId, o.fromWeek ?? '', o.toWeek ?? '\uffff') as WeeklyRow[]).map(toWeekly),
    async ensureWeek(userId, week, passMark, at) {
      s.weekNotStarted.run(userId, week, passMark, at.toISOString());
    },
    cards: async (userId) => (s.cards.all(userId) as CardRow[]).map(toCard),
    seenQuestionIds: async (userId) => new Set((s.seen.all(userId) as { id: string }[]).map((r) => r.id)),
    lawStats: async (userId) => s.lawStats.all(userId) as UserQuizStats[],
    async statement(id) {
      const r = s.statement.get(id) as { statement: string } | undefined;
      return r && JSON.parse(r.statement);
    },
    async reminderTargets(week, kind, o) {
      const channels = o.channels ? JSON.stringify(o.channels) : null;
      const rows = s.targets.all({ week, kind, unfinishedOnly: o.unfinishedOnly ? 1 : 0, channels }) as Omit<ReminderTarget, 'identities'>[];
      const identities = identitiesOf(rows.map((r) => r.userId));
      return rows.map((r) => ({ ...r, identities: (identities.get(r.userId) ?? []).filter((i) => i.channel !== 'local') }));
    },
    claimReminder: async (userId, week, kind, at) => s.claim.run(userId, week, kind, at.toISOString()).changes === 1,
    async releaseReminder(userId, week, kind) {
      s.release.run(userId, week, kind);
    },
    remindersSent: async (week, kind) => new Set((s.sent.all(week, kind) as { user_id: number }[]).map((r) => r.user_id)),
  };
}
