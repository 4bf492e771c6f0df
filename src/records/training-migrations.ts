/**
 * Training records: weekly quiz attempts, answers, weekly results, spaced-repetition cards, xAPI
 * statements and sent reminders. Written by the quiz feature, read by admin views and exports.
 *
 * Conventions shared by every reader and writer:
 * - `week` is the ISO week key in the configured time zone, e.g. '2026-W48' (src/quiz/week.ts).
 * - Scores are 0–100 (REAL); `passed` is 0/1 against the pass mark stored with the result.
 * - Writes that count toward a record are idempotent: answers are keyed by (attempt, question index),
 *   xAPI statements by their deterministic id, reminders by (user, week, kind).
 * - Times are ISO 8601 UTC strings; durations are milliseconds.
 */
import type { Migration } from './migrations.ts';

export const TRAINING_MIGRATIONS: Migration[] = [
  {
    id: 'training/0001_quiz_records',
    up: `
      -- One row per attempt at a user's weekly quiz. The questions are stored with the attempt, so a
      -- restart, a second device or an amended law never changes a quiz already under way.
      CREATE TABLE quiz_attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        week TEXT NOT NULL,
        attempt_no INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed')),
        -- JSON array of the questions as shown (type, stem, options, answer, law, article, version, explanation, id).
        questions TEXT NOT NULL,
        -- Index of the question the user is on (== number of questions answered while in progress).
        current_index INTEGER NOT NULL DEFAULT 0,
        correct_count INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL,
        score REAL,
        passed INTEGER CHECK (passed IN (0, 1)),
        pass_mark REAL NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        duration_ms INTEGER,
        -- The chat message that shows the quiz (edited as the quiz moves on).
        chat_id TEXT,
        message_id TEXT,
        UNIQUE (user_id, week, attempt_no)
      );
      CREATE INDEX quiz_attempts_week ON quiz_attempts(week, status);

      -- One row per answered question; the primary key makes a double tap or a redelivered update count once.
      CREATE TABLE quiz_answers (
        attempt_id INTEGER NOT NULL REFERENCES quiz_attempts(id) ON DELETE CASCADE,
        question_index INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('single', 'multiple', 'judge')),
        law TEXT NOT NULL,
        article INTEGER NOT NULL,
        article_suffix INTEGER NOT NULL DEFAULT 0,
        version TEXT NOT NULL DEFAULT '',
        -- JSON array of chosen option indexes.
        chosen TEXT NOT NULL,
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        answered_at TEXT NOT NULL,
        PRIMARY KEY (attempt_id, question_index)
      );
      CREATE INDEX quiz_answers_article ON quiz_answers(law, article, correct);
      CREATE INDEX quiz_answers_time ON quiz_answers(answered_at);

      -- The training record per user and week, derived from the attempts by the grading rule (best/last).
      -- status: not_started | in_progress | completed (finished, not passed) | passed.
      CREATE TABLE weekly_results (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        week TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed', 'passed')),
        score REAL,
        pass_mark REAL NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        duration_ms INTEGER NOT NULL DEFAULT 0,
        -- 学时 credited: config.quiz.hoursPerPass when passed, else 0. Credit comes only from passing.
        hours REAL NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, week)
      );
      CREATE INDEX weekly_results_week ON weekly_results(week, status);

      -- One spaced-repetition card per user and article (ts-fsrs Card as JSON); due_at drives review questions.
      CREATE TABLE review_cards (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        law TEXT NOT NULL,
        article INTEGER NOT NULL,
        article_suffix INTEGER NOT NULL DEFAULT 0,
        card TEXT NOT NULL,
        due_at TEXT NOT NULL,
        lapses INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, law, article, article_suffix)
      );
      CREATE INDEX review_cards_due ON review_cards(user_id, due_at);

      -- xAPI statements of finished attempts, stored for export; id is deterministic (staff id + week + attempt).
      CREATE TABLE xapi_statements (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        week TEXT NOT NULL,
        attempt_id INTEGER NOT NULL REFERENCES quiz_attempts(id) ON DELETE CASCADE,
        statement TEXT NOT NULL,
        stored_at TEXT NOT NULL
      );
      CREATE INDEX xapi_statements_week ON xapi_statements(week);

      -- Reminders already sent, so a restart or a second scheduler never sends one twice.
      CREATE TABLE reminders_sent (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        week TEXT NOT NULL,
        kind TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        PRIMARY KEY (user_id, week, kind)
      );
    `,
  },
  {
    id: 'training/0002_quiz_selection',
    up: `
      -- The options toggled on the current 多选题 before 提交 (JSON array of indexes; NULL when none), kept
      -- with the attempt so a restart or a second device shows the same ticks. Cleared when the question is answered.
      ALTER TABLE quiz_attempts ADD COLUMN selection TEXT;
      -- Open attempts of a user and week are looked up on every button press.
      CREATE INDEX quiz_attempts_user_status ON quiz_attempts(user_id, status, week);
    `,
  },
];
