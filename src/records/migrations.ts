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
  /**
   * Run with foreign keys off (checked before commit): needed to rebuild a table others reference, since
   * dropping it with them on would delete the referencing rows.
   */
  rebuildsTables?: boolean;
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
  {
    // A person has one identity per channel (Telegram, WeCom, the web chat, …) instead of a column per
    // channel; every user keeps their id, so attempts, results, Q&A and audit rows stay theirs.
    id: '0004_user_identities',
    rebuildsTables: true,
    up: (db) => {
      const seq = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'users'").get() as { seq: number } | undefined)?.seq;
      db.exec(`
        CREATE TABLE user_identities (
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          -- 'telegram', 'local' (the operator's terminal), 'wecom', 'web', 'dingtalk', 'feishu', …
          channel TEXT NOT NULL,
          -- The person's id on that channel: Telegram user id, WeCom userid, local account name.
          external_id TEXT NOT NULL,
          created_at TEXT NOT NULL,
          UNIQUE (channel, external_id)
        );
        CREATE INDEX user_identities_user ON user_identities(user_id, channel);
        INSERT INTO user_identities (user_id, channel, external_id, created_at)
          SELECT id, 'telegram', telegram_id, created_at FROM users WHERE telegram_id IS NOT NULL ORDER BY id;
        INSERT INTO user_identities (user_id, channel, external_id, created_at)
          SELECT id, 'local', local_id, created_at FROM users WHERE local_id IS NOT NULL ORDER BY id;
        CREATE TABLE users_new (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          staff_id TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL DEFAULT '',
          department TEXT NOT NULL DEFAULT '',
          rank TEXT NOT NULL DEFAULT '',
          status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
          is_admin INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        INSERT INTO users_new (id, staff_id, name, department, rank, status, is_admin, created_at, updated_at)
          SELECT id, staff_id, name, department, rank, status, is_admin, created_at, updated_at FROM users;
        DROP TABLE users;
        ALTER TABLE users_new RENAME TO users;
      `);
      // Ids of deleted users are never handed out again.
      if (seq !== undefined) db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'users'").run(seq);
    },
  },
  {
    id: '0005_link_codes',
    up: `
      -- One-time codes a person shows in one channel and sends from another (/bind), as SHA-256 hashes.
      CREATE TABLE link_codes (
        code_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX link_codes_user ON link_codes(user_id);
      -- Wrong codes sent, by whom ('wecom:zhangsan'): the limits that keep codes from being guessed.
      CREATE TABLE link_failures (
        redeemer TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX link_failures_at ON link_failures(at, redeemer);
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
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?');
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    // The pragma is a no-op inside a transaction, so it is switched around it.
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
    if (m.rebuildsTables && foreignKeys) db.pragma('foreign_keys = OFF');
    let ran = false;
    try {
      db.transaction(() => {
        // Another process may have applied it while this one waited for the lock.
        if (isApplied.get(m.id)) return;
        ran = true;
        if (typeof m.up === 'string') db.exec(m.up);
        else m.up(db);
        if (m.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length) throw new Error(`migration ${m.id} leaves ${broken.length} broken references`);
        }
        record.run(m.id, now().toISOString());
      }).immediate();
    } finally {
      if (m.rebuildsTables && foreignKeys) db.pragma('foreign_keys = ON');
    }
    if (ran) done.push(m.id);
  }
  return done;
}
