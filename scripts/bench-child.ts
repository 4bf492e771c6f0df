/**
 * One measured step of the ingest benchmark, run in its own process so that its peak RSS is its own:
 *   ingest <lawsDir> <knowledgeDir> <dataDir> [--checklist-only]   build the index
 *   query <dataDir> <questions.jsonl>…                                load time, latency, recall
 *   baseline <lawsDir> <knowledgeDir> <questions.jsonl>…            MiniSearch BM25 over jieba tokens
 * Prints one JSON line.
 */
import { loadConfig } from '../src/config.ts';
import { evaluate, readQuestions } from '../src/search/evaluate.ts';
import { openIndex, runIngest } from '../src/search/index.ts';
import { buildMiniSearchBaseline } from './minisearch-baseline.ts';

const [mode, ...args] = process.argv.slice(2);
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

if (mode === 'ingest') {
  const [lawsDir, knowledgeDir, dataDir, flag] = args as [string, string, string, string?];
  const config = loadConfig({ LOG_LEVEL: 'error' }, { lawsDir, knowledgeDir, dataDir });
  const t = performance.now();
  const s = await runIngest(config, { checklistOnly: flag === '--checklist-only' });
  const seconds = (performance.now() - t) / 1000;
  console.log(JSON.stringify({ seconds, files: s.files, chunks: s.chunks, articles: s.articles, dir: s.dir, rssMb: rssMb() }));
} else if (mode === 'query') {
  const [dataDir, ...files] = args as [string, ...string[]];
  const config = loadConfig({ LOG_LEVEL: 'error' }, { dataDir });
  const t = performance.now();
  const index = await openIndex(config);
  await index.search('预热', { k: 1 });
  const loadMs = performance.now() - t;
  const r = await evaluate(index, await readQuestions(files), { k: 10 });
  console.log(JSON.stringify({ loadMs, p50: r.p50_ms, p95: r.p95_ms, r5: r['recall@5'], mrr: r.mrr, rssMb: rssMb() }));
} else if (mode === 'baseline') {
  // The index most teams would build first (scripts/minisearch-baseline.ts).
  const [lawsDir, knowledgeDir, only, ...files] = args as [string, string, string, ...string[]];
  const t = performance.now();
  const { retriever, chunks } = await buildMiniSearchBaseline(lawsDir, knowledgeDir, only === 'checklist');
  const buildSeconds = (performance.now() - t) / 1000;
  const r = await evaluate(retriever, await readQuestions(files), { k: 10 });
  console.log(JSON.stringify({ buildSeconds, chunks, p50: r.p50_ms, p95: r.p95_ms, r5: r['recall@5'], mrr: r.mrr, rssMb: rssMb() }));
} else {
  console.error('usage: bench-child ingest|query|baseline …');
  process.exit(2);
}
