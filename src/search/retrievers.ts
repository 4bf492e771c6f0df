/**
 * The retrievers over one built index: BM25, vectors, and the hybrid of both that pufa uses. All share one
 * contract (the Retriever interface) and one filter: superseded versions only when asked, optional law ids.
 *
 * Scores are in [0, 1] and comparable across queries:
 * - BM25: the raw score divided by the best score any chunk could reach for that query (the share of the
 *   query's weighted terms a chunk matches, saturating with term frequency);
 * - vectors: cosine similarity;
 * - hybrid: a weighted mean of the two, plus the question field's score (how well the question matches the
 *   ways colleagues ask about the article, question-field.ts) and bonuses (a law the question names, the
 *   law's overall fit, the checklist's laws, an article that provides the kind of provision asked for),
 *   capped at 1. A chunk found by only one side gets 0 from the other.
 */
import type { HierarchicalNSW } from 'hnswlib-node';
import type { Chunk } from '../knowledge/types.ts';
import type { Bm25Index } from './bm25.ts';
import type { QuestionField } from './question-field.ts';
import type { IndexEmbeddings } from './embedders/types.ts';
import type { LawCatalog } from '../knowledge/catalog.ts';
import type { Bm25Params } from './bm25.ts';
import { analyzeQuery, providesIntent, type AnalyzedQuery } from './query.ts';
import { combine, DEFAULT_RERANK_WEIGHTS, featuresOf, profileQuery, RERANK_DEPTH, type FeatureWeights } from './article-rerank.ts';
import type { Retriever, SearchHit, SearchOptions } from './types.ts';

export interface IndexParts {
  chunks: Chunk[];
  bm25: Bm25Index;
  /** Colleagues' questions per article (knowledge/questions), scored apart from the article text. */
  questions?: QuestionField;
  vectors: HierarchicalNSW;
  embedder: IndexEmbeddings;
  catalog: Pick<LawCatalog, 'findLawMentions'>;
  /** Law titles the bureau's checklist names: in a large collection they are the likelier topic. */
  preferred?: Set<string>;
}

export interface HybridOptions {
  /** Weight of BM25 against vectors (default 1 with the offline embedder, 0.5 with a remote model). */
  lexicalWeight?: number;
  /** Added to chunks of a law the question names (default 0.15). */
  lawBonus?: number;
  /** Candidates taken from each side before fusing (default 60). */
  depth?: number;
  /** 'linear' (default, calibrated scores) or 'rrf' (reciprocal rank fusion; scores are then rank-based). */
  fusion?: 'linear' | 'rrf';
  /** Weight of the law-level prior: how well the question matches a law as a whole (default 0.1). */
  lawPrior?: number;
  /** Added to chunks of the checklist's laws (default 0.15). */
  checklistBonus?: number;
  /** BM25 parameters at query time (default: those the index was built with). */
  bm25?: Bm25Params;
  /** Weight of a character bigram / a synonym-implied term in the query (see query.ts). */
  bigramWeight?: number;
  synonymWeight?: number;
  /** Added to chunks that provide what the question asks for: a time limit, a penalty, a definition (default 0.02). */
  intentBonus?: number;
  /** Weight of the question field: how well the question matches the ways colleagues ask about an article. */
  questionWeight?: number;
  /** Weights of the article-level reranker's features (article-rerank.ts); all 0 turns it off. */
  rerank?: Partial<FeatureWeights>;
}

/** Weight of the question field against the article text (see README 「索引与检索」). */
export const QUESTION_WEIGHT = 0.6;

/** One candidate place before reranking: its best chunk, the fused score and the reranker's features. */
export interface Candidate {
  id: number;
  fused: number;
  features: FeatureWeights;
}

/** The filter every retriever applies: current versions unless asked, and the requested law ids. */
export function chunkFilter(chunks: Chunk[], opts: SearchOptions = {}): (i: number) => boolean {
  const ids = opts.lawIds ? new Set(opts.lawIds) : undefined;
  const withOld = opts.includeSuperseded === true;
  return (i) => {
    const c = chunks[i];
    if (!c) return false;
    if (!withOld && c.status === 'superseded') return false;
    return !ids || ids.has(c.sourceId);
  };
}

/** Keep the best part of each article or section: five hits should be five places, not one article twice. */
function dedupeArticles(chunks: Chunk[], ranked: [number, number][], k: number): [number, number][] {
  const seen = new Set<string>();
  const out: [number, number][] = [];
  for (const r of ranked) {
    const key = chunks[r[0]]!.id.replace(/\.\d+$/, '');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
    if (out.length >= k) break;
  }
  return out;
}

function toHits(chunks: Chunk[], ids: number[], scores: number[], k: number): SearchHit[] {
  return dedupeArticles(chunks, ids.map((id, i) => [id, scores[i]!]), k).map(([id, s]) => ({
    chunk: chunks[id]!,
    score: Math.round(s * 1e4) / 1e4,
  }));
}

/** Ranked chunk ids with calibrated scores from BM25. */
function lexical(parts: IndexParts, q: AnalyzedQuery, depth: number, allow: (i: number) => boolean, params?: Bm25Params) {
  const r = parts.bm25.search(q.terms, depth, allow, params);
  return { ids: r.ids, scores: r.scores.map((s) => (r.max > 0 ? s / r.max : 0)) };
}

/** Ranked chunk ids with cosine similarities from the vector index. */
async function dense(parts: IndexParts, text: string, depth: number, allow: (i: number) => boolean) {
  const n = parts.vectors.getCurrentCount();
  if (n === 0 || text.trim() === '') return { ids: [] as number[], scores: [] as number[] };
  const v = await parts.embedder.embedQuery(text);
  const res = parts.vectors.searchKnn(v, Math.min(depth, n), allow);
  const order = res.neighbors.map((id, i) => [id, 1 - res.distances[i]!] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return { ids: order.map((x) => x[0]), scores: order.map((x) => Math.max(0, x[1])) };
}

export class Bm25Retriever implements Retriever {
  constructor(private readonly parts: IndexParts) {}

  async search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const k = opts.k ?? 10;
    const q = analyzeQuery(query);
    const r = lexical(this.parts, q, k * 2, chunkFilter(this.parts.chunks, opts));
    return toHits(this.parts.chunks, r.ids, r.scores, k);
  }
}

export class VectorRetriever implements Retriever {
  constructor(private readonly parts: IndexParts) {}

  async search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const k = opts.k ?? 10;
    const r = await dense(this.parts, query, k * 2, chunkFilter(this.parts.chunks, opts));
    return toHits(this.parts.chunks, r.ids, r.scores, k);
  }
}

export class HybridRetriever implements Retriever {
  private readonly o: Required<Omit<HybridOptions, 'bm25' | 'rerank'>> & Pick<HybridOptions, 'bm25'> & { rerank: FeatureWeights };

  constructor(
    private readonly parts: IndexParts,
    options: HybridOptions = {},
  ) {
    // Chosen by cross-validation (tuned on dev-a, checked on dev-b and the reverse, then on the held-out set):
    // the offline hashed embedder sees the same words BM25 sees and any share given to it cost rank-1 hits, so
    // it ranks only with a remote semantic model, which earns an equal share.
    const local = parts.embedder.id.startsWith('local');
    this.o = { lexicalWeight: local ? 1 : 0.5, lawBonus: 0.15, depth: 60, fusion: 'linear', lawPrior: 0.1, checklistBonus: 0.15, bigramWeight: 0.3, synonymWeight: 0.5, intentBonus: 0.02, questionWeight: QUESTION_WEIGHT, ...options, rerank: { ...DEFAULT_RERANK_WEIGHTS, ...options.rerank } };
  }

  private readonly askedAbout = (place: string): string[] => this.parts.questions?.askedAbout(place) ?? [];

  /** Share of chunks containing a word (the colloquial lexicon expands only words the texts rarely use). */
  private readonly docShare = (word: string): number => this.parts.bm25.df(word) / Math.max(1, this.parts.bm25.size);

  async search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const k = opts.k ?? 10;
    const { chunks } = this.parts;
    const w = this.o.rerank;
    const on = Object.values(w).some((x) => x !== 0);
    const { q, ranked } = await this.fuse(query, opts);
    if (!on) return dedupeArticles(chunks, ranked, k).map(([id, s]) => ({ chunk: chunks[id]!, score: Math.round(Math.min(1, s) * 1e4) / 1e4 }));
    const depth = Math.max(RERANK_DEPTH, k);
    const top = dedupeArticles(chunks, ranked, depth);
    const profile = profileQuery(q, this.parts.bm25);
    const features = featuresOf(chunks, top.map(([id]) => chunks[id]!), q, profile, this.askedAbout);
    const rescored = top.map(([id, s], i) => ({ id, i, s: s + combine(features[i]!, w) }));
    rescored.sort((a, b) => b.s - a.s || a.i - b.i);
    return rescored.slice(0, k).map((r) => ({ chunk: chunks[r.id]!, score: Math.round(Math.max(0, Math.min(1, r.s)) * 1e4) / 1e4 }));
  }

  /** The top candidate places with their fused scores and reranking features (tuning the reranker). */
  async explain(query: string, opts: SearchOptions = {}): Promise<Candidate[]> {
    const { chunks } = this.parts;
    const { q, ranked } = await this.fuse(query, opts);
    const profile = profileQuery(q, this.parts.bm25);
    const top = dedupeArticles(chunks, ranked, Math.max(RERANK_DEPTH, opts.k ?? 0));
    const features = featuresOf(chunks, top.map(([id]) => chunks[id]!), q, profile, this.askedAbout);
    return top.map(([id, fused], i) => ({ id, fused, features: features[i]! }));
  }

  /** Fused chunk scores, best first (several chunks of one article may appear). */
  private async fuse(query: string, opts: SearchOptions): Promise<{ q: AnalyzedQuery; ranked: [number, number][] }> {
    const k = opts.k ?? 10;
    const { chunks } = this.parts;
    const allow = chunkFilter(chunks, opts);
    const q = analyzeQuery(query, this.parts.catalog, { bigram: this.o.bigramWeight, synonym: this.o.synonymWeight, docShare: this.docShare });
    const depth = Math.max(this.o.depth, k);
    const lex = lexical(this.parts, q, depth, allow, this.o.bm25);
    // With no weight on the dense side (the offline default) the query is not embedded at all.
    const noDense = this.o.fusion === 'linear' && this.o.lexicalWeight >= 1;
    const vec = noDense ? { ids: [] as number[], scores: [] as number[] } : await dense(this.parts, query, depth, allow);
    const named = new Set(q.laws);
    const asked = this.o.questionWeight > 0 && this.parts.questions ? this.parts.questions.search(q.terms, depth, allow) : undefined;

    const fused = new Map<number, number>();
    const w = this.o.lexicalWeight;
    if (this.o.fusion === 'rrf') {
      lex.ids.forEach((id, r) => fused.set(id, (fused.get(id) ?? 0) + w / (60 + r)));
      vec.ids.forEach((id, r) => fused.set(id, (fused.get(id) ?? 0) + (1 - w) / (60 + r)));
      asked?.ids.forEach((id, r) => fused.set(id, (fused.get(id) ?? 0) + this.o.questionWeight / (60 + r)));
    } else {
      lex.ids.forEach((id, r) => fused.set(id, (fused.get(id) ?? 0) + w * lex.scores[r]!));
      vec.ids.forEach((id, r) => fused.set(id, (fused.get(id) ?? 0) + (1 - w) * vec.scores[r]!));
      asked?.ids.forEach((id, r) => fused.set(id, (fused.get(id) ?? 0) + this.o.questionWeight * asked.scores[r]!));
    }
    const bonus = this.o.fusion === 'rrf' ? this.o.lawBonus / 30 : this.o.lawBonus;
    if (named.size) {
      for (const [id, s] of fused) if (named.has(chunks[id]!.title)) fused.set(id, s + bonus);
      // An explicit citation (预算法第十八条) puts that article first.
      for (const a of q.articles) {
        chunks.forEach((c, id) => {
          if (c.article === a.number && (c.articleSuffix ?? 0) === a.suffix && named.has(c.title) && allow(id)) {
            fused.set(id, (fused.get(id) ?? 0) + 1);
          }
        });
      }
    }
    if (this.o.lawPrior > 0) {
      // Law-level evidence: a law with several matching articles is more likely the one the question is about.
      const perLaw = new Map<string, number[]>();
      lex.ids.forEach((id, r) => {
        const src = chunks[id]!.sourceId;
        const list = perLaw.get(src) ?? [];
        if (list.length < 3) list.push(lex.scores[r]!);
        perLaw.set(src, list);
      });
      const lawScore = new Map([...perLaw].map(([src, l]) => [src, l.reduce((a, b) => a + b, 0) / 3]));
      const best = Math.max(0, ...lawScore.values());
      if (best > 0) for (const [id, s] of fused) fused.set(id, s + (this.o.lawPrior * (lawScore.get(chunks[id]!.sourceId) ?? 0)) / best);
    }
    if (q.intents.length && this.o.intentBonus > 0) {
      for (const [id, s] of fused) {
        const c = chunks[id]!;
        if (c.doc !== 'law') continue;
        const n = q.intents.filter((i) => providesIntent(i, c.text)).length;
        if (n) fused.set(id, s + this.o.intentBonus * n);
      }
    }
    const preferred = this.parts.preferred;
    if (preferred?.size && this.o.checklistBonus > 0) {
      for (const [id, s] of fused) if (preferred.has(chunks[id]!.title)) fused.set(id, s + this.o.checklistBonus);
    }
    return { q, ranked: [...fused].sort((a, b) => b[1] - a[1] || a[0] - b[0]) };
  }
}
