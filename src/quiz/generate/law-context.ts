/**
 * What the generator knows about a whole law while it asks one article: the law's text (where every
 * distractor is checked), its spans by unit (plausible wrong values) and its listed items (wrong options
 * for 多选题).
 */
import type { LawVersion } from '../../knowledge/types.ts';
import { findSpans, type Span } from './spans.ts';
import { compact } from './text.ts';
import { CATCH_ALL, enumerations, sentenceLists } from './units.ts';

/** Listed items shorter or longer than these are fragments or whole clauses, not options. */
export const ITEM_MIN_CHARS = 2;
export const ITEM_MAX_CHARS = 40;
/** Items up to this length are terms (公开招标); longer ones clauses. */
const TERM_MAX_CHARS = 10;

export type ItemShape = 'conduct' | 'term' | 'clause';

export interface LawItem {
  text: string;
  article: number;
  shape: ItemShape;
}

export interface LawContext {
  law: LawVersion;
  /** All article texts without white space: distractor checks search here. */
  text: string;
  /** Distinct span texts of the law by unit key. */
  pool: Map<string, Span[]>;
  /** Enumerated and listed items of the law, with the article they come from. */
  items: LawItem[];
}

/** Options of one 多选题 share a shape: conducts (…的), short terms, or clauses. */
export function itemShape(s: string): ItemShape {
  if (s.endsWith('的')) return 'conduct';
  if (s.length <= TERM_MAX_CHARS) return 'term';
  return 'clause';
}

export function isOptionItem(s: string): boolean {
  return !CATCH_ALL.test(s) && s.length >= ITEM_MIN_CHARS && s.length <= ITEM_MAX_CHARS;
}

/** Everything the generator needs to know about a whole law: its text and its pools of spans and items. */
export function buildLawContext(law: LawVersion): LawContext {
  const pool = new Map<string, Span[]>();
  const items: LawItem[] = [];
  for (const a of law.articles) {
    for (const s of findSpans(compact(a.text))) {
      const list = pool.get(s.unitKey) ?? [];
      if (!list.some((x) => x.text === s.text)) list.push(s);
      pool.set(s.unitKey, list);
    }
    for (const e of enumerations(a)) {
      for (const it of e.items) if (isOptionItem(it)) items.push({ text: it, article: a.number, shape: itemShape(it) });
    }
    for (const l of sentenceLists(a)) for (const it of l.items) items.push({ text: it, article: a.number, shape: itemShape(it) });
  }
  return { law, text: law.articles.map((a) => compact(a.text)).join('\n'), pool, items };
}
