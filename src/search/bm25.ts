/**
 * A compact BM25 index: vocabulary, postings (doc ids and term frequencies) and doc lengths in typed
 * arrays, persisted as one JSON vocabulary file and one binary file that loads without parsing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { aligned } from './store.ts';
import { TopK } from './top-k.ts';

export interface Bm25Params {
  k1: number;
  b: number;
}

/**
 * k1 below the usual 1.2: questions are short and an article that covers more of their distinct words should
 * beat one that repeats a single word (chosen by cross-validation over the two dev sets, checked on held-out).
 */
export const DEFAULT_BM25: Bm25Params = { k1: 0.6, b: 0.75 };

/** A weighted query term: expansion terms (synonyms) count less than the user's own words. */
export interface QueryTerm {
  term: string;
  weight: number;
}

export interface Bm25Result {
  /** Doc indices, best first. */
  ids: number[];
  /** Raw BM25 scores. */
  scores: number[];
  /** The best score any document could reach for this query: raw / max is in [0, 1) and comparable across queries. */
  max: number;
}

/** Every matching document's raw score (Bm25Index.score), to take several filtered top-k lists from. */
export interface Bm25Scores {
  ids: Uint32Array;
  scores: Float64Array;
  max: number;
}

const FORMAT = 1;

export class Bm25Index {
  private readonly termIds: Map<string, number>;
  private readonly avgdl: number;
  /** Reused score accumulator (search is synchronous, so one per index is safe). */
  private scratch?: Float64Array;

  private constructor(
    readonly vocab: string[],
    /** offsets[t]..offsets[t+1] are term t's postings. */
    private readonly offsets: Uint32Array,
    private readonly docIds: Uint32Array,
    private readonly tfs: Uint16Array,
    private readonly docLens: Uint32Array,
    readonly params: Bm25Params,
  ) {
    this.termIds = new Map(vocab.map((t, i) => [t, i]));
    let total = 0;
    for (const l of docLens) total += l;
    this.avgdl = docLens.length ? total / docLens.length : 1;
  }

  get size(): number {
    return this.docLens.length;
  }

  /** Build from each document's terms (a term repeated counts its frequency). */
  static build(docs: string[][], params: Bm25Params = DEFAULT_BM25): Bm25Index {
    const termIds = new Map<string, number>();
    const vocab: string[] = [];
    const perTerm: number[][] = [];
    const docLens = new Uint32Array(docs.length);
    docs.forEach((terms, d) => {
      docLens[d] = terms.length;
      const tf = new Map<number, number>();
      for (const t of terms) {
        let id = termIds.get(t);
        if (id === undefined) {
          id = vocab.length;
          termIds.set(t, id);
          vocab.push(t);
          perTerm.push([]);
        }
        tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      for (const [id, f] of tf) perTerm[id]!.push(d, Math.min(f, 65535));
    });
    const offsets = new Uint32Array(vocab.length + 1);
    let total = 0;
    perTerm.forEach((p, i) => {
      offsets[i] = total;
      total += p.length / 2;
    });
    offsets[vocab.length] = total;
    const docIds = new Uint32Array(total);
    const tfs = new Uint16Array(total);
    let k = 0;
    for (const p of perTerm) {
      for (let i = 0; i < p.length; i += 2) {
        docIds[k] = p[i]!;
        tfs[k++] = p[i + 1]!;
      }
    }
    return new Bm25Index(vocab, offsets, docIds, tfs, docLens, params);
  }

  /** Inverse document frequency of a term (0 when unknown). */
  idf(term: string): number {
    const id = this.termIds.get(term);
    if (id === undefined) return 0;
    const df = this.offsets[id + 1]! - this.offsets[id]!;
    const n = this.docLens.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Document frequency of a term. */
  df(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  /**
   * Score documents for weighted terms; `allow` (by doc index) filters. Returns the top `k`.
   */
  search(query: QueryTerm[], k: number, allow?: (doc: number) => boolean, params: Bm25Params = this.params): Bm25Result {
    return Bm25Index.top(this.score(query, params), k, allow);
  }

  /**
   * The scores of every document that matches some term, from one pass over the postings: several top-k
   * lists with different filters (the whole collection, one area's laws, one part of a law) then cost no
   * further pass.
   */
  score(query: QueryTerm[], params: Bm25Params = this.params): Bm25Scores {
    const { k1, b } = params;
    const merged = new Map<string, number>();
    for (const q of query) merged.set(q.term, Math.max(merged.get(q.term) ?? 0, q.weight));
    const n = this.docLens.length;
    this.scratch ??= new Float64Array(n);
    const scores = this.scratch;
    const touched: number[] = [];
    let max = 0;
    for (const [term, weight] of merged) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idf(term);
      max += weight * idf * (k1 + 1);
      const end = this.offsets[id + 1]!;
      for (let p = this.offsets[id]!; p < end; p++) {
        const d = this.docIds[p]!;
        const tf = this.tfs[p]!;
        const norm = k1 * (1 - b + (b * this.docLens[d]!) / this.avgdl);
        if (scores[d] === 0) touched.push(d);
        scores[d] = scores[d]! + (weight * idf * tf * (k1 + 1)) / (tf + norm);
      }
    }
    const ids = Uint32Array.from(touched);
    const out = new Float64Array(ids.length);
    ids.forEach((d, i) => {
      out[i] = scores[d]!;
      scores[d] = 0;
    });
    return { ids, scores: out, max };
  }

  /** The top `k` of scored documents that `allow` lets through. */
  static top(s: Bm25Scores, k: number, allow?: (doc: number) => boolean): Bm25Result {
    const top = new TopK(k);
    for (let i = 0; i < s.ids.length; i++) {
      const d = s.ids[i]!;
      if (allow && !allow(d)) continue;
      top.push(d, s.scores[i]!);
    }
    return { ...top.sorted(), max: s.max };
  }

  /** Persist as `<base>.json` (vocabulary, parameters) and `<base>.bin` (postings and lengths). */
  async write(base: string): Promise<void> {
    const header = { format: FORMAT, params: this.params, docs: this.docLens.length, postings: this.docIds.length };
    await writeFile(`${base}.json`, JSON.stringify({ ...header, vocab: this.vocab.join('\n') }));
    const parts = [this.offsets, this.docIds, this.docLens, this.tfs];
    await writeFile(`${base}.bin`, Buffer.concat(parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
  }

  static async read(base: string): Promise<Bm25Index> {
    const header = JSON.parse(await readFile(`${base}.json`, 'utf8')) as {
      format: number;
      params: Bm25Params;
      docs: number;
      postings: number;
      vocab: string;
    };
    if (header.format !== FORMAT) throw new Error(`unsupported BM25 format ${header.format}`);
    const vocab = header.vocab === '' ? [] : header.vocab.split('\n');
    const file = await readFile(`${base}.bin`);
    // Typed-array views need 4-byte alignment; a pooled Buffer may not have it.
    const ab = file.byteOffset % 4 === 0 ? file.buffer : aligned(file);
    let off = file.byteOffset % 4 === 0 ? file.byteOffset : 0;
    const take = <T>(Ctor: new (b: ArrayBufferLike, o: number, l: number) => T, len: number, bytes: number): T => {
      const arr = new Ctor(ab, off, len);
      off += len * bytes;
      return arr;
    };
    const offsets = take(Uint32Array, vocab.length + 1, 4);
    const docIds = take(Uint32Array, header.postings, 4);
    const docLens = take(Uint32Array, header.docs, 4);
    const tfs = take(Uint16Array, header.postings, 2);
    return new Bm25Index(vocab, offsets, docIds, tfs, docLens, header.params);
  }
}
