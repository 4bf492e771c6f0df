/**
 * Article-level reranking of the fused candidates. BM25 scores chunks; the question is about an article (or a
 * report section) as a whole, and the close calls are between neighbouring articles of one law. Each of the
 * top candidates is described by a few interpretable features, combined linearly with weights chosen by
 * cross-validation (dev-a ↔ dev-b, checked on the held-out sets):
 * - coverage: the IDF-weighted share of the question's content words (synonym-implied terms at their lower
 *   weight) that the whole article (title, headings, all its 款) contains;
 * - bigram coverage: the same for the question's character bigrams (robust to segmentation);
 * - headings: the share found in the article's chapter/section headings;
 * - proximity: the best share found inside a single sentence or 款 (the words belong together);
 * - distinct: coverage weighted by how rare each word is among the candidates themselves: neighbouring
 *   articles of one law share the law's vocabulary, and the word that tells them apart decides;
 * - phrase: the longest run of the question's wording that the article contains verbatim (合同副本);
 * - answer type: the article states what the question asks for (a time limit, a penalty, a definition, who
 *   is responsible, how often);
 * - actors: the parties the question names (采购人, 供应商, 复议机关…) appear in the article;
 * - cross-reference: the article mostly points to other articles (依照本法第X条) and answers little itself;
 * - own work: a question about the bureau's own work (局里, 去年) is answered by the bureau's report;
 * - asked (distinct): like distinct, over the colleagues' questions about each candidate (knowledge/questions):
 *   the word that tells neighbouring articles apart is often one people use and the law does not.
 * General drafting patterns and legal vocabulary only, never wording taken from test questions.
 */
import { articleLabelSource } from '../knowledge/article-reference.ts';
import type { Chunk } from '../knowledge/types.ts';
import type { Bm25Index } from './bm25.ts';
import type { QueryTerm } from './bm25.ts';
import { providesIntent, type QuestionAnalysis } from './question.ts';
import { BIGRAM_PREFIX } from './tokenize.ts';

export const FEATURES = ['coverage', 'bigrams', 'headings', 'proximity', 'distinct', 'phrase', 'answerType', 'actors', 'crossRef', 'ownWork', 'askedDistinct'] as const;
export type Feature = (typeof FEATURES)[number];
export type FeatureWeights = Record<Feature, number>;

/**
 * The features' weights, added to the fused score. Fitted by a listwise softmax loss with L2 regularisation
 * (λ 0.02) on dev-a + dev-b, λ and the features chosen by cross-validation dev-a ↔ dev-b and checked on the
 * held-out sets; a weight of 0 is a feature whose sign was unstable or negative there (docs/retrieval.md).
 */
export const DEFAULT_RERANK_WEIGHTS: FeatureWeights = {
  /** The whole article covers the question's words: fitted, small (BM25 already counts them). */
  coverage: 0.013,
  /** Bigram coverage: sign unstable or negative in cross-validation, off. */
  bigrams: 0,
  /** Words in the chapter/section headings: sign unstable or negative, off. */
  headings: 0,
  /** The words found together in one sentence or 款: fitted. */
  proximity: 0.031,
  /** The word that tells neighbouring articles apart: fitted, the strongest text feature. */
  distinct: 0.11,
  /** A long verbatim run of the question: sign unstable or negative, off. */
  phrase: 0,
  /** The article states what is asked (a time limit, a penalty, who, how often): fitted. */
  answerType: 0.07,
  /** The parties the question names: sign unstable or negative, off. */
  actors: 0,
  /** Penalty for an article that mostly points elsewhere (the feature is -1): fitted. */
  crossRef: 0.018,
  /** Report for the bureau's own work, law otherwise (the feature is ±1): fitted. */
  ownWork: 0.028,
  /** The colleagues' questions tell neighbours apart: chosen on dev-a/dev-b (0.1–0.3 all near best; 0.15 highest). */
  askedDistinct: 0.15,
};

/** Candidates (distinct articles / sections) the reranker looks at: the close calls are within the top 20 (fixed, not tuned). */
export const RERANK_DEPTH = 20;
/** An article shorter than this (without spaces) that cites another with 依照/适用… counts as a cross-reference only. */
export const CROSS_REF_MAX_CHARS = 160;
/** Phrase feature: a verbatim run of this many characters or fewer scores 0 … */
export const PHRASE_MIN = 2;
/** … and one of this many or more scores 1 (linear between). */
export const PHRASE_FULL = 6;
/** Smoothing of the candidates' own IDF in distinctCoverage: log((n + 1) / (count + DISTINCT_SMOOTHING)). */
export const DISTINCT_SMOOTHING = 0.5;

/**
 * Parties the laws name as the subject of a duty or a right. A question naming one wants the article about
 * that party; the colloquial forms people use map here too (采购单位 → 采购人).
 */
const ACTORS: [RegExp, string][] = [
  [/采购人|采购单位/, '采购人'],
  [/供应商/, '供应商'],
  [/采购代理机构|代理机构|招标代理/, '代理机构'],
  [/评审专家|评标委员会|评委|专家/, '评审'],
  [/投标人/, '投标人'],
  [/招标人/, '招标人'],
  [/中标人/, '中标人'],
  [/复议机关/, '复议机关'],
  [/复议机构/, '复议机构'],
  [/被申请人/, '被申请人'],
  [/第三人/, '第三人'],
  [/原告/, '原告'],
  [/被告/, '被告'],
  [/人民法院|法院/, '人民法院'],
  [/检察院/, '检察院'],
  [/审计机关/, '审计机关'],
  [/财政部门|财政局|财政部/, '财政部门'],
  [/监察机关|纪委/, '监察机关'],
  [/人民代表大会|人大/, '人大'],
  [/国务院/, '国务院'],
  [/经营者|商家|企业/, '经营者'],
  [/消费者/, '消费者'],
  [/会计人员|会计机构|会计|出纳/, '会计'],
  [/单位负责人|负责人|领导/, '负责人'],
  [/公职人员|公务员/, '公职人员'],
  [/信访人/, '信访人'],
  [/当事人/, '当事人'],
  [/出资人|履行出资人职责的机构/, '出资人'],
  [/保密行政管理部门/, '保密部门'],
  [/戒毒/, '戒毒'],
];

/** What an article provides for the question kinds that query.ts does not know (who, how often). */
const EXTRA_INTENTS: { question: RegExp; article: RegExp }[] = [
  // Who is responsible / to whom to turn: the article names an organ as the one that acts.
  { question: /哪个部门|哪些部门|哪个机关|谁负责|由谁|向谁|找谁|归谁|谁来|谁管|哪一级|哪级/, article: /(?:部门|机关|机构|政府|委员会|法院)(?:负责|应当|可以|依法|主管|管理|按照|会同|统一)|由[^，。；]{1,20}(?:负责|决定|批准|确定|组织)|向[^，。；]{1,20}(?:申请|提出|报告|报送|举报|投诉)/ },
];

const OWN_WORK = /局里|我局|本局|我们局|咱们局|区财政局|财政局(?:对|的|在|去年|今年|明年)|去年|今年|明年|20\d\d年|本区|我区|我们单位|本单位/;

/** An article that mostly points elsewhere: 「违反本法第X条规定的，依照本法第Y条处理」. */
const CROSS_REF = new RegExp(`(?:依照|参照|适用|按照)(?:本法|本条例|本规定|本办法)?${articleLabelSource()}`);

interface Place {
  text: string;
  headings: string;
  sentences: string[];
  actors: Set<string>;
  crossRef: boolean;
}

const placeCache = new WeakMap<Chunk[], { byKey: Map<string, number[]>; places: Map<string, Place> }>();

export function placeKey(c: Chunk): string {
  return c.id.replace(/\.\d+$/, '');
}

function placeOf(chunks: Chunk[], key: string): Place {
  let cache = placeCache.get(chunks);
  if (!cache) {
    const byKey = new Map<string, number[]>();
    chunks.forEach((c, i) => {
      const k = placeKey(c);
      const list = byKey.get(k);
      if (list) list.push(i);
      else byKey.set(k, [i]);
    });
    cache = { byKey, places: new Map() };
    placeCache.set(chunks, cache);
  }
  const hit = cache.places.get(key);
  if (hit) return hit;
  const ids = cache.byKey.get(key) ?? [];
  const first = chunks[ids[0]!]!;
  const body = ids.map((i) => chunks[i]!.text).join('\n');
  const headings = `${first.title.replace(/^中华人民共和国/, '')} ${first.path.join(' ')}`;
  const place: Place = {
    text: `${headings}\n${body}`.toLowerCase(),
    headings: headings.toLowerCase(),
    sentences: body.toLowerCase().split(/[。；;\n]/).filter((s) => s.trim().length > 1),
    actors: new Set(ACTORS.filter(([re]) => re.test(body)).map(([, a]) => a)),
    crossRef: first.doc === 'law' && CROSS_REF.test(body) && body.replace(/\s/g, '').length < CROSS_REF_MAX_CHARS,
  };
  cache.places.set(key, place);
  return place;
}

export interface QueryProfile {
  /** The question's content (framing removed), for verbatim phrase matches. */
  content: string;
  words: { term: string; weight: number }[];
  bigrams: { term: string; weight: number }[];
  actors: Set<string>;
  extraIntents: RegExp[];
  ownWork: boolean;
}

/** The parts of a question the features compare against (its analysis and search terms), weighted by the index's IDF. */
export function profileQuery(q: QuestionAnalysis, terms: QueryTerm[], bm25: Pick<Bm25Index, 'idf'>): QueryProfile {
  const merge = (terms: { term: string; weight: number }[]) => {
    const m = new Map<string, number>();
    for (const t of terms) m.set(t.term, Math.max(m.get(t.term) ?? 0, t.weight));
    return [...m].map(([term, w]) => ({ term, weight: w * bm25.idf(term) })).filter((t) => t.weight > 0);
  };
  const words = merge(terms.filter((t) => !t.term.startsWith(BIGRAM_PREFIX)));
  const bigrams = merge(terms.filter((t) => t.term.startsWith(BIGRAM_PREFIX))).map((t) => ({ term: t.term.slice(BIGRAM_PREFIX.length), weight: t.weight }));
  return {
    content: q.content,
    words,
    bigrams,
    actors: new Set(ACTORS.filter(([re]) => re.test(q.text)).map(([, a]) => a)),
    extraIntents: EXTRA_INTENTS.filter((i) => i.question.test(q.text)).map((i) => i.article),
    ownWork: OWN_WORK.test(q.text),
  };
}

function share(terms: { term: string; weight: number }[], text: string): number {
  let total = 0;
  let got = 0;
  for (const t of terms) {
    total += t.weight;
    if (text.includes(t.term)) got += t.weight;
  }
  return total > 0 ? got / total : 0;
}

/** The longest run of Chinese characters of the question that the text contains, scaled to [0, 1] (PHRASE_MIN → 0, PHRASE_FULL+ → 1). */
function phraseMatch(content: string, text: string): number {
  let best = 0;
  for (const run of content.match(/[\u4e00-\u9fff]+/g) ?? []) {
    for (let i = 0; i + best < run.length; i++) {
      let len = best + 1;
      while (i + len <= run.length && text.includes(run.slice(i, i + len))) len++;
      best = Math.max(best, len - 1);
    }
  }
  return Math.max(0, Math.min(1, (best - PHRASE_MIN) / (PHRASE_FULL - PHRASE_MIN)));
}

/**
 * Coverage of the question's words by each text, every word weighted by how rare it is among these texts
 * (the candidates' own texts, or their colleague questions): neighbouring articles share most words, and the
 * word that tells them apart decides. Scaled so that the best text scores 1.
 */
function distinctCoverage(texts: string[], words: { term: string; weight: number }[]): number[] {
  const n = texts.length;
  const local = words.map((t) => {
    const cf = texts.filter((x) => x.includes(t.term)).length;
    return { term: t.term, weight: t.weight * Math.log((n + 1) / (cf + DISTINCT_SMOOTHING)) };
  });
  const raw = texts.map((x) => local.reduce((s, t) => s + (x.includes(t.term) ? t.weight : 0), 0));
  const max = Math.max(1e-9, ...raw);
  return raw.map((r) => r / max);
}

/** The feature vectors of candidate places (distinct articles / sections) for one question; each in [-1, 1]. */
export function featuresOf(chunks: Chunk[], candidates: Chunk[], q: Pick<QuestionAnalysis, 'intents'>, p: QueryProfile, askedAbout: (place: string) => string[] = () => []): FeatureWeights[] {
  const places = candidates.map((c) => placeOf(chunks, placeKey(c)));
  const distinct = distinctCoverage(places.map((pl) => pl.text), p.words);
  const askedDistinct = distinctCoverage(candidates.map((c) => askedAbout(placeKey(c)).join('\n').toLowerCase()), p.words);
  return candidates.map((chunk, ci) => {
    const place = places[ci]!;
    const isLaw = chunk.doc === 'law';
    let proximity = 0;
    for (const s of place.sentences) proximity = Math.max(proximity, share(p.words, s));
    const asked = q.intents.length + p.extraIntents.length;
    let provided = 0;
    if (isLaw) {
      for (const i of q.intents) if (providesIntent(i, place.text)) provided++;
      for (const re of p.extraIntents) if (re.test(place.text)) provided++;
    }
    let actors = 0;
    if (p.actors.size) {
      let m = 0;
      for (const a of p.actors) if (place.actors.has(a)) m++;
      actors = m / p.actors.size;
    }
    return {
      coverage: share(p.words, place.text),
      bigrams: share(p.bigrams, place.text),
      headings: share(p.words, place.headings),
      proximity,
      distinct: distinct[ci]!,
      phrase: phraseMatch(p.content, place.text),
      answerType: asked ? provided / asked : 0,
      actors,
      crossRef: place.crossRef ? -1 : 0,
      ownWork: chunk.doc === 'report' ? (p.ownWork ? 1 : 0) : p.ownWork ? -1 : 0,
      askedDistinct: askedDistinct[ci]!,
    };
  });
}

export function combine(f: FeatureWeights, w: FeatureWeights): number {
  let s = 0;
  for (const k of FEATURES) s += f[k] * w[k];
  return s;
}
