/**
 * The retrievers over one built index: BM25, vectors, and the hybrid of both that pufa uses. All share one
 * contract (the Retriever interface) and one filter: superseded versions only when asked, optional law ids.
 *
 * Scores are in [0, 1] and comparable across queries:
 * - BM25: the raw score divided by the best score any chunk could reach for that query (the share of the
 *   query's weighted terms a chunk matches, saturating with term frequency);
 * - vectors: cosine similarity;
 * - hybrid: its relevance r is a weighted mean of the two, plus the question field's score (how well the
 *   question matches the ways colleagues ask about the article, question-field.ts), bonuses (a law the
 *   question names, the law's overall fit, the checklist's laws, an article that provides the kind of
 *   provision asked for, the laws of the question's area of law — routing.ts, an article that states a
 *   concept the question names — concepts.ts) and the article-level reranker's features; a chunk found by
 *   only one side gets 0 from the other. Besides the collection-wide BM25 list, the laws of the question's
 *   areas are searched on their own, and the general part of a law beside a cluster of hits
 *   (general-rules.ts); all from one BM25 pass. The score shown is σ(SCORE_SLOPE·r + SCORE_OFFSET): the
 *   estimated probability that a best hit of this relevance is the article the question asks about (fitted
 *   on the dev and tune questions, docs/answers.md). Strong and weak hits differ, and no score saturates at 1
 *   except an article cited by number.
 */
import type { HierarchicalNSW } from 'hnswlib-node';
import type { Chunk } from '../knowledge/types.ts';
import { Bm25Index, type Bm25Scores } from './bm25.ts';
import type { QuestionField } from './question-field.ts';
import type { IndexEmbeddings } from './embedders/types.ts';
import type { LawCatalog } from '../knowledge/catalog.ts';
import type { Bm25Params, QueryTerm } from './bm25.ts';
import { analyzeQuestion, BIGRAM_WEIGHT, LAY_WEIGHT, providesIntent, queryTerms, SYNONYM_WEIGHT, type Intent, type QuestionAnalysis } from './question.ts';
import { statesConcept } from './concepts.ts';
import { searchTerms } from './tokenize.ts';
import { combine, DEFAULT_RERANK_WEIGHTS, featuresOf, profileQuery, RERANK_DEPTH, type FeatureWeights } from './article-rerank.ts';
import { LawStructure } from './general-rules.ts';
import { AreaMembership, interpretsRepealedLaw, lawKindOf, routeQuestion, type Route } from './routing.ts';
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
  /** Weight of a term implied by the lay-to-legal vocabulary (lay-lexicon.ts). */
  layWeight?: number;
  /** Added to chunks that provide what the question asks for: a time limit, a penalty, a definition (default INTENT_BONUS). */
  intentBonus?: number;
  /** Weight of the question field: how well the question matches the ways colleagues ask about an article. */
  questionWeight?: number;
  /** Added to the articles that state a legal concept the question names (concepts.ts): default CONCEPT_BONUS. */
  conceptBonus?: number;
  /** Weights of the article-level reranker's features (article-rerank.ts); all 0 turns it off. */
  rerank?: Partial<FeatureWeights>;
  /** Added to chunks of the laws of the question's area of law, times how sure the routing is (routing.ts). */
  routeBonus?: number;
  /** Candidates taken from the routed laws alone, besides the whole collection's (0 turns routing off). */
  routeDepth?: number;
  /** Taken from judicial interpretations of laws the collection no longer holds (合同法, 婚姻法…). */
  repealedPenalty?: number;
  /** Taken from case write-ups and other documents without articles when a question is routed to an area of law. */
  documentPenalty?: number;
  /** A general rule offered for a cluster of hits enters at this share of the cluster's best score (0 turns it off). */
  generalShare?: number;
  /** An article cited by a hit, or citing it, enters at this share of the hit's score (0 turns it off). */
  referenceShare?: number;
  /** Taken from interpretations and rules for a question about one's own life that asks for no specifics (0 turns it off). */
  statutePenalty?: number;
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
/** Weight of an earlier question's terms (SearchOptions.context) against the question's own: the follow-up decides, the topic helps. */
export const CONTEXT_WEIGHT = 0.3;
/** Added to an article that states a concept the question names, in the words the concept's phrases give (docs/answers.md). */
export const CONCEPT_BONUS = 0.8;
/** Articles looked at per concept phrase (by BM25 on the phrase's words, then checked verbatim): fixed, not tuned. */
const CONCEPT_DEPTH = 30;
/** Added to chunks of the routed area's laws (times the routing's strength): chosen on the lay tune sets. */
export const ROUTE_BONUS = 0.15;
/** Lexical candidates taken from the routed laws alone: the right law's article is often outside the collection-wide top 60. */
export const ROUTE_DEPTH = 30;
/** At most this many of the question's areas are searched on their own. */
export const ROUTED_AREAS = 3;
/** Taken from interpretations of repealed laws: they read like the answer but no longer govern. */
export const REPEALED_PENALTY = 0.1;
/** Taken from case write-ups for routed questions: the answer to a question about one's rights is an article. */
export const DOCUMENT_PENALTY = 0.1;
/** Top places looked at for clusters under one part of a law (general-rules.ts). */
export const GENERAL_DEPTH = 10;
/** Hits under one part that make a cluster. */
export const GENERAL_MIN_CLUSTER = 2;
/** Articles of the general part offered per cluster, the best by BM25. */
export const GENERAL_TAKE = 2;
/** A general rule enters at this share of its cluster's best fused score. */
export const GENERAL_SHARE = 0.85;
/** Top places whose references are followed. */
export const REFERENCE_DEPTH = 5;
/** A referenced (or referring) article enters at this share of the hit's fused score. */
export const REFERENCE_SHARE = 0.8;
/**
 * Taken from judicial interpretations and departmental rules when a question about one's own life asks for no
 * specifics (amounts, standards, what counts as): the statute that states the person's right comes first. On the
 * lay tune set 0.02–0.04 all held or raised Hit@5 (0.03 chosen, the middle), and the own set gained one question;
 * questions about the bureau's work are not routed, so the checklist figures do not move.
 */
export const STATUTE_PENALTY = 0.03;

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
    layWeight: LAY_WEIGHT,
    intentBonus: INTENT_BONUS,
    questionWeight: QUESTION_WEIGHT,
    conceptBonus: CONCEPT_BONUS,
    routeBonus: ROUTE_BONUS,
    routeDepth: ROUTE_DEPTH,
    repealedPenalty: REPEALED_PENALTY,
    documentPenalty: DOCUMENT_PENALTY,
    generalShare: GENERAL_SHARE,
    referenceShare: REFERENCE_SHARE,
    statutePenalty: STATUTE_PENALTY,
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

/** A follow-up's terms with the earlier question's added at CONTEXT_WEIGHT (a term in both keeps its own weight). */
function withContext(own: QueryTerm[], context: QueryTerm[]): QueryTerm[] {
  const seen = new Set(own.map((t) => t.term));
  return [...own, ...context.filter((t) => !seen.has(t.term)).map((t) => ({ term: t.term, weight: t.weight * CONTEXT_WEIGHT }))];
}

/** Ranked chunk ids with calibrated scores from BM25 (from scores already computed, when given). */
function lexical(parts: IndexParts, terms: QueryTerm[], depth: number, allow: (i: number) => boolean, params?: Bm25Params, scored?: Bm25Scores) {
  const r = scored ? Bm25Index.top(scored, depth, allow) : parts.bm25.search(terms, depth, allow, params);
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
  /** BM25 within the routed area's laws only (scores on the same scale as lex). */
  routed?: Scores;
  /** Every chunk's BM25 score, for further filtered lists (general-rules.ts). */
  scored: Bm25Scores;
}

/** Job 2: the sides' scores combined, linearly (calibrated scores) or by reciprocal rank. */
function combineSides(sides: Sides, o: ResolvedOptions): Fused {
  const fused: Fused = new Map();
  const w = o.lexicalWeight;
  const add = (side: Scores | undefined, weight: number) =>
    side?.ids.forEach((id, r) => fused.set(id, (fused.get(id) ?? 0) + (o.fusion === 'rrf' ? weight / (RRF_K + r) : weight * side.scores[r]!)));
  add(sides.lex, w);
  // A chunk found by both lexical searches has one lexical score: the routed side only adds the new ones.
  const fromLex = new Set(sides.lex.ids);
  if (sides.routed) add({ ids: sides.routed.ids.filter((id) => !fromLex.has(id)), scores: sides.routed.scores.filter((_, r) => !fromLex.has(sides.routed!.ids[r]!)) }, w);
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

/** Two lexical result lists as one, best first (a chunk in both keeps its one score). */
function mergeScores(a: Scores, b?: Scores): Scores {
  if (!b) return a;
  const m = new Map<number, number>();
  a.ids.forEach((id, r) => m.set(id, a.scores[r]!));
  b.ids.forEach((id, r) => m.set(id, Math.max(m.get(id) ?? 0, b.scores[r]!)));
  const order = [...m].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  return { ids: order.map((x) => x[0]), scores: order.map((x) => x[1]) };
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

/**
 * Job 7: the laws of the question's area of law (routing.ts); interpretations of repealed laws and case write-ups
 * set back, and for a question about one's own life (without asking for specifics) interpretations and rules too.
 */
function addRouting(fused: Fused, chunks: Chunk[], route: Route, members: AreaMembership, hasLaw: (title: string) => boolean, o: ResolvedOptions): void {
  const repealed = new Map<string, boolean>();
  for (const [id, s] of fused) {
    const c = chunks[id]!;
    let x = s + o.routeBonus * members.strength(route, id);
    if (c.doc === 'document' && route.areas.length) x -= o.documentPenalty;
    if (c.doc === 'law' && o.repealedPenalty > 0) {
      let r = repealed.get(c.sourceId);
      if (r === undefined) repealed.set(c.sourceId, (r = interpretsRepealedLaw(c.title, c.category, hasLaw)));
      if (r) x -= o.repealedPenalty;
    }
    if (route.personal && !route.specifics && o.statutePenalty > 0 && c.doc === 'law') {
      const kind = lawKindOf(c.category);
      if (kind === 'interpretation' || kind === 'rule') x -= o.statutePenalty;
    }
    fused.set(id, x);
  }
}

/** Raise a chunk's fused score to at least `s` (it may not have been found at all). */
function offer(fused: Fused, id: number, s: number): void {
  if ((fused.get(id) ?? -Infinity) < s) fused.set(id, s);
}

/**
 * Job 8: the structure of the law (general-rules.ts) — the general part beside a cluster of hits, searched
 * for the question's terms, and the articles a top hit cites or is cited by.
 */
function addStructure(fused: Fused, parts: IndexParts, structure: LawStructure, terms: QueryTerm[], scored: Bm25Scores, allow: (i: number) => boolean, o: ResolvedOptions): void {
  if (o.generalShare <= 0 && o.referenceShare <= 0) return;
  const top = dedupeArticles(parts.chunks, [...fused].sort((x, y) => y[1] - x[1] || x[0] - y[0]), GENERAL_DEPTH);
  if (o.generalShare > 0) {
    const clusters = new Map<string, { ids: number[]; best: number; n: number }>();
    for (const [id, sc] of top) {
      const g = structure.generalPart(id);
      if (!g) continue;
      const c = clusters.get(g.key) ?? { ids: g.ids, best: sc, n: 0 };
      c.n++;
      clusters.set(g.key, c);
    }
    for (const c of clusters.values()) {
      if (c.n < GENERAL_MIN_CLUSTER) continue;
      const inPart = new Set(c.ids);
      const r = lexical(parts, terms, GENERAL_TAKE, (i) => inPart.has(i) && allow(i), o.bm25, scored);
      for (const id of r.ids) offer(fused, id, c.best * o.generalShare);
    }
  }
  if (o.referenceShare > 0) {
    for (const [id, sc] of top.slice(0, REFERENCE_DEPTH)) {
      const { cites, citedBy } = structure.references(id);
      for (const ref of [...cites, ...citedBy]) if (allow(ref)) offer(fused, ref, sc * o.referenceShare);
    }
  }
}

/** Job 6: the checklist's laws, the likelier topic in a large collection. */
function addChecklist(fused: Fused, chunks: Chunk[], preferred: Set<string> | undefined, bonus: number): void {
  if (!preferred?.size || bonus <= 0) return;
  for (const [id, s] of fused) if (preferred.has(chunks[id]!.title)) fused.set(id, s + bonus);
}

/**
 * Whether the index texts speak of a concept by this very name (融资租赁, 转移支付): two or more of the chunks
 * that BM25 finds for it hold it verbatim. A doctrine's name the texts never write (表见代理, 减损规则) is
 * not their wording.
 */
function textsUse(parts: IndexParts, name: string, allow: (i: number) => boolean): boolean {
  const terms = searchTerms(name).map((term) => ({ term, weight: 1 }));
  const r = lexical(parts, terms, CONCEPT_DEPTH, allow);
  let n = 0;
  for (const id of r.ids) if (parts.chunks[id]!.text.includes(name) && ++n >= 2) return true;
  return false;
}

/**
 * Job 7: the articles that state a concept the question names by its doctrinal name (追诉时效 → 「二年内未被
 * 发现的，不再给予行政处罚」). A verbatim phrase is strong evidence, and such an article may share no word
 * with the question, so one found only this way enters with the phrase search's own lexical score.
 */
function addConcepts(fused: Fused, parts: IndexParts, a: QuestionAnalysis, allow: (i: number) => boolean, o: ResolvedOptions): void {
  if (!a.concepts.length || o.conceptBonus <= 0) return;
  const done = new Set<number>();
  const squashed = a.text.replace(/\s+/g, '');
  for (const concept of a.concepts) {
    // Only a name the texts do not use themselves: where they do (融资租赁, 转移支付), BM25 finds the articles
    // that use it, and pulling up the one that defines it would push aside the one asked about.
    const name = concept.names.find((n) => squashed.includes(n))!;
    if (textsUse(parts, name, allow)) continue;
    for (const phrase of concept.phrases) {
      const terms = searchTerms(phrase).map((term) => ({ term, weight: 1 }));
      const r = lexical(parts, terms, CONCEPT_DEPTH, allow, o.bm25);
      r.ids.forEach((id, i) => {
        if (done.has(id) || !statesConcept(concept, parts.chunks[id]!.text)) return;
        done.add(id);
        fused.set(id, (fused.get(id) ?? o.lexicalWeight * r.scores[i]!) + o.conceptBonus);
      });
    }
  }
}

/**
 * The hybrid score from the relevance r: σ(SCORE_SLOPE·r + SCORE_OFFSET), a logistic fit of "the best hit is
 * a gold article" on r over the dev and tune questions of both indexes (out-of-scope ones included); a best
 * hit scoring 0.5 is right about half the time, 0.9 nearly always.
 */
export const SCORE_SLOPE = 3.5;
export const SCORE_OFFSET = -3.37;
const calibrated = (r: number) => Math.round((1 / (1 + Math.exp(-(SCORE_SLOPE * r + SCORE_OFFSET)))) * 1e4) / 1e4;

export class HybridRetriever implements Retriever {
  private readonly o: ResolvedOptions;

  constructor(
    private readonly parts: IndexParts,
    options: HybridOptions = {},
  ) {
    this.o = hybridDefaults(parts.embedder.id, options);
    this.members = new AreaMembership(parts.chunks);
    this.structure = new LawStructure(parts.chunks);
    this.titles = new Set(parts.chunks.map((c) => c.title));
  }

  private readonly askedAbout = (place: string): string[] => this.parts.questions?.askedAbout(place) ?? [];
  private readonly members: AreaMembership;
  private readonly structure: LawStructure;
  private readonly titles: Set<string>;
  private readonly hasLaw = (title: string): boolean => this.titles.has(title);

  /** Share of chunks containing a word (the colloquial lexicon expands only words the texts rarely use). */
  private readonly docShare = (word: string): number => this.parts.bm25.df(word) / Math.max(1, this.parts.bm25.size);

  async search(query: Query, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const k = opts.k ?? 10;
    const { chunks } = this.parts;
    const w = this.o.rerank;
    const { a, terms, ranked } = await this.fuse(analysed(query, this.parts.catalog), opts);
    if (!Object.values(w).some((x) => x !== 0)) return dedupeArticles(chunks, ranked, k).map(([id, s]) => ({ chunk: chunks[id]!, score: calibrated(s) }));
    const rescored = this.candidates(a, terms, ranked, k).map((c, i) => ({ id: c.id, i, s: c.fused + combine(c.features, w) }));
    rescored.sort((x, y) => y.s - x.s || x.i - y.i);
    return rescored.slice(0, k).map((r) => ({ chunk: chunks[r.id]!, score: calibrated(r.s) }));
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
  private async sides(a: QuestionAnalysis, terms: QueryTerm[], depth: number, allow: (i: number) => boolean, route: Route): Promise<Sides> {
    const scored = this.parts.bm25.score(terms, this.o.bm25);
    const lex = lexical(this.parts, terms, depth, allow, this.o.bm25, scored);
    // Each area's laws searched on their own: one area's many articles must not crowd out another's.
    let routed: Scores | undefined;
    if (!route.checklist && this.o.routeDepth > 0) {
      for (const { area } of route.areas.slice(0, ROUTED_AREAS)) {
        const inArea = this.members.of(area);
        routed = mergeScores(routed ?? { ids: [], scores: [] }, lexical(this.parts, terms, this.o.routeDepth, (i) => inArea[i]! > 0 && allow(i), this.o.bm25, scored));
      }
    }
    const noDense = this.o.fusion === 'linear' && this.o.lexicalWeight >= 1;
    const vec = noDense ? { ids: [], scores: [] } : await dense(this.parts, a.question, depth, allow);
    const asked = this.o.questionWeight > 0 && this.parts.questions ? this.parts.questions.search(terms, depth, allow) : undefined;
    return { lex, vec, asked, routed, scored };
  }

  /** Fused chunk scores, best first (several chunks of one article may appear): the nine jobs in order. */
  private async fuse(a: QuestionAnalysis, opts: SearchOptions): Promise<{ a: QuestionAnalysis; terms: QueryTerm[]; ranked: Ranked }> {
    const { chunks } = this.parts;
    const allow = chunkFilter(chunks, opts);
    const weights = { bigram: this.o.bigramWeight, synonym: this.o.synonymWeight, lay: this.o.layWeight, docShare: this.docShare };
    const terms = opts.context ? withContext(queryTerms(a, weights), queryTerms(analyzeQuestion(opts.context, this.parts.catalog), weights)) : queryTerms(a, weights);
    const route = routeQuestion(a, this.parts.preferred);
    const sides = await this.sides(a, terms, Math.max(this.o.depth, opts.k ?? 10), allow, route);
    const fused = combineSides(sides, this.o);
    addNamedLaws(fused, chunks, a, allow, this.o);
    addLawPrior(fused, chunks, mergeScores(sides.lex, sides.routed), this.o.lawPrior);
    addIntents(fused, chunks, a.intents, this.o.intentBonus);
    // The checklist is preferred unless a strong signal places the question in an area of people's own lives.
    if (!route.personal) addChecklist(fused, chunks, this.parts.preferred, this.o.checklistBonus);
    // The areas' laws are preferred for questions about people's own lives, the checklist for the bureau's work.
    if (!route.checklist) addRouting(fused, chunks, route, this.members, this.hasLaw, this.o);
    addStructure(fused, this.parts, this.structure, terms, sides.scored, allow, this.o);
    addConcepts(fused, this.parts, a, allow, this.o);
    return { a, terms, ranked: [...fused].sort((x, y) => y[1] - x[1] || x[0] - y[0]) };
  }
}
