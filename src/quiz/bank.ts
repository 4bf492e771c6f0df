/**
 * The question bank: generated questions per law version — read from the index build's bank file when it
 * has the law, else generated once on demand — merged with the curated ones, and the pickers that choose
 * one question per article for previews and weekly quizzes.
 */
import type { LawVersion } from '../knowledge/types.ts';
import type { Neighbourhood } from './generate/law-context.ts';
import { generateLawQuestions } from './generator.ts';
import type { Random } from './random.ts';
import { articleKey, type Question, type QuestionType, type SpanKind } from './types.ts';

export interface QuestionBank {
  /** Every question of a law version (generated + curated for that version), in article order. */
  forLaw(law: LawVersion): Question[];
  /** The questions of one article of a law version. */
  forArticle(law: LawVersion, articleNumber: number, articleSuffix?: number): Question[];
}

export interface BankOptions {
  /** Curated (and accepted LLM) questions, pinned to law versions. */
  extra?: Question[];
  /** Questions generated at ingest, by law version id (QuestionBankFile.laws). */
  prebuilt?: Record<string, Question[]>;
  /** Terms and items of the laws asked together, for laws generated on demand (as the prebuilt ones were). */
  neighbourhood?: Neighbourhood;
}

/** Create a bank; a law the prebuilt questions lack is generated lazily, once per law version. */
export function createQuestionBank(opts: BankOptions = {}): QuestionBank {
  const cache = new Map<string, { all: Question[]; byArticle: Map<string, Question[]> }>();
  const load = (law: LawVersion) => {
    let entry = cache.get(law.id);
    if (!entry) {
      const extra = (opts.extra ?? []).filter((q) => q.law === law.title && q.version === law.version);
      const generated = opts.prebuilt?.[law.id] ?? generateLawQuestions(law, { neighbourhood: opts.neighbourhood });
      const all = [...extra, ...generated];
      const byArticle = new Map<string, Question[]>();
      for (const q of all) {
        const k = articleKey(q.law, q.articleNumber, q.articleSuffix);
        byArticle.set(k, [...(byArticle.get(k) ?? []), q]);
      }
      entry = { all, byArticle };
      cache.set(law.id, entry);
    }
    return entry;
  };
  return {
    forLaw: (law) => load(law).all,
    forArticle: (law, n, s = 0) => load(law).byArticle.get(articleKey(law.title, n, s)) ?? [],
  };
}

/** How much a question is worth asking: numbers and lists first, organs next, 应当/可以 swaps last. */
const KIND_WEIGHT: Record<SpanKind, number> = {
  curated: 5,
  case: 5,
  scenario: 4,
  time: 4,
  amount: 4,
  ratio: 4,
  date: 3,
  count: 3,
  item: 3,
  definition: 3,
  principle: 3,
  organ: 2,
  party: 2,
  effect: 3,
  modal: 1,
  // A tally only fills an article nothing else can be asked of: asked as seldom as a modal swap.
  tally: 1,
};

export function questionWeight(q: Question): number {
  return KIND_WEIGHT[q.kind] ?? 1;
}

/**
 * The mix of types a quiz aims for, in order of the slots: half 单选题, three in ten 判断题, two in ten 多选题
 * (where the articles offer them), well inside the cap of four in ten 判断题.
 */
export const TYPE_CYCLE: QuestionType[] = ['single', 'judge', 'multiple', 'single', 'single', 'judge', 'single', 'multiple', 'judge', 'single'];

/**
 * One question of an article: of the preferred type when it has one, among the best-weighted, avoiding
 * ids in `avoid` (asked before) while another is left.
 */
export function pickQuestion(
  questions: Question[],
  rng: Random,
  prefer?: QuestionType,
  avoid: ReadonlySet<string> = new Set(),
): Question | undefined {
  const fresh = questions.filter((q) => !avoid.has(q.id));
  const pool = fresh.length ? fresh : questions;
  const typed = prefer ? pool.filter((q) => q.type === prefer) : [];
  const from = typed.length ? typed : pool;
  const best = Math.max(...from.map(questionWeight));
  return rng.pick(from.filter((q) => questionWeight(q) === best));
}

/**
 * Single-choice keys spread over the positions in a quiz or sample: a question whose options are in no
 * meaningful order (organs, terms) is rotated so that its key lands where the fewest keys are so far.
 * Numbers and dates keep their ascending order (their key places were drawn evenly when they were made).
 */
export function spreadKeys<T extends Question>(questions: readonly T[]): T[] {
  const counts = [0, 0, 0, 0];
  return questions.map((q) => {
    if (q.type !== 'single' || q.options.length !== counts.length) return q;
    if (q.freeOrder) {
      const least = counts.indexOf(Math.min(...counts));
      const shift = (least - q.answer[0]! + counts.length) % counts.length;
      const options = q.options.map((_, i) => q.options[(i - shift + counts.length) % counts.length]!);
      counts[least]!++;
      return { ...q, options, answer: [least] };
    }
    counts[q.answer[0]!]!++;
    return q;
  });
}
