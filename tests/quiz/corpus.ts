/** Shared fixtures for the quiz tests: the real law corpus beside the project (read-only), loaded once per test file. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadKnowledge, type LoadedKnowledge } from '../../src/knowledge/load.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const LAWS_DIR = join(REPO, '../shared/corpus/laws');
export const KNOWLEDGE_DIR = join(REPO, 'knowledge');

let loaded: Promise<LoadedKnowledge> | undefined;
export function corpus(): Promise<LoadedKnowledge> {
  loaded ??= loadKnowledge({ lawsDir: LAWS_DIR, knowledgeDir: KNOWLEDGE_DIR });
  return loaded;
}
