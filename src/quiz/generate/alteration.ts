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
const DUTY_SUBJECT = /预算|决算|政府|部门|机关|单位|采购人|代理机构|供应商|当事人|人民代表大会|常务委员会|国务院|机构|会计|审计|出资人|企业/;
const MODAL_SWAP: Record<string, string> = { 应当: '可以', 不得: '可以', 必须: '可以' };

export interface ModalSwap extends Alteration {
  /** Where the modal word stands in the unit. */
  at: number;
}

/**
 * The unit's one duty word swapped for 可以, when the unit has exactly one modal word, after a subject that
 * bears duties, and the swapped wording is nowhere in the law.
 */
export function swapModal(ctx: LawContext, unit: Unit): ModalSwap | undefined {
  const text = unit.text;
  const found = Object.keys(MODAL_SWAP).flatMap((m) => [...text.matchAll(new RegExp(m, 'g'))].map((x) => ({ m, i: x.index! })));
  const modals = [...text.matchAll(/应当|不得|必须|可以/g)];
  if (found.length !== 1 || modals.length !== 1) return undefined;
  const { m, i } = found[0]!;
  if (i < unit.from || !DUTY_SUBJECT.test(text.slice(0, i))) return undefined;
  const swapped = MODAL_SWAP[m]!;
  const altered = text.slice(0, i) + swapped + text.slice(i + m.length);
  if (ctx.text.includes(window(text, i, i + m.length, swapped))) return undefined;
  return { text: altered, original: m, replacement: swapped, at: i };
}
