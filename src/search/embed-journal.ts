/**
 * The embedding journal: every batch of vectors an ingest computes is appended to a file in the index folder
 * as soon as it arrives, so that an ingest interrupted halfway (a dropped connection to the embeddings server,
 * a closed laptop, Ctrl-C) continues where it stopped: the next run reuses the journal's vectors by content
 * hash and embeds only the rest. Embedding a whole law collection with a remote model takes long enough for
 * that to matter. The journal belongs to one embedder (its id is in the file name and the header) and is
 * removed once a build is published.
 *
 * Format: one JSON header line `{"embedder", "dimension"}`, then fixed-size records of a 16-byte ASCII content
 * key and `dimension` little-endian float32 values. A record cut short by the interruption is ignored.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { indexRoot } from './store.ts';

/** Bytes of a content key (contentHash: 16 base64url characters). */
const KEY_BYTES = 16;

export class EmbeddingJournal {
  private readonly vectors = new Map<string, Float32Array>();
  private dimension = 0;

  private constructor(
    readonly file: string,
    private readonly embedderId: string,
  ) {}

  /** The journal of `embedderId` in the data folder, with the vectors a previous interrupted run left. */
  static async open(dataDir: string, embedderId: string): Promise<EmbeddingJournal> {
    const name = `embedding-journal-${createHash('sha1').update(embedderId).digest('hex').slice(0, 12)}.bin`;
    const j = new EmbeddingJournal(join(indexRoot(dataDir), name), embedderId);
    await j.load();
    return j;
  }

  /** How many vectors the journal holds. */
  get size(): number {
    return this.vectors.size;
  }

  get(key: string): number[] | undefined {
    const v = this.vectors.get(key);
    return v ? Array.from(v) : undefined;
  }

  private async load(): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const nl = bytes.indexOf(0x0a);
    if (nl < 0) return;
    let header: { embedder?: string; dimension?: number };
    try {
      header = JSON.parse(bytes.subarray(0, nl).toString('utf8')) as typeof header;
    } catch {
      return;
    }
    if (header.embedder !== this.embedderId || !header.dimension) return;
    this.dimension = header.dimension;
    const size = KEY_BYTES + 4 * this.dimension;
    for (let off = nl + 1; off + size <= bytes.length; off += size) {
      const key = bytes.subarray(off, off + KEY_BYTES).toString('ascii');
      const v = new Float32Array(this.dimension);
      for (let d = 0; d < this.dimension; d++) v[d] = bytes.readFloatLE(off + KEY_BYTES + 4 * d);
      this.vectors.set(key, v);
    }
  }

  /** Append one batch (keys and their vectors) to the file before anything else happens. */
  async append(keys: string[], vectors: number[][]): Promise<void> {
    if (keys.length === 0) return;
    if (!this.dimension) {
      this.dimension = vectors[0]!.length;
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(this.file, JSON.stringify({ embedder: this.embedderId, dimension: this.dimension }) + '\n');
    }
    const size = KEY_BYTES + 4 * this.dimension;
    const buf = Buffer.alloc(size * keys.length);
    keys.forEach((key, n) => {
      const v = vectors[n]!;
      if (v.length !== this.dimension || Buffer.byteLength(key, 'ascii') !== KEY_BYTES) {
        throw new Error(`embedding journal: vector of ${v.length} dimensions or key ${key} does not fit`);
      }
      buf.write(key, n * size, 'ascii');
      for (let d = 0; d < this.dimension; d++) buf.writeFloatLE(v[d]!, n * size + KEY_BYTES + 4 * d);
      this.vectors.set(key, Float32Array.from(v));
    });
    await appendFile(this.file, buf);
  }

  /** Remove the journal: its vectors are in a published build now. */
  async remove(): Promise<void> {
    await rm(this.file, { force: true });
    this.vectors.clear();
  }
}
