/**
 * One measured step of the ingest benchmark, run in its own process so that its peak RSS is its own:
 *   ingest <lawsDir> <knowledgeDir> <dataDir> [--checklist-only]   build the index
 *   query <dataDir> <questions.jsonl>…                                load time, latency, recall
 *   baseline <lawsDir> <knowledgeDir> <questions.jsonl>…            MiniSearch BM25 over jieba tokens
 * Prints one JSON line.
 */
import MiniSearch from 'minisearch';
import { loadConfig } from '../src/config.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { evaluate, readQuestions } from '../src/search/evaluate.ts';
import { openIndex, runIngest } from '../src/search/index.ts';
import { loadChecklistView } from '../src/search/checklist-link.ts';
import { getJieba } from '../src/search/tokenize.ts';
import type { Retriever, SearchHit } from '../src/search/types.ts';
import type { Chunk } from '../src/knowledge/types.ts';

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
  // The index most teams would build first: one chunk per article, MiniSearch BM25 over jieba tokens.
  const [lawsDir, knowledgeDir, only, ...files] = args as [string, string, string, ...string[]];
  const t = performance.now();
  const checklist = only === 'checklist' ? await loadChecklistView(knowledgeDir) : undefined;
  const k = await loadKnowledge({ lawsDir, knowledgeDir, ...(checklist ? { only: checklist.includes } : {}) } as Parameters<typeof loadKnowledge>[0]);
  const chunks: Chunk[] = [];
  for (const v of k.catalog.current.filter((v) => !checklist || checklist.includes(v.title))) {
    for (const a of v.articles) {
      chunks.push({ id: `${v.id}#${a.number}-${a.suffix}`, doc: 'law', sourceId: v.id, title: v.title, article: a.number, articleSuffix: a.suffix, category: v.category, path: a.path, part: 0, text: a.text });
    }
  }
  for (const d of k.documents) {
    d.sections.forEach((s, i) => chunks.push({ id: `${d.id}#${i}`, doc: d.kind === 'report' ? 'report' : 'document', sourceId: d.id, title: d.title, category: d.category, path: s.path, section: s.label, part: 0, text: s.text }));
  }
  const jieba = getJieba();
  const ms = new MiniSearch({ fields: ['title', 'text'], storeFields: [], tokenize: (s) => jieba.cut(s, false).filter((w) => /[\p{L}\p{N}]/u.test(w)) });
  ms.addAll(chunks.map((c, id) => ({ id, title: c.title, text: c.text })));
  const buildSeconds = (performance.now() - t) / 1000;
  const retriever: Retriever = {
    async search(q, o) {
      return ms.search(typeof q === 'string' ? q : q.question).slice(0, o?.k ?? 10).map((r): SearchHit => ({ chunk: chunks[r.id as number]!, score: r.score }));
    },
  };
  const r = await evaluate(retriever, await readQuestions(files), { k: 10 });
  console.log(JSON.stringify({ buildSeconds, chunks: chunks.length, p50: r.p50_ms, p95: r.p95_ms, r5: r['recall@5'], mrr: r.mrr, rssMb: rssMb() }));
} else {
  console.error('usage: bench-child ingest|query|baseline …');
  process.exit(2);
}
