/**
 * What the no-basis judge (answer/relevance.ts) needs from the whole index, computed once at ingest and
 * stored beside it, so that no question pays for it: the keywords of the legal areas none of whose laws the
 * index holds (knowledge/legal-areas.ts), without those the index's own texts use often (犯罪 and 刑事责任
 * are in the checklist's laws too: 「构成犯罪的，依法追究刑事责任」). On the whole collection every area is held and the list is empty.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { LawCatalog } from '../knowledge/catalog.ts';
import { uncoveredKeywords } from '../knowledge/legal-areas.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface JudgeTables {
  /** Words of legal areas this index does not hold: a question made of them belongs elsewhere. */
  foreignTerms: string[];
}

/** A keyword the index's texts use this often is their own language, not another area's (fixed, not tuned). */
export const OWN_TERM_TEXTS = 10;

export function buildJudgeTables(catalog: LawCatalog, vocabulary: Vocabulary): JudgeTables {
  return { foreignTerms: uncoveredKeywords(catalog, (k) => vocabulary.uses(k, OWN_TERM_TEXTS)) };
}

export async function writeJudgeTables(path: string, tables: JudgeTables): Promise<void> {
  await writeFile(path, JSON.stringify(tables));
}

/** The stored tables; undefined for an index built before they existed. */
export async function readJudgeTables(path: string): Promise<JudgeTables | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as JudgeTables;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
