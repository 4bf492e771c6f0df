/** What other folders use of search: building, opening and checking the index (implementations beside this file). */
export { runIngest, type IndexArtefact, type IngestOptions, type IngestProgress, type IngestSummary } from './ingest.ts';
export { indexStatus, INDEX_FORMAT, type BuildManifest } from './manifest.ts';
export { openIndex, type OpenedIndex } from './open-index.ts';
