/**
 * The no-basis decision. A search always returns *something*; whether it is a basis for an answer is judged
 * from three signals that hold for any index:
 * - the fused search score of the best hit (a floor, ANSWER_MIN_SCORE overrides it);
 * - how much of the question (words weighted by their general-Chinese IDF) the knowledge base has never
 *   seen at all (「红烧肉」「羽毛球」: the question is about something else), neither in its texts nor in
 *   the colleagues' questions about the best hits (knowledge/questions);
 * - how much of it belongs to a legal area none of whose laws is in the index (legal-areas.ts);
 * - how much of it the best hits actually contain (a hit that shares only filler words is no basis).
 * Calibrated on dev-*.jsonl (answerable) against out-of-scope-dev.jsonl (not); see scripts/calibrate-answer.ts.
 */
import type { Config } from '../config.ts';
import type { LawCatalog } from '../knowledge/catalog.ts';
import type { Chunk } from '../knowledge/types.ts';
import { pairKey, pairsOf, type PairSet } from '../search/prebuilt.ts';
import { generalIdf, words } from '../search/tokenize.ts';
import type { RankedCitation } from './extractive.ts';
import { uncoveredKeywords } from './legal-areas.ts';

/** Below this fused score even a well-covered question has no basis. */
export const DEFAULT_MIN_SCORE = 0.12;
/** At or above this share of never-seen words the question is about something the index does not hold. */
export const MAX_UNKNOWN_SHARE = 0.6;
/** Below this share of the question found in the best hits, the hits only share its filler words. */
export const MIN_SUPPORT = 0.15;
/** At or above this share of words from uncovered legal areas the question belongs to another area of law. */
export const MAX_FOREIGN_AREA_SHARE = 0.25;

// Workplace words the laws never use but staff always do (「局里」「区里」): not a sign of another topic.
const COLLOQUIAL = new Set(['局里', '区里', '市里', '县里', '单位里', '科室', '上面', '上级', '领导', '我们', '咱们', '多久', '几天', '多长时间', '多少天', '怎么办', '可以', '要求']);
// Words missing from jieba's IDF table are mostly segmentation debris (「时能」「内送」): weigh them lightly.
const UNLISTED_WEIGHT = 4;

export function minScoreOf(config: Config): number {
  return config.answer.minScore > 0 ? config.answer.minScore : DEFAULT_MIN_SCORE;
}

export interface BasisSignals {
  score: number;
  unknownShare: number;
  foreignAreaShare: number;
  /** Share of the question's known, meaningful words that the best three hits contain. */
  support: number;
  foreignTerms: string[];
}

export interface RelevanceJudge {
  signals(question: string, ranked: RankedCitation[]): BasisSignals;
  hasBasis(question: string, ranked: RankedCitation[]): boolean;
}


/** @example createRelevanceJudge({ catalog, chunks, minScore: 0.12 }).hasBasis('明天会下雨吗？', ranked) // false */
export function createRelevanceJudge(opts: {
  catalog: LawCatalog;
  chunks: Chunk[];
  minScore: number;
  /** The colleagues' questions about a retrieved article (knowledge/questions): their words are not foreign. */
  askedAbout?: (r: RankedCitation) => string[];
  /** Every character pair of the index texts, prebuilt at ingest (else computed from the chunks on first use). */
  pairs?: PairSet;
}): RelevanceJudge {
  // Character pairs of the index texts tell words the index has never seen.
  let grams: PairSet | undefined = opts.pairs;
  let foreign: string[] | undefined;
  const idf = generalIdf();
  const known = (w: string) => {
    grams ??= pairsOf(opts.chunks.map((c) => c.title + c.text));
    for (let i = 0; i + 1 < w.length; i++) if (!grams.has(pairKey(w, i))) return false;
    return true;
  };

  const signals = (question: string, ranked: RankedCitation[]): BasisSignals => {
    foreign ??= uncoveredKeywords(opts.catalog);
    // Chinese words of two or more characters, and Latin words (Excel, WiFi) the laws would spell out.
    const list = [...new Set(words(question))].filter((w) => /^(?:[\u4e00-\u9fff]{2,}|[A-Za-z]{3,})$/.test(w));
    const weight = (w: string) => idf.get(w) ?? UNLISTED_WEIGHT;
    const total = list.reduce((s, w) => s + weight(w), 0) || 1;
    // A word the laws never use but colleagues use when asking about the very articles found (漏水 for a
    // broker's duty to disclose) is how people ask, not a sign of another topic. Only the best hits' own
    // questions count: all 7,000 of them together cover so much everyday language (手机, 旅游) that
    // out-of-scope questions would pass too.
    const asked = opts.askedAbout ? ranked.slice(0, 3).flatMap(opts.askedAbout).join('\n') : '';
    const unknown = list.filter((w) => !COLLOQUIAL.has(w) && !known(w) && !asked.includes(w));
    const hits = foreign.filter((k) => question.includes(k));
    // A word counts toward a foreign area when it is, or is part of, one of that area's keywords.
    const top = ranked.slice(0, 3).map((r) => `${r.citation.law ?? ''}${r.citation.text}`).join('\n');
    // Keywords are weighed as written, not as segmented: jieba splits 「被狗咬」 into single characters.
    const matched = hits.filter((k) => !hits.some((o) => o !== k && o.includes(k)));
    const areaWeight = Math.min(total, matched.reduce((s, k) => s + (idf.get(k) ?? 2 * UNLISTED_WEIGHT), 0));
    return {
      score: ranked[0]?.score ?? 0,
      unknownShare: unknown.reduce((s, w) => s + weight(w), 0) / total,
      foreignAreaShare: areaWeight / total,
      support: list.filter((w) => !COLLOQUIAL.has(w) && top.includes(w)).reduce((s, w) => s + weight(w), 0) / total,
      foreignTerms: [...hits, ...unknown],
    };
  };

  return {
    signals,
    hasBasis(question, ranked) {
      if (!ranked.length) return false;
      const s = signals(question, ranked);
      return s.score >= opts.minScore && s.unknownShare < MAX_UNKNOWN_SHARE && s.foreignAreaShare < MAX_FOREIGN_AREA_SHARE && s.support >= MIN_SUPPORT;
    },
  };
}
