/**
 * Benchmark of `pufa ask` offline on a built index, excluding process start and index loading: answers the
 * dev and out-of-scope questions plus article lookups, twice (the first pass warms caches), and prints
 * p50/p95/max of the second pass.
 *   node bin/pufa-script.js scripts/bench-ask.ts [--data DIR] [questions.jsonl…]
 */
import { percentile } from '../src/metrics.ts';
import { parseArgs } from 'node:util';
import { createAnswerer } from '../src/answer/answerer.ts';
import { loadConfig } from '../src/config.ts';
import { readQuestions } from '../src/search/evaluate.ts';
import { openIndex } from '../src/search/index.ts';

const { values, positionals } = parseArgs({ options: { data: { type: 'string' } }, allowPositionals: true });
const files = positionals.length ? positionals : ['../shared/eval/dev-a.jsonl', '../shared/eval/dev-b.jsonl', '../shared/eval/out-of-scope-dev.jsonl'];
// Offline: the benchmark measures the extractive path even where an LLM is configured.
const config = { ...loadConfig({ ...process.env, LOG_LEVEL: 'silent' }, { dataDir: values.data }), llm: undefined };
const t0 = performance.now();
const index = await openIndex(config);
const answerer = createAnswerer({ index, config });
const open = performance.now() - t0;
const questions = [
  ...(await readQuestions(files)).map((q) => q.question),
  '预算法第十八条', '《中华人民共和国政府采购法》第26条的内容是什么？', '会计法2017年版第四十二条', '预算法第十八条至第二十条', '预算法第二百条',
];
let first = 0;
const t1 = performance.now();
for (const q of questions) await answerer.answer(q);
first = performance.now() - t1;
const ms: number[] = [];
for (const q of questions) {
  const s = performance.now();
  await answerer.answer(q);
  ms.push(performance.now() - s);
}
const p = (x: number) => percentile(ms, x * 100).toFixed(1);
console.log(`index ${index.manifest.counts.chunks} chunks, opened in ${open.toFixed(0)} ms; first pass ${questions.length} questions in ${first.toFixed(0)} ms`);
console.log(`pufa ask offline: n=${ms.length} p50 ${p(0.5)} ms  p95 ${p(0.95)} ms  max ${Math.max(...ms).toFixed(1)} ms`);
