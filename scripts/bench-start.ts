/**
 * Start-up benchmark: whole `pufa` processes, timed from outside, beside a plain `node -e 0` as the floor
 * (what any Node program pays). Runs take turns (floor, help, lookup, retrieval, floor, …) so a machine that
 * speeds up or slows down during the run affects each alike; medians over the runs are printed, with the
 * first question's own time inside the process (the `ms` of --json) for the two `ask` commands.
 *
 *   npm run bench:start -- --data DIR [--runs 7]     (DIR: a data directory with an index, e.g. the whole corpus)
 *   npm run bench:start                              (builds a checklist-only index of ../shared/corpus/laws first)
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../src/metrics.ts';
import { prepareBenchData } from './bench-support.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '..');
const { dataDir } = await prepareBenchData('pufa-bench-start-', {
  data: values.data,
  lawsDir: resolve(root, '../shared/corpus/laws'),
  knowledgeDir: join(root, 'knowledge'),
});
const pufa = (...args: string[]) => [process.execPath, join(root, 'bin/pufa.js'), ...args];
const ask = (q: string) => pufa('ask', q, '--json', '--data', dataDir, '--knowledge', join(root, 'knowledge'));

const cases: { name: string; argv: string[]; firstMs?: boolean }[] = [
  { name: 'node -e 0 (floor)', argv: [process.execPath, '-e', '0'] },
  { name: 'pufa --help', argv: pufa('--help') },
  { name: 'pufa ask 预算法第十八条', argv: ask('预算法第十八条'), firstMs: true },
  { name: 'pufa ask 采购合同签订后多少日内要备案？', argv: ask('采购合同签订后多少日内要备案？'), firstMs: true },
];

const wall = new Map<string, number[]>(cases.map((c) => [c.name, []]));
const first = new Map<string, number[]>(cases.map((c) => [c.name, []]));
// One unmeasured round warms the file cache, so every measured run reads the index from memory alike.
for (let round = -1; round < runs; round++) {
  for (const c of cases) {
    const t0 = performance.now();
    const r = spawnSync(c.argv[0]!, c.argv.slice(1), { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'error' } });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
    if (round < 0) continue;
    wall.get(c.name)!.push(ms);
    if (c.firstMs) first.get(c.name)!.push(Number(/"ms":([\d.]+)/.exec(r.stdout)?.[1] ?? NaN));
  }
}

const floor = median(wall.get(cases[0]!.name)!);
console.log(`${runs} runs each, medians (wall clock, whole process); index ${dataDir}`);
for (const c of cases) {
  const w = median(wall.get(c.name)!);
  const extra = c.firstMs ? `   first question in the process ${median(first.get(c.name)!).toFixed(0)} ms` : '';
  console.log(`${c.name.padEnd(40)} ${(w / 1000).toFixed(2)} s  (floor + ${((w - floor) / 1000).toFixed(2)} s)${extra}`);
}
