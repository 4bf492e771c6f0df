/** One-time linking codes over SQLite (link_codes, link_failures): only hashes are stored. */
import type Database from 'better-sqlite3';
import type { LinkCodeStore } from './types.ts';

export function createLinkCodeStore(db: Database.Database): LinkCodeStore {
  const dropExpired = db.prepare('DELETE FROM link_codes WHERE expires_at <= ?');
  const dropUsers = db.prepare('DELETE FROM link_codes WHERE user_id = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO link_codes (code_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const take = db.prepare('DELETE FROM link_codes WHERE code_hash = ? AND expires_at > ? RETURNING user_id');
  const fail = db.prepare('INSERT INTO link_failures (redeemer, at) VALUES (?, ?)');
  const pruneFailures = db.prepare('DELETE FROM link_failures WHERE at < ?');
  const failuresOf = db.prepare('SELECT COUNT(*) AS n FROM link_failures WHERE at >= ? AND redeemer = ?');
  const failuresAll = db.prepare('SELECT COUNT(*) AS n FROM link_failures WHERE at >= ?');
  const voidAll = db.prepare('DELETE FROM link_codes');

  const issue = db.transaction((userId: number, codeHash: string, expiresAt: string, at: string) => {
    dropExpired.run(at);
    dropUsers.run(userId);
    return insert.run(codeHash, userId, at, expiresAt).changes === 1;
  });
  // Failures older than a day are no use to any limit.
  const DAY_MS = 24 * 3600_000;

  return {
    issue: async (i) => issue.immediate(i.userId, i.codeHash, i.expiresAt.toISOString(), i.at.toISOString()),
    async redeem(codeHash, at) {
      const row = take.get(codeHash, at.toISOString()) as { user_id: number } | undefined;
      return row?.user_id;
    },
    async recordFailure(redeemer, at) {
      fail.run(redeemer, at.toISOString());
      pruneFailures.run(new Date(at.getTime() - DAY_MS).toISOString());
    },
    async failures(since, redeemer) {
      const row = (redeemer === undefined ? failuresAll.get(since.toISOString()) : failuresOf.get(since.toISOString(), redeemer)) as { n: number };
      return row.n;
    },
    voidAll: async () => voidAll.run().changes,
  };
}
