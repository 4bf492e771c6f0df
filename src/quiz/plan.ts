/**
 * The weekly plan: which questions a user gets in a given week. Pure and deterministic — the same user,
 * week, scope, cards and law texts always give the same quiz — so a restart or a second device sees the
 * same questions. New questions follow a rotation by week index (every must-know law every few weeks,
 * every key article within a year); review questions come from the user's due spaced-repetition cards.
 */
import type { LawCatalog } from '../knowledge/catalog.ts';
import type { LawVersion } from '../knowledge/types.ts';
import { pickQuestion, TYPE_CYCLE, type QuestionBank } from './bank.ts';
import { createRandom } from './random.ts';
import type { ReviewCard, ReviewScheduler } from './review.ts';
import { lawVersionAt, scopeArticles, type ScopeLaw } from './scope.ts';
import { articleKey, type Question, type QuestionType } from './types.ts';
import type { QuizWeek } from './week.ts';

export interface RotationItem {
  law: string;
  articleNumber: number;
  articleSuffix: number;
}

export interface Rotation {
  /** Key articles of every law in the scope, interleaved by law. */
  keyCycle: RotationItem[];
  /** One cycle per law of its other askable articles (fixed seeded order). */
  lawCycles: RotationItem[][];
  /** Key-article slots per week: enough to go through every key article within 52 weeks. */
  keySlots: number;
}

/** The articles of a law version that have at least one question, in a fixed order. */
function askable(law: LawVersion, scope: ScopeLaw, bank: QuestionBank): RotationItem[] {
  return scopeArticles(law, scope)
    .filter((a) => bank.forArticle(law, a.number, a.suffix).length > 0)
    .map((a) => ({ law: law.title, articleNumber: a.number, articleSuffix: a.suffix }));
}

/** Build the rotation for a scope as the laws read on a date (the week's Monday). */
export function buildRotation(scope: ScopeLaw[], catalog: LawCatalog, bank: QuestionBank, date: string, newPerWeek: number): Rotation {
  const keyLists: RotationItem[][] = [];
  const lawCycles: RotationItem[][] = [];
  for (const s of scope) {
    const law = lawVersionAt(catalog, s.title, date);
    if (!law) continue;
    const items = askable(law, s, bank);
    const keys = new Set(s.keyArticles);
    keyLists.push(s.keyArticles.flatMap((n) => items.filter((i) => i.articleNumber === n && i.articleSuffix === 0)));
    // A fixed order per law (seeded by its title), so the cycle is stable from week to week.
    const others = items.filter((i) => !keys.has(i.articleNumber));
    lawCycles.push(createRandom(`rotation|${s.title}`).shuffle(others.length ? others : items));
  }
  const keyCycle: RotationItem[] = [];
  for (let i = 0; keyLists.some((l) => i < l.length); i++) for (const l of keyLists) if (i < l.length) keyCycle.push(l[i]!);
  const keySlots = Math.min(newPerWeek, Math.ceil(keyCycle.length / 52));
  return { keyCycle, lawCycles: lawCycles.filter((c) => c.length > 0), keySlots };
}

/**
 * The rotation's articles for a week: `keySlots` from the key cycle, the rest round-robin over the laws
 * (slot s goes to law s mod L), each law walking through its own cycle. Continuous across years.
 */
export function rotationForWeek(rotation: Rotation, weekIndex: number, count: number, offset = 0): RotationItem[] {
  const out: RotationItem[] = [];
  const { keyCycle, lawCycles, keySlots } = rotation;
  const fromKeys = keyCycle.length ? Math.min(keySlots, count) : 0;
  for (let j = 0; j < fromKeys; j++) out.push(keyCycle[(weekIndex * keySlots + j + offset) % keyCycle.length]!);
  const perWeek = count - fromKeys;
  const L = lawCycles.length;
  for (let j = 0; L > 0 && j < perWeek; j++) {
    const slot = weekIndex * perWeek + j + offset;
    const cycle = lawCycles[slot % L]!;
    out.push(cycle[Math.floor(slot / L) % cycle.length]!);
  }
  return out;
}

export interface PlanInput {
  /** Opaque staff id (not the Telegram id): seeds the quiz together with the week key. */
  staffId: string;
  week: QuizWeek;
  /** The laws of the user's roles (quizScope(...).laws). */
  scope: ScopeLaw[];
  catalog: LawCatalog;
  bank: QuestionBank;
  /** The user's review cards. */
  cards: readonly ReviewCard[];
  scheduler: ReviewScheduler;
  /** Questions per quiz (config.quiz.size). */
  size: number;
  /** Most review questions per quiz; default 30% of the size. */
  maxReviews?: number;
  /** Question ids the user has seen before: avoided while the article has others. */
  seen?: ReadonlySet<string>;
}

export interface PlannedQuestion extends Question {
  reason: 'rotation' | 'review';
}

export interface WeeklyQuiz {
  staffId: string;
  weekKey: string;
  questions: PlannedQuestion[];
}

const TYPE_ORDER: Record<QuestionType, number> = { single: 0, multiple: 1, judge: 2 };
/** At most this share of a quiz is 判断题, and at most this many 应当/可以 swaps, where the bank allows. */
export const MAX_JUDGE_SHARE = 0.4;
export const MAX_MODAL_SWAPS = 1;
/** How many other articles of a law are tried for a balanced question before the law's own one is used. */
const BALANCE_TRIES = 8;

/**
 * The user's quiz for a week.
 * @example planWeeklyQuiz({ staffId: 'S0017', week: quizWeekOf(now, tz), scope, catalog, bank, cards: [], scheduler, size: 10 })
 */
export function planWeeklyQuiz(input: PlanInput): WeeklyQuiz {
  const { week, size, bank } = input;
  const rng = createRandom(`${input.staffId}|${week.key}`);
  const maxReviews = Math.min(size, input.maxReviews ?? Math.floor(size * 0.3));
  const newPerWeek = size - maxReviews;
  const seen = input.seen ?? new Set<string>();
  const chosen: PlannedQuestion[] = [];
  const usedArticles = new Set<string>();
  const versions = new Map<string, LawVersion | undefined>();
  const versionOf = (title: string) => {
    if (!versions.has(title)) versions.set(title, lawVersionAt(input.catalog, title, week.monday));
    return versions.get(title);
  };
  // Type balance: at most ~40% 判断题 and one 应当/可以 swap per quiz, where the articles allow it. A filler
  // article that only offers what the quiz has enough of waits; it is used only if the quiz would be short.
  const maxJudges = Math.max(1, Math.floor(size * MAX_JUDGE_SHARE));
  let judges = 0;
  let modals = 0;
  const waiting: { item: RotationItem; reason: PlannedQuestion['reason'] }[] = [];
  const add = (item: RotationItem, reason: PlannedQuestion['reason'], strict = false) => {
    const key = articleKey(item.law, item.articleNumber, item.articleSuffix);
    if (usedArticles.has(key)) return false;
    const law = versionOf(item.law);
    if (!law) return false;
    const all = bank.forArticle(law, item.articleNumber, item.articleSuffix);
    if (!all.length) return false;
    const balanced = all.filter((c) => !(c.type === 'judge' && judges >= maxJudges) && !(c.kind === 'modal' && modals >= MAX_MODAL_SWAPS));
    if (!balanced.length && strict) {
      waiting.push({ item, reason });
      return false;
    }
    const q = pickQuestion(balanced.length ? balanced : all, rng, TYPE_CYCLE[chosen.length % TYPE_CYCLE.length], seen);
    if (!q) return false;
    usedArticles.add(key);
    if (q.type === 'judge') judges++;
    if (q.kind === 'modal') modals++;
    chosen.push({ ...q, reason });
    return true;
  };

  const rotation = buildRotation(input.scope, input.catalog, bank, week.monday, newPerWeek);
  const weekly = rotationForWeek(rotation, week.index, newPerWeek);
  const keyCount = rotation.keyCycle.length ? Math.min(rotation.keySlots, newPerWeek) : 0;
  weekly.forEach((item, j) => {
    // Key articles always come up (the yearly coverage).
    if (j < keyCount) return void add(item, 'rotation');
    if (add(item, 'rotation', true) || waiting.at(-1)?.item !== item) return;
    // The law's slot stays the law's: when its article only offers what the quiz has enough of, another
    // article of the same law from the far side of its cycle (not next week's) takes the slot.
    const cycle = rotation.lawCycles.find((c) => c[0]?.law === item.law) ?? [];
    const at = cycle.indexOf(item);
    const mark = waiting.length;
    for (let k = 0; k < Math.min(BALANCE_TRIES, cycle.length); k++) {
      const alt = cycle[(at + Math.floor(cycle.length / 2) + k) % cycle.length]!;
      if (alt !== item && add(alt, 'rotation', true)) {
        waiting.length = mark - 1;
        return;
      }
    }
    waiting.length = mark;
  });

  const inScope = new Set(input.scope.map((s) => s.title));
  let reviews = 0;
  for (const card of input.scheduler.due(input.cards, week.end)) {
    if (reviews >= maxReviews || chosen.length >= size) break;
    if (!inScope.has(card.law)) continue;
    if (add({ law: card.law, articleNumber: card.articleNumber, articleSuffix: card.articleSuffix }, 'review')) reviews++;
  }
  // Slots no review needed go to articles from the other half of the rotation (not next week's).
  const total = rotation.lawCycles.reduce((n, c) => n + c.length, 0);
  const extra = rotationForWeek({ ...rotation, keySlots: 0 }, week.index, size * 3, Math.floor(total / 2) + 1);
  for (const item of extra) {
    if (chosen.length >= size) break;
    add(item, 'rotation', true);
  }
  for (const w of waiting) {
    if (chosen.length >= size) break;
    add(w.item, w.reason);
  }
  const order = new Map(chosen.map((q, i) => [q.id, i]));
  chosen.sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || order.get(a.id)! - order.get(b.id)!);
  return { staffId: input.staffId, weekKey: week.key, questions: chosen };
}
