/**
 * The weekly plan: which questions a user gets in a given week. Pure and deterministic — the same user,
 * week, scope, cards and law texts always give the same quiz — so a restart or a second device sees the
 * same questions. New questions follow a rotation by week index (every must-know law every few weeks,
 * every key article within a year); review questions come from the user's due spaced-repetition cards.
 */
import type { LawCatalog } from '../knowledge/catalog.ts';
import type { LawVersion } from '../knowledge/types.ts';
import { pickQuestion, spreadKeys, TYPE_CYCLE, type QuestionBank } from './bank.ts';
import { createRandom, seedOf } from './random.ts';
import type { ReviewCard, ReviewScheduler } from './review.ts';
import { lawVersionAt, scopeArticles, type ScopeLaw } from './scope.ts';
import type { AttemptQuestion } from '../records/training.ts';
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
  /** Which attempt of the week this is (1 by default). */
  attempt?: number;
  /**
   * The questions of this week's earlier attempts: a retry asks none of them again, nor another form of
   * the same fact, but another question on the same article or another article of the same law.
   */
  earlier?: readonly (AttemptQuestion & { fact?: string })[];
}

export interface PlannedQuestion extends Question {
  reason: 'rotation' | 'review';
}

export interface WeeklyQuiz {
  staffId: string;
  weekKey: string;
  attempt: number;
  questions: PlannedQuestion[];
}

const TYPE_ORDER: Record<QuestionType, number> = { single: 0, multiple: 1, judge: 2 };
/** At most this share of a quiz is 判断题, in every slot kind (key articles and reviews included). */
export const MAX_JUDGE_SHARE = 0.4;
/** At most this many 不得/可以 swaps per quiz: they test a word, not a fact. */
export const MAX_MODAL_SWAPS = 1;
/** Quizzes of at least this many questions get a 多选题 where the bank has one. */
const MULTIPLE_FROM_SIZE = 5;
/** People's places on the rotation are spread over this many offsets. */
const PERSONAL_OFFSETS = 997;
/** How many other articles of a law are tried for a slot before the slot is given up. */
const ALTERNATIVE_TRIES = 40;

type SlotKind = 'key' | 'review' | 'rotation';

interface Slot {
  item: RotationItem;
  kind: SlotKind;
  question: Question;
  /** The slot's wanted type (the quiz's type mix by position). */
  want: QuestionType;
}

/**
 * The user's quiz for a week (or a retry of it).
 * @example planWeeklyQuiz({ staffId: 'S0017', week: quizWeekOf(now, tz), scope, catalog, bank, cards: [], scheduler, size: 10 })
 */
export function planWeeklyQuiz(input: PlanInput): WeeklyQuiz {
  const { week, size, bank } = input;
  const attempt = input.attempt ?? 1;
  // Attempt 1 keeps the seed plans always had; a retry draws again.
  const rng = createRandom(attempt === 1 ? `${input.staffId}|${week.key}` : `${input.staffId}|${week.key}|${attempt}`);
  const maxReviews = Math.min(size, input.maxReviews ?? Math.floor(size * 0.3));
  const newPerWeek = size - maxReviews;
  const seen = input.seen ?? new Set<string>();
  const earlier = input.earlier ?? [];
  const askedIds = new Set(earlier.map((q) => q.id));
  const askedFacts = new Set(earlier.map((q) => q.fact).filter((f): f is string => Boolean(f)));
  const maxJudges = Math.max(1, Math.floor(size * MAX_JUDGE_SHARE));
  const versions = new Map<string, LawVersion | undefined>();
  const versionOf = (title: string) => {
    if (!versions.has(title)) versions.set(title, lawVersionAt(input.catalog, title, week.monday));
    return versions.get(title);
  };
  /** An article's questions this attempt may ask: none asked earlier this week, in no form. */
  const fresh = (item: RotationItem): Question[] => {
    const law = versionOf(item.law);
    if (!law) return [];
    return bank.forArticle(law, item.articleNumber, item.articleSuffix).filter((q) => !askedIds.has(q.id) && !askedFacts.has(q.fact));
  };
  const slots: Slot[] = [];
  const used = new Set<string>();
  const keyOf = (i: RotationItem) => articleKey(i.law, i.articleNumber, i.articleSuffix);
  const count = (pred: (q: Question) => boolean) => slots.filter((s) => pred(s.question)).length;
  const allowed = (q: Question) => !(q.type === 'judge' && count((x) => x.type === 'judge') >= maxJudges) && !(q.kind === 'modal' && count((x) => x.kind === 'modal') >= MAX_MODAL_SWAPS);

  /** The best question of a list for a slot wanting `want`: allowed by the caps, unseen, of the wanted type, worth most. */
  const choose = (qs: Question[], want: QuestionType, capped: boolean): Question | undefined => {
    const ok = capped ? qs.filter(allowed) : qs;
    if (!ok.length) return undefined;
    return pickQuestion(ok, rng, want, seen);
  };
  const rotation = buildRotation(input.scope, input.catalog, bank, week.monday, newPerWeek);
  const cycleOf = (law: string) => rotation.lawCycles.find((c) => c[0]?.law === law) ?? [];
  // Articles the weeks around this one ask anyway: an alternative never takes one of them.
  const personal = seedOf(input.staffId) % PERSONAL_OFFSETS;
  const nearby = new Set(
    [-2, -1, 1, 2].flatMap((d) => rotationForWeek(rotation, week.index + d, newPerWeek, personal).map(keyOf)),
  );
  const altRng = createRandom(`alternative|${input.staffId}|${week.key}|${attempt}`);
  /**
   * Another article of the same law that can fill the slot: searched from a place drawn for this person and
   * week, skipping the articles of the weeks around it, articles the person was asked before coming last.
   */
  let anyArticle = false;
  const alternative = (item: RotationItem, want: QuestionType, only = false): { item: RotationItem; question: Question } | undefined => {
    const cycle = cycleOf(item.law);
    const start = altRng.int(Math.max(1, cycle.length));
    let fallback: { item: RotationItem; question: Question } | undefined;
    for (let k = 0; k < Math.min(ALTERNATIVE_TRIES, cycle.length); k++) {
      const alt = cycle[(start + k) % cycle.length]!;
      if (used.has(keyOf(alt)) || (!anyArticle && nearby.has(keyOf(alt))) || keyOf(alt) === keyOf(item)) continue;
      const qs = fresh(alt).filter((q) => !only || q.type === want);
      const question = choose(qs, want, true);
      if (!question) continue;
      if (!seen.has(question.id)) return { item: alt, question };
      fallback ??= { item: alt, question };
    }
    return fallback;
  };
  const want = () => TYPE_CYCLE[slots.length % TYPE_CYCLE.length]!;
  /** Fill a slot with the item's own question, or (where the slot may move) another article of its law. */
  const place = (item: RotationItem, kind: SlotKind): boolean => {
    if (slots.length >= size || used.has(keyOf(item))) return false;
    const w = want();
    let own = fresh(item);
    if (kind === 'review') {
      // The weak article in a new way: another fact than the ones the user was asked before, where it has one.
      const known = new Set(own.filter((q) => seen.has(q.id)).map((q) => q.fact));
      const unknown = own.filter((q) => !known.has(q.fact));
      if (unknown.length) own = unknown;
    }
    let question = choose(own, w, true);
    let at = item;
    // A key article or review with nothing the caps allow still comes up; the repair below rebalances.
    if (!question && kind !== 'rotation') question = choose(own, w, false);
    // A rotation slot whose article offers only what the quiz has enough of, or what the person was asked
    // before, moves to another article of its law (a key article only when nothing fresh is left this week).
    const stale = kind === 'rotation' && question !== undefined && seen.has(question.id);
    if ((!question || stale) && kind !== 'review') {
      const alt = alternative(item, w);
      if (alt && (!question || !seen.has(alt.question.id))) ({ item: at, question } = alt);
    }
    if (!question) return false;
    used.add(keyOf(at));
    slots.push({ item: at, kind, question, want: w });
    return true;
  };

  // Each person walks the same cycles from another place: colleagues do not all get the same articles.
  const weekly = rotationForWeek(rotation, week.index, newPerWeek, personal);
  const keyCount = rotation.keyCycle.length ? Math.min(rotation.keySlots, newPerWeek) : 0;
  // The least flexible slots first: key articles, then reviews, then the laws' rotation.
  weekly.slice(0, keyCount).forEach((item) => place(item, 'key'));
  const inScope = new Set(input.scope.map((s) => s.title));
  let reviews = 0;
  for (const card of input.scheduler.due(input.cards, week.end)) {
    if (reviews >= maxReviews || slots.length >= size) break;
    if (!inScope.has(card.law)) continue;
    if (place({ law: card.law, articleNumber: card.articleNumber, articleSuffix: card.articleSuffix }, 'review')) reviews++;
  }
  weekly.slice(keyCount).forEach((item) => place(item, 'rotation'));
  // Slots no review needed go to articles from the other half of the rotation (not next week's).
  const total = rotation.lawCycles.reduce((n, c) => n + c.length, 0);
  for (const item of rotationForWeek({ ...rotation, keySlots: 0 }, week.index, size * 3, Math.floor(total / 2) + 1 + personal)) {
    if (slots.length >= size) break;
    place(item, 'rotation');
  }
  // Still short (a small scope on a third attempt): any article of the laws that has a fresh question, the
  // weeks around this one included.
  anyArticle = true;
  for (const cycle of rotation.lawCycles) {
    for (const item of cycle) {
      if (slots.length >= size) break;
      place(item, 'rotation');
    }
  }
  // Every quiz of five or more gets a 多选题 where the scope's laws offer one: a rotation slot (a 判断题 first)
  // takes an article of its own law that has one, drawn for this person and week.
  if (size >= MULTIPLE_FROM_SIZE && !slots.some((x) => x.question.type === 'multiple')) {
    const rotationSlots = altRng.shuffle(slots.filter((x) => x.kind === 'rotation'));
    rotationSlots.sort((a, b) => (b.question.type === 'judge' ? 1 : 0) - (a.question.type === 'judge' ? 1 : 0));
    for (const swap of rotationSlots) {
      const candidates = cycleOf(swap.item.law).filter((i) => !used.has(keyOf(i)) && !nearby.has(keyOf(i)) && fresh(i).some((q) => q.type === 'multiple'));
      // An article with a 多选题 the person has not seen comes first: a seen one only when no other is left.
      const unseen = candidates.filter((i) => fresh(i).some((q) => q.type === 'multiple' && !seen.has(q.id)));
      const pick = altRng.pick(unseen.length ? unseen : candidates);
      if (!pick) continue;
      used.delete(keyOf(swap.item));
      swap.item = pick;
      swap.question = pickQuestion(fresh(pick).filter((q) => q.type === 'multiple'), rng, 'multiple', seen)!;
      used.add(keyOf(pick));
      break;
    }
  }
  rebalance(slots, Math.floor(Math.min(size, slots.length) * MAX_JUDGE_SHARE) || maxJudges, (slot) => {
    const own = fresh(slot.item).filter((q) => q.type !== 'judge' && q.kind !== 'modal');
    const question = pickQuestion(own, rng, slot.want, seen);
    if (question) return { item: slot.item, question };
    if (slot.kind !== 'rotation') return undefined;
    used.delete(keyOf(slot.item));
    const cycle = cycleOf(slot.item.law);
    for (const alt of cycle) {
      if (used.has(keyOf(alt))) continue;
      const q = pickQuestion(fresh(alt).filter((x) => x.type !== 'judge'), rng, slot.want, seen);
      if (q) {
        used.add(keyOf(alt));
        return { item: alt, question: q };
      }
    }
    used.add(keyOf(slot.item));
    return undefined;
  });
  // A quiz the bank could not fill keeps the cap by leaving out 判断题 (rotation ones first).
  const overCap = () => slots.filter((x) => x.question.type === 'judge').length > Math.floor(slots.length * MAX_JUDGE_SHARE);
  while (overCap() && slots.length < size) {
    const judge = [...slots].reverse().find((x) => x.question.type === 'judge' && x.kind === 'rotation') ?? [...slots].reverse().find((x) => x.question.type === 'judge')!;
    slots.splice(slots.indexOf(judge), 1);
  }
  const chosen: PlannedQuestion[] = slots.map((s) => ({ ...s.question, reason: s.kind === 'review' ? 'review' : 'rotation' }));
  const order = new Map(chosen.map((q, i) => [q.id, i]));
  chosen.sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || order.get(a.id)! - order.get(b.id)!);
  return { staffId: input.staffId, weekKey: week.key, attempt, questions: spreadKeys(chosen) };
}

/**
 * Bring a quiz within the 判断题 cap where the bank allows: a 判断题 slot takes another question of its
 * article, or (a rotation slot) another article of its law, until the cap holds or nothing can move.
 */
function rebalance(slots: Slot[], maxJudges: number, replace: (slot: Slot) => { item: RotationItem; question: Question } | undefined): void {
  const judges = () => slots.filter((s) => s.question.type === 'judge').length;
  // Rotation slots move first; key articles and reviews keep their article and only change their question.
  const order = [...slots].sort((a, b) => (a.kind === 'rotation' ? 0 : 1) - (b.kind === 'rotation' ? 0 : 1));
  for (const slot of order) {
    if (judges() <= maxJudges) return;
    if (slot.question.type !== 'judge') continue;
    const next = replace(slot);
    if (next) {
      slot.item = next.item;
      slot.question = next.question;
    }
  }
}
