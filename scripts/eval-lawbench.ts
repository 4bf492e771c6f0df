/**
 * LawBench task 1-1 (「X法第N条的内容是什么？」, 500 public questions with reference texts) through the answerer:
 * every question must be answered by direct lookup, and the answer body (the reply without its one-line lead)
 * is scored with ROUGE-L against the reference, as LawBench's own scorer does (src/answer/rouge-l.ts; the
 * reference's 「答案:」 prefix removed). LawBench's data is public but not part of this repository: pass the
 * path of its data/zero_shot/1-1.json.
 *   node bin/pufa-script.js scripts/eval-lawbench.ts <1-1.json> [--data DIR] [--worst N] [--json]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createAnswerer } from '../src/answer/answerer.ts';
import { rougeL } from '../src/answer/rouge-l.ts';
import { loadConfig } from '../src/config.ts';
import { openIndex } from '../src/search/index.ts';

const { values, positionals } = parseArgs({
  options: { data: { type: 'string' }, worst: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: true,
});
const file = positionals[0];
if (!file) {
  console.error('usage: eval-lawbench.ts <LawBench data/zero_shot/1-1.json> [--data DIR] [--worst N] [--json]');
  process.exit(2);
}
const items = JSON.parse(await readFile(file, 'utf8')) as { question: string; answer: string }[];
// Offline: the lookup path never calls a model, and the measurement must not depend on one.
const config = { ...loadConfig({ ...process.env, LOG_LEVEL: 'silent' }, { dataDir: values.data }), llm: undefined };
const index = await openIndex(config);
const answerer = createAnswerer({ index, config });

const rows: { question: string; mode: string; rouge: number; body: string }[] = [];
for (const item of items) {
  const a = await answerer.answer(item.question);
  const body = a.answer.split('\n').slice(1).join('\n');
  rows.push({ question: item.question, mode: a.mode, rouge: rougeL(body, item.answer.replace('答案:', '')), body });
}
const n = rows.length;
const lookup = rows.filter((r) => r.mode === 'lookup').length;
const mean = rows.reduce((s, r) => s + r.rouge, 0) / Math.max(1, n);
if (values.json) {
  console.log(JSON.stringify({ n, lookup, 'rouge-l': Math.round(mean * 10000) / 10000 }));
} else {
  console.log(`LawBench 1-1：${n} 题，直查作答 ${lookup} 题（${((lookup / Math.max(1, n)) * 100).toFixed(1)}%），条文正文 ROUGE-L ${mean.toFixed(4)}`);
  const worst = Number(values.worst ?? 10);
  for (const r of [...rows].sort((x, y) => x.rouge - y.rouge).slice(0, worst)) {
    console.log(`  ${r.rouge.toFixed(3)} [${r.mode}] ${r.question} → ${r.body.replace(/\n/g, ' ').slice(0, 60)}`);
  }
}
