/**
 * Tables the answerer needs at its first question, built at ingest and stored in the build as flat binary
 * arrays, so a new process reads them in a few milliseconds instead of recomputing them (on the whole corpus
 * the no-basis judge's bigram table took ~0.3 s of CPU and jieba's general IDF table ~0.15 s):
 *   bigrams.u32   every character pair (two UTF-16 code units) of the indexed texts, sorted, unique
 *   idf.bin       jieba's general-Chinese IDF table: count, UTF-16-sorted keys (offsets + UTF-8 bytes), values
 * Both are looked up by binary search; a build without them (an older format) falls back to computing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { aligned } from './store.ts';
import type { IdfTable } from './tokenize.ts';

export const PREBUILT_FILES = { bigrams: 'bigrams.u32', idf: 'idf.bin' } as const;

/** A set of character pairs, keyed as pairKey does. */
export interface PairSet {
  has(key: number): boolean;
}

/** Two UTF-16 code units as one integer: no string per pair (the whole corpus has ~10M of them). */
export const pairKey = (s: string, i: number) => s.charCodeAt(i) * 0x10000 + s.charCodeAt(i + 1);

/** Every character pair of the texts. */
export function pairsOf(texts: Iterable<string>): Set<number> {
  const out = new Set<number>();
  for (const s of texts) for (let i = 0; i + 1 < s.length; i++) out.add(pairKey(s, i));
  return out;
}

function sortedPairs(pairs: Set<number>): Uint32Array {
  const arr = Uint32Array.from(pairs);
  arr.sort();
  return arr;
}

/** Binary search in a sorted typed array. */
function contains(sorted: Uint32Array, key: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === key) return true;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function encodeIdf(table: Map<string, number>): Buffer {
  const keys = [...table.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bytes = keys.map((k) => Buffer.from(k, 'utf8'));
  const blobLength = bytes.reduce((n, b) => n + b.length, 0);
  // Layout (little-endian): u32 count | f64 values[count] | u32 offsets[count + 1] | UTF-8 key bytes.
  const n = keys.length;
  const out = Buffer.alloc(8 + n * 8 + (n + 1) * 4 + blobLength);
  out.writeUInt32LE(n, 0);
  let at = 8;
  for (const k of keys) (out.writeDoubleLE(table.get(k)!, at), (at += 8));
  let offset = 0;
  for (const b of bytes) (out.writeUInt32LE(offset, at), (at += 4), (offset += b.length));
  out.writeUInt32LE(offset, at);
  at += 4;
  for (const b of bytes) (b.copy(out, at), (at += b.length));
  return out;
}

function decodeIdf(buf: Buffer): IdfTable {
  const n = buf.readUInt32LE(0);
  const valuesAt = 8;
  const offsetsAt = valuesAt + n * 8;
  const blobAt = offsetsAt + (n + 1) * 4;
  const keyAt = (i: number) => buf.toString('utf8', blobAt + buf.readUInt32LE(offsetsAt + i * 4), blobAt + buf.readUInt32LE(offsetsAt + (i + 1) * 4));
  return {
    get(word) {
      let lo = 0;
      let hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const k = keyAt(mid);
        if (k === word) return buf.readDoubleLE(valuesAt + mid * 8);
        if (k < word) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    },
  };
}

/** Write the tables into a build directory (at ingest). */
export async function writePrebuilt(dir: string, tables: { pairs: Set<number>; idf: Map<string, number> }): Promise<void> {
  const pairs = sortedPairs(tables.pairs);
  await writeFile(join(dir, PREBUILT_FILES.bigrams), Buffer.from(pairs.buffer, pairs.byteOffset, pairs.byteLength));
  await writeFile(join(dir, PREBUILT_FILES.idf), encodeIdf(tables.idf));
}

export interface PrebuiltTables {
  pairs: PairSet;
  idf: IdfTable;
}

/** Read the tables of a build; undefined when the build has none (it predates them). */
export async function readPrebuilt(dir: string): Promise<PrebuiltTables | undefined> {
  let pairsBytes: Buffer;
  let idfBytes: Buffer;
  try {
    [pairsBytes, idfBytes] = await Promise.all([readFile(join(dir, PREBUILT_FILES.bigrams)), readFile(join(dir, PREBUILT_FILES.idf))]);
  } catch {
    return undefined;
  }
  // A typed view needs 4-byte alignment; a file read whole usually has it, else the bytes are copied.
  const sorted = pairsBytes.byteOffset % 4 === 0 ? new Uint32Array(pairsBytes.buffer, pairsBytes.byteOffset, pairsBytes.byteLength / 4) : new Uint32Array(aligned(pairsBytes));
  return { pairs: { has: (key) => contains(sorted, key) }, idf: decodeIdf(idfBytes) };
}
