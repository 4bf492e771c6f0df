/**
 * Statement alteration for 判断题: a true statement made false by one precise change — a value or organ
 * swapped for a distractor of its kind, or a duty (应当 / 不得 / 必须) turned into a licence (可以).
 */
import type { Random } from '../random.ts';
import { distractorsFor, window } from './distractors.ts';
import type { LawContext } from './law-context.ts';
import type { Span } from './spans.ts';
import type { Unit } from './units.ts';

export interface Alteration {
  /** The statement as altered. */
  text: string;
  /** What the article says, and what the statement says instead. */
  original: string;
  replacement: string;
}

/** The unit with the span replaced by one distractor of its kind; undefined when none is safe. */
export function alterSpan(ctx: LawContext, unit: Unit, span: Span, rng: Random): Alteration | undefined {
  const [wrong] = distractorsFor(ctx, unit, span, rng, 1);
  if (!wrong) return undefined;
  return { text: unit.text.slice(0, span.start) + wrong + unit.text.slice(span.end), original: span.text, replacement: wrong };
}

/** Subjects whose duty or licence (应当 / 不得 / 可以) is worth a true-or-false question. */
const DUTY_SUBJECT = /预算|决算|政府|部门|机关|单位|采购人|代理机构|供应商|当事人|人民代表大会|常务委员会|国务院|机构|会计|审计|出资人|企业|经营者|消费者|申请人|相对人|公民|人民法院|监护人/;
/**
 * The swaps where the modality is the point: a prohibition read as a licence (不得 → 可以: 「对同一个违法行为，
 * 可以给予两次以上罚款」) and a discretion read as a duty (可以 → 应当: 「应当当场作出行政处罚决定」). 应当 → 可以
 * is not made: a duty read as a licence is only weaker, and a reader may fairly call it true.
 */
const MODAL_SWAP: Record<string, string> = { 不得: '可以', 可以: '应当' };
/** A licence among alternatives (可以…也可以…, 或者) is no discretion worth turning into a duty. */
const ALTERNATIVES = /也可以|或者可以|可以[^，。；]*或者[^，。；]*(?:也|均)/;

export interface ModalSwap extends Alteration {
  /** Where the modal word stands in the unit. */
  at: number;
}

/**
 * The unit's one modal word swapped (不得 → 可以, 可以 → 应当), when the unit has exactly one modal word, after
 * a subject that bears duties, and the swapped wording is nowhere in the law.
 */
export function swapModal(ctx: LawContext, unit: Unit): ModalSwap | undefined {
  const text = unit.text;
  const modals = [...text.matchAll(/应当|不得|必须|可以/g)];
  if (modals.length !== 1) return undefined;
  const m = modals[0]![0];
  const i = modals[0]!.index!;
  const swapped = MODAL_SWAP[m];
  if (!swapped || i < unit.from || !DUTY_SUBJECT.test(text.slice(0, i))) return undefined;
  if (m === '可以' && (ALTERNATIVES.test(text) || /^可以不/.test(text.slice(i)))) return undefined;
  const altered = text.slice(0, i) + swapped + text.slice(i + m.length);
  if (ctx.text.includes(window(text, i, i + m.length, swapped))) return undefined;
  return { text: altered, original: m, replacement: swapped, at: i };
}
