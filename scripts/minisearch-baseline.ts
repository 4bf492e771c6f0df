/**
 * The index most teams would build first, as a yardstick for pufa: one chunk per current article (and per
 * report section), MiniSearch's BM25 over jieba's precise-mode tokens, no query processing.
 */
import MiniSearch from 'minisearch';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { loadChecklistView } from '../src/search/checklist-link.ts';
import { getJieba } from '../src/search/tokenize.ts';
import type { Retriever, SearchHit } from '../src/search/types.ts';
import type { Chunk } from '../src/knowledge/types.ts';

/** Build the baseline over a laws folder (the checklist's laws only when `checklistOnly`). */
export async function buildMiniSearchBaseline(lawsDir: string, knowledgeDir: string, checklistOnly = false): Promise<{ retriever: Retriever; chunks: number }> {
  const checklist = checklistOnly ? await loadChecklistView(knowledgeDir) : undefined;
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
  const retriever: Retriever = {
    async search(q, o) {
      return ms.search(typeof q === 'string' ? q : q.question).slice(0, o?.k ?? 10).map((r): SearchHit => ({ chunk: chunks[r.id as number]!, score: r.score }));
    },
  };
  return { retriever, chunks: chunks.length };
}
