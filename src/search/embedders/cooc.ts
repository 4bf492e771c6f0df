/**
 * The offline default embedder, learned at ingest time from the user's own law texts: word vectors from a
 * positive-PMI word–context co-occurrence matrix reduced by randomized truncated SVD (Levy & Goldberg's
 * recipe), so words used in the same legal contexts (调用 ~ 抽调 ~ 挪用, 日内 ~ 期限) end up close even when a
 * question and an article share no word. A text's vector is the SIF-weighted mean of its words' vectors
 * with the corpus-wide common direction removed.
 *
 * No download, no key, deterministic (fixed seeds, stable ordering): the same files give the same model,
 * and the model's hash is part of the embedder id, so stored vectors are reused only with the same model.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { legalTermsFor } from '../synonyms.ts';
import { getJieba, normalizeText, searchTerms, STOP_WORDS } from '../tokenize.ts';
import { IndexEmbeddings } from './types.ts';

export interface CoocTrainOptions {
  /** Vector length (default 128). */
  dimension?: number;
  /** Words seen fewer times are left out of the vocabulary (default 4). */
  minCount?: number;
  /** Largest vocabulary, most frequent first (default 40000). */
  maxVocab?: number;
  /** Context words: the most frequent this many of the vocabulary (default 12000). */
  maxContexts?: number;
  /** Words on each side counted as context (default 4). */
  window?: number;
  /** Power iterations of the randomized SVD (default 2). */
  powerIterations?: number;
}

const DEFAULTS: Required<CoocTrainOptions> = {
  dimension: 128,
  minCount: 4,
  maxVocab: 40000,
  maxContexts: 12000,
  window: 4,
  powerIterations: 2,
};

/** Bump when training or embedding changes: models (and the vectors made with them) are then rebuilt. */
export const COOC_VERSION = 1;
/** SIF smoothing: a word's weight is a / (a + p(word)), so frequent words count little. */
const SIF_A = 1e-4;

const CJK_WORD = /^[\u4e00-\u9fff]+$/;

export interface CoocModel {
  version: number;
  dimension: number;
  vocab: string[];
  /** vocab.length × dimension, each row unit length (zero rows for words without contexts). */
  vectors: Float32Array;
  /** SIF weight per word. */
  weights: Float32Array;
  /** The common direction of all texts (unit length), removed from every text vector. */
  common: Float32Array;
  /** Content hash of the model: part of the embedder id. */
  hash: string;
}

/** Deterministic pseudo-random numbers (mulberry32) for the random projection. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Orthonormalise the columns of a rows×cols row-major matrix in place: Cholesky QR, twice for accuracy
 * (CholeskyQR2). Row-wise passes keep memory access sequential, which matters for 40k-row matrices.
 */
function orthonormalize(m: Float64Array, rows: number, cols: number): void {
  for (let pass = 0; pass < 2; pass++) {
    const g = new Float64Array(cols * cols);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let i = 0; i < cols; i++) {
        const x = m[o + i]!;
        if (x === 0) continue;
        for (let j = i; j < cols; j++) g[i * cols + j]! += x * m[o + j]!;
      }
    }
    // Upper-triangular R with RᵀR = G; a tiny ridge keeps rank-deficient inputs (few contexts) solvable.
    let trace = 0;
    for (let i = 0; i < cols; i++) trace += g[i * cols + i]!;
    const ridge = 1e-12 * (trace / cols || 1);
    const rm = new Float64Array(cols * cols);
    for (let i = 0; i < cols; i++) {
      let d = g[i * cols + i]! + ridge;
      for (let k = 0; k < i; k++) d -= rm[k * cols + i]! ** 2;
      const rii = Math.sqrt(Math.max(d, ridge));
      rm[i * cols + i] = rii;
      for (let j = i + 1; j < cols; j++) {
        let s = g[i * cols + j]!;
        for (let k = 0; k < i; k++) s -= rm[k * cols + i]! * rm[k * cols + j]!;
        rm[i * cols + j] = s / rii;
      }
    }
    // Each row q solves q R = y (forward substitution over the columns).
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let j = 0; j < cols; j++) {
        let s = m[o + j]!;
        for (let k = 0; k < j; k++) s -= m[o + k]! * rm[k * cols + j]!;
        m[o + j] = s / rm[j * cols + j]!;
      }
    }
  }
}

/** Eigen-decomposition of a symmetric n×n matrix by cyclic Jacobi: eigenvalues and column eigenvectors. */
function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-30) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  return { values, vectors: v };
}

/** A sparse rows×cols matrix in compressed-row form. */
interface Csr {
  rows: number;
  cols: number;
  ptr: Uint32Array;
  idx: Uint16Array;
  val: Float32Array;
}

/** out (rows×l) = M · x (cols×l). */
function mulDense(m: Csr, x: Float64Array, l: number): Float64Array {
  const out = new Float64Array(m.rows * l);
  for (let r = 0; r < m.rows; r++) {
    const o = r * l;
    for (let p = m.ptr[r]!; p < m.ptr[r + 1]!; p++) {
      const v = m.val[p]!;
      const xo = m.idx[p]! * l;
      for (let k = 0; k < l; k++) out[o + k]! += v * x[xo + k]!;
    }
  }
  return out;
}

/** out (cols×l) = Mᵀ · y (rows×l). */
function mulDenseT(m: Csr, y: Float64Array, l: number): Float64Array {
  const out = new Float64Array(m.cols * l);
  for (let r = 0; r < m.rows; r++) {
    const yo = r * l;
    for (let p = m.ptr[r]!; p < m.ptr[r + 1]!; p++) {
      const v = m.val[p]!;
      const o = m.idx[p]! * l;
      for (let k = 0; k < l; k++) out[o + k]! += v * y[yo + k]!;
    }
  }
  return out;
}

/** The words a training text is read as: jieba precise mode, Chinese words only, stop words out; -1 marks a line break. */
function tokenIds(text: string, ids: Map<string, number>, counts: number[], out: number[]): void {
  for (const t of getJieba().cut(normalizeText(text), false)) {
    if (t.includes('\n')) {
      if (out[out.length - 1] !== -1) out.push(-1);
      continue;
    }
    if (!CJK_WORD.test(t) || STOP_WORDS.has(t)) continue;
    let id = ids.get(t);
    if (id === undefined) {
      id = counts.length;
      ids.set(t, id);
      counts.push(0);
    }
    counts[id]!++;
    out.push(id);
  }
  if (out[out.length - 1] !== -1) out.push(-1);
}

/**
 * Learn a model from texts (law files, documents). About 10 s for a 28 MB law collection.
 * @example const model = trainCoocModel(lawTexts); const e = new CoocEmbeddings(model)
 */
export function trainCoocModel(texts: Iterable<string>, options: CoocTrainOptions = {}): CoocModel {
  const o = { ...DEFAULTS, ...options };
  const ids = new Map<string, number>();
  const counts: number[] = [];
  const seqList: number[] = [];
  for (const t of texts) tokenIds(t, ids, counts, seqList);
  const seq = Int32Array.from(seqList);

  // Vocabulary: frequent words first; ties by the word itself so the model does not depend on file order.
  const words = [...ids.keys()];
  const order = words
    .map((w, i) => i)
    .filter((i) => counts[i]! >= o.minCount)
    .sort((a, b) => counts[b]! - counts[a]! || (words[a]! < words[b]! ? -1 : 1))
    .slice(0, o.maxVocab);
  const remap = new Int32Array(words.length).fill(-2);
  order.forEach((old, i) => (remap[old] = i));
  for (let i = 0; i < seq.length; i++) if (seq[i]! >= 0) seq[i] = remap[seq[i]!]!;
  const vocab = order.map((i) => words[i]!);
  const V = vocab.length;
  const C = Math.min(o.maxContexts, V, 65535);

  // Co-occurrence counts in compressed rows: count pairs per row, fill, then sort and merge each row.
  const rowLen = new Uint32Array(V + 1);
  const forPairs = (fn: (w: number, c: number) => void) => {
    for (let i = 0; i < seq.length; i++) {
      const w = seq[i]!;
      if (w === -1) continue;
      for (let d = 1; d <= o.window && i + d < seq.length; d++) {
        const c = seq[i + d]!;
        if (c === -1) break;
        if (w < 0 || c < 0) continue;
        if (c < C) fn(w, c);
        if (w < C) fn(c, w);
      }
    }
  };
  forPairs((w) => rowLen[w]!++);
  const start = new Uint32Array(V + 1);
  for (let r = 0; r < V; r++) start[r + 1] = start[r]! + rowLen[r]!;
  const raw = new Uint16Array(start[V]!);
  const fill = start.slice(0, V);
  forPairs((w, c) => (raw[fill[w]!++] = c));

  const ptr = new Uint32Array(V + 1);
  const idxList: number[] = [];
  const cntList: number[] = [];
  const colSum = new Float64Array(C);
  const rowSum = new Float64Array(V);
  for (let r = 0; r < V; r++) {
    const row = raw.subarray(start[r]!, start[r + 1]!).sort();
    for (let p = 0; p < row.length; ) {
      let q = p;
      while (q < row.length && row[q] === row[p]) q++;
      const n = q - p;
      // Pairs seen once are mostly noise and would double the matrix.
      if (n >= 2) {
        idxList.push(row[p]!);
        cntList.push(n);
        rowSum[r]! += n;
        colSum[row[p]!]! += n;
      }
      p = q;
    }
    ptr[r + 1] = idxList.length;
  }

  // Positive PMI with context-distribution smoothing (α = 0.75): rare contexts do not dominate.
  let smoothTotal = 0;
  const smooth = new Float64Array(C);
  for (let c = 0; c < C; c++) smoothTotal += smooth[c] = colSum[c]! ** 0.75;
  const val = new Float32Array(idxList.length);
  for (let r = 0; r < V; r++) {
    for (let p = ptr[r]!; p < ptr[r + 1]!; p++) {
      const pmi = Math.log((cntList[p]! * smoothTotal) / (rowSum[r]! * smooth[idxList[p]!]!));
      val[p] = pmi > 0 ? pmi : 0;
    }
  }
  const m: Csr = { rows: V, cols: C, ptr, idx: Uint16Array.from(idxList), val };

  // Randomized truncated SVD (Halko et al.): range of M·Ω, refined by power iterations.
  const k = o.dimension;
  const l = Math.min(k + 16, C);
  const rand = rng(20240101);
  const omega = new Float64Array(C * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rand() * 2 - 1;
  let q = mulDense(m, omega, l);
  orthonormalize(q, V, l);
  for (let it = 0; it < o.powerIterations; it++) {
    const z = mulDenseT(m, q, l);
    orthonormalize(z, C, l);
    q = mulDense(m, z, l);
    orthonormalize(q, V, l);
  }
  // B = Qᵀ M (l×C); the left singular vectors of B come from the eigenvectors of B Bᵀ.
  const bt = mulDenseT(m, q, l);
  const bbt = new Float64Array(l * l);
  for (let c = 0; c < C; c++) {
    const o2 = c * l;
    for (let i = 0; i < l; i++) {
      const x = bt[o2 + i]!;
      if (x === 0) continue;
      for (let j = i; j < l; j++) bbt[i * l + j]! += x * bt[o2 + j]!;
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) bbt[i * l + j] = bbt[j * l + i]!;
  const eig = symmetricEigen(bbt, l);
  const top = [...eig.values.keys()].sort((a, b) => eig.values[b]! - eig.values[a]!).slice(0, Math.min(k, l));
  // Word vectors U·S^½ (eigenvalue weighting 0.5 works best for similarity in Levy et al.), rows normalised.
  const dim = top.length;
  const vectors = new Float32Array(V * dim);
  const scale = top.map((t) => Math.max(0, eig.values[t]!) ** 0.25);
  for (let r = 0; r < V; r++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      let u = 0;
      const t = top[j]!;
      for (let i = 0; i < l; i++) u += q[r * l + i]! * eig.vectors[i * l + t]!;
      const x = u * scale[j]!;
      vectors[r * dim + j] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < dim; j++) vectors[r * dim + j]! /= norm;
  }

  let tokens = 0;
  for (const i of order) tokens += counts[i]!;
  const weights = new Float32Array(V);
  order.forEach((old, i) => (weights[i] = SIF_A / (SIF_A + counts[old]! / tokens)));
  // The common direction: what every text shares (the legal register itself), estimated from the words.
  const common = new Float32Array(dim);
  order.forEach((old, i) => {
    const w = weights[i]! * counts[old]!;
    for (let j = 0; j < dim; j++) common[j]! += w * vectors[i * dim + j]!;
  });
  normalize(common);
  const model = { version: COOC_VERSION, dimension: dim, vocab, vectors, weights, common, hash: '' };
  model.hash = modelHash(model);
  return model;
}

function normalize(v: Float32Array | Float64Array): void {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
}

function modelHash(m: Omit<CoocModel, 'hash'>): string {
  const h = createHash('sha1');
  h.update(`${m.version}:${m.dimension}:${m.vocab.join('\n')}`);
  h.update(Buffer.from(m.vectors.buffer, m.vectors.byteOffset, m.vectors.byteLength));
  h.update(Buffer.from(m.weights.buffer, m.weights.byteOffset, m.weights.byteLength));
  return h.digest('hex').slice(0, 12);
}

/** Persist as one file: a JSON header line, then the float arrays. */
export async function writeCoocModel(file: string, m: CoocModel): Promise<void> {
  const header = JSON.stringify({ version: m.version, dimension: m.dimension, words: m.vocab.length, hash: m.hash, vocab: m.vocab.join('\n') });
  const parts = [m.vectors, m.weights, m.common].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  const head = Buffer.from(header + '\n', 'utf8');
  // Pad so the floats start 4-byte aligned.
  const pad = Buffer.alloc((4 - (head.length % 4)) % 4, 0x20);
  await writeFile(file, Buffer.concat([Buffer.from(header, 'utf8'), pad, Buffer.from('\n'), ...parts]));
}

export async function readCoocModel(file: string): Promise<CoocModel> {
  const buf = await readFile(file);
  const nl = buf.indexOf(0x0a);
  const header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as { version: number; dimension: number; words: number; hash: string; vocab: string };
  const body = new Uint8Array(buf.subarray(nl + 1));
  const f = new Float32Array(body.buffer, body.byteOffset, body.byteLength / 4);
  const n = header.words * header.dimension;
  return {
    version: header.version,
    dimension: header.dimension,
    vocab: header.vocab === '' ? [] : header.vocab.split('\n'),
    vectors: f.slice(0, n),
    weights: f.slice(n, n + header.words),
    common: f.slice(n + header.words, n + header.words + header.dimension),
    hash: header.hash,
  };
}

/** Weight of a term implied by the synonym list relative to the text's own words. */
const SYNONYM_WEIGHT = 0.6;

export class CoocEmbeddings extends IndexEmbeddings {
  readonly id: string;
  readonly dimension: number;
  private readonly index: Map<string, number>;

  constructor(readonly model: CoocModel) {
    super({});
    this.dimension = model.dimension;
    this.index = new Map(model.vocab.map((w, i) => [w, i]));
    this.id = `${COOC_ID_PREFIX}${model.version}-d${model.dimension}-${model.hash}`;
  }

  /** The SIF-weighted mean of the text's word vectors, common direction removed, unit length (or all zeros). */
  embed(text: string): number[] {
    const { vectors, weights, common } = this.model;
    const d = this.dimension;
    const v = new Float64Array(d);
    const seen = new Map<number, number>();
    // Search-mode words also yield the parts of long words (预算执行情况 → 预算, 执行, 情况).
    for (const w of searchTerms(text)) {
      const i = this.index.get(w);
      if (i !== undefined) seen.set(i, (seen.get(i) ?? 0) + 1);
    }
    for (const t of legalTermsFor(normalizeText(text))) {
      const i = this.index.get(t);
      if (i !== undefined && !seen.has(i)) seen.set(i, SYNONYM_WEIGHT);
    }
    for (const [i, n] of seen) {
      // Sub-linear repetition: a word said ten times is not ten times the topic.
      const w = weights[i]! * Math.sqrt(n);
      for (let j = 0; j < d; j++) v[j]! += w * vectors[i * d + j]!;
    }
    let dot = 0;
    for (let j = 0; j < d; j++) dot += v[j]! * common[j]!;
    for (let j = 0; j < d; j++) v[j]! -= dot * common[j]!;
    normalize(v);
    return Array.from(v);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }
}

/** Ids of learned co-occurrence embedders start with this (the rest names the model). */
export const COOC_ID_PREFIX = 'local-cooc-v';

