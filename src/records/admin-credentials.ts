/**
 * Named admin accounts for the dashboard: one password hash per admin (a person in `users`). The hash is
 * made and checked by the dashboard (src/admin/web/passwords.ts, scrypt); this port only keeps the string,
 * so a second adapter stores the same text.
 */
import type Database from 'better-sqlite3';
import type { Migration } from './migrations.ts';

export const ADMIN_MIGRATIONS: Migration[] = [
  {
    id: 'admin/0001_credentials',
    up: `
      -- One dashboard password per admin. hash: 'scrypt$N$r$p$<salt b64url>$<key b64url>' (never the password).
      CREATE TABLE admin_credentials (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        hash TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
];

export interface AdminCredential {
  userId: number;
  hash: string;
  updatedAt: string;
}

export interface AdminCredentialStore {
  get(userId: number): Promise<AdminCredential | undefined>;
  /** Set (or replace) a person's password hash. */
  set(userId: number, hash: string): Promise<void>;
  remove(userId: number): Promise<boolean>;
  /** The people with a password, by user id. */
  list(): Promise<AdminCredential[]>;
}

export function createSqliteAdminCredentials(db: Database.Database, iso: () => string): AdminCredentialStore {
  type Row = { user_id: number; hash: string; updated_at: string };
  const toCredential = (r: Row): AdminCredential => ({ userId: r.user_id, hash: r.hash, updatedAt: r.updated_at });
  const get = db.prepare('SELECT * FROM admin_credentials WHERE user_id = ?');
  const set = db.prepare(
    'INSERT INTO admin_credentials (user_id, hash, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at',
  );
  const remove = db.prepare('DELETE FROM admin_credentials WHERE user_id = ?');
  const list = db.prepare('SELECT * FROM admin_credentials ORDER BY user_id');
  return {
    async get(userId) {
      const r = get.get(userId) as Row | undefined;
      return r && toCredential(r);
    },
    async set(userId, hash) {
      set.run(userId, hash, iso());
    },
    remove: async (userId) => remove.run(userId).changes === 1,
    list: async () => (list.all() as Row[]).map(toCredential),
  };
}
