/**
 * Text helpers every step of question generation shares: how texts are compared (white space removed),
 * the blank and the ellipsis stems print, and the bigram overlap that tells near-duplicate phrases apart.
 */
import { bigramsOf } from '../../search/bigrams.ts';

/** The blank as printed in stems. */
export const BLANK = '（　）';
/** Opens the note after a stem that shows a paragraph the stem refers to: （注：前款：……）. */
export const NOTE_OPEN = '（注：';
/** Joins the subject clause and a later clause of a long sentence in a stem. */
export const ELLIPSIS = '……';

/** Strip white space: how texts are compared, since law files wrap lines differently. */
export function compact(s: string): string {
  return s.replace(/[\s\u3000]+/g, '');
}

/** A unit printed as a statement ends with a full stop, not with the comma or semicolon it had in the article. */
export function endWithFullStop(s: string): string {
  const t = s.replace(/[；，：:、]$/, '');
  return /[。？！]$/.test(t) ? t : `${t}。`;
}

const bigrams = (s: string): Set<string> => new Set(bigramsOf(s));

/** The character bigrams of a phrase, as a list (for theme overlap). */
export function bigramList(s: string): string[] {
  return [...bigrams(s)];
}

/**
 * Two phrases at least this similar (shared bigrams over the shorter one's) say nearly the same thing: 政府采购
 * 监督管理部门 and 采购监督管理部门 are one option, not two. 0.4 keeps 公开招标 / 邀请招标 apart (one bigram of three).
 */
const SIMILAR_SHARE = 0.4;

/** Shared bigrams over the shorter phrase's: 0 for unrelated phrases, 1 when one holds all of the other's. */
export function similarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  let both = 0;
  for (const g of x) if (y.has(g)) both++;
  return both / Math.max(1, Math.min(x.size, y.size));
}

export function similar(a: string, b: string): boolean {
  return similarity(a, b) >= SIMILAR_SHARE;
}
