/**
 * Building and opening the knowledge index: `runIngest` loads the knowledge files, chunks them, embeds what
 * changed, builds the BM25 and vector indexes and publishes the build atomically; `openIndex` loads the
 * current build for reading; `indexStatus` tells whether it is missing, stale or fresh without reading it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import hnswlib from 'hnswlib-node';
import type { Config } from '../config.ts';
import { PufaError } from '../errors.ts';
import { buildCatalog, type DuplicateFile, type LawCatalog } from '../knowledge/catalog.ts';
import { listSourceFiles, loadKnowledge, type LoadOptions, type SourceFile } from '../knowledge/load.ts';
import { articleKey, listQuestionFiles, loadArticleQuestions, resolveQuestions, sectionKey } from '../knowledge/article-questions.ts';
import type { KnowledgeDocument, LawVersion } from '../knowledge/types.ts';
import { silentLogger, type Logger } from '../log.ts';
import { Bm25Index } from './bm25.ts';
import { loadChecklistView } from './checklist-link.ts';
import { chunkOf, chunkRefs, contentHash, crossReferenceText, indexTextOf, MAX_ARTICLE_CHARS, MAX_SECTION_CHARS } from './chunking.ts';
import { createEmbedder, type IndexEmbeddings } from './embedders/index.ts';
import { placeKey } from './article-rerank.ts';
import { QuestionField } from './question-field.ts';
import { Bm25Retriever, HybridRetriever, VectorRetriever, type HybridOptions, type IndexParts } from './retrievers.ts';
import {
  currentBuildDir,
  FILES,
  publishBuild,
  readChunkRefs,
  removeStaleTemp,
  startBuild,
  writeChunkRefs,
} from './store.ts';
import { indexTerms } from './tokenize.ts';
import type { IndexManifest, KnowledgeIndex, Retriever } from './types.ts';

const { HierarchicalNSW } = hnswlib;

/** Bump when chunking, tokenising or the file layout changes: older builds then count as stale. */
export const INDEX_FORMAT = 5;
/** Index referenced articles' openings with the articles that cite them (see crossReferenceText). */
const CROSS_REFERENCES = true;
const HNSW = { m: 16, efConstruction: 100, efSearch: 80 };
const EMBED_BATCH = 256;

/** The manifest as written by this version: the pinned fields plus what staleness checks need. */
export interface BuildManifest extends IndexManifest {
  /** size:mtime of every file listed at ingest time (also those --checklist-only left out). */
  listing: Record<string, string>;
  checklistOnly: boolean;
  /** Titles of ingested laws the must-know checklist names: retrieval prefers them slightly. */
  checklistLaws?: string[];
  duplicates: DuplicateFile[];
  /** Colleagues' questions (knowledge/questions) pinned to articles, and those that could not be. */
  articleQuestions?: { count: number; articles: number; unapplied: string[]; sources: Record<string, string> };
  embedded: number;
  reused: number;
  seconds: number;
  /** Versions of the artefacts built into this index (IndexArtefact), by name. */
  artefacts?: Record<string, string>;
}

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
  skipped: { path: string; reason: string }[];
  duplicates: DuplicateFile[];
  missingChecklistLaws: string[];
  /** Colleagues' questions pinned to articles (knowledge/questions), those that could not be, and drafts awaiting review. */
  articleQuestions: { count: number; articles: number; unapplied: string[]; drafts: string[] };
  seconds: number;
}

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
  /** Show a progress bar on stderr. */
  progress?: boolean;
  /** Use this embedder instead of the configured one (benchmarks, tests counting calls). */
  embedder?: IndexEmbeddings;
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

/** Every file an index is built from: law files, reports and the colleagues' question files. */
async function listInputs(config: Config): Promise<SourceFile[]> {
  return [...(await listSourceFiles(config.lawsDir, config.knowledgeDir)), ...(await listQuestionFiles(config.knowledgeDir))];
}

function listingOf(files: SourceFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.key, `${f.size}:${Math.round(f.mtimeMs)}`]));
}

async function readManifest(dir: string): Promise<BuildManifest> {
  return JSON.parse(await readFile(join(dir, FILES.manifest), 'utf8')) as BuildManifest;
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

/**
 * Build a new index from the configured folders and publish it. The previous index keeps serving until the
 * new one is complete; a failure leaves it in place.
 * @example const s = await runIngest(loadConfig(process.env), { progress: true })
 */
export async function runIngest(config: Config, opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const log = (opts.logger ?? silentLogger).child('ingest');
  const embedder = opts.embedder ?? createEmbedder(config);
  const bar = opts.progress
    ? new cliProgress.SingleBar(
        { format: '{phase} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  await removeStaleTemp(config.dataDir);
  const checklist = await loadChecklistView(config.knowledgeDir);
  if (opts.checklistOnly && !checklist) {
    throw new PufaError(`没有找到必学清单（${join(config.knowledgeDir, 'checklists')}），无法使用 --checklist-only`);
  }
  const only = opts.checklistOnly ? checklist!.includes : undefined;

  try {
    bar?.start(1, 0, { phase: '读取文件' });
    const loadOpts: LoadOptions = {
      lawsDir: config.lawsDir,
      knowledgeDir: config.knowledgeDir,
      logger: log,
      onFile: (done, total) => {
        bar?.setTotal(total);
        bar?.update(done);
      },
      only,
    };
    const loaded = await loadKnowledge(loadOpts);
    const asked = await loadArticleQuestions(config.knowledgeDir);
    for (const f of asked.skipped) log.warn('skipped file', { path: f.path, reason: f.reason });
    const catalog: LawCatalog = loaded.catalog;
    const documents = loaded.documents;
    const versions = catalog.versions;
    const sources = only
      ? Object.fromEntries(
          Object.entries(loaded.hashes).filter(([k]) => !k.startsWith('laws/') || versions.some((v) => v.sources.includes(k))),
        )
      : loaded.hashes;

    const refs = chunkRefs(versions, documents);
    const chunks = refs.map((r) => chunkOf(r, versions, documents));
    // Cross-references (本法第十八条) add the referenced article's opening to the indexed text of the first
    // chunk of the referring article (once per article, so long articles are not boosted several times).
    const texts = chunks.map((c, i) => {
      const [kind, src, item, part] = refs[i]!;
      return indexTextOf(c, kind === 0 && part === 0 && CROSS_REFERENCES ? crossReferenceText(versions[src]!, item, catalog) : '');
    });
    const keys = texts.map(contentHash);

    const lap = phaseTimer(log);
    lap('load');
    // Vectors go straight into the graph as they are reused or embedded: holding ~70k vectors as JS arrays
    // first cost hundreds of MB of peak memory on a whole law collection.
    const prev = await previousVectors(config, embedder.id, log);
    let hnsw: InstanceType<typeof HierarchicalNSW> | undefined;
    let dimension = embedder.dimension ?? prev?.dimension ?? 0;
    const add = (v: number[], label: number) => {
      if (!hnsw) {
        dimension ||= v.length;
        hnsw = new HierarchicalNSW('cosine', Math.max(1, dimension));
        hnsw.initIndex(Math.max(1, chunks.length), HNSW.m, HNSW.efConstruction, 42);
      }
      hnsw.addPoint(v, label);
    };
    const todo: number[] = [];
    keys.forEach((k, i) => {
      const label = prev?.byHash.get(k);
      if (label === undefined) todo.push(i);
      else add(prev!.index.getPoint(label), i);
    });
    bar?.start(Math.max(1, todo.length), 0, { phase: '计算向量' });
    for (let i = 0; i < todo.length; i += EMBED_BATCH) {
      const batch = todo.slice(i, i + EMBED_BATCH);
      const out = await embedder.embedDocuments(batch.map((j) => texts[j]!));
      batch.forEach((j, n) => add(out[n]!, j));
      bar?.update(Math.min(todo.length, i + EMBED_BATCH));
    }
    if (!hnsw) {
      hnsw = new HierarchicalNSW('cosine', Math.max(1, dimension));
      hnsw.initIndex(1, HNSW.m, HNSW.efConstruction, 42);
    }
    lap('vectors');
    const bm25 = Bm25Index.build(texts.map(indexTerms));
    const pinned = resolveQuestions(asked.sets, catalog, documents);
    for (const line of pinned.unapplied) log.warn('article questions not applied', { detail: line });
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
      const qs = pinned.byPlace.get(key);
      if (qs) byChunk.set(i, qs);
    });
    const questions = QuestionField.build(byChunk, (i) => placeKey(chunks[i]!));
    lap('bm25');
    bar?.stop();

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
      checklistLaws: checklist ? [...new Set(versions.filter((v) => checklist.includes(v.title)).map((v) => v.title))] : [],
      duplicates: catalog.duplicates,
      articleQuestions: { count: pinned.count, articles: questions.size, unapplied: pinned.unapplied, sources: asked.hashes },
      embedded: todo.length,
      reused: chunks.length - todo.length,
      seconds,
    };

    const build = await startBuild(config.dataDir);
    const knowledge = { versions: versions.map(stripStatus), documents, chunker: [MAX_ARTICLE_CHARS, MAX_SECTION_CHARS] };
    await writeFile(join(build.dir, FILES.knowledge), JSON.stringify(knowledge));
    await writeChunkRefs(join(build.dir, FILES.chunks), refs);
    await writeFile(join(build.dir, FILES.vectorKeys), JSON.stringify(keys));
    await hnsw.writeIndex(join(build.dir, FILES.vectors));
    await bm25.write(join(build.dir, FILES.bm25));
    await questions.write(join(build.dir, FILES.questions));
    for (const artefact of opts.artefacts ?? []) await artefact.build(build.dir, catalog);
    manifest.artefacts = Object.fromEntries((opts.artefacts ?? []).map((a) => [a.name, a.version]));
    // The manifest is written last: a build directory without one is incomplete by definition.
    await writeFile(join(build.dir, FILES.manifest), JSON.stringify(manifest, null, 1));
    lap('write');
    const dir = await publishBuild(config.dataDir, build);
    log.info('index published', { dir, chunks: chunks.length, embedded: todo.length, seconds });
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
      skipped: manifest.skipped,
      duplicates: manifest.duplicates,
      missingChecklistLaws: manifest.missingChecklistLaws,
      articleQuestions: { count: pinned.count, articles: questions.size, unapplied: pinned.unapplied, drafts: asked.drafts },
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    bar?.stop();
  }
}

/** Status is recomputed from the order of versions when the catalog is rebuilt. */
function stripStatus(v: LawVersion): Omit<LawVersion, 'status' | 'id' | 'aliases'> {
  const { status: _s, id: _i, aliases: _a, ...rest } = v;
  return rest;
}

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
 * @throws PufaError 「知识库索引不存在，请先运行 pufa ingest」 when there is none.
 */
export async function openIndex(config: Config, opts: { embedder?: IndexEmbeddings } = {}): Promise<OpenedIndex> {
  const dir = await currentBuildDir(config.dataDir);
  if (!dir) throw new PufaError('知识库索引不存在，请先运行 pufa ingest');
  try {
    const manifest = await readManifest(dir);
    const embedder = opts.embedder ?? createEmbedder(config);
    if (embedder.id !== manifest.embedder.id) {
      throw new PufaError('索引的向量模型与当前设置不一致，请重新运行 pufa ingest', {
        detail: `index embedder ${manifest.embedder.id}, configured ${embedder.id}`,
      });
    }
    const knowledge = JSON.parse(await readFile(join(dir, FILES.knowledge), 'utf8')) as {
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
      retrievers: { bm25: new Bm25Retriever(parts), vector: new VectorRetriever(parts), hybrid },
      hybrid: (options) => new HybridRetriever(parts, options),
    };
  } catch (err) {
    if (err instanceof PufaError) throw err;
    throw new PufaError('知识库索引已损坏，请重新运行 pufa ingest', { cause: err, detail: `cannot open index ${dir}` });
  }
}

/**
 * Whether the index matches the files and settings: 'missing' (never built), 'stale' (files added, removed
 * or changed since, another embedder configured, or an artefact of another version) or 'fresh'. Reads only the
 * manifest and a directory listing.
 */
export async function indexStatus(config: Config, opts: { artefacts?: Pick<IndexArtefact, 'name' | 'version'>[] } = {}): Promise<'missing' | 'stale' | 'fresh'> {
  const dir = await currentBuildDir(config.dataDir);
  if (!dir) return 'missing';
  let manifest: BuildManifest;
  try {
    manifest = await readManifest(dir);
  } catch {
    return 'missing';
  }
  if (manifest.formatVersion !== INDEX_FORMAT || !manifest.listing) return 'stale';
  if (manifest.embedder.id !== createEmbedder(config).id) return 'stale';
  if ((opts.artefacts ?? []).some((a) => manifest.artefacts?.[a.name] !== a.version)) return 'stale';
  const now = listingOf(await listInputs(config));
  const before = manifest.listing;
  const keys = Object.keys(now);
  if (keys.length !== Object.keys(before).length) return 'stale';
  return keys.every((k) => before[k] === now[k]) ? 'fresh' : 'stale';
}
