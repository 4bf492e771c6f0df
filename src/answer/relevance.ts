/**
 * The no-basis decision. A search always returns *something*; whether its best hit is a basis for an answer
 * is judged from what the question asks and what the hit says, by signals that hold on any index — the
 * checklist's 26 laws or the whole collection:
 * - legal: how typical the question's content words are of this knowledge base's texts, against general
 *   Chinese (search/vocabulary.ts). Everyday questions (天气, 食堂, 打印机, 减肥) speak another language; so do
 *   legal questions about areas the index does not hold (纳税人 and 试用期 on the checklist index);
 * - coverage: the share of the question's content words (weighted by how much each says) that the best hit
 *   holds — its text, law, headings and the colleagues' questions about it — or states as a concept
 *   (search/concepts.ts) or as the legal term a colloquial word stands for (search/synonyms.ts);
 * - provides: whether the best hit states what the question asks for (a time limit, a penalty, a definition);
 * - foreign area: how much of the question belongs to a legal area none of whose laws is in the index
 *   (knowledge/legal-areas.ts; the index's list is built at ingest, search/judge-tables.ts);
 * - score: the best hit's search score.
 * They are combined by a logistic model (weights fitted on the tune and dev sets, checked on the held-out
 * sets; docs/answers.md), whose output is the probability that the best hit is a basis.
 */
import type { Config } from '../config.ts';
import type { LawCatalog } from '../knowledge/catalog.ts';
import { statesConcept, conceptsNamed } from '../search/concepts.ts';
import { INTENTS, providesIntent, intentsOf, questionContent } from '../search/question.ts';
import { layTermsFor } from '../search/lay-lexicon.ts';
import { colloquialTermsFor, legalTermsFor } from '../search/synonyms.ts';
import { AFFINITY_MAX, type Vocabulary } from '../search/vocabulary.ts';
import { normalizeText } from '../search/tokenize.ts';
import type { RankedCitation } from './extractive.ts';
import { keywordParts, namesKeyword, uncoveredKeywords } from '../knowledge/legal-areas.ts';

/** Below this fused score no hit is a basis, whatever the other signals say (ANSWER_MIN_SCORE overrides it). */
export const DEFAULT_MIN_SCORE = 0.05;

/**
 * The judge's logistic weights: probability = σ(bias + Σ weight × signal). Fitted by logistic regression on
 * the trust tune sets and the dev sets (answerable vs everyday and out-of-scope, both indexes), checked on the
 * held-out sets (docs/answers.md has the fit and the figures).
 */
export const JUDGE_WEIGHTS = {
  bias: -7.03,
  legal: 2.01,
  coverage: 3.72,
  provides: 1.29,
  foreignArea: -3.18,
  score: 1.36,
};
/**
 * At or above this share of the question in a legal area the index does not hold, there is no basis
 * whatever the other signals say (the answerable tune, dev and held-out questions stay below 0.38).
 */
export const MAX_FOREIGN_AREA_SHARE = 0.4;
/**
 * At or above this probability the best hit is a basis: set between the answerable and the everyday
 * questions where they crowd (0.36–0.39 on the tune sets; docs/answers.md, round 9).
 */
export const JUDGE_THRESHOLD = 0.37;

// Workplace words the laws never use but staff always do (「局里」「区里」): not a sign of another topic.
const COLLOQUIAL = new Set(['局里', '区里', '市里', '县里', '单位里', '科室', '上面', '上级', '领导', '我们', '咱们', '要求']);

export function minScoreOf(config: Config): number {
  return config.answer.minScore > 0 ? config.answer.minScore : DEFAULT_MIN_SCORE;
}

export interface BasisSignals {
  score: number;
  /** Weighted mean affinity of the content words (vocabulary.affinity): above 0, the index's language. */
  legal: number;
  /** Weighted share of the content words the best hit holds. */
  coverage: number;
  /** Share of what the question asks for (time limit, penalty…) that the best hit states; 1 when it asks for nothing particular. */
  provides: number;
  foreignAreaShare: number;
  /** The logistic model's probability that the best hit is a basis. */
  probability: number;
  /** The content words weighed, and those the best hit does not hold. */
  words: string[];
  uncovered: string[];
  foreignTerms: string[];
}

export interface RelevanceJudge {
  signals(question: string, ranked: RankedCitation[]): BasisSignals;
  hasBasis(question: string, ranked: RankedCitation[]): boolean;
}

/** Asking whether something is allowed (这合法吗, 这样做违法吗): the ask, not the topic. */
const LEGALITY_ASK = /(?:这样做|这么做|这样|这)?(?:合法|违法|合规|违规|允许|可以|行|对)(?:吗|么)/g;

/** The question with its asking words taken out (多久, 罚多少, 是什么意思, 合法吗): what remains is what it is about. */
function topicText(question: string): string {
  let t = questionContent(normalizeText(question).replace(LEGALITY_ASK, ' '));
  for (const i of INTENTS) t = t.replace(new RegExp(i.question.source, 'g'), ' ');
  return t;
}

/** A quoted term of two to twelve characters: named as such, so the hit must hold it whole. */
const QUOTED = /[“"「『]([\u4e00-\u9fffA-Za-z0-9.]{2,12})[”"」』]/g;

/**
 * The terms a question puts in quotes (广告里能用“国家级”吗, “四个到位”是哪四个): what it asks about, word for
 * word, whatever their part of speech (jieba tags 国家级 as a distinguishing word, not content).
 */
function quotedTerms(said: string): string[] {
  return [...said.matchAll(QUOTED)].map((m) => m[1]!);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** @example createRelevanceJudge({ catalog, vocabulary, minScore: 0.12 }).hasBasis('明天会下雨吗？', ranked) // false */
export function createRelevanceJudge(opts: {
  catalog: LawCatalog;
  vocabulary?: Vocabulary;
  minScore: number;
  /** The colleagues' questions about a retrieved article (knowledge/questions): their words count as the hit's. */
  askedAbout?: (r: RankedCitation) => string[];
  /** Words of legal areas the index does not hold, as ingest listed them (index.foreignTerms). */
  foreignTerms?: string[];
}): RelevanceJudge {
  let foreign = opts.foreignTerms;
  const vocab = opts.vocabulary;

  const signals = (question: string, ranked: RankedCitation[]): BasisSignals => {
    // An index built before the list was stored: the areas' keywords as they are.
    foreign ??= uncoveredKeywords(opts.catalog);
    const top = ranked[0];
    const said = normalizeText(question);
    const content = (vocab?.contentWords(topicText(question)) ?? []).filter((w) => !COLLOQUIAL.has(w));
    const words = [...content, ...quotedTerms(said).filter((q) => !content.includes(q))];
    const weight = (w: string) => vocab?.weight(w) ?? 1;
    const total = words.reduce((s, w) => s + weight(w), 0);

    // A concept's name is legal language by definition, and a hit that states the concept holds it.
    const named = conceptsNamed(question);
    const inName = (w: string) => named.some((c) => c.names.some((n) => n.includes(w)));
    /** How much of the question a hit holds: per word, all of it, its legal equivalent, or (a long word) its share of bigrams. */
    const heldBy = (r: RankedCitation | undefined): number[] => {
      if (!r) return words.map(() => 0);
      // What the hit says: its text, law and headings, and how colleagues ask about it.
      const text = normalizeText(`${r.citation.law ?? ''} ${r.chunk.path.join(' ')} ${r.citation.section ?? ''} ${r.citation.text} ${(opts.askedAbout?.(r) ?? []).join(' ')}`);
      const stated = named.filter((c) => statesConcept(c, r.citation.text));
      return words.map((w) => {
        if (text.includes(w) || stated.some((c) => c.names.some((n) => n.includes(w)))) return 1;
        if ([...legalTermsFor(w), ...colloquialTermsFor(w), ...layTermsFor(w)].some((t) => text.includes(t))) return 1;
        if (w.length < 3) return 0;
        let n = 0;
        for (let i = 0; i + 1 < w.length; i++) if (text.includes(w.slice(i, i + 2))) n++;
        return n / (w.length - 1);
      });
    };
    const share = (held: number[]) => (total ? words.reduce((sum, w, i) => sum + weight(w) * held[i]!, 0) / total : 0);
    const heldShare = heldBy(top);
    const uncovered = words.filter((_, i) => heldShare[i]! < 1);

    const asked = intentsOf(said);
    const provided = top && top.citation.doc === 'law' ? asked.filter((i) => providesIntent(i, top.citation.text)).length : asked.length;

    // The content words that belong to a keyword of a legal area the index does not hold (劳动争议 → 劳动, 争议;
    // 公务员+工资 → 公务员, 工资).
    const hits = foreign.filter((k) => namesKeyword(said, k));
    const matched = hits.filter((k) => !hits.some((o) => o !== k && o.includes(k)));
    const parts = matched.flatMap(keywordParts);
    const areaWeight = words.filter((w) => parts.some((k) => k.includes(w) || w.includes(k))).reduce((sum, w) => sum + weight(w), 0);

    const s = {
      score: top?.score ?? 0,
      legal: total ? words.reduce((sum, w) => sum + weight(w) * (inName(w) ? AFFINITY_MAX : (vocab?.affinity(w) ?? 0)), 0) / total : 0,
      coverage: share(heldShare),
      provides: asked.length ? provided / asked.length : 1,
      foreignAreaShare: total ? areaWeight / total : 0,
    };
    const w = JUDGE_WEIGHTS;
    const probability = sigmoid(
      w.bias + w.legal * s.legal + w.coverage * s.coverage + w.provides * s.provides + w.foreignArea * s.foreignAreaShare + w.score * s.score,
    );
    return { ...s, probability, words, uncovered, foreignTerms: matched };
  };

  return {
    signals,
    hasBasis(question, ranked) {
      if (!ranked.length) return false;
      const s = signals(question, ranked);
      return s.score >= opts.minScore && s.foreignAreaShare < MAX_FOREIGN_AREA_SHARE && s.probability >= JUDGE_THRESHOLD;
    },
  };
}
