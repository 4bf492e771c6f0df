/**
 * Upgrading a database of the Telegram era (users.telegram_id / users.local_id, written by the released
 * migrations: tests/records/fixtures/make-telegram-era.ts) to channel-neutral identities: every user,
 * attempt, answer, result, card, statement, reminder, Q&A and audit entry survives, reachable by the old
 * Telegram id, and the upgraded file takes people from other channels.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_MIGRATIONS, INBOX_MIGRATIONS, openSqliteRecords, type SqliteRecords } from '../../src/records/index.ts';
import { TELEGRAM_ERA_FILE, TELEGRAM_ERA_MIGRATIONS } from './fixtures/make-telegram-era.ts';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-migrate-'));
  file = join(dir, 'pufa.sqlite');
  await copyFile(TELEGRAM_ERA_FILE, file);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads a closed database file. */
function readFile<T>(path: string, read: (rows: (sql: string) => unknown[]) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return read((sql) => db.prepare(sql).all());
  } finally {
    db.close();
  }
}

/** Every row of the tables that hold records, ids and all. */
const recordRows = (path: string) =>
  readFile(path, (rows) => ({
    attempts: rows('SELECT * FROM quiz_attempts ORDER BY id'),
    answers: rows('SELECT * FROM quiz_answers ORDER BY attempt_id, question_index'),
    weekly: rows('SELECT * FROM weekly_results ORDER BY user_id, week'),
    cards: rows('SELECT * FROM review_cards ORDER BY user_id, law, article'),
    statements: rows('SELECT * FROM xapi_statements ORDER BY id'),
    reminders: rows('SELECT * FROM reminders_sent ORDER BY user_id, week, kind'),
    qa: rows('SELECT * FROM qa_log ORDER BY id'),
    audit: rows('SELECT * FROM audit_log ORDER BY id'),
    roles: rows('SELECT * FROM user_roles ORDER BY user_id, position'),
    sessions: rows('SELECT * FROM chat_sessions ORDER BY key'),
    updates: rows('SELECT * FROM processed_updates ORDER BY source, update_id'),
  }));

interface OldUser {
  id: number;
  staff_id: string;
  telegram_id: string | null;
  local_id: string | null;
  name: string;
  department: string;
  rank: string;
  status: string;
  is_admin: number;
  created_at: string;
  updated_at: string;
}
const oldUsers = (path: string) => readFile(path, (rows) => rows('SELECT * FROM users ORDER BY id') as OldUser[]);

describe('migrating the Telegram-era records', () => {
  let records: SqliteRecords | undefined;
  afterEach(async () => {
    await records?.close();
    records = undefined;
  });

  it('is exactly the released schema before the upgrade', () => {
    const db = new Database(file, { readonly: true });
    const applied = (db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    const columns = (db.prepare('PRAGMA table_info(users)').all() as { name: string }[]).map((c) => c.name);
    db.close();
    expect(applied).toEqual([...TELEGRAM_ERA_MIGRATIONS].sort());
    expect(columns).toEqual(expect.arrayContaining(['telegram_id', 'local_id']));
  });

  it('keeps every user under the same id and staff id, reachable by the old Telegram or local id', async () => {
    const before = oldUsers(file);
    records = openSqliteRecords(file);
    expect(records.migrated).toEqual(['0004_user_identities', '0005_link_codes', ...[...INBOX_MIGRATIONS, ...ADMIN_MIGRATIONS].map((m) => m.id)]);
    for (const old of before) {
      const identity = old.telegram_id !== null ? { channel: 'telegram', id: old.telegram_id } : { channel: 'local', id: old.local_id! };
      const u = await records.users.findByIdentity(identity);
      expect(u, `${old.name}`).toMatchObject({
        id: old.id,
        staffId: old.staff_id,
        identities: [identity],
        name: old.name,
        department: old.department,
        rank: old.rank,
        status: old.status,
        isAdmin: old.is_admin === 1,
        createdAt: old.created_at,
        updatedAt: old.updated_at,
      });
    }
    expect((await records.users.findByIdentity({ channel: 'telegram', id: '2001' }))!.roles).toEqual(['预算管理岗', '全体干部']);
    // The old columns are gone; foreign keys are back on and every reference holds.
    const columns = (records.db.prepare('PRAGMA table_info(users)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('telegram_id');
    expect(columns).not.toContain('local_id');
    expect(records.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(records.db.pragma('foreign_key_check')).toEqual([]);
  });

  it('keeps every attempt, answer, result, card, statement, reminder, Q&A and audit row as it was', async () => {
    const before = recordRows(file);
    records = openSqliteRecords(file);
    await records.close();
    records = undefined;
    const after = recordRows(file);
    for (const table of ['attempts', 'answers', 'weekly', 'cards', 'statements', 'reminders', 'qa', 'audit', 'roles', 'sessions', 'updates'] as const) {
      expect(after[table], table).toEqual(before[table]);
    }
  });

  it("张三's training record reads back through the ports, by the old Telegram id", async () => {
    records = openSqliteRecords(file, { now: () => new Date('2026-11-25T02:00:00Z') });
    const zhang = (await records.users.findByIdentity({ channel: 'telegram', id: '2001' }))!;
    expect(zhang.name).toBe('张三');
    const { training } = records;
    expect((await training.attempts(zhang.id, '2026-W47')).map((a) => [a.attemptNo, a.status, a.score, a.passed])).toEqual([
      [1, 'completed', 33.33, false],
      [2, 'completed', 100, true],
    ]);
    const open = (await training.openAttempt(zhang.id, '2026-W48'))!;
    expect(open).toMatchObject({ currentIndex: 1, selection: [0], message: { chatId: '2001', messageId: '503' } });
    expect((await training.answers(open.id)).map((a) => a.correct)).toEqual([true]);
    expect(await training.weeklyResult(zhang.id, '2026-W47')).toMatchObject({ status: 'passed', score: 100, attempts: 2, hours: 0.5 });
    expect((await training.cards(zhang.id)).map((c) => c.article)).toEqual([13, 57]);
    expect((await training.seenQuestionIds(zhang.id)).size).toBe(3);
    const statements = await records.stats.xapiStatements('2026-W47', '2026-W47');
    expect(statements.filter((s) => (s as { actor: { account: { name: string } } }).actor.account.name === zhang.staffId)).toHaveLength(2);
    expect((await records.qa.recent({ userId: zhang.id })).map((q) => [q.question, q.feedback])).toEqual([
      ['预算可以随便调整吗？', -1],
      ['预算年度是怎么规定的？', 1],
    ]);
    expect((await records.audit.recent()).filter((a) => a.targetUserId === zhang.id).map((a) => a.action)).toEqual(['registration.approve']);
    // Reminders already sent are not sent again; the week's figures count the Telegram people as before.
    expect(await records.reminders.claimReminder(zhang.id, '2026-W48', 'open', new Date())).toBe(false);
    const w47 = await records.stats.groups({ key: '2026-W47', end: new Date('2026-11-22T16:00:00Z') }, 'overall');
    expect(w47[0]).toMatchObject({ eligible: 3, finished: 2, passed: 2 });
  });

  it('takes new people from other channels, and hands out ids after the old ones', async () => {
    records = openSqliteRecords(file);
    const wecom = await records.users.create({ identity: { channel: 'wecom', id: 'sunqi' }, name: '孙七', status: 'active' });
    expect(wecom.id).toBe(7);
    expect(wecom.identities).toEqual([{ channel: 'wecom', id: 'sunqi' }]);
    expect((await records.users.findByIdentity({ channel: 'telegram', id: 'sunqi' }))).toBeUndefined();
  });
});
