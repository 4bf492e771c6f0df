#!/usr/bin/env node
// Launcher: runs the compiled build (dist/, made by `npm install` or `npm run build`) when it is at least as new
// as every source file, else the TypeScript sources through tsx, so `pufa` works with or without a build.
import { readdirSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);

/** Newest modification time under a folder, the folders included (a deleted file changes its folder's). */
function newest(dir) {
  let t = 0;
  try {
    t = statSync(dir).mtimeMs;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = new URL(e.name + (e.isDirectory() ? '/' : ''), dir);
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
  } catch {
    return t;
  }
  return t;
}

function builtAt() {
  try {
    return statSync(new URL('dist/BUILT', root)).mtimeMs;
  } catch {
    return 0;
  }
}

let main;
if (builtAt() > newest(new URL('src/', root))) {
  ({ main } = await import(new URL('dist/cli/main.js', root).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(new URL('src/cli/main.ts', root).href));
}
process.exitCode = await main(process.argv.slice(2));
