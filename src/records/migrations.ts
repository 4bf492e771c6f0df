/**
 * Schema migrations: an ordered list, each applied once in its own transaction and remembered in
 * schema_migrations. Features (quizzes, admin) append their own lists with their own id prefix.
 */
import type Database from 'better-sqlite3';
import { PufaError } from '../errors.ts';

export interface Migration {
  /** Unique and stable forever: '0003_rank_updates_sessions', 'quiz/0001_attempts'. */
  id: string;
  up: string | ((db: Database.Database) => void);
}

/** The chat core's schema. Never edit an entry once released: add a new one. */
export const CORE_MIGRATIONS: Migration[] = [
  {
    id: '0001_users_audit',
    up: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        staff_id TEXT NOT NULL UNIQUE,
        telegram_id TEXT UNIQUE,
        local_id TEXT UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        department TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
        is_admin INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (telegram_id IS NOT NULL OR local_id IS NOT NULL)
      );
      CREATE TABLE user_roles (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        role TEXT NOT NULL,
        PRIMARY KEY (user_id, role)
      );
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_user_id INTEGER REFERENCES users(id),
        action TEXT NOT NULL,
        target_user_id INTEGER REFERENCES users(id),
        detail TEXT NOT NULL DEFAULT '{}'
      );
    `,
  },
  {
    id: '0002_qa_log',
    up: `
      CREATE TABLE qa_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES users(id),
        chat_id TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        mode TEXT NOT NULL,
        citations TEXT NOT NULL DEFAULT '[]',
        latency_ms INTEGER NOT NULL,
        feedback INTEGER CHECK (feedback IN (1, -1)),
        created_at TEXT NOT NULL
      );
      CREATE INDEX qa_log_user ON qa_log(user_id, created_at);
    `,
  },
  {
    id: '0003_rank_related_updates_sessions',
    up: `
      ALTER TABLE users ADD COLUMN rank TEXT NOT NULL DEFAULT '';
      ALTER TABLE qa_log ADD COLUMN related TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE qa_log ADD COLUMN feedback_at TEXT;
      CREATE TABLE processed_updates (
        source TEXT NOT NULL,
        update_id TEXT NOT NULL,
        processed_at TEXT NOT NULL,
        PRIMARY KEY (source, update_id)
      ) WITHOUT ROWID;
      CREATE INDEX processed_updates_at ON processed_updates(processed_at);
      CREATE TABLE chat_sessions (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
];

/**
 * Apply every migration not yet applied, in list order. Returns the ids applied now.
 * Refuses a database that has migrations this program does not know (it was written by a newer pufa).
 */
export function runMigrations(db: Database.Database, migrations: Migration[], now: () => Date = () => new Date()): string[] {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id),
  );
  const unknown = [...applied].filter((id) => !ids.has(id));
  if (unknown.length) {
    throw new PufaError('数据库由更新版本的 pufa 创建，请升级程序后再运行。', {
      detail: `database has unknown migrations: ${unknown.join(', ')}`,
    });
  }
  const done: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      record.run(m.id, now().toISOString());
    })();
    done.push(m.id);
  }
  return done;
}
