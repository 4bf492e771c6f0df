/**
 * bin/pufa.js runs the compiled build only while it is at least as new as every source file: a source edited
 * (or deleted) after the build sends it back to the TypeScript sources, so a stale build never runs.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/test-index.ts';

let dir: string;
const run = () => execFileSync(process.execPath, [join(dir, 'bin/pufa.js')], { encoding: 'utf8' }).trim();

beforeAll(async () => {
  // A checkout in miniature: the real launcher, a "source" and a "build" main that say which one ran.
  dir = await mkdtemp(join(tmpdir(), 'pufa-launcher-'));
  await mkdir(join(dir, 'bin'));
  await cp(join(REPO_ROOT, 'bin/pufa.js'), join(dir, 'bin/pufa.js'));
  await symlink(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  await mkdir(join(dir, 'src/cli'), { recursive: true });
  await mkdir(join(dir, 'dist/cli'), { recursive: true });
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  await writeFile(join(dir, 'src/cli/main.ts'), "export async function main(): Promise<number> { console.log('src'); return 0; }\n");
  await writeFile(join(dir, 'src/cli/extra.ts'), 'export {};\n');
  await writeFile(join(dir, 'dist/cli/main.js'), "export async function main() { console.log('dist'); return 0; }\n");
  const past = new Date(Date.now() - 60_000);
  for (const p of ['src/cli/main.ts', 'src/cli/extra.ts', 'src/cli', 'src']) await utimes(join(dir, p), past, past);
  await writeFile(join(dir, 'dist/BUILT'), 'now\n');
});

/** Give a file an explicit time, seconds from now: no test step depends on the clock's resolution. */
const stamp = (p: string, s: number) => utimes(join(dir, p), new Date(Date.now() + s * 1000), new Date(Date.now() + s * 1000));
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('runs the build while it is newer than every source, the sources once a file is edited or deleted after it', async () => {
  expect(run()).toBe('dist');
  await rm(join(dir, 'src/cli/extra.ts'));
  expect(run()).toBe('src');
  await writeFile(join(dir, 'dist/BUILT'), 'rebuilt\n');
  await stamp('dist/BUILT', 10);
  expect(run()).toBe('dist');
  await writeFile(join(dir, 'src/cli/main.ts'), "export async function main(): Promise<number> { console.log('src'); return 0; }\n");
  await stamp('src/cli/main.ts', 20);
  expect(run()).toBe('src');
  await rm(join(dir, 'dist/BUILT'));
  expect(run()).toBe('src');
});
