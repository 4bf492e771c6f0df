import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { databasePath, openRecords } from '../../src/records/index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-backup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Another process writing Q&A rows as fast as it can, like a busy bot. */
const WRITER = `
import Database from 'better-sqlite3';
const db = new Database(process.argv[1]);
db.pragma('busy_timeout = 5000');
const add = db.prepare("INSERT INTO qa_log (user_id, chat_id, question, answer, mode, citations, latency_ms, created_at) VALUES (1, '1', ?, ?, 'extractive', '[]', 3, datetime('now'))");
let n = 0;
const tick = () => {
  db.transaction(() => { for (let i = 0; i < 50; i++) add.run('问题' + n, '回答'.repeat(40) + n++); })();
  if (n === 50) process.stdout.write('ready\\n');
  setImmediate(tick);
};
tick();
`;

it('pufa backup makes a consistent copy while another process keeps writing', async () => {
  const config = { dataDir: join(dir, 'data') };
  const records = openRecords(config);
  await records.users.create({ identity: { channel: 'telegram', id: '1' }, name: '管理员', status: 'active', isAdmin: true });
  await records.close();

  const writer = spawn(process.execPath, ['--input-type=module', '-e', WRITER, databasePath(config)], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      writer.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      writer.on('exit', (code) => reject(new Error(`writer exited ${code}`)));
    });
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (d: Buffer) => (printed += d.toString()));
    const target = join(dir, 'backups', 'copy.sqlite');
    const stderr = new PassThrough();
    let errors = '';
    stderr.on('data', (d: Buffer) => (errors += d.toString()));
    const code = await main(['backup', target, '--data', config.dataDir], {
      stdout,
      stderr,
      stdin: Readable.from([]),
      env: { LOG_LEVEL: 'error' },
      cwd: dir,
    });
    expect(errors).toBe('');
    expect(code).toBe(0);
    expect(printed).toContain('已备份到');

    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = (copy.prepare('SELECT COUNT(*) AS n FROM qa_log').get() as { n: number }).n;
    // Whole transactions only: the writer commits 50 rows at a time.
    expect(rows).toBeGreaterThanOrEqual(50);
    expect(rows % 50).toBe(0);
    expect((copy.prepare('SELECT name FROM users').get() as { name: string }).name).toBe('管理员');
    copy.close();
  } finally {
    writer.kill();
  }
});

it('pufa backup explains a missing database instead of creating an empty one', async () => {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(['backup', join(dir, 'x.sqlite'), '--data', join(dir, 'nothing')], {
    stdout: new PassThrough(),
    stderr,
    stdin: Readable.from([]),
    env: { LOG_LEVEL: 'silent' },
    cwd: dir,
  });
  expect(code).toBe(1);
  expect(err).toContain('找不到数据库文件');
});
