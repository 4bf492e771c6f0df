/** The seams between the index and its users (answers, quizzes, chat, admin). */
import type { PrebuiltTables } from './prebuilt.ts';
import type { LawCatalog } from '../knowledge/catalog.ts';
import type { Chunk, KnowledgeDocument } from '../knowledge/types.ts';
import type { QuestionAnalysis } from './question.ts';

export interface SearchOptions {
  /** How many hits (default 10). */
  k?: number;
  /** Superseded versions are searched only when asked for. */
  includeSuperseded?: boolean;
  /** Restrict to these law version ids. */
  lawIds?: string[];
}

export interface SearchHit {
  chunk: Chunk;
  /** Fused relevance score; higher is better. Comparable across queries of one index (for thresholds). */
  score: number;
}

/** A query: the question's text, or its analysis when the caller has analysed it already (answering). */
export type Query = string | QuestionAnalysis;

/** Anything that ranks chunks for a query: BM25, vectors, the hybrid of both. */
export interface Retriever {
  search(query: Query, opts?: SearchOptions): Promise<SearchHit[]>;
}

/** What `pufa ingest` writes beside the index so that re-ingest can be incremental and readers can trust it. */
export interface IndexManifest {
  formatVersion: number;
  createdAt: string;
  embedder: { id: string; dimension: number };
  /** Content hash per source file key (laws/…, reports/…). */
  sources: Record<string, string>;
  counts: { files: number; laws: number; versions: number; articles: number; documents: number; chunks: number };
  skipped: { path: string; reason: string }[];
  /** Checklist laws that no ingested law matched. */
  missingChecklistLaws: string[];
}

/** A built index, loaded for reading. Read-only: several processes may share one. */
export interface KnowledgeIndex extends Retriever {
  manifest: IndexManifest;
  catalog: LawCatalog;
  documents: KnowledgeDocument[];
  chunks: Chunk[];
  /** The colleagues' questions (knowledge/questions) about the article or section a chunk belongs to. */
  askedAbout?(chunk: Chunk): string[];
  /** Tables built at ingest for the first question (prebuilt.ts); absent in builds that predate them. */
  prebuilt?: PrebuiltTables;
}
