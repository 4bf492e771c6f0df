/**
 * The question bank: generated questions per law version (made once, then cached) merged with the
 * curated ones, and the pickers that choose one question per article for previews and weekly quizzes.
 */
import type { LawVersion } from '../knowledge/types.ts';
import { buildLawContext } from './generate/law-context.ts';
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
}

/** Create a bank; generation runs lazily, once per law version. */
export function createQuestionBank(opts: BankOptions = {}): QuestionBank {
  const cache = new Map<string, { all: Question[]; byArticle: Map<string, Question[]> }>();
  const load = (law: LawVersion) => {
    let entry = cache.get(law.id);
    if (!entry) {
      const extra = (opts.extra ?? []).filter((q) => q.law === law.title && q.version === law.version);
      const all = [...extra, ...generateLawQuestions(law, {}, buildLawContext(law))];
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
  scenario: 4,
  time: 4,
  amount: 4,
  ratio: 4,
  date: 3,
  count: 3,
  item: 3,
  organ: 2,
  modal: 1,
};

export function questionWeight(q: Question): number {
  return KIND_WEIGHT[q.kind] ?? 1;
}

/** The mix of types a quiz aims for, in order of the slots: 单选, 判断, 多选, 单选, 判断… */
export const TYPE_CYCLE: QuestionType[] = ['single', 'judge', 'multiple', 'single', 'judge'];

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
