/**
 * Building the knowledge index: `runIngest` loads the knowledge files, chunks them, embeds what changed,
 * builds the BM25 and vector indexes and the question field, and publishes the build atomically. It reports
 * progress through a callback; drawing it is the caller's business (the CLI draws a bar).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import type { Config } from '../config.ts';
import { PufaError } from '../errors.ts';
import type { DuplicateFile, LawCatalog } from '../knowledge/catalog.ts';
import { loadKnowledge, type LoadOptions } from '../knowledge/load.ts';
import { articleKey, loadArticleQuestions, resolveQuestions, sectionKey } from '../knowledge/article-questions.ts';
import type { KnowledgeDocument, LawVersion } from '../knowledge/types.ts';
import { silentLogger, type Logger } from '../log.ts';
import { placeKey } from './article-rerank.ts';
import { Bm25Index } from './bm25.ts';
import { loadChecklistView } from './checklist-link.ts';
import { chunkOf, chunkRefs, contentHash, crossReferenceText, indexTextOf, MAX_ARTICLE_CHARS, MAX_SECTION_CHARS, type ChunkRef } from './chunking.ts';
import { createEmbedder, type IndexEmbeddings } from './embedders/index.ts';
import { HNSW, INDEX_FORMAT, listingOf, readManifest, type BuildManifest } from './manifest.ts';
import { EmbeddingJournal } from './embed-journal.ts';
import { QuestionField } from './question-field.ts';
import { guardIngest, servingManifest } from './ingest-guard.ts';
import { buildJudgeTables, writeJudgeTables, type JudgeTables } from './judge-tables.ts';
import { writePrebuilt } from './prebuilt.ts';
import { currentBuildDir, FILES, removeStaleTemp, writeBuildAndPublish, writeChunkRefs, writeJsonUtf16 } from './store.ts';
import { generalIdfMap, indexTerms } from './tokenize.ts';
import { createVocabulary } from './vocabulary.ts';
import type { Chunk } from '../knowledge/types.ts';

const { HierarchicalNSW } = hnswlib;
type Graph = InstanceType<typeof HierarchicalNSW>;

/** Index referenced articles' openings with the articles that cite them (see crossReferenceText). */
const CROSS_REFERENCES = true;
/** Texts per embedder call when the embedder names no batch size of its own (the local one): a steady progress bar. */
const EMBED_BATCH = 256;

export interface IngestSummary {
  dir: string;
  files: number;
  laws: number;
  versions: number;
  articles: number;
  documents: number;
  chunks: number;
  /** Chunks embedded in this run; the rest reused vectors of the previous build. */
  embedded: number;
  reused: number;
  /** Of the reused: vectors an interrupted earlier run had computed (the embedding journal). */
  resumed: number;
  skipped: { path: string; reason: string }[];
  /** Files read but worth a look (repeated article numbers). */
  warnings: { path: string; reason: string }[];
  duplicates: DuplicateFile[];
  missingChecklistLaws: string[];
  /** Colleagues' questions pinned to articles (knowledge/questions), those that could not be, and drafts awaiting review. */
  articleQuestions: { count: number; articles: number; unapplied: string[]; drafts: string[] };
  seconds: number;
}

/** How far an ingest is: reading files, then embedding chunks (`done` of `total`), then 'end' before writing. */
export type IngestProgress = { phase: 'read' | 'embed'; done: number; total: number } | { phase: 'end' };

/**
 * Something built from the loaded laws into the index build before it is published, with a version the
 * manifest records (a new version makes the index stale). The quiz's question bank is one.
 */
export interface IndexArtefact {
  name: string;
  version: string;
  build(dir: string, catalog: LawCatalog): Promise<void>;
}

export interface IngestOptions {
  /** Built into the build directory before it is published. */
  artefacts?: IndexArtefact[];
  checklistOnly?: boolean;
  logger?: Logger;
  /** Called as files are read and chunks embedded (a progress bar). */
  onProgress?: (p: IngestProgress) => void;
  /** Use this embedder instead of the configured one (benchmarks, tests counting calls). */
  embedder?: IndexEmbeddings;
  /** Replace the serving index even when the new one has far fewer laws (see ingest-guard.ts). */
  replace?: boolean;
}

/** Logs how long each ingest phase took (debug level): what to cut when ingest gets slow. */
function phaseTimer(log: Logger): (phase: string) => void {
  let t = performance.now();
  return (phase) => {
    const now = performance.now();
    log.debug('phase done', { phase, ms: Math.round(now - t) });
    t = now;
  };
}

/** Vectors of the previous build by content hash, when it used the same embedder. */
async function previousVectors(config: Config, embedderId: string, logger: Logger) {
  const dir = await currentBuildDir(config.dataDir);
  if (!dir) return undefined;
  try {
    const manifest = await readManifest(dir);
    if (manifest.embedder.id !== embedderId || manifest.counts.chunks === 0) return undefined;
    const keys = JSON.parse(await readFile(join(dir, FILES.vectorKeys), 'utf8')) as string[];
    const index = new HierarchicalNSW('cosine', manifest.embedder.dimension);
    await index.readIndex(join(dir, FILES.vectors));
    return { byHash: new Map(keys.map((k, i) => [k, i])), index, dimension: manifest.embedder.dimension };
  } catch (err) {
    logger.warn('previous index unreadable, embedding everything', { error: err as Error });
    return undefined;
  }
}

/** The indexed text of each chunk, with cross-references added to the first chunk of a referring article. */
function indexTexts(refs: ChunkRef[], chunks: Chunk[], versions: LawVersion[], catalog: LawCatalog): string[] {
  // Once per article, so long articles are not boosted several times.
  return chunks.map((c, i) => {
    const [kind, src, item, part] = refs[i]!;
    return indexTextOf(c, kind === 0 && part === 0 && CROSS_REFERENCES ? crossReferenceText(versions[src]!, item, catalog) : '');
  });
}

/**
 * The vector graph of all chunks: vectors of unchanged texts are reused from the previous build, the rest
 * embedded in batches. Vectors go straight into the graph: holding ~70k vectors as JS arrays first cost
 * hundreds of MB of peak memory on a whole law collection.
 */
async function buildVectors(
  config: Config,
  embedder: IndexEmbeddings,
  texts: string[],
  keys: string[],
  log: Logger,
  onProgress?: (p: IngestProgress) => void,
): Promise<{ hnsw: Graph; dimension: number; embedded: number; resumed: number; journal?: EmbeddingJournal }> {
  const prev = await previousVectors(config, embedder.id, log);
  // A remote model is slow and may fail halfway: its vectors are journaled batch by batch, so that a rerun resumes.
  const journal = embedder.id.startsWith('local') ? undefined : await EmbeddingJournal.open(config.dataDir, embedder.id);
  let hnsw: Graph | undefined;
  let dimension = embedder.dimension ?? prev?.dimension ?? 0;
  const add = (v: number[], label: number) => {
    if (!hnsw) {
      dimension ||= v.length;
      hnsw = new HierarchicalNSW('cosine', Math.max(1, dimension));
      hnsw.initIndex(Math.max(1, texts.length), HNSW.m, HNSW.efConstruction, 42);
    }
    hnsw.addPoint(v, label);
  };
  const todo: number[] = [];
  let resumed = 0;
  keys.forEach((k, i) => {
    const label = prev?.byHash.get(k);
    if (label !== undefined) return add(prev!.index.getPoint(label), i);
    const saved = journal?.get(k);
    if (saved) {
      resumed++;
      return add(saved, i);
    }
    todo.push(i);
  });
  if (resumed) log.info('resuming an interrupted ingest', { vectors: resumed, file: journal!.file });
  const total = Math.max(1, todo.length);
  const batchSize = embedder.batchSize ?? EMBED_BATCH;
  onProgress?.({ phase: 'embed', done: 0, total });
  for (let i = 0; i < todo.length; i += batchSize) {
    const batch = todo.slice(i, i + batchSize);
    const out = await embedder.embedDocuments(batch.map((j) => texts[j]!));
    await journal?.append(batch.map((j) => keys[j]!), out);
    batch.forEach((j, n) => add(out[n]!, j));
    onProgress?.({ phase: 'embed', done: Math.min(todo.length, i + batchSize), total });
  }
  if (!hnsw) {
    hnsw = new HierarchicalNSW('cosine', Math.max(1, dimension));
    hnsw.initIndex(1, HNSW.m, HNSW.efConstruction, 42);
  }
  return { hnsw, dimension, embedded: todo.length, resumed, journal };
}

/** The colleagues' questions of each article or section, on the first chunk of it. */
function questionsByChunk(refs: ChunkRef[], versions: LawVersion[], documents: KnowledgeDocument[], byPlace: Map<string, string[]>): Map<number, string[]> {
  const byChunk = new Map<number, string[]>();
  refs.forEach(([kind, src, item, part], i) => {
    if (part !== 0) return;
    let key: string;
    if (kind === 0) {
      const a = versions[src]!.articles[item]!;
      key = articleKey(versions[src]!.id, a.number, a.suffix);
    } else {
      key = sectionKey(documents[src]!.id, item);
    }
    const qs = byPlace.get(key);
    if (qs) byChunk.set(i, qs);
  });
  return byChunk;
}

/**
 * Write a complete build to a temporary directory and publish it (store.ts); returns its final directory. A
 * failure (a full disk) removes the partial build at once and says what went wrong; the old index keeps serving.
 */
async function writeBuild(
  dataDir: string,
  b: {
    manifest: BuildManifest;
    versions: LawVersion[];
    documents: KnowledgeDocument[];
    refs: ChunkRef[];
    keys: string[];
    hnsw: Graph;
    bm25: Bm25Index;
    questions: QuestionField;
    judge: JudgeTables;
    /** Artefacts of other folders, built into the directory before the manifest. */
    artefacts: { build(dir: string): Promise<void> }[];
  },
): Promise<string> {
  const knowledge = { versions: b.versions.map(stripStatus), documents: b.documents, chunker: [MAX_ARTICLE_CHARS, MAX_SECTION_CHARS] };
  return writeBuildAndPublish(dataDir, async (dir) => {
    await writeJsonUtf16(join(dir, FILES.knowledge), knowledge);
    await writeChunkRefs(join(dir, FILES.chunks), b.refs);
    await writeFile(join(dir, FILES.vectorKeys), JSON.stringify(b.keys));
    await b.hnsw.writeIndex(join(dir, FILES.vectors));
    await b.bm25.write(join(dir, FILES.bm25));
    await b.questions.write(join(dir, FILES.questions));
    // What the first question of a new process needs, computed once here instead of in every process.
    await writePrebuilt(dir, { idf: generalIdfMap() });
    await writeJudgeTables(join(dir, FILES.judge), b.judge);
    for (const artefact of b.artefacts) await artefact.build(dir);
    // The manifest is written last: a build directory without one is incomplete by definition.
    await writeFile(join(dir, FILES.manifest), JSON.stringify(b.manifest, null, 1));
  });
}

/** Status is recomputed from the order of versions when the catalog is rebuilt. */
function stripStatus(v: LawVersion): Omit<LawVersion, 'status' | 'id' | 'aliases'> {
  const { status: _s, id: _i, aliases: _a, ...rest } = v;
  return rest;
}

/**
 * Build a new index from the configured folders and publish it. The previous index keeps serving until the
 * new one is complete; a failure leaves it in place.
 * @example const s = await runIngest(loadConfig(process.env), { onProgress: (p) => console.error(p) })
 */
export async function runIngest(config: Config, opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const log = (opts.logger ?? silentLogger).child('ingest');
  const embedder = opts.embedder ?? createEmbedder(config);
  const onProgress = opts.onProgress;
  await removeStaleTemp(config.dataDir);
  const guard = await guardIngest(config, await servingManifest(config.dataDir), { replace: opts.replace });
  const checklist = await loadChecklistView(config.knowledgeDir);
  if (opts.checklistOnly && !checklist) {
    throw new PufaError(`没有找到必学清单（${join(config.knowledgeDir, 'checklists')}），无法使用 --checklist-only`);
  }
  const only = opts.checklistOnly ? checklist!.includes : undefined;

  onProgress?.({ phase: 'read', done: 0, total: 1 });
  const loadOpts: LoadOptions = {
    lawsDir: config.lawsDir,
    knowledgeDir: config.knowledgeDir,
    logger: log,
    onFile: (done, total) => onProgress?.({ phase: 'read', done, total }),
    only,
    maxFileBytes: config.ingest.maxFileBytes,
  };
  const loaded = await loadKnowledge(loadOpts);
  guard.checkLaws(new Set(loaded.catalog.versions.map((v) => v.title)).size);
  const asked = await loadArticleQuestions(config.knowledgeDir);
  for (const f of asked.skipped) log.warn('skipped file', { path: f.path, reason: f.reason });
  const catalog: LawCatalog = loaded.catalog;
  const documents = loaded.documents;
  const versions = catalog.versions;
  const sources = only
    ? Object.fromEntries(Object.entries(loaded.hashes).filter(([k]) => !k.startsWith('laws/') || versions.some((v) => v.sources.includes(k))))
    : loaded.hashes;

  const refs = chunkRefs(versions, documents);
  const chunks = refs.map((r) => chunkOf(r, versions, documents));
  const texts = indexTexts(refs, chunks, versions, catalog);
  const keys = texts.map(contentHash);

  const lap = phaseTimer(log);
  lap('load');
  const { hnsw, dimension, embedded, resumed, journal } = await buildVectors(config, embedder, texts, keys, log, onProgress);
  lap('vectors');
  const bm25 = Bm25Index.build(texts.map(indexTerms));
  const pinned = resolveQuestions(asked.sets, catalog, documents);
  for (const line of pinned.unapplied) log.warn('article questions not applied', { detail: line });
  const questions = QuestionField.build(questionsByChunk(refs, versions, documents, pinned.byPlace), (i) => placeKey(chunks[i]!));
  const judge = buildJudgeTables(catalog, createVocabulary({ bm25, questions, chunks }));
  lap('bm25');
  onProgress?.({ phase: 'end' });

  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const manifest: BuildManifest = {
    formatVersion: INDEX_FORMAT,
    createdAt: new Date().toISOString(),
    embedder: { id: embedder.id, dimension },
    sources,
    counts: {
      // Files that went into this index (--checklist-only leaves the rest of the laws folder out).
      files: Object.keys(sources).length,
      laws: new Set(versions.map((v) => v.title)).size,
      versions: versions.length,
      articles: versions.reduce((n, v) => n + v.articles.length, 0),
      documents: documents.length,
      chunks: chunks.length,
    },
    skipped: [...loaded.skipped, ...asked.skipped],
    missingChecklistLaws: checklist ? checklist.missing(catalog) : [],
    listing: listingOf([...loaded.files, ...asked.files]),
    checklistOnly: opts.checklistOnly === true,
    origin: {
      lawsDir: config.lawsDir,
      files: Object.keys(sources).filter((k) => k.startsWith('laws/')).length,
      laws: new Set(versions.map((v) => v.title)).size,
    },
    checklistLaws: checklist ? [...new Set(versions.filter((v) => checklist.includes(v.title)).map((v) => v.title))] : [],
    duplicates: catalog.duplicates,
    articleQuestions: { count: pinned.count, articles: questions.size, unapplied: pinned.unapplied, sources: asked.hashes },
    embedded,
    reused: chunks.length - embedded,
    seconds,
    artefacts: Object.fromEntries((opts.artefacts ?? []).map((a) => [a.name, a.version])),
  };

  const artefacts = (opts.artefacts ?? []).map((a) => ({ build: (dir: string) => a.build(dir, catalog) }));
  const dir = await writeBuild(config.dataDir, { manifest, versions, documents, refs, keys, hnsw, bm25, questions, judge, artefacts });
  await journal?.remove();
  lap('write');
  log.info('index published', { dir, chunks: chunks.length, embedded, seconds });
  return {
    dir,
    files: manifest.counts.files,
    laws: manifest.counts.laws,
    versions: manifest.counts.versions,
    articles: manifest.counts.articles,
    documents: manifest.counts.documents,
    chunks: chunks.length,
    embedded: manifest.embedded,
    reused: manifest.reused,
    resumed,
    skipped: manifest.skipped,
    warnings: loaded.warnings,
    duplicates: manifest.duplicates,
    missingChecklistLaws: manifest.missingChecklistLaws,
    articleQuestions: { count: pinned.count, articles: questions.size, unapplied: pinned.unapplied, drafts: asked.drafts },
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
