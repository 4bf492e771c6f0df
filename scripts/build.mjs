#!/usr/bin/env node
// Compiles src/ to dist/ for the installed command (run by `npm install` through prepare, or `npm run build`).
// bin/pufa.js runs dist/ when it is newer than every source file, else the sources through tsx,
// so a missing or stale build only costs start-up time, never correctness.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let tsc;
try {
  tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  // A production install without dev dependencies: the sources run through tsx instead.
  console.error('pufa build: TypeScript is not installed, skipping (pufa runs from the sources).');
  process.exit(0);
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--noCheck'], { stdio: 'inherit' });
if (r.status !== 0 || !existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  console.error('pufa build: compilation failed; pufa runs from the sources.');
  process.exit(0);
}
// Files the modules read beside themselves that tsc does not emit: the web chat's page script and stylesheet.
cpSync(join(root, 'src', 'chat', 'web', 'client'), join(root, 'dist', 'chat', 'web', 'client'), { recursive: true });
// Written last: the launcher trusts a build only when this stamp is newer than every source file.
writeFileSync(join(root, 'dist', 'BUILT'), new Date().toISOString() + '\n');
