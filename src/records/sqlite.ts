/** The SQLite adapter of the records ports (better-sqlite3, WAL, foreign keys). */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { databaseOpenError } from './open-error.ts';
import { CORE_MIGRATIONS, runMigrations, type Migration } from './migrations.ts';
import { createSqliteReadModel } from './sqlite-read-model.ts';
import { createLinkCodeStore } from './sqlite-link-codes.ts';
import { createIdentityRepository, createUserRepository } from './sqlite-users.ts';
import { createSqliteTraining } from './training.ts';
import { TRAINING_MIGRATIONS } from './training-migrations.ts';
import { createSqliteInbox, INBOX_MIGRATIONS } from './inbox.ts';
import { ADMIN_MIGRATIONS, createSqliteAdminCredentials } from './admin-credentials.ts';
import type {
  AuditEntry,
  AuditLogRepository,
  Feedback,
  FeedbackFilter,
  NewQaEntry,
  ProcessedUpdates,
  QaEntry,
  QaLogRepository,
  SessionStore,
} from './types.ts';
import type { Records } from './ports.ts';

export interface OpenRecordsOptions {
  /** Feature migrations, applied after the core's (quizzes, admin). */
  migrations?: Migration[];
  now?: () => Date;
  /** Source of staff ids (tests pin it). */
  newStaffId?: () => string;
}

/** Records over SQLite. The raw handle is for the records module and tests that check rows directly. */
export interface SqliteRecords extends Records {
  db: Database.Database;
  /** Migrations applied while opening. */
  migrated: string[];
}

/** 10 characters of base32 (no 0/1/I/O to stay readable when read aloud): 'PF-7KQ2M9XAHD'. */
export function randomStaffId(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(10);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return `PF-${s}`;
}

/**
 * Open (creating if needed) the database file, set WAL and foreign keys, run migrations.
 * @example const records = openSqliteRecords(join(config.dataDir, 'pufa.sqlite'))
 */
export function openSqliteRecords(file: string, opts: OpenRecordsOptions = {}): SqliteRecords {
  const now = opts.now ?? (() => new Date());
  const newStaffId = opts.newStaffId ?? randomStaffId;
  let db: Database.Database | undefined;
  let migrated: string[];
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // Several processes (bot, backup, admin) may touch the file: wait for locks instead of failing.
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrated = runMigrations(db, [...CORE_MIGRATIONS, ...TRAINING_MIGRATIONS, ...INBOX_MIGRATIONS, ...ADMIN_MIGRATIONS, ...(opts.migrations ?? [])], now);
  } catch (err) {
    if (db?.open) db.close();
    throw databaseOpenError(err, file);
  }
  const iso = () => now().toISOString();

  const users = createUserRepository(db, iso, newStaffId);
  const training = createSqliteTraining(db);

  return {
    db,
    migrated,
    users,
    identities: createIdentityRepository(db, iso, users),
    linkCodes: createLinkCodeStore(db),
    qa: createQaRepository(db, iso),
    audit: createAuditRepository(db, iso),
    updates: createProcessedUpdates(db, iso),
    inbox: createSqliteInbox(db, now),
    sessions: createSessionStore(db, iso),
    training,
    reminders: training,
    stats: createSqliteReadModel(db),
    adminCredentials: createSqliteAdminCredentials(db, iso),
    async backup(destination) {
      mkdirSync(dirname(destination), { recursive: true });
      const result = await db.backup(destination);
      return result.totalPages;
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

interface QaRow {
  id: number;
  user_id: number;
  chat_id: string;
  question: string;
  answer: string;
  mode: string;
  citations: string;
  related: string;
  latency_ms: number;
  feedback: number | null;
  created_at: string;
}

function createQaRepository(db: Database.Database, iso: () => string): QaLogRepository {
  const toEntry = (r: QaRow | undefined): QaEntry | undefined =>
    r && {
      id: r.id,
      userId: r.user_id,
      chatId: r.chat_id,
      question: r.question,
      answer: r.answer,
      mode: r.mode,
      citations: JSON.parse(r.citations),
      related: JSON.parse(r.related),
      latencyMs: r.latency_ms,
      feedback: r.feedback === 1 || r.feedback === -1 ? (r.feedback as Feedback) : null,
      createdAt: r.created_at,
    };
  const insert = db.prepare(
    `INSERT INTO qa_log (user_id, chat_id, question, answer, mode, citations, related, latency_ms, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const get = db.prepare('SELECT * FROM qa_log WHERE id = ?');
  const feedback = db.prepare('UPDATE qa_log SET feedback = ?, feedback_at = ? WHERE id = ? AND user_id = ?');
  const count = db.prepare('SELECT COUNT(*) AS n FROM qa_log WHERE user_id = ?');
  const FEEDBACK_WHERE: Record<FeedbackFilter, string> = {
    all: '',
    up: 'WHERE feedback = 1',
    down: 'WHERE feedback = -1',
    none: 'WHERE feedback IS NULL',
  };
  const pages = Object.fromEntries(
    Object.entries(FEEDBACK_WHERE).map(([f, where]) => [
      f,
      {
        total: db.prepare(`SELECT COUNT(*) AS n FROM qa_log ${where}`),
        rows: db.prepare(`SELECT * FROM qa_log ${where} ORDER BY id DESC LIMIT ? OFFSET ?`),
      },
    ]),
  ) as Record<FeedbackFilter, { total: Database.Statement; rows: Database.Statement }>;
  return {
    async add(e: NewQaEntry) {
      const info = insert.run(
        e.userId,
        e.chatId,
        e.question,
        e.answer,
        e.mode,
        JSON.stringify(e.citations),
        JSON.stringify(e.related),
        Math.round(e.latencyMs),
        iso(),
      );
      return toEntry(get.get(info.lastInsertRowid) as QaRow)!;
    },
    get: async (id) => toEntry(get.get(id) as QaRow | undefined),
    setFeedback: async (id, userId, value) => feedback.run(value, iso(), id, userId).changes === 1,
    countByUser: async (userId) => (count.get(userId) as { n: number }).n,
    async recent({ userId, limit = 50 } = {}) {
      const rows =
        userId === undefined
          ? db.prepare('SELECT * FROM qa_log ORDER BY id DESC LIMIT ?').all(limit)
          : db.prepare('SELECT * FROM qa_log WHERE user_id = ? ORDER BY id DESC LIMIT ?').all(userId, limit);
      return (rows as QaRow[]).map((r) => toEntry(r)!);
    },
    async page({ feedback = 'all', limit, offset }) {
      const q = pages[feedback];
      return {
        total: (q.total.get() as { n: number }).n,
        entries: (q.rows.all(limit, offset) as QaRow[]).map((r) => toEntry(r)!),
      };
    },
  };
}

function createAuditRepository(db: Database.Database, iso: () => string): AuditLogRepository {
  const insert = db.prepare(
    'INSERT INTO audit_log (at, actor_user_id, action, target_user_id, detail) VALUES (?, ?, ?, ?, ?)',
  );
  type Row = { id: number; at: string; actor_user_id: number | null; action: string; target_user_id: number | null; detail: string };
  const PAGE_WHERE = `WHERE (@action IS NULL OR action = @action OR action LIKE @prefix ESCAPE '\\') AND (@actor IS NULL OR actor_user_id = @actor)`;
  const pageTotal = db.prepare(`SELECT COUNT(*) AS n FROM audit_log ${PAGE_WHERE}`);
  const pageRows = db.prepare(`SELECT * FROM audit_log ${PAGE_WHERE} ORDER BY id DESC LIMIT @limit OFFSET @offset`);
  const actionsQ = db.prepare('SELECT action, COUNT(*) AS count FROM audit_log GROUP BY action ORDER BY count DESC, action');
  const toEntry = (r: Row): AuditEntry => ({
    id: r.id,
    at: r.at,
    actorUserId: r.actor_user_id,
    action: r.action,
    targetUserId: r.target_user_id,
    detail: JSON.parse(r.detail),
  });
  return {
    async add(e) {
      const at = iso();
      const info = insert.run(at, e.actorUserId, e.action, e.targetUserId, JSON.stringify(e.detail));
      return { ...e, id: Number(info.lastInsertRowid), at };
    },
    async recent(limit = 100) {
      return (db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(toEntry);
    },
    async page({ action, actorUserId, limit, offset }) {
      const p = { action: action ?? null, prefix: action ? `${action.replace(/[\\%_]/g, '\\$&')}.%` : null, actor: actorUserId ?? null, limit, offset };
      return {
        total: (pageTotal.get(p) as { n: number }).n,
        entries: (pageRows.all(p) as Row[]).map(toEntry),
      };
    },
    actions: async () => actionsQ.all() as { action: string; count: number }[],
  };
}

function createProcessedUpdates(db: Database.Database, iso: () => string): ProcessedUpdates {
  const claim = db.prepare('INSERT OR IGNORE INTO processed_updates (source, update_id, processed_at) VALUES (?, ?, ?)');
  const prune = db.prepare('DELETE FROM processed_updates WHERE processed_at < ?');
  return {
    claim: async (source, updateId) => claim.run(source, updateId, iso()).changes === 1,
    prune: async (olderThan) => prune.run(olderThan.toISOString()).changes,
  };
}

function createSessionStore(db: Database.Database, iso: () => string): SessionStore {
  const get = db.prepare('SELECT value FROM chat_sessions WHERE key = ?');
  const set = db.prepare(
    'INSERT INTO chat_sessions (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const del = db.prepare('DELETE FROM chat_sessions WHERE key = ?');
  return {
    async get<T>(key: string) {
      const row = get.get(key) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    set: async (key, value) => void set.run(key, JSON.stringify(value), iso()),
    delete: async (key) => void del.run(key),
  };
}
