/**
 * The offline default embedder: no download, no key, deterministic, and the same vectors on any machine.
 *
 * Design (for Chinese legal text): a hashed bag of features projected to a fixed dimension with signed
 * feature hashing. Features are jieba words weighted by jieba's general-Chinese IDF (so 罚款 counts more than
 * 规定), character bigrams at a lower weight (they match across segmentation differences: 调用资金 ↔ 资金调用),
 * and the legal terms a colloquial wording stands for (罚钱 → 罚款, 多久 → 期限), from the synonym list.
 * It learns nothing from the corpus, so vectors of unchanged chunks stay valid across re-ingests.
 */
import { IndexEmbeddings } from './types.ts';
import { charBigrams, generalIdf, words } from '../tokenize.ts';
import { createHash } from 'node:crypto';
import { LEGAL_SYNONYMS, legalTermsFor } from '../synonyms.ts';

export interface LocalEmbeddingsOptions {
  /** Vector length (default 256). */
  dimension?: number;
  /** Weight of a character bigram relative to a word (default 0.35). */
  bigramWeight?: number;
  /** Weight of a synonym-derived legal term relative to a word (default 0.6). */
  synonymWeight?: number;
}

/** 32-bit FNV-1a over UTF-16 code units: fast, stable and good enough for feature hashing. */
function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const VERSION = 1;
/** IDF for words absent from jieba's table: rare, so informative. */
const UNKNOWN_IDF = 10;

export class LocalEmbeddings extends IndexEmbeddings {
  readonly id: string;
  readonly dimension: number;
  private readonly bigramWeight: number;
  private readonly synonymWeight: number;

  constructor(opts: LocalEmbeddingsOptions = {}) {
    super({});
    this.dimension = opts.dimension ?? 256;
    this.bigramWeight = opts.bigramWeight ?? 0.35;
    this.synonymWeight = opts.synonymWeight ?? 0.6;
    // The synonym list shapes the vectors, so editing it must invalidate stored ones.
    const synonyms = createHash('sha1').update(JSON.stringify(LEGAL_SYNONYMS)).digest('hex').slice(0, 8);
    this.id = `local-hash-v${VERSION}-d${this.dimension}-b${this.bigramWeight}-s${this.synonymWeight}-${synonyms}`;
  }

  /** The weighted features of a text (exposed for tests and tuning). */
  features(text: string): Map<string, number> {
    const idf = generalIdf();
    const tf = new Map<string, number>();
    const weight = new Map<string, number>();
    const add = (key: string, w: number) => {
      tf.set(key, (tf.get(key) ?? 0) + 1);
      weight.set(key, Math.max(weight.get(key) ?? 0, w));
    };
    for (const w of words(text)) add(`w:${w}`, idf.get(w) ?? UNKNOWN_IDF);
    for (const b of charBigrams(text)) add(`b:${b}`, this.bigramWeight * (idf.get(b) ?? UNKNOWN_IDF * 0.6));
    for (const t of legalTermsFor(text)) add(`w:${t}`, this.synonymWeight * (idf.get(t) ?? UNKNOWN_IDF));
    // Sub-linear term frequency: an article repeating 预算 ten times is not ten times about 预算.
    const feats = new Map<string, number>();
    for (const [k, n] of tf) feats.set(k, Math.sqrt(n) * weight.get(k)!);
    return feats;
  }

  embed(text: string): number[] {
    const v = new Float64Array(this.dimension);
    for (const [key, w] of this.features(text)) {
      const h = fnv1a(key);
      v[h % this.dimension]! += h & 0x80000000 ? -w : w;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }
}
