/** Where the shared law corpus sits beside the project (../shared/corpus/laws); read-only, never copied into the repo. */
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '../../..');
export const CORPUS_LAWS = join(REPO, '../shared/corpus/laws');
export const KNOWLEDGE = join(REPO, 'knowledge');
