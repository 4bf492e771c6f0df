/**
 * What a build is: its format version and vector-graph settings, its manifest (embedder, sources, counts,
 * the file listing staleness checks compare against), and `indexStatus`, which tells without reading the
 * index whether it is missing, stale or fresh.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { isNotFound } from '../errors.ts';
import type { DuplicateFile } from '../knowledge/catalog.ts';
import { listSourceFiles, type SourceFile } from '../knowledge/load.ts';
import { listQuestionFiles } from '../knowledge/article-questions.ts';
import { createEmbedder } from './embedders/index.ts';
import type { LawsOrigin } from './ingest-guard.ts';
import { currentBuildDir, FILES } from './store.ts';
import type { IndexManifest } from './types.ts';

/** Bump when parsing, chunking, tokenising or the file layout changes: older builds then count as stale (6: numbered items of amendments are articles; the judge tables). */
export const INDEX_FORMAT = 6;
/** HNSW graph settings: links per node, build-time and query-time candidate lists (common values, fixed, not tuned). */
export const HNSW = { m: 16, efConstruction: 100, efSearch: 80 };

/** The manifest as written by this version: the pinned fields plus what staleness checks need. */
export interface BuildManifest extends IndexManifest {
  /** size:mtime of every file listed at ingest time (also those --checklist-only left out). */
  listing: Record<string, string>;
  checklistOnly: boolean;
  /** Where the laws came from: the ingest guard compares the next build with it. */
  origin: LawsOrigin;
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

/** Every file an index is built from: law files, reports and the colleagues' question files. */
export async function listInputs(config: Config): Promise<SourceFile[]> {
  return [...(await listSourceFiles(config.lawsDir, config.knowledgeDir)), ...(await listQuestionFiles(config.knowledgeDir))];
}

export function listingOf(files: SourceFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.key, `${f.size}:${Math.round(f.mtimeMs)}`]));
}

export async function readManifest(dir: string): Promise<BuildManifest> {
  return JSON.parse(await readFile(join(dir, FILES.manifest), 'utf8')) as BuildManifest;
}

/**
 * Whether the index matches the files and settings: 'missing' (never built), 'stale' (files added, removed
 * or changed since, another embedder configured, an artefact of another version, or a manifest that cannot be
 * parsed) or 'fresh'. Reads only the manifest and a directory listing.
 */
export async function indexStatus(config: Config, opts: { artefacts?: { name: string; version: string }[] } = {}): Promise<'missing' | 'stale' | 'fresh'> {
  const dir = await currentBuildDir(config.dataDir);
  if (!dir) return 'missing';
  let manifest: BuildManifest;
  try {
    manifest = await readManifest(dir);
  } catch (err) {
    if (isNotFound(err)) return 'missing';
    // A manifest that is not JSON (a disk filled up while it was written): build again.
    if (err instanceof SyntaxError) return 'stale';
    throw err;
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
