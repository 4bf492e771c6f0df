/**
 * The inbox: every message a transport accepts is written here before the transport acknowledges it, and
 * marked done once it has been answered. A bot killed mid-question finds the message still pending at its
 * next start and answers it then; a redelivered update finds its row and is not handled twice.
 *
 * The SQLite adapter writes at call time (better-sqlite3 is synchronous), so the row exists as soon as
 * `receive` has been called, before anything else happens in the process.
 */
import type Database from 'better-sqlite3';
import type { Migration } from './migrations.ts';

export const INBOX_MIGRATIONS: Migration[] = [
  {
    id: 'inbox/0001_messages',
    up: `
      -- One row per accepted message, keyed by the transport's delivery id (source 'telegram:<bot id>', id the
      -- update id). event: the message as the chat core received it (JSON), enough to handle it again.
      -- status: 'pending' until handled; then 'answered', 'told' (too old to answer: told to ask again) or 'expired'.
      CREATE TABLE inbox (
        source TEXT NOT NULL,
        update_id TEXT NOT NULL,
        event TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'answered', 'told', 'expired')),
        received_at TEXT NOT NULL,
        done_at TEXT,
        PRIMARY KEY (source, update_id)
      ) WITHOUT ROWID;
      CREATE INDEX inbox_pending ON inbox(source, status, received_at);
    `,
  },
];

/** What `receive` found: the first delivery, one seen before but not yet done, or one already done. */
export type InboxState = 'new' | 'pending' | 'done';
export type InboxOutcome = 'answered' | 'told' | 'expired';

export interface InboxEntry<E = unknown> {
  source: string;
  id: string;
  event: E;
  receivedAt: Date;
}

/** The records port: storage-neutral (a second adapter would keep the same contract). */
export interface Inbox {
  /** Record a message as received, once per (source, id). */
  receive(source: string, id: string, event: object): Promise<InboxState>;
  /** The message has been handled. */
  finish(source: string, id: string, outcome: InboxOutcome): Promise<void>;
  /** Messages of a source still pending, oldest first. */
  pending<E = unknown>(source: string): Promise<InboxEntry<E>[]>;
  /** Forget finished messages received before `before` (redelivery is over by then). */
  prune(before: Date): Promise<number>;
}

/** @example const inbox = createSqliteInbox(records.db); await inbox.receive('telegram:1', '42', event) */
export function createSqliteInbox(db: Database.Database, now: () => Date = () => new Date()): Inbox {
  const insert = db.prepare("INSERT OR IGNORE INTO inbox (source, update_id, event, status, received_at) VALUES (?, ?, ?, 'pending', ?)");
  const statusOf = db.prepare('SELECT status FROM inbox WHERE source = ? AND update_id = ?').pluck();
  const finish = db.prepare("UPDATE inbox SET status = ?, done_at = ? WHERE source = ? AND update_id = ? AND status = 'pending'");
  const pending = db.prepare("SELECT update_id AS id, event, received_at AS receivedAt FROM inbox WHERE source = ? AND status = 'pending' ORDER BY received_at, update_id");
  const prune = db.prepare("DELETE FROM inbox WHERE status <> 'pending' AND received_at < ?");
  return {
    async receive(source, id, event) {
      if (insert.run(source, id, JSON.stringify(event), now().toISOString()).changes === 1) return 'new';
      return statusOf.get(source, id) === 'pending' ? 'pending' : 'done';
    },
    async finish(source, id, outcome) {
      finish.run(outcome, now().toISOString(), source, id);
    },
    async pending<E>(source: string) {
      return (pending.all(source) as { id: string; event: string; receivedAt: string }[]).map((r) => ({
        source,
        id: r.id,
        event: JSON.parse(r.event) as E,
        receivedAt: new Date(r.receivedAt),
      }));
    },
    async prune(before) {
      return prune.run(before.toISOString()).changes;
    },
  };
}
