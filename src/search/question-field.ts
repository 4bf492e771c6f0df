/**
 * The question field of the index: the ways people ask about an article (knowledge/questions, see
 * src/knowledge/article-questions.ts), indexed with BM25 as one document per article and scored apart from
 * the article text. A question in everyday words (房东, 打官司) meets the colleagues' questions that use the
 * same words, and through them the article; the hybrid retriever adds this score with its own
 * weight. The questions are processed like a user's question (framing removed, same terms), and are never
 * shown: the article text stays the only thing cited.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Bm25Result, QueryTerm } from './bm25.ts';
import { Bm25Index } from './bm25.ts';
import { questionContent } from './question.ts';
import { indexTerms } from './tokenize.ts';

/** What is persisted beside the BM25 files: per field document, its chunk, its place and its questions. */
interface Stored {
  chunks: number[];
  /** Place keys (an article or section: the chunk id without its part), for askedAbout. */
  places: string[];
  questions: string[][];
}

export class QuestionField {
  private readonly byPlace: Map<string, string[]>;

  private constructor(
    private readonly bm25: Bm25Index,
    /** The chunk (the article's first piece) each field document belongs to. */
    private readonly chunkIds: Uint32Array,
    private readonly stored: Stored,
  ) {
    this.byPlace = new Map(stored.places.map((p, i) => [p, stored.questions[i] ?? []]));
  }

  /** Articles with questions. */
  get size(): number {
    return this.chunkIds.length;
  }

  /**
   * Build from the questions of each article or section, keyed by the chunk id of its first piece;
   * `placeOf` gives a chunk's place key.
   */
  static build(byChunk: Map<number, string[]>, placeOf: (chunk: number) => string): QuestionField {
    const entries = [...byChunk].sort((a, b) => a[0] - b[0]);
    const docs = entries.map(([, qs]) => qs.flatMap((q) => indexTerms(questionContent(q))));
    const chunks = entries.map(([id]) => id);
    return new QuestionField(Bm25Index.build(docs), Uint32Array.from(chunks), { chunks, places: chunks.map(placeOf), questions: entries.map(([, qs]) => qs) });
  }

  static empty(): QuestionField {
    return new QuestionField(Bm25Index.build([]), new Uint32Array(0), { chunks: [], places: [], questions: [] });
  }

  /** The colleagues' questions about one article or section (by place key), none when it has none. */
  askedAbout(place: string): string[] {
    return this.byPlace.get(place) ?? [];
  }

  /**
   * Chunk ids with scores in [0, 1] (raw BM25 over the best score the query could reach), best first;
   * `allow` filters by chunk id.
   */
  search(terms: QueryTerm[], k: number, allow: (chunk: number) => boolean): { ids: number[]; scores: number[] } {
    if (this.chunkIds.length === 0) return { ids: [], scores: [] };
    const r: Bm25Result = this.bm25.search(terms, k, (d) => allow(this.chunkIds[d]!));
    return { ids: r.ids.map((d) => this.chunkIds[d]!), scores: r.scores.map((s) => (r.max > 0 ? s / r.max : 0)) };
  }

  /** Persist as `<base>.json|.bin` (the BM25 index) and `<base>-docs.json` (chunks, places, questions). */
  async write(base: string): Promise<void> {
    await this.bm25.write(base);
    await writeFile(`${base}-docs.json`, JSON.stringify(this.stored));
  }

  /** Read a persisted field; an index built before the field existed has none and reads as empty. */
  static async read(base: string): Promise<QuestionField> {
    let stored: Stored;
    try {
      stored = JSON.parse(await readFile(`${base}-docs.json`, 'utf8')) as Stored;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return QuestionField.empty();
      throw err;
    }
    return new QuestionField(await Bm25Index.read(base), Uint32Array.from(stored.chunks), stored);
  }
}
