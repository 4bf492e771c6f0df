/**
 * What a question says about where its answer is: the laws it names (预算法, 《会计法》), the articles it
 * cites (第十八条), and its search terms with the legal terms its wording implies.
 */
import type { LawCatalog } from '../knowledge/catalog.ts';
import { normalizeLawName } from '../knowledge/catalog.ts';
import { parseChineseNumber } from '../knowledge/chinese-numerals.ts';
import type { QueryTerm } from './bm25.ts';
import { legalTermsFor } from './synonyms.ts';
import { BIGRAM_PREFIX, charBigrams, normalizeText, searchTerms } from './tokenize.ts';

export interface LawMention {
  title: string;
  start: number;
  end: number;
}

export interface AnalyzedQuery {
  text: string;
  terms: QueryTerm[];
  /** Full titles of the laws the question names, in order of appearance. */
  laws: string[];
  /** Article numbers cited in the question (第十八条 → {number: 18, suffix: 0}). */
  articles: { number: number; suffix: number }[];
}

/** Weight of a term implied by the synonym list relative to the user's own words. */
export const SYNONYM_WEIGHT = 0.5;
/** Weight of a character bigram relative to a word: bigrams reward phrases kept together. */
export const BIGRAM_WEIGHT = 0.3;

const ARTICLE_REF = /第([零〇一二三四五六七八九十百千两0-9]+)条(?:之([一二三四五六七八九十0-9]+))?/g;

/** Names people call a law by, longest first, for spotting in free text. Built once per catalog. */
export class LawNameMatcher {
  private readonly names: { name: string; title: string }[] = [];

  constructor(catalog: Pick<LawCatalog, 'current'>) {
    const seen = new Set<string>();
    for (const v of catalog.current) {
      for (const n of [v.title, ...v.aliases, normalizeLawName(v.title)]) {
        // Two-character names (宪法 is fine, but 条例 is not a name) must still look like a law's name.
        if (n.length < 2 || seen.has(n)) continue;
        seen.add(n);
        this.names.push({ name: n, title: v.title });
      }
    }
    this.names.sort((a, b) => b.name.length - a.name.length);
  }

  /** Non-overlapping mentions, longest name winning: 预算法实施条例 is not also 预算法. */
  find(text: string): LawMention[] {
    const taken: LawMention[] = [];
    for (const { name, title } of this.names) {
      let from = 0;
      for (;;) {
        const i = text.indexOf(name, from);
        if (i < 0) break;
        from = i + 1;
        const end = i + name.length;
        if (taken.some((m) => i < m.end && end > m.start)) continue;
        taken.push({ title, start: i, end });
      }
    }
    return taken.sort((a, b) => a.start - b.start);
  }
}

/** Turn a question into weighted terms, law mentions and article references. */
export function analyzeQuery(text: string, matcher?: LawNameMatcher): AnalyzedQuery {
  const norm = normalizeText(text).trim();
  const mentions = matcher?.find(norm) ?? [];
  const laws = [...new Set(mentions.map((m) => m.title))];
  const articles: AnalyzedQuery['articles'] = [];
  for (const m of norm.matchAll(ARTICLE_REF)) {
    const number = parseChineseNumber(m[1]!);
    if (number === undefined) continue;
    articles.push({ number, suffix: m[2] ? parseChineseNumber(m[2]) ?? 0 : 0 });
  }
  const terms: QueryTerm[] = searchTerms(norm).map((term) => ({ term, weight: 1 }));
  if (BIGRAM_WEIGHT > 0) for (const b of charBigrams(norm)) terms.push({ term: BIGRAM_PREFIX + b, weight: BIGRAM_WEIGHT });
  for (const legal of legalTermsFor(norm)) {
    for (const term of searchTerms(legal)) terms.push({ term, weight: SYNONYM_WEIGHT });
  }
  return { text: norm, terms, laws, articles };
}
