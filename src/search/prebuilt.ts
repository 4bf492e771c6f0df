/**
 * Tables the answerer needs at its first question, built at ingest and stored in the build as flat binary
 * arrays, so a new process reads them in a few milliseconds instead of recomputing them (jieba's general IDF
 * table took ~0.15 s of CPU):
 *   idf.bin       jieba's general-Chinese IDF table: count, UTF-16-sorted keys (offsets + UTF-8 bytes), values
 * It is looked up by binary search; a build without it (an older format) falls back to computing. (The
 * no-basis judge's character-pair table that used to be stored here is gone: the judge of issue 10 reads the
 * BM25 postings instead, search/vocabulary.ts.)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IdfTable } from './tokenize.ts';

export const PREBUILT_FILES = { idf: 'idf.bin' } as const;

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
export async function writePrebuilt(dir: string, tables: { idf: Map<string, number> }): Promise<void> {
  await writeFile(join(dir, PREBUILT_FILES.idf), encodeIdf(tables.idf));
}

export interface PrebuiltTables {
  idf: IdfTable;
}

/** Read the tables of a build; undefined when the build has none (it predates them). */
export async function readPrebuilt(dir: string): Promise<PrebuiltTables | undefined> {
  let idfBytes: Buffer;
  try {
    idfBytes = await readFile(join(dir, PREBUILT_FILES.idf));
  } catch {
    return undefined;
  }
  return { idf: decodeIdf(idfBytes) };
}
