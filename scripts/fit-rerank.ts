/**
 * Fits the article reranker's feature weights (article-rerank.ts) by a listwise softmax loss with L2
 * regularisation, on the candidates the hybrid retriever would rerank, and reports Hit@5 / MRR of the fitted
 * weights on other question sets (cross-validation). Questions whose gold is not among the candidates carry
 * no signal and are left out of the fit.
 *   node bin/pufa-script.js scripts/fit-rerank.ts --data <dir> --fit a.jsonl[,b.jsonl] --check c.jsonl[,…]
 *     [--lambda 0.02] [--temperature 0.05] [--personal]   (--personal: only questions routed to an area of law)
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { hitMatches, readQuestions, type EvalQuestion } from '../src/search/evaluate.ts';
import { openIndex } from '../src/search/index.ts';
import { FEATURES, type FeatureWeights } from '../src/search/article-rerank.ts';
import { analyzeQuestion } from '../src/search/question.ts';
import { routeQuestion } from '../src/search/routing.ts';
import type { HybridRetriever } from '../src/search/retrievers.ts';

const { values } = parseArgs({
  options: { data: { type: 'string' }, fit: { type: 'string' }, check: { type: 'string' }, lambda: { type: 'string' }, temperature: { type: 'string' }, personal: { type: 'boolean' } },
});
if (!values.data || !values.fit) {
  console.error('usage: fit-rerank.ts --data <dir> --fit a.jsonl[,b] --check c.jsonl[,…] [--lambda L] [--temperature T] [--personal]');
  process.exit(2);
}
const lambda = Number(values.lambda ?? 0.02);
const T = Number(values.temperature ?? 0.05);
const index = await openIndex(loadConfig({ LOG_LEVEL: 'error' }, { dataDir: values.data }));
const hybrid = index.retrievers.hybrid as HybridRetriever;
const preferred = new Set(index.manifest.checklistLaws ?? []);

interface Row { fused: number[]; f: number[][]; gold: boolean[] }
async function rowsOf(qs: EvalQuestion[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const q of qs) {
    if (values.personal) {
      const r = routeQuestion(analyzeQuestion(q.question, index.catalog), preferred);
      if (r.checklist || r.areas.length === 0) continue;
    }
    const cands = await hybrid.explain(q.question, { k: 20 });
    const gold = cands.map((c) => q.gold.some((g) => hitMatches({ chunk: index.chunks[c.id]!, score: 0 }, g)));
    rows.push({ fused: cands.map((c) => c.fused), f: cands.map((c) => FEATURES.map((k) => c.features[k])), gold });
  }
  return rows;
}

function evalRows(rows: Row[], w: number[]) {
  let hit5 = 0, rr = 0;
  for (const r of rows) {
    const s = r.fused.map((x, i) => x + r.f[i]!.reduce((a, v, j) => a + v * w[j]!, 0));
    const order = s.map((x, i) => [x, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map((x) => x[1]);
    const first = order.findIndex((i) => r.gold[i]);
    if (first >= 0 && first < 5) hit5++;
    if (first >= 0) rr += 1 / (first + 1);
  }
  return { n: rows.length, hit5: hit5 / Math.max(1, rows.length), mrr: rr / Math.max(1, rows.length) };
}

function fit(rows: Row[], start: number[]): number[] {
  const w = [...start];
  const m = new Array(w.length).fill(0), v = new Array(w.length).fill(0);
  const train = rows.filter((r) => r.gold.some(Boolean));
  for (let step = 1; step <= 3000; step++) {
    const g = w.map((x) => 2 * lambda * x);
    for (const r of train) {
      const s = r.fused.map((x, i) => (x + r.f[i]!.reduce((a, vv, j) => a + vv * w[j]!, 0)) / T);
      const mx = Math.max(...s);
      const e = s.map((x) => Math.exp(x - mx));
      const z = e.reduce((a, b) => a + b, 0);
      const zg = e.reduce((a, b, i) => a + (r.gold[i] ? b : 0), 0);
      for (let i = 0; i < e.length; i++) {
        const coef = (e[i]! / z - (r.gold[i] ? e[i]! / zg : 0)) / T / train.length;
        for (let j = 0; j < w.length; j++) g[j]! += coef * r.f[i]![j]!;
      }
    }
    for (let j = 0; j < w.length; j++) {
      m[j] = 0.9 * m[j] + 0.1 * g[j]!;
      v[j] = 0.999 * v[j] + 0.001 * g[j]! ** 2;
      w[j]! -= (0.003 * (m[j] / (1 - 0.9 ** step))) / (Math.sqrt(v[j] / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  return w;
}

const current = FEATURES.map((k) => (hybrid as unknown as { o: { rerank: FeatureWeights } }).o.rerank[k]);
const fitSets = await Promise.all(values.fit.split(',').map(async (f) => ({ name: basename(f, '.jsonl'), rows: await rowsOf(await readQuestions([f])) })));
const checkSets = await Promise.all((values.check ?? '').split(',').filter(Boolean).map(async (f) => ({ name: basename(f, '.jsonl'), rows: await rowsOf(await readQuestions([f])) })));
const fitted = fit(fitSets.flatMap((s) => s.rows), current);
const f3 = (x: number) => x.toFixed(3);
console.log('weights', FEATURES.map((k, j) => `${k} ${f3(current[j]!)}→${f3(fitted[j]!)}`).join(', '));
for (const s of [...fitSets, ...checkSets]) {
  const a = evalRows(s.rows, current), b = evalRows(s.rows, fitted);
  console.log(`${s.name} (${a.n}): current Hit@5 ${f3(a.hit5)} MRR ${f3(a.mrr)} → fitted Hit@5 ${f3(b.hit5)} MRR ${f3(b.mrr)}`);
}
