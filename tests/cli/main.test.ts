import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

function run(argv: string[]) {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stdin = new PassThrough();
  stdin.end();
  return main(argv, { stdin, stdout, stderr, env: { LOG_LEVEL: 'silent' }, cwd: process.cwd() }).then((code) => ({ code, out, err }));
}

const COMMANDS = ['start', 'ingest', 'search', 'ask', 'eval', 'laws', 'chat', 'bot', 'quiz', 'admin', 'export', 'backup'];

describe('pufa', () => {
  it('lists every command with a Chinese summary', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const c of COMMANDS) expect(out).toMatch(new RegExp(`^  ${c}\\s+\\S`, 'm'));
  });

  it.each(COMMANDS)('`pufa %s --help` loads the command and prints its usage', async (c) => {
    const { code, out } = await run([c, '--help']);
    expect(code).toBe(0);
    expect(out).toContain(`用法：pufa ${c}`);
  });

  it('names an unknown command and a bad flag, with exit code 2', async () => {
    const unknown = await run(['nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('未知命令：nosuch');
    const badFlag = await run(['search', '--no-such-flag']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toContain('参数有误');
    for (const argv of [['search', '预算', '--k', '0'], ['eval', 'q.jsonl', '--k', 'ten'], ['quiz', 'preview', '--n', '0']]) {
      const bad = await run(argv);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/参数有误：--[kn] 应为 1 到 [\d,]+ 之间的整数\n用法：pufa /);
    }
  });

  it('names the bad setting and exits 2 before doing anything', async () => {
    let err = '';
    const stderr = new PassThrough();
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const stdin = new PassThrough();
    stdin.end();
    const code = await main(['search', '预算'], { stdin, stdout: new PassThrough(), stderr, env: { QUIZ_SIZE: 'ten' }, cwd: process.cwd() });
    expect(code).toBe(2);
    expect(err).toContain('QUIZ_SIZE');
  });
});
