/**
 * Lay questions over the whole collection, pufa beside plain BM25 (MiniSearch over jieba), per legal area:
 * Hit@5 and Recall@5, with the areas where pufa trails the baseline on Hit@5 marked.
 *   node bin/pufa-script.js scripts/eval-lay.ts --data <dir of a whole-corpus index> <questions.jsonl>…
 *   [--laws DIR] (default ../shared/corpus/laws) [--misses FILE] (per-question ranks, JSON lines)
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { evaluate, readQuestions, type EvalReport, type Metrics } from '../src/search/evaluate.ts';
import { openIndex } from '../src/search/index.ts';
import { buildMiniSearchBaseline } from './minisearch-baseline.ts';

const repo = resolve(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  options: { data: { type: 'string' }, laws: { type: 'string' }, misses: { type: 'string' }, 'no-baseline': { type: 'boolean' } },
  allowPositionals: true,
});
if (!values.data || positionals.length === 0) {
  console.error('usage: eval-lay.ts --data <dir> <questions.jsonl>… [--laws DIR] [--misses FILE] [--no-baseline]');
  process.exit(2);
}
const lawsDir = resolve(values.laws ?? join(repo, '../shared/corpus/laws'));
const questions = await readQuestions(positionals);
const index = await openIndex(loadConfig({ LOG_LEVEL: 'error' }, { dataDir: values.data }));
await index.search('预热', { k: 1 });
const pufa = await evaluate(index, questions, { k: 10 });
let base: EvalReport | undefined;
if (!values['no-baseline']) {
  const { retriever } = await buildMiniSearchBaseline(lawsDir, join(repo, 'knowledge'));
  base = await evaluate(retriever, questions, { k: 10 });
}

const f = (x: number | undefined) => (x === undefined ? '  -  ' : x.toFixed(3));
const row = (name: string, p: Metrics, b?: Metrics) =>
  `| ${name} | ${p.n} | ${f(p['hit@5'])} | ${f(p['recall@5'])} | ${f(p.mrr)} | ${f(b?.['hit@5'])} | ${f(b?.['recall@5'])} |${b && p['hit@5'] < b['hit@5'] ? ' ✗' : ''}`;
console.log('| 领域 | 题数 | pufa Hit@5 | pufa R@5 | pufa MRR | BM25 Hit@5 | BM25 R@5 |');
console.log('|---|---|---|---|---|---|---|');
console.log(row('全部', pufa, base));
for (const k of Object.keys(pufa.by_kind)) console.log(row(k, pufa.by_kind[k]!, base?.by_kind[k]));
console.log(`\n检索 p50 ${pufa.p50_ms} ms，p95 ${pufa.p95_ms} ms`);
if (values.misses) {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const lines = [];
  for (const r of pufa.questions) {
    const q = byId.get(r.id)!;
    const hits = await index.search(q.question, { k: 5 });
    lines.push(JSON.stringify({ ...r, question: q.question, gold: q.gold, top: hits.map((h) => `${h.chunk.title.replace(/^中华人民共和国/, '')}${h.chunk.articleLabel ?? h.chunk.section ?? ''} ${h.score}`) }));
  }
  await writeFile(values.misses, lines.join('\n') + '\n');
}
