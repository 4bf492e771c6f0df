/**
 * Opening the current build for reading: the catalog, chunks, BM25, vectors and the question field, and the
 * retrievers over them (`openIndex`).
 */
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import type { Config } from '../config.ts';
import { PufaError } from '../errors.ts';
import { buildCatalog, type DuplicateFile, type LawCatalog } from '../knowledge/catalog.ts';
import type { KnowledgeDocument, LawVersion } from '../knowledge/types.ts';
import { placeKey } from './article-rerank.ts';
import { Bm25Index } from './bm25.ts';
import { chunkOf } from './chunking.ts';
import { createEmbedder, type IndexEmbeddings } from './embedders/index.ts';
import { HNSW, readManifest, type BuildManifest } from './manifest.ts';
import { QuestionField } from './question-field.ts';
import { Bm25Retriever, HybridRetriever, VectorRetriever, type HybridOptions, type IndexParts } from './retrievers.ts';
import { readPrebuilt } from './prebuilt.ts';
import { currentBuildDir, FILES, readChunkRefs, readJson } from './store.ts';
import { useGeneralIdf } from './tokenize.ts';
import type { KnowledgeIndex, Retriever } from './types.ts';

const { HierarchicalNSW } = hnswlib;

function withDuplicates(catalog: LawCatalog, duplicates: DuplicateFile[]): LawCatalog {
  return { ...catalog, duplicates };
}

/** A loaded index, with its separate retrievers (for evaluation and the contract tests). */
export interface OpenedIndex extends KnowledgeIndex {
  manifest: BuildManifest;
  dir: string;
  retrievers: { bm25: Retriever; vector: Retriever; hybrid: Retriever };
  /** A hybrid retriever with other fusion settings over the same index (tuning). */
  hybrid(options: HybridOptions): Retriever;
}

/**
 * Open the current index for reading.
 * @throws PufaError 「知识库索引不存在，请先运行 npx pufa ingest」 when there is none.
 */
export async function openIndex(config: Config, opts: { embedder?: IndexEmbeddings } = {}): Promise<OpenedIndex> {
  const dir = await currentBuildDir(config.dataDir);
  if (!dir) throw new PufaError('知识库索引不存在，请先运行 npx pufa ingest');
  try {
    const manifest = await readManifest(dir);
    const embedder = opts.embedder ?? createEmbedder(config);
    if (embedder.id !== manifest.embedder.id) {
      throw new PufaError('索引的向量模型与当前设置不一致，请重新运行 npx pufa ingest', {
        detail: `index embedder ${manifest.embedder.id}, configured ${embedder.id}`,
      });
    }
    const knowledge = (await readJson(join(dir, FILES.knowledge))) as {
      versions: Omit<LawVersion, 'status' | 'id' | 'aliases'>[];
      documents: KnowledgeDocument[];
    };
    const catalog = withDuplicates(buildCatalog(knowledge.versions), manifest.duplicates ?? []);
    const refs = await readChunkRefs(join(dir, FILES.chunks));
    const chunks = refs.map((r) => chunkOf(r, catalog.versions, knowledge.documents));
    const bm25 = await Bm25Index.read(join(dir, FILES.bm25));
    const vectors = new HierarchicalNSW('cosine', Math.max(1, manifest.embedder.dimension));
    await vectors.readIndex(join(dir, FILES.vectors));
    vectors.setEf(HNSW.efSearch);
    const questions = await QuestionField.read(join(dir, FILES.questions));
    const prebuilt = await readPrebuilt(dir);
    if (prebuilt) useGeneralIdf(prebuilt.idf);
    const parts: IndexParts = { chunks, bm25, questions, vectors, embedder, catalog, preferred: new Set(manifest.checklistLaws ?? []) };
    const hybrid = new HybridRetriever(parts);
    return {
      dir,
      manifest,
      catalog,
      documents: knowledge.documents,
      chunks,
      search: (q, o) => hybrid.search(q, o),
      askedAbout: (chunk) => questions.askedAbout(placeKey(chunk)),
      prebuilt,
      retrievers: { bm25: new Bm25Retriever(parts), vector: new VectorRetriever(parts), hybrid },
      hybrid: (options) => new HybridRetriever(parts, options),
    };
  } catch (err) {
    if (err instanceof PufaError) throw err;
    throw new PufaError('知识库索引已损坏，请重新运行 npx pufa ingest', { cause: err, detail: `cannot open index ${dir}` });
  }
}
