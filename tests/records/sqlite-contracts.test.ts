/**
 * Every records port's contract suite (tests/records/contracts/), run against the SQLite adapter on disk.
 * A second adapter (PostgreSQL) runs the same suites with its own factory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteRecords } from '../../src/records/index.ts';
import type { OpenRecords } from './contracts/harness.ts';
import { identitiesContract } from './contracts/identities.ts';
import { inboxContract } from './contracts/inbox.ts';
import { linkCodesContract } from './contracts/link-codes.ts';
import { adminCredentialsContract, auditContract, qaLogContract, sessionsContract, updatesContract } from './contracts/logs.ts';
import { readModelContract } from './contracts/read-model.ts';
import { remindersContract } from './contracts/reminders.ts';
import { trainingContract } from './contracts/training.ts';
import { usersContract } from './contracts/users.ts';

const openSqlite: OpenRecords = async ({ now }) => {
  const dir = await mkdtemp(join(tmpdir(), 'pufa-contract-'));
  const records = openSqliteRecords(join(dir, 'pufa.sqlite'), { now });
  return {
    ...records,
    async close() {
      await records.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

for (const contract of [
  usersContract,
  identitiesContract,
  linkCodesContract,
  qaLogContract,
  auditContract,
  updatesContract,
  inboxContract,
  sessionsContract,
  trainingContract,
  remindersContract,
  readModelContract,
  adminCredentialsContract,
]) {
  contract(openSqlite);
}
