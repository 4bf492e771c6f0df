/**
 * The shared real index for tests: built once per run by the global setup (test-index-setup.ts) and
 * opened once by each test file that needs it.
 *
 * @example const { config, index } = await getChecklistIndex(); const hits = await index.search('预算年度');
 */
import { inject } from 'vitest';
import type { Config } from '../../src/config.ts';
import { openIndex, type OpenedIndex } from '../../src/search/index.ts';
import { testConfig } from './shared-data.ts';

export { CORPUS_LAWS_DIR, EVAL_DIR, makeKnowledgeDir, REPO_ROOT, SEED_DIR, SHARED_DIR, testConfig } from './shared-data.ts';

let cached: Promise<{ config: Config; index: OpenedIndex }> | undefined;

/** The checklist laws + report index shared by every test file of a run. */
export function getChecklistIndex(): Promise<{ config: Config; index: OpenedIndex }> {
  cached ??= (async () => {
    const config = testConfig(inject('checklistIndexDir'));
    return { config, index: await openIndex(config) };
  })();
  return cached;
}
