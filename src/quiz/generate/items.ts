/**
 * What a listed item is as an option: long enough to be a member and not a catch-all, and its shape
 * (a conduct, a short term or a clause) so that one 多选题's options match. Below law-context.ts and distractors.ts.
 */
import { CATCH_ALL } from './units.ts';

/** Listed items shorter or longer than these are fragments or whole clauses, not options. */
export const ITEM_MIN_CHARS = 2;
export const ITEM_MAX_CHARS = 40;
/** Items up to this length are terms (公开招标); longer ones clauses. */
const TERM_MAX_CHARS = 10;

export type ItemShape = 'conduct' | 'term' | 'clause';

/** Options of one 多选题 share a shape: conducts (…的), short terms, or clauses. */
export function itemShape(s: string): ItemShape {
  if (s.endsWith('的')) return 'conduct';
  if (s.length <= TERM_MAX_CHARS) return 'term';
  return 'clause';
}

export function isOptionItem(s: string): boolean {
  return !CATCH_ALL.test(s) && s.length >= ITEM_MIN_CHARS && s.length <= ITEM_MAX_CHARS;
}
