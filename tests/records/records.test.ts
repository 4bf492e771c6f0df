import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_MIGRATIONS, CORE_MIGRATIONS, INBOX_MIGRATIONS, openSqliteRecords, runMigrations, TRAINING_MIGRATIONS } from '../../src/records/index.ts';
import { PufaError } from '../../src/errors.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-records-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  it('builds the whole schema on an empty database, in WAL mode with foreign keys, and only once', async () => {
    const file = join(dir, 'pufa.sqlite');
    const records = openSqliteRecords(file);
    expect(records.migrated).toEqual([...CORE_MIGRATIONS, ...TRAINING_MIGRATIONS, ...INBOX_MIGRATIONS, ...ADMIN_MIGRATIONS].map((m) => m.id));
    expect(tables(records.db)).toEqual(
      expect.arrayContaining(['users', 'user_roles', 'audit_log', 'qa_log', 'processed_updates', 'chat_sessions', 'inbox', 'schema_migrations']),
    );
    expect(records.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(records.db.pragma('foreign_keys', { simple: true })).toBe(1);
    await records.close();
    const again = openSqliteRecords(file);
    expect(again.migrated).toEqual([]);
    again.close();
  });

  it('upgrades a database written by the previous schema and keeps its data', async () => {
    const file = join(dir, 'old.sqlite');
    const old = new Database(file);
    old.exec(await readFile(join(import.meta.dirname, 'fixtures/schema-0002.sql'), 'utf8'));
    old.close();

    const records = openSqliteRecords(file);
    // Everything after the file's two migrations, in order.
    expect(records.migrated).toEqual(
      [...CORE_MIGRATIONS, ...TRAINING_MIGRATIONS, ...INBOX_MIGRATIONS, ...ADMIN_MIGRATIONS].map((m) => m.id).filter((id) => id !== '0001_users_audit' && id !== '0002_qa_log'),
    );
    const admin = (await records.users.findByIdentity({ channel: 'telegram', id: '1001' }))!;
    expect(admin).toMatchObject({ name: '王局长', isAdmin: true, status: 'active', rank: '', staffId: 'PF-ADMIN0001' });
    const pending = (await records.users.findByIdentity({ channel: 'telegram', id: '2002' }))!;
    expect(pending.roles).toEqual(['预算管理岗', '全体干部']);
    const qa = (await records.qa.get(1))!;
    expect(qa.citations[0]).toMatchObject({ law: '中华人民共和国预算法', articleLabel: '第十八条' });
    expect(qa.related).toEqual([]);
    expect(qa.feedback).toBe(1);
    expect((await records.audit.recent())[0]).toMatchObject({ action: 'registration.approve', targetUserId: 2 });
    // New columns and tables work on the upgraded file.
    expect((await records.users.update(pending.id, { rank: '一级科员' })).rank).toBe('一级科员');
    expect(await records.updates.claim('telegram:1', '5')).toBe(true);
    await records.close();
  });

  it('refuses a database written by a newer pufa instead of guessing', async () => {
    const db = new Database(join(dir, 'new.sqlite'));
    runMigrations(db, [...CORE_MIGRATIONS, { id: '0099_future', up: 'CREATE TABLE future (x)' }]);
    expect(() => runMigrations(db, CORE_MIGRATIONS)).toThrow(PufaError);
    db.close();
  });

  it('lets a feature add its own migrations after the core ones', async () => {
    const records = openSqliteRecords(join(dir, 'f.sqlite'), {
      migrations: [{ id: 'feature/0001_notes', up: 'CREATE TABLE feature_notes (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id))' }],
    });
    expect(records.migrated.at(-1)).toBe('feature/0001_notes');
    // Foreign keys are enforced: a row of a user who does not exist is refused.
    expect(() => records.db.prepare('INSERT INTO feature_notes (user_id) VALUES (42)').run()).toThrow(/FOREIGN KEY/);
    await records.close();
  });
});

describe('repositories', () => {
  it('creates a user once per identity, with a random staff id unrelated to the Telegram id', async () => {
    const records = openSqliteRecords(join(dir, 'r.sqlite'));
    const a = await records.users.create({ identity: { channel: 'telegram', id: '777000' }, name: '张三', roles: ['乙', '甲'], status: 'pending' });
    const again = await records.users.create({ identity: { channel: 'telegram', id: '777000' }, name: '别人', status: 'active' });
    expect(again.id).toBe(a.id);
    expect(again.name).toBe('张三');
    expect(a.roles).toEqual(['乙', '甲']);
    expect(a.staffId).toMatch(/^PF-[A-Z2-9]{10}$/);
    expect(a.staffId).not.toContain('777000');
    const b = await records.users.create({ identity: { channel: 'telegram', id: '777001' }, name: '李四', status: 'pending' });
    expect(b.staffId).not.toBe(a.staffId);
    // Approval is compare-and-set: the second admin to press finds it already done.
    expect(await records.users.transition(a.id, 'pending', 'active')).toBe(true);
    expect(await records.users.transition(a.id, 'pending', 'disabled')).toBe(false);
    expect((await records.users.get(a.id))!.status).toBe('active');
    await records.close();
  });

  it('keeps feedback to the asker and claims an update only once', async () => {
    const records = openSqliteRecords(join(dir, 'q.sqlite'));
    const u = await records.users.create({ identity: { channel: 'telegram', id: '1' }, name: 'A', status: 'active' });
    const v = await records.users.create({ identity: { channel: 'telegram', id: '2' }, name: 'B', status: 'active' });
    const e = await records.qa.add({ userId: u.id, chatId: '1', question: 'q', answer: 'a', mode: 'extractive', citations: [], related: [], latencyMs: 5 });
    expect(await records.qa.setFeedback(e.id, v.id, -1)).toBe(false);
    expect(await records.qa.setFeedback(e.id, u.id, 1)).toBe(true);
    expect((await records.qa.get(e.id))!.feedback).toBe(1);
    expect(await records.updates.claim('telegram:9', '100')).toBe(true);
    expect(await records.updates.claim('telegram:9', '100')).toBe(false);
    expect(await records.updates.claim('telegram:8', '100')).toBe(true);
    await records.close();
  });
});
