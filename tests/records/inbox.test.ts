/** The inbox port over SQLite on disk: one row per delivery, pending until finished, pruned once finished. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSqliteInbox, openSqliteRecords, type SqliteRecords } from '../../src/records/index.ts';

let dir: string;
let records: SqliteRecords;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-inbox-'));
  records = openSqliteRecords(join(dir, 'pufa.sqlite'));
});
afterEach(async () => {
  await records.close();
  await rm(dir, { recursive: true, force: true });
});

it('records a delivery once, keeps it pending until finished, and survives reopening', async () => {
  let t = new Date('2026-03-02T09:00:00Z');
  const inbox = createSqliteInbox(records.db, () => t);
  expect(await inbox.receive('telegram:1', '10', { text: '第一个问题' })).toBe('new');
  t = new Date('2026-03-02T09:01:00Z');
  expect(await inbox.receive('telegram:1', '11', { text: '第二个问题' })).toBe('new');
  expect(await inbox.receive('telegram:1', '10', { text: '第一个问题' })).toBe('pending');
  expect(await inbox.receive('telegram:2', '10', { text: '另一个机器人' })).toBe('new');

  await records.close();
  records = openSqliteRecords(join(dir, 'pufa.sqlite'));
  const reopened = createSqliteInbox(records.db, () => t);
  const pending = await reopened.pending<{ text: string }>('telegram:1');
  expect(pending.map((e) => [e.id, e.event.text, e.receivedAt.toISOString()])).toEqual([
    ['10', '第一个问题', '2026-03-02T09:00:00.000Z'],
    ['11', '第二个问题', '2026-03-02T09:01:00.000Z'],
  ]);
  await reopened.finish('telegram:1', '10', 'answered');
  expect(await reopened.receive('telegram:1', '10', { text: '第一个问题' })).toBe('done');
  expect((await reopened.pending('telegram:1')).map((e) => e.id)).toEqual(['11']);

  // Only finished rows are pruned: a pending one waits for its answer however old it is.
  expect(await reopened.prune(new Date('2026-03-03T00:00:00Z'))).toBe(1);
  expect((await reopened.pending('telegram:1')).map((e) => e.id)).toEqual(['11']);
});
