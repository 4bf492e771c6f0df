/**
 * Fusion settings side by side on several question sets over one index (tuning records in docs/retrieval.md):
 *   node bin/pufa-script.js scripts/tune-lay.ts --data <dir> --sets a.jsonl,b.jsonl '{"routeBonus":0}' '{}' …
 * Each positional argument is a JSON object of HybridOptions ({} = the defaults); prints Hit@5 / R@5 / MRR
 * per set and, with --kinds, per kind of the first set.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { evaluate, readQuestions } from '../src/search/evaluate.ts';
import { openIndex } from '../src/search/index.ts';
import type { HybridOptions } from '../src/search/retrievers.ts';

const { values, positionals } = parseArgs({ options: { data: { type: 'string' }, sets: { type: 'string' }, kinds: { type: 'boolean' } }, allowPositionals: true });
if (!values.data || !values.sets) {
  console.error("usage: tune-lay.ts --data <dir> --sets a.jsonl,b.jsonl [--kinds] '{...HybridOptions}'…");
  process.exit(2);
}
const index = await openIndex(loadConfig({ LOG_LEVEL: 'error' }, { dataDir: values.data }));
const sets = await Promise.all(values.sets.split(',').map(async (f) => ({ name: basename(f, '.jsonl'), qs: await readQuestions([f]) })));
const f = (x: number) => x.toFixed(3);
for (const variant of positionals.length ? positionals : ['{}']) {
  const r = index.hybrid(JSON.parse(variant) as HybridOptions);
  const cells: string[] = [];
  let kinds = '';
  for (const [i, s] of sets.entries()) {
    const rep = await evaluate(r, s.qs, { k: 10 });
    cells.push(`${s.name} ${f(rep['hit@5'])}/${f(rep['recall@5'])}/${f(rep.mrr)}`);
    if (i === 0 && values.kinds) kinds = Object.entries(rep.by_kind).map(([k, m]) => `${k.slice(0, 10)} ${f(m['hit@5'])}`).join(' · ');
    if (i === sets.length - 1) cells.push(`p95 ${rep.p95_ms.toFixed(1)} ms`);
  }
  console.log(`${variant.padEnd(40)} ${cells.join('  ')}`);
  if (kinds) console.log(`  ${kinds}`);
}
