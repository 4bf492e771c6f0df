/**
 * The question bank as an index artefact: generated once at ingest for every version of the checklist's
 * laws and written into the index build (quiz-bank.json), so that `pufa quiz preview`, /quiz and the
 * weekly plans read questions instead of generating them. The version below is recorded in the index
 * manifest: a build made by another generator counts as stale and is rebuilt by the next start or ingest.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LawCatalog } from '../knowledge/catalog.ts';
import { loadChecklist } from '../knowledge/checklist.ts';
import type { LawVersion } from '../knowledge/types.ts';
import { buildNeighbourhood, type Neighbourhood } from './generate/law-context.ts';
import { generateLawQuestions } from './generator.ts';
import { createQuestionBank, type QuestionBank } from './bank.ts';
import { quizScope } from './scope.ts';
import type { Question } from './types.ts';

/** Bump whenever generation changes (any file under generate/, generator.ts): built banks then count as stale. */
export const QUESTION_BANK_VERSION = 'quiz-bank-16';
export const QUESTION_BANK_FILE = 'quiz-bank.json';

export interface QuestionBankFile {
  version: string;
  /** The terms, principles and items the questions' wrong options came from, for laws generated later. */
  neighbourhood: Neighbourhood;
  /** Generated questions by law version id (title@version). */
  laws: Record<string, Question[]>;
}

/** Every version of every law the checklist names: what the bank is built for. */
export function bankLaws(catalog: LawCatalog, titles: readonly string[]): LawVersion[] {
  const wanted = new Set(titles);
  return catalog.versions.filter((v) => wanted.has(v.title));
}

/** The current versions among them: their terms and items are the neighbourhood of every law asked. */
export function neighbourhoodOf(catalog: LawCatalog, titles: readonly string[]): Neighbourhood {
  const wanted = new Set(titles);
  return buildNeighbourhood(catalog.current.filter((v) => wanted.has(v.title)));
}

/** Generate the bank for the checklist's laws. */
export function buildQuestionBankFile(catalog: LawCatalog, titles: readonly string[]): QuestionBankFile {
  const neighbourhood = neighbourhoodOf(catalog, titles);
  const laws: Record<string, Question[]> = {};
  for (const law of bankLaws(catalog, titles)) laws[law.id] = generateLawQuestions(law, { neighbourhood });
  return { version: QUESTION_BANK_VERSION, neighbourhood, laws };
}

/** What runIngest needs of an artefact (src/search/index.ts IndexArtefact). */
export interface QuestionBankArtefact {
  name: string;
  version: string;
  build(dir: string, catalog: LawCatalog): Promise<void>;
}

/**
 * The bank as an ingest artefact: the checklist's laws are read from the knowledge folder at build time.
 * @example await runIngest(config, { artefacts: [questionBankArtefact(config.knowledgeDir)] })
 */
export function questionBankArtefact(knowledgeDir: string): QuestionBankArtefact {
  return {
    name: 'quiz-bank',
    version: QUESTION_BANK_VERSION,
    async build(dir, catalog) {
      const checklist = await loadChecklist(knowledgeDir);
      const titles = quizScope(checklist, undefined, catalog).laws.map((l) => l.title);
      await writeFile(join(dir, QUESTION_BANK_FILE), JSON.stringify(buildQuestionBankFile(catalog, titles)));
    },
  };
}

/**
 * The bank file of an index build, or undefined when the build has none or one of another version (an
 * index built before the bank existed, or by another generator): the bank then generates on demand.
 */
export async function readQuestionBankFile(dir: string | undefined): Promise<QuestionBankFile | undefined> {
  if (!dir) return undefined;
  let raw: string;
  try {
    raw = await readFile(join(dir, QUESTION_BANK_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const file = JSON.parse(raw) as QuestionBankFile;
  return file.version === QUESTION_BANK_VERSION ? file : undefined;
}

/**
 * The bank a deployment asks from: the index build's bank file when it is there and current, else
 * generation on demand with the same neighbourhood (so the questions are the same either way).
 * @example const bank = await openQuestionBank({ catalog: index.catalog, dir: index.dir, knowledgeDir: config.knowledgeDir })
 */
export async function openQuestionBank(opts: { catalog: LawCatalog; dir?: string; knowledgeDir: string; extra?: Question[] }): Promise<QuestionBank> {
  const file = await readQuestionBankFile(opts.dir);
  if (file) return createQuestionBank({ extra: opts.extra, prebuilt: file.laws, neighbourhood: file.neighbourhood });
  const checklist = await loadChecklist(opts.knowledgeDir);
  const titles = quizScope(checklist, undefined, opts.catalog).laws.map((l) => l.title);
  return createQuestionBank({ extra: opts.extra, neighbourhood: neighbourhoodOf(opts.catalog, titles) });
}
