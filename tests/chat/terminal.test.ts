import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.ts';
import { runTerminalChat } from '../../src/chat/terminal/repl.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import type { SqliteRecords } from '../../src/records/index.ts';
import type { OpenedIndex } from '../../src/search/index.ts';
import { getChecklistIndex, REPO_ROOT } from '../helpers/test-index.ts';
import { ROLES } from './harness.ts';

let dir: string;
let config: Config;
let index: OpenedIndex;

beforeAll(async () => {
  const shared = await getChecklistIndex();
  config = shared.config;
  index = shared.index;
  dir = await mkdtemp(join(tmpdir(), 'pufa-terminal-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Pipe lines into a terminal chat (the production wiring over the shared index, with a database of its
 * own in `name`) and collect everything it printed once it has ended at EOF.
 */
async function pipeChat(name: string, lines: string[], check: (printed: string, records: SqliteRecords) => Promise<void>): Promise<void> {
  const own = loadConfig({ LOG_LEVEL: 'silent' }, { dataDir: join(dir, name), knowledgeDir: config.knowledgeDir, lawsDir: config.lawsDir }, dir);
  const app = createApp(own, silentLogger, { index, roles: ROLES, quiz: false });
  const core = await app.chat();
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d: Buffer) => (printed += d.toString()));
  input.end(lines.map((l) => l + '\n').join(''));
  await runTerminalChat({ core, input, output, user: { id: 'tester', name: '测试员' } });
  try {
    await check(printed, app.records());
  } finally {
    await app.close();
  }
}

describe('terminal chat through a pipe', () => {
  it('answers each line, renders buttons as numbers, and the local user is a registered admin', async () => {
    await pipeChat('a', ['/help', '预算年度是怎么规定的？', '3', '1', '/me'], async (out, records) => {
      expect(out).toContain('› 预算年度是怎么规定的？');
      expect(out).toContain('《中华人民共和国预算法》第十八条');
      expect(out).toMatch(/\[1\] 👍 有帮助\s+\[2\] 👎 没帮助\n\s+\[3\] 📖 查看全文\s+\[4\] 🔗 相关条文/);
      // 3 = 查看全文: the article in full; 1 = 👍: recorded.
      expect(out).toContain('预算年度自公历一月一日起，至十二月三十一日止');
      expect(out).toContain('» 感谢反馈');
      expect(out).toContain('状态：已开通（管理员）');
      const [entry] = await records.qa.recent();
      expect(entry!.feedback).toBe(1);
      expect(await records.users.findByIdentity({ channel: 'local', id: 'tester' })).toMatchObject({ isAdmin: true, status: 'active' });
    });
  });

  it('the profile form works with typed numbers for buttons', async () => {
    // Rank buttons are [1]…[9]; roles then [1]…[3] and [4] = 完成.
    await pipeChat('b', ['/profile', '赵六', '国库科', '3', '2', '1', '4', '/me'], async (out) => {
      expect(out).toContain('资料已保存');
      expect(out).toContain('职级：一级主任科员');
      expect(out).toContain('岗位角色：预算管理岗、全体干部');
    });
  });
});

it('pufa chat reads questions from a real pipe and exits at EOF', async () => {
  // A data folder of its own that shares the test index (read-only) but keeps its own database.
  const data = join(dir, 'data');
  await mkdir(data, { recursive: true });
  await symlink(join(config.dataDir, 'index'), join(data, 'index'));
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin/pufa.js'), 'chat', '--data', data, '--knowledge', config.knowledgeDir, '--laws', config.lawsDir],
    { cwd: dir, env: { PATH: process.env.PATH, LOG_LEVEL: 'warn' }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end('预算年度是怎么规定的？\n/law 预算法 18\n');
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain('《中华人民共和国预算法》第十八条');
  expect(stdout).toContain('预算年度自公历一月一日起');
});
