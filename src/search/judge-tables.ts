/**
 * What the no-basis judge (answer/relevance.ts) needs from the whole index, computed once at ingest and
 * stored beside it, so that no question pays for it: the keywords of the legal areas none of whose laws the
 * index holds (knowledge/legal-areas.ts), without those the index's own texts use often (犯罪 and 刑事责任
 * are in the checklist's laws too: 「构成犯罪的，依法追究刑事责任」). On the whole collection every area is held and the list is empty.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { LawCatalog } from '../knowledge/catalog.ts';
import { keywordParts, uncoveredKeywords } from '../knowledge/legal-areas.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface JudgeTables {
  /** Words of legal areas this index does not hold: a question made of them belongs elsewhere. */
  foreignTerms: string[];
}

/** A keyword the index's texts use this often is their own language, not another area's (fixed, not tuned). */
export const OWN_TERM_TEXTS = 10;

/**
 * A combined keyword (公务员+工资) whose parts this many of the index's texts hold together is a matter the
 * index speaks of (fixed, not tuned: a combination is specific, so a few texts settle it).
 */
export const OWN_COMBINATION_TEXTS = 3;

export function buildJudgeTables(catalog: LawCatalog, vocabulary: Vocabulary): JudgeTables {
  const own = (k: string) => {
    const parts = keywordParts(k);
    return parts.length > 1 ? vocabulary.usesTogether(parts, OWN_COMBINATION_TEXTS) : vocabulary.uses(k, OWN_TERM_TEXTS);
  };
  return { foreignTerms: uncoveredKeywords(catalog, own) };
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
