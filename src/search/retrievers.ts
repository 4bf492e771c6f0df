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
import type { Bm25Params, QueryTerm } from './bm25.ts';
import { analyzeQuestion, BIGRAM_WEIGHT, providesIntent, queryTerms, SYNONYM_WEIGHT, type Intent, type QuestionAnalysis } from './question.ts';
import { combine, DEFAULT_RERANK_WEIGHTS, featuresOf, profileQuery, RERANK_DEPTH, type FeatureWeights } from './article-rerank.ts';
import type { Query, Retriever, SearchHit, SearchOptions } from './types.ts';

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
  /** Weight of BM25 against vectors (default LEXICAL_WEIGHT_OFFLINE or LEXICAL_WEIGHT_SEMANTIC). */
  lexicalWeight?: number;
  /** Added to chunks of a law the question names (default LAW_BONUS). */
  lawBonus?: number;
  /** Candidates taken from each side before fusing (default FUSION_DEPTH). */
  depth?: number;
  /** 'linear' (default, calibrated scores) or 'rrf' (reciprocal rank fusion; scores are then rank-based). */
  fusion?: 'linear' | 'rrf';
  /** Weight of the law-level prior: how well the question matches a law as a whole (default LAW_PRIOR). */
  lawPrior?: number;
  /** Added to chunks of the checklist's laws (default CHECKLIST_BONUS). */
  checklistBonus?: number;
  /** BM25 parameters at query time (default: those the index was built with). */
  bm25?: Bm25Params;
  /** Weight of a character bigram / a synonym-implied term in the query (see question.ts). */
  bigramWeight?: number;
  synonymWeight?: number;
  /** Added to chunks that provide what the question asks for: a time limit, a penalty, a definition (default INTENT_BONUS). */
  intentBonus?: number;
  /** Weight of the question field: how well the question matches the ways colleagues ask about an article. */
  questionWeight?: number;
  /** Weights of the article-level reranker's features (article-rerank.ts); all 0 turns it off. */
  rerank?: Partial<FeatureWeights>;
}

// Tuning constants of fusion. Unless said otherwise each was chosen by cross-validation: tuned on dev-a,
// checked on dev-b and the reverse, then on the held-out sets (docs/retrieval.md has the history).

/** BM25's share against vectors with the offline hashed embedder: it sees BM25's own words, and any share given to it cost rank-1 hits. */
export const LEXICAL_WEIGHT_OFFLINE = 1;
/** BM25's share with a remote semantic model, which earns an equal share. */
export const LEXICAL_WEIGHT_SEMANTIC = 0.5;
/** Added to chunks of a law the question names (预算法…, 《会计法》): a named law is the likely topic. */
export const LAW_BONUS = 0.15;
/** Added to the article a question cites with its law (预算法第十八条): more than any other score, so it comes first. */
export const CITED_ARTICLE_BONUS = 1;
/** Candidates taken from each side before fusing: well past the reranker's RERANK_DEPTH places; fixed, not tuned. */
export const FUSION_DEPTH = 60;
/** Rank constant of reciprocal rank fusion (1 / (RRF_K + rank)), the usual value; RRF is an alternative, not the default. */
export const RRF_K = 60;
/** RRF scores are rank-based and small: the law bonus is divided by this to weigh about as much as in linear fusion. */
export const RRF_BONUS_DIVISOR = 30;
/** Weight of the law-level prior (a law with several matching articles is likelier the topic): 0.1. */
export const LAW_PRIOR = 0.1;
/** The law prior averages the best this many lexical scores of each law (a law with fewer counts the missing as 0). */
export const LAW_PRIOR_ARTICLES = 3;
/** Added to chunks of the checklist's laws: in the whole-collection index they are the likelier topic (+0.15). */
export const CHECKLIST_BONUS = 0.15;
/** Added per kind of provision asked for that a law article provides (a 日内 time limit, a 罚款): 0.02. */
export const INTENT_BONUS = 0.02;
/** Weight of the question field against the article text: dev-a peaked at 0.6, dev-b at 0.5, both together at 0.6. */
export const QUESTION_WEIGHT = 0.6;

type ResolvedOptions = Required<Omit<HybridOptions, 'bm25' | 'rerank'>> & Pick<HybridOptions, 'bm25'> & { rerank: FeatureWeights };

/** The fusion settings: the defaults above for this embedder, overridden by `options` (tuning, tests). */
export function hybridDefaults(embedderId: string, options: HybridOptions = {}): ResolvedOptions {
  const local = embedderId.startsWith('local');
  return {
    lexicalWeight: local ? LEXICAL_WEIGHT_OFFLINE : LEXICAL_WEIGHT_SEMANTIC,
    lawBonus: LAW_BONUS,
    depth: FUSION_DEPTH,
    fusion: 'linear',
    lawPrior: LAW_PRIOR,
    checklistBonus: CHECKLIST_BONUS,
    bigramWeight: BIGRAM_WEIGHT,
    synonymWeight: SYNONYM_WEIGHT,
    intentBonus: INTENT_BONUS,
    questionWeight: QUESTION_WEIGHT,
    ...options,
    rerank: { ...DEFAULT_RERANK_WEIGHTS, ...options.rerank },
  };
}

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
function lexical(parts: IndexParts, terms: QueryTerm[], depth: number, allow: (i: number) => boolean, params?: Bm25Params) {
  const r = parts.bm25.search(terms, depth, allow, params);
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

/** The query's analysis: given by the caller, or made here (law mentions through the catalog, when given). */
const analysed = (query: Query, catalog?: IndexParts['catalog']): QuestionAnalysis =>
  typeof query === 'string' ? analyzeQuestion(query, catalog) : query;

export class Bm25Retriever implements Retriever {
  constructor(private readonly parts: IndexParts) {}

  async search(query: Query, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const k = opts.k ?? 10;
    const r = lexical(this.parts, queryTerms(analysed(query)), k * 2, chunkFilter(this.parts.chunks, opts));
    return toHits(this.parts.chunks, r.ids, r.scores, k);
  }
}

export class VectorRetriever implements Retriever {
  constructor(private readonly parts: IndexParts) {}

  async search(query: Query, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const k = opts.k ?? 10;
    const r = await dense(this.parts, typeof query === 'string' ? query : query.question, k * 2, chunkFilter(this.parts.chunks, opts));
    return toHits(this.parts.chunks, r.ids, r.scores, k);
  }
}

type Ranked = [id: number, score: number][];
type Scores = { ids: number[]; scores: number[] };
/** Fused scores by chunk id, in the order chunks were first found (the order the bonuses are added in). */
type Fused = Map<number, number>;

/** Job 1 of fusion: the ranked candidates of each side (BM25, vectors, the question field). */
interface Sides {
  lex: Scores;
  vec: Scores;
  asked?: Scores;
}

/** Job 2: the sides' scores combined, linearly (calibrated scores) or by reciprocal rank. */
function combineSides(sides: Sides, o: ResolvedOptions): Fused {
  const fused: Fused = new Map();
  const w = o.lexicalWeight;
  const add = (side: Scores | undefined, weight: number) =>
    side?.ids.forEach((id, r) => fused.set(id, (fused.get(id) ?? 0) + (o.fusion === 'rrf' ? weight / (RRF_K + r) : weight * side.scores[r]!)));
  add(sides.lex, w);
  add(sides.vec, 1 - w);
  add(sides.asked, o.questionWeight);
  return fused;
}

/** Job 3: a law the question names, and an article it cites with that law, come first. */
function addNamedLaws(fused: Fused, chunks: Chunk[], a: QuestionAnalysis, allow: (i: number) => boolean, o: ResolvedOptions): void {
  const named = new Set(a.laws);
  if (!named.size) return;
  const bonus = o.fusion === 'rrf' ? o.lawBonus / RRF_BONUS_DIVISOR : o.lawBonus;
  for (const [id, s] of fused) if (named.has(chunks[id]!.title)) fused.set(id, s + bonus);
  for (const art of a.articles) {
    chunks.forEach((c, id) => {
      if (c.article === art.number && (c.articleSuffix ?? 0) === art.suffix && named.has(c.title) && allow(id)) {
        fused.set(id, (fused.get(id) ?? 0) + CITED_ARTICLE_BONUS);
      }
    });
  }
}

/** Job 4: law-level evidence — a law with several matching articles is more likely the one asked about. */
function addLawPrior(fused: Fused, chunks: Chunk[], lex: Scores, weight: number): void {
  if (weight <= 0) return;
  const perLaw = new Map<string, number[]>();
  lex.ids.forEach((id, r) => {
    const src = chunks[id]!.sourceId;
    const list = perLaw.get(src) ?? [];
    if (list.length < LAW_PRIOR_ARTICLES) list.push(lex.scores[r]!);
    perLaw.set(src, list);
  });
  const lawScore = new Map([...perLaw].map(([src, l]) => [src, l.reduce((x, y) => x + y, 0) / LAW_PRIOR_ARTICLES]));
  const best = Math.max(0, ...lawScore.values());
  if (best > 0) for (const [id, s] of fused) fused.set(id, s + (weight * (lawScore.get(chunks[id]!.sourceId) ?? 0)) / best);
}

/** Job 5: law articles that provide what the question asks for (a time limit, a penalty, a definition). */
function addIntents(fused: Fused, chunks: Chunk[], intents: Intent[], bonus: number): void {
  if (!intents.length || bonus <= 0) return;
  for (const [id, s] of fused) {
    const c = chunks[id]!;
    if (c.doc !== 'law') continue;
    const n = intents.filter((i) => providesIntent(i, c.text)).length;
    if (n) fused.set(id, s + bonus * n);
  }
}

/** Job 6: the checklist's laws, the likelier topic in a large collection. */
function addChecklist(fused: Fused, chunks: Chunk[], preferred: Set<string> | undefined, bonus: number): void {
  if (!preferred?.size || bonus <= 0) return;
  for (const [id, s] of fused) if (preferred.has(chunks[id]!.title)) fused.set(id, s + bonus);
}

const round = (s: number) => Math.round(Math.max(0, Math.min(1, s)) * 1e4) / 1e4;

export class HybridRetriever implements Retriever {
  private readonly o: ResolvedOptions;

  constructor(
    private readonly parts: IndexParts,
    options: HybridOptions = {},
  ) {
    this.o = hybridDefaults(parts.embedder.id, options);
  }

  private readonly askedAbout = (place: string): string[] => this.parts.questions?.askedAbout(place) ?? [];

  /** Share of chunks containing a word (the colloquial lexicon expands only words the texts rarely use). */
  private readonly docShare = (word: string): number => this.parts.bm25.df(word) / Math.max(1, this.parts.bm25.size);

  async search(query: Query, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const k = opts.k ?? 10;
    const { chunks } = this.parts;
    const w = this.o.rerank;
    const { a, terms, ranked } = await this.fuse(analysed(query, this.parts.catalog), opts);
    if (!Object.values(w).some((x) => x !== 0)) return dedupeArticles(chunks, ranked, k).map(([id, s]) => ({ chunk: chunks[id]!, score: Math.round(Math.min(1, s) * 1e4) / 1e4 }));
    const rescored = this.candidates(a, terms, ranked, k).map((c, i) => ({ id: c.id, i, s: c.fused + combine(c.features, w) }));
    rescored.sort((x, y) => y.s - x.s || x.i - y.i);
    return rescored.slice(0, k).map((r) => ({ chunk: chunks[r.id]!, score: round(r.s) }));
  }

  /** The top candidate places with their fused scores and reranking features (tuning the reranker). */
  async explain(query: Query, opts: SearchOptions = {}): Promise<Candidate[]> {
    const { a, terms, ranked } = await this.fuse(analysed(query, this.parts.catalog), opts);
    return this.candidates(a, terms, ranked, opts.k ?? 0);
  }

  /** The distinct places the reranker looks at, with their features. */
  private candidates(a: QuestionAnalysis, terms: QueryTerm[], ranked: Ranked, k: number): Candidate[] {
    const { chunks } = this.parts;
    const top = dedupeArticles(chunks, ranked, Math.max(RERANK_DEPTH, k));
    const profile = profileQuery(a, terms, this.parts.bm25);
    const features = featuresOf(chunks, top.map(([id]) => chunks[id]!), a, profile, this.askedAbout);
    return top.map(([id, fused], i) => ({ id, fused, features: features[i]! }));
  }

  /** Job 1: each side's candidates. With no weight on the dense side (the offline default) the query is not embedded at all. */
  private async sides(a: QuestionAnalysis, terms: QueryTerm[], depth: number, allow: (i: number) => boolean): Promise<Sides> {
    const lex = lexical(this.parts, terms, depth, allow, this.o.bm25);
    const noDense = this.o.fusion === 'linear' && this.o.lexicalWeight >= 1;
    const vec = noDense ? { ids: [], scores: [] } : await dense(this.parts, a.question, depth, allow);
    const asked = this.o.questionWeight > 0 && this.parts.questions ? this.parts.questions.search(terms, depth, allow) : undefined;
    return { lex, vec, asked };
  }

  /** Fused chunk scores, best first (several chunks of one article may appear): the six jobs in order. */
  private async fuse(a: QuestionAnalysis, opts: SearchOptions): Promise<{ a: QuestionAnalysis; terms: QueryTerm[]; ranked: Ranked }> {
    const { chunks } = this.parts;
    const allow = chunkFilter(chunks, opts);
    const terms = queryTerms(a, { bigram: this.o.bigramWeight, synonym: this.o.synonymWeight, docShare: this.docShare });
    const sides = await this.sides(a, terms, Math.max(this.o.depth, opts.k ?? 10), allow);
    const fused = combineSides(sides, this.o);
    addNamedLaws(fused, chunks, a, allow, this.o);
    addLawPrior(fused, chunks, sides.lex, this.o.lawPrior);
    addIntents(fused, chunks, a.intents, this.o.intentBonus);
    addChecklist(fused, chunks, this.parts.preferred, this.o.checklistBonus);
    return { a, terms, ranked: [...fused].sort((x, y) => y[1] - x[1] || x[0] - y[0]) };
  }
}
