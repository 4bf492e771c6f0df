/** The records database: the only home of mutable state. Others use these exports only. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { PufaError } from '../errors.ts';
import { openSqliteRecords, type OpenRecordsOptions, type SqliteRecords } from './sqlite.ts';

export type * from './types.ts';
export { KNOWN_CHANNELS } from './types.ts';
export type * from './read-model.ts';
export type * from './ports.ts';
export * from './identities.ts';
export { CORE_MIGRATIONS, runMigrations, type Migration } from './migrations.ts';
export { TRAINING_MIGRATIONS } from './training-migrations.ts';
export { createSqliteInbox, INBOX_MIGRATIONS, type Inbox, type InboxEntry, type InboxOutcome, type InboxState } from './inbox.ts';
export * from './training.ts';
export { ADMIN_MIGRATIONS, type AdminCredential, type AdminCredentialStore } from './admin-credentials.ts';
export { openSqliteRecords, randomStaffId, type OpenRecordsOptions, type SqliteRecords } from './sqlite.ts';

/** Where the database lives inside the data directory. */
export function databasePath(config: { dataDir: string }): string {
  return join(config.dataDir, 'pufa.sqlite');
}

/** Open the records database of this config (creating and migrating it as needed). */
export function openRecords(config: { dataDir: string }, opts: OpenRecordsOptions = {}): SqliteRecords {
  return openSqliteRecords(databasePath(config), opts);
}

/**
 * Copy a live database consistently (SQLite's online backup), without migrating or locking out writers.
 * @example await backupDatabase(databasePath(config), '/backups/pufa-2025-01-01.sqlite')
 */
export async function backupDatabase(source: string, destination: string): Promise<{ pages: number }> {
  if (!existsSync(source)) {
    throw new PufaError(`找不到数据库文件：${source}（请确认数据目录 PUFA_DATA_DIR）。`);
  }
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    mkdirSync(dirname(destination), { recursive: true });
    // One step under one read transaction: a copy in steps restarts whenever the bot writes in between.
    const result = await db.backup(destination, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
    return { pages: result.totalPages };
  } catch (err) {
    throw new PufaError(`备份失败：无法写入 ${destination}。`, { cause: err });
  } finally {
    db.close();
  }
}
