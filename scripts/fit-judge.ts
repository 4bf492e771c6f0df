/**
 * Fit of the no-basis judge's logistic weights (src/answer/relevance.ts JUDGE_WEIGHTS) on the signal rows that
 * `scripts/calibrate-answer.ts --tsv` prints: answerable rows are the positives, out-of-scope and everyday rows
 * the negatives (weighted NEGATIVE_WEIGHT times, since answering them is the worse error); rows at or above
 * MAX_FOREIGN_AREA_SHARE are left out (the hard rule decides them). Gradient descent on the weighted log loss
 * with a small L2 penalty; then the no-basis share per file and label at a few thresholds.
 *   node bin/pufa-script.js scripts/fit-judge.ts train.tsv… [--val val.tsv…] [--thresholds 0.35,0.37,0.4] [--current]
 * With --current nothing is fitted: the table is for the weights in relevance.ts.
 * Each file may be prefixed `name=` to label it in the table (cl=/tmp/cl.tsv); rows are grouped by file, label
 * and question set (the id without its number).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { JUDGE_THRESHOLD, JUDGE_WEIGHTS, MAX_FOREIGN_AREA_SHARE } from '../src/answer/relevance.ts';

const NEGATIVE_WEIGHT = 3;
const L2 = 0.002;
const STEPS = 30_000;
const RATE = 0.3;
const SIGNALS = ['legal', 'coverage', 'provides', 'foreignArea', 'score'] as const;

interface Row { file: string; label: string; id: string; gold: boolean; x: number[] }

const { values, positionals } = parseArgs({
  options: { val: { type: 'string', multiple: true }, thresholds: { type: 'string' }, current: { type: 'boolean' } },
  allowPositionals: true,
});
if (!positionals.length) {
  console.error('usage: fit-judge.ts train.tsv… [--val val.tsv…] [--thresholds 0.35,0.37,0.4]');
  process.exit(2);
}

async function load(specs: string[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const spec of specs) {
    const [name, path] = spec.includes('=') ? (spec.split('=', 2) as [string, string]) : [spec, spec];
    for (const line of (await readFile(path, 'utf8')).split('\n')) {
      const c = line.split('\t');
      if (c.length < 9) continue;
      // label, id, gold?, legal, coverage, provides, foreign, score, probability, …
      rows.push({ file: name, label: c[0]!, id: c[1]!, gold: c[2] === '1', x: c.slice(3, 8).map(Number) });
    }
  }
  return rows;
}

const train = await load(positionals);
const val = await load(values.val ?? []);
const fitted = train.filter((r) => r.x[3]! < MAX_FOREIGN_AREA_SHARE);
const X = fitted.map((r) => [1, ...r.x]);
const y = fitted.map((r) => (r.label === 'answerable' ? 1 : 0));
const cw = y.map((v) => (v ? 1 : NEGATIVE_WEIGHT));
const w = new Array<number>(SIGNALS.length + 1).fill(0);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
if (values.current) w.splice(0, w.length, JUDGE_WEIGHTS.bias, ...SIGNALS.map((s) => JUDGE_WEIGHTS[s]));
else for (let step = 0; step < STEPS; step++) {
  const g = new Array<number>(w.length).fill(0);
  X.forEach((row, i) => {
    const e = (sigmoid(dot(row, w)) - y[i]!) * cw[i]!;
    row.forEach((v, j) => (g[j]! += (e * v) / X.length));
  });
  w.forEach((_, j) => (w[j]! -= RATE * (g[j]! + (j ? L2 * w[j]! : 0))));
}
console.log(JSON.stringify(Object.fromEntries([['bias', w[0]], ...SIGNALS.map((s, i) => [s, w[i + 1]])].map(([k, v]) => [k, Math.round((v as number) * 100) / 100]))));

const probability = (r: Row) => (r.x[3]! >= MAX_FOREIGN_AREA_SHARE ? 0 : sigmoid(dot([1, ...r.x], w)));
const thresholds = values.thresholds ? values.thresholds.split(',').map(Number) : [JUDGE_THRESHOLD];
for (const t of thresholds) {
  console.log(`\nthreshold ${t}`);
  for (const [part, rows] of [['train', train], ['val', val]] as const) {
    const groups = new Map<string, Row[]>();
    // By file, label and question set (the id without its number: T-A, T-E, H2…).
    for (const r of rows) {
      const k = `${r.file} ${r.label} ${r.id.replace(/-?\d+$/, '')}`;
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    for (const [k, g] of groups) {
      const nb = g.filter((r) => probability(r) < t).length;
      const right = g.filter((r) => probability(r) >= t && r.gold).length;
      console.log(`  ${part} ${k}: n ${g.length}, no basis ${((100 * nb) / g.length).toFixed(1)}%${k.includes(' answerable ') ? `, best hit right and answered ${(right / g.length).toFixed(3)}` : ''}`);
    }
  }
}
