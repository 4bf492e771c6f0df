/**
 * The language of a knowledge base: which words its legal texts and the colleagues' questions use, compared
 * with general Chinese. A word the index's laws use far more often than everyday Chinese does (罚款, 期限,
 * 采购人) is typical of it; a word they never or rarely use (天气, 减肥, 打印机) is not. The no-basis judge
 * (answer/relevance.ts) reads a question's content words through this, on any index: on the checklist index
 * 纳税人 and 试用期 are untypical too, because none of its laws is about them.
 *
 * Everything comes from what ingest already built: the BM25 postings (document frequencies over the legal
 * texts, case write-ups and guides left out) and the question field; general Chinese is jieba's IDF table.
 * Nothing is computed over the whole index at start-up.
 */
import type { Chunk } from '../knowledge/types.ts';
import type { Bm25Index } from './bm25.ts';
import type { QuestionField } from './question-field.ts';
import { BIGRAM_PREFIX, generalIdf, getJieba, normalizeText, searchTerms, STOP_WORDS } from './tokenize.ts';

export interface Vocabulary {
  /**
   * The content words of a text: jieba's nouns, verbs, adjectives, idioms and unknown words of two or more
   * Chinese characters (or Latin words of three letters and more); pronouns, numerals, time words,
   * particles, adverbs, prepositions and conjunctions carry no topic.
   * @example vocabulary.contentWords('今天食堂中午吃什么') // ['食堂']
   */
  contentWords(text: string): string[];
  /**
   * How typical a word is of this knowledge base: log((df + 1) / (expected + 1)), where df counts the legal
   * texts (and colleague questions, scaled) that use it and `expected` is how many would by general Chinese
   * word frequencies; clipped to [AFFINITY_MIN, AFFINITY_MAX]. Around 0: no evidence either way.
   */
  affinity(word: string): number;
  /** How much a word says in general Chinese (jieba's IDF, clamped to [WEIGHT_MIN, WEIGHT_MAX]): rare words weigh more. */
  weight(word: string): number;
  /** Whether the legal texts use a phrase: at least `min` of them (default 2) hold it verbatim. */
  uses(phrase: string, min?: number): boolean;
  /** Whether the legal texts hold several phrases together: at least `min` texts hold each of them verbatim. */
  usesTogether(phrases: string[], min: number): boolean;
}

export const AFFINITY_MIN = -4;
export const AFFINITY_MAX = 5;
export const WEIGHT_MIN = 2;
export const WEIGHT_MAX = 12;
/** IDF of a word missing from jieba's table: rare in general Chinese (modern words, segmentation debris). */
const UNLISTED_IDF = 12;
/** Weight of such a word: less than a listed rare word, since many are debris (「时能」「内送」). */
const UNLISTED_WEIGHT = 6;
/** Texts looked at (by BM25 on its words) to find a phrase verbatim. */
const USES_DEPTH = 20;
/** Texts looked at (by BM25 on all the phrases' words) to find several phrases together: the best-matching texts hold them, if any do. */
const TOGETHER_DEPTH = 50;

/** Part-of-speech tags of content: nouns, verbs, adjectives, idioms and abbreviations, unknown words, English. */
const CONTENT_TAG = /^(?:n|v|a|i|l|j|x|eng|g)/;
/** …except these: 是/有 and directional or auxiliary verbs, adverbial adjectives and single-morpheme tags. */
const NON_CONTENT_TAG = /^(?:vshi|vyou|vf|vx|vg|ad|ag|ng)$/;
const WORD = /^(?:[\u4e00-\u9fff]{2,}|[a-z]{3,})$/;

export function createVocabulary(parts: { bm25: Bm25Index; questions?: QuestionField; chunks: Chunk[] }): Vocabulary {
  const { bm25, questions, chunks } = parts;
  // Legal texts and the bureau's reports; case write-ups and guides use everyday narrative words.
  const normative = new Uint8Array(chunks.length);
  let n = 0;
  chunks.forEach((c, i) => {
    if (c.doc !== 'document') {
      normative[i] = 1;
      n++;
    }
  });
  const total = Math.max(1, n);
  const asked = questions?.size ?? 0;
  const idf = generalIdf();
  const cache = new Map<string, number>();
  const inLaws = (term: string) => bm25.dfWhere(term, (d) => normative[d] === 1);
  /** Whether `min` legal texts hold every phrase verbatim, looked for among the `depth` best BM25 matches of their words. */
  const holdTogether = (phrases: string[], min: number, depth: number): boolean => {
    const terms = phrases.flatMap((p) => searchTerms(p)).map((term) => ({ term, weight: 1 }));
    const r = bm25.search(terms, Math.max(depth, 2 * min), (d) => normative[d] === 1);
    let n = 0;
    for (const d of r.ids) if (phrases.every((p) => chunks[d]!.text.includes(p)) && ++n >= min) return true;
    return false;
  };

  /** Texts using a word: its own postings, else (a phrase jieba's search mode splits) its rarest bigram's. */
  const df = (word: string): number => {
    let d = inLaws(word) + (asked ? ((questions!.df(word) * total) / asked) : 0);
    if (d === 0 && word.length >= 3 && /^[\u4e00-\u9fff]+$/.test(word)) {
      let min = Infinity;
      for (let i = 0; i + 1 < word.length; i++) min = Math.min(min, inLaws(BIGRAM_PREFIX + word.slice(i, i + 2)));
      // A bigram's texts bound the phrase's from above: count half.
      d = min === Infinity ? 0 : min / 2;
    }
    return d;
  };

  return {
    contentWords(text) {
      const out: string[] = [];
      // Dictionary words only (no HMM): jieba's guesses at unknown words are mostly debris (「局当」「时能」).
      for (const t of getJieba().tag(normalizeText(text), true)) {
        // WORD also drops punctuation, which jieba tags x like unknown words; stop words are not indexed at all.
        if (!CONTENT_TAG.test(t.tag) || NON_CONTENT_TAG.test(t.tag) || !WORD.test(t.word) || STOP_WORDS.has(t.word)) continue;
        if (!out.includes(t.word)) out.push(t.word);
      }
      return out;
    },
    affinity(word) {
      let a = cache.get(word);
      if (a === undefined) {
        const expected = total * Math.exp(-(idf.get(word) ?? UNLISTED_IDF));
        a = Math.max(AFFINITY_MIN, Math.min(AFFINITY_MAX, Math.log((df(word) + 1) / (expected + 1))));
        if (cache.size > 50_000) cache.clear();
        cache.set(word, a);
      }
      return a;
    },
    weight(word) {
      const w = idf.get(word);
      return w === undefined ? UNLISTED_WEIGHT : Math.max(WEIGHT_MIN, Math.min(WEIGHT_MAX, w));
    },
    uses(phrase, min = 2) {
      const chars = phrase.replace(/[^\u4e00-\u9fff]/g, '');
      if (chars.length < 2) return false;
      // Each bigram in `min` texts is necessary; `min` texts holding the phrase verbatim decide.
      for (let i = 0; i + 1 < chars.length; i++) if (inLaws(BIGRAM_PREFIX + chars.slice(i, i + 2)) < min) return false;
      return holdTogether([phrase], min, USES_DEPTH);
    },
    usesTogether(phrases, min) {
      return holdTogether(phrases, min, TOGETHER_DEPTH);
    },
  };
}
