/**
 * Run `pufa …` in-process (the real CLI entry) with captured output, for command-line tests.
 * @example const { code, out } = await runPufa(['search', '预算年度', '--json'], { env: { LOG_LEVEL: 'silent' } })
 */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.ts';

export interface PufaRun {
  code: number;
  out: string;
  err: string;
}

export async function runPufa(args: string[], opts: { env?: Record<string, string>; cwd?: string; stdin?: string } = {}): Promise<PufaRun> {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? '');
  const code = await main(args, {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
    stdin,
    env: opts.env ?? { LOG_LEVEL: 'silent' },
    cwd: opts.cwd ?? process.cwd(),
  });
  return { code, out, err };
}
