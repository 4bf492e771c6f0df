/**
 * Ingest never stops the service: entries it cannot read are named and skipped, a file over the size cap is
 * skipped, repeated article numbers are reported, and a disk that fills up during a re-ingest leaves no partial
 * build behind while the old index keeps answering.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toChineseNumber } from '../../src/knowledge/chinese-numerals.ts';
import { loadConfig } from '../../src/config.ts';
import { openSqliteRecords } from '../../src/records/index.ts';
import { indexStatus, openIndex, runIngest } from '../../src/search/index.ts';
import { runPufa } from '../helpers/run-pufa.ts';
import { writeFixtureKnowledge } from './fixtures.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-faults-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A law of `n` articles in the LawRefBook layout (big enough to need space when indexed). */
function bigLaw(title: string, n: number, repeatFrom?: number): string {
  const articles = Array.from({ length: n }, (_, i) => {
    const number = repeatFrom !== undefined && i >= repeatFrom ? i - repeatFrom + 1 : i + 1;
    return `第${toChineseNumber(number)}条 示范单位第${i + 1}项资金的使用，应当按照规定的用途和标准执行，不得挪作他用，并接受同级财政部门和审计机关的监督检查。`;
  });
  return [`# ${title}`, '', '2024年1月1日 公布', '', '<!-- INFO END -->', '', ...articles.map((a) => a + '\n')].join('\n');
}

describe('unreadable entries in the laws folder', () => {
  it('names and skips dangling links, link loops and files over the cap; repeated article numbers are reported', async () => {
    const base = join(root, 'entries');
    const { lawsDir, knowledgeDir } = await writeFixtureKnowledge(base);
    await symlink(join(base, 'nowhere.md'), join(lawsDir, '经济法', '丢失的法规.md'));
    await symlink(join(lawsDir, 'loop-b'), join(lawsDir, 'loop-a'));
    await symlink(join(lawsDir, 'loop-a'), join(lawsDir, 'loop-b'));
    await symlink(lawsDir, join(lawsDir, '行政法规', '上一级'));
    await writeFile(join(lawsDir, '经济法', '超大法规(2024-01-01).md'), bigLaw('超大法规', 1) + 'x'.repeat(1.2 * 1024 * 1024));
    await writeFile(join(lawsDir, '经济法', '合订法规(2024-01-01).md'), bigLaw('合订法规', 6, 3));
    const config = loadConfig({ LOG_LEVEL: 'silent', INGEST_MAX_FILE_MB: '1' }, { dataDir: join(base, 'data'), knowledgeDir, lawsDir }, base);

    const s = await runIngest(config);
    expect(s.laws).toBe(3);
    const reasons = Object.fromEntries(s.skipped.map((f) => [f.path, f.reason]));
    expect(reasons['laws/经济法/丢失的法规.md']).toBe('符号链接指向的文件不存在');
    expect(reasons['laws/loop-a']).toBe('符号链接形成了循环');
    expect(reasons['laws/loop-b']).toBe('符号链接形成了循环');
    expect(reasons['laws/行政法规/上一级']).toMatch(/循环/);
    expect(reasons['laws/经济法/超大法规(2024-01-01).md']).toMatch(/^文件过大（1\.2 MB，上限 1 MB，可用 INGEST_MAX_FILE_MB 调整）$/);
    expect(s.warnings).toEqual([{ path: 'laws/经济法/合订法规(2024-01-01).md', reason: expect.stringContaining('有 3 处重复的条号（如第一条）') }]);
    expect(await indexStatus(config)).toBe('fresh');

    const cli = await runPufa(['ingest', '--data', join(base, 'data2'), '--knowledge', knowledgeDir, '--laws', lawsDir], {
      env: { LOG_LEVEL: 'silent', INGEST_MAX_FILE_MB: '1' },
    });
    expect(cli.code).toBe(0);
    expect(cli.out).toContain('laws/经济法/丢失的法规.md：符号链接指向的文件不存在');
    expect(cli.out).toContain('请检查 laws/经济法/合订法规(2024-01-01).md：有 3 处重复的条号');
  });

  it('npm start runs with a dangling link in the laws folder', async () => {
    const base = join(root, 'start');
    const { lawsDir, knowledgeDir } = await writeFixtureKnowledge(base);
    await symlink(join(base, 'nowhere.md'), join(lawsDir, '经济法', '丢失的法规.md'));
    const run = await runPufa(['start', '--data', join(base, 'data'), '--knowledge', knowledgeDir, '--laws', lawsDir], {
      env: { LOG_LEVEL: 'silent' },
      cwd: base,
      stdin: '/law 示范采购条例 2\n',
    });
    expect(run.err).toContain('laws/经济法/丢失的法规.md：符号链接指向的文件不存在');
    expect(run.code).toBe(0);
    expect(run.out).toContain('七个工作日内');
  });
});

/** A small tmpfs of our own (root only): the disk that fills up. */
function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let fillers = 0;
/** Fill the filesystem at `dir` until only about `leave` bytes are free (0: completely). */
async function fill(dir: string, leave: number) {
  const { statfs } = await import('node:fs/promises');
  const s = await statfs(dir);
  const free = s.bavail * s.bsize;
  await writeFile(join(dir, `filler-${++fillers}.bin`), Buffer.alloc(Math.max(0, free - leave) + (leave ? 0 : 4096))).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOSPC') throw err;
  });
}

describe('disk full during a re-ingest', () => {
  let disk: string;
  let mounted = false;
  beforeAll(async () => {
    disk = join(root, 'disk');
    await mkdir(disk);
    mounted = process.getuid?.() === 0 && mountTmpfs(disk, '16m');
    if (!mounted) console.warn('skipped: the disk-full test mounts a small tmpfs and needs root (run the tests as root to include it)');
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [disk]);
  });

  it('removes the partial build, says 磁盘空间不足 and keeps answering from the old index', async (t) => {
    if (!mounted) return t.skip();
    const base = join(root, 'full');
    const { lawsDir, knowledgeDir } = await writeFixtureKnowledge(base);
    const dataDir = join(disk, 'data');
    const args = ['start', '--data', dataDir, '--knowledge', knowledgeDir, '--laws', lawsDir];
    const first = await runPufa(args, { env: { LOG_LEVEL: 'silent' }, cwd: base, stdin: '/law 示范采购条例 2\n' });
    expect(first.code).toBe(0);
    const pointer = await readFile(join(dataDir, 'index', 'CURRENT'), 'utf8');

    // A large new law needs a few MB of index; only about 1 MB is left.
    await writeFile(join(lawsDir, '经济法', '示范资金法(2024-01-01).md'), bigLaw('示范资金法', 3000));
    await fill(disk, 1024 * 1024);
    const run = await runPufa(args, { env: { LOG_LEVEL: 'silent' }, cwd: base, stdin: '/law 示范采购条例 2\n' });
    expect(run.err).toMatch(/磁盘空间不足：新索引没有建完，未完成的部分已删除，原索引继续使用。/);
    expect(run.code).toBe(0);
    expect(run.out).toContain('七个工作日内');
    expect(await readFile(join(dataDir, 'index', 'CURRENT'), 'utf8')).toBe(pointer);
    expect((await readdir(join(dataDir, 'index'))).filter((n) => n.startsWith('tmp-'))).toEqual([]);
    expect((await readdir(join(dataDir, 'index', 'builds'))).length).toBe(1);
    expect((await openIndex(loadConfig({ LOG_LEVEL: 'silent' }, { dataDir, knowledgeDir, lawsDir }, base))).catalog.versions.length).toBe(3);
  });

  it('a database that cannot open on a full disk says 磁盘空间不足, not a permission problem', async (t) => {
    if (!mounted) return t.skip();
    await fill(disk, 0);
    const err = (() => {
      try {
        openSqliteRecords(join(disk, 'fresh', 'pufa.sqlite'));
      } catch (e) {
        return e as { userMessage?: string };
      }
    })();
    expect(err?.userMessage).toMatch(/^磁盘空间不足，无法打开数据库/);
  });
});
