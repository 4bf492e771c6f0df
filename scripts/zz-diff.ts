import { loadConfig } from '../src/config.ts';
import { evaluate, readQuestions } from '../src/search/evaluate.ts';
import { openIndex } from '../src/search/index.ts';
const [data, file, a, b] = process.argv.slice(2);
const index = await openIndex(loadConfig({ LOG_LEVEL: 'error' }, { dataDir: data }));
const qs = await readQuestions([file!]);
const ra = await evaluate(index.hybrid(JSON.parse(a!)), qs, { k: 10 });
const rb = await evaluate(index.hybrid(JSON.parse(b!)), qs, { k: 10 });
for (let i = 0; i < qs.length; i++) {
  const x = ra.questions[i]!, y = rb.questions[i]!;
  if (x.rank !== y.rank) console.log(x.id, x.rank, '→', y.rank, qs[i]!.question);
}
