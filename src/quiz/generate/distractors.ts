/**
 * Wrong answers: values and organs of the key's kind for a blank or an altered statement, and listed items
 * of the same law for a 多选题. Every candidate is checked against the whole law's text, so that it never
 * makes a statement the law itself contains.
 */
import type { Article } from '../../knowledge/types.ts';
import type { Random } from '../random.ts';
import type { LawContext } from './law-context.ts';
import { findSpans, formatValue, neighbourValues, type Span } from './spans.ts';
import { bigramList, compact, similar } from './text.ts';
import type { Unit } from './units.ts';
import { itemShape } from './law-context.ts';

/** Characters of the stem kept on each side of a filled-in distractor when searching the law for it. */
const WINDOW_CHARS = 3;
/**
 * A value from elsewhere in the law is a plausible distractor only within this factor of the key's
 * (二年 against 五年, not 五十年).
 */
const NEAR_FACTOR = 6;
/** At most this many distractors come from the law's own values; the rest are neighbours of the key's value. */
const FROM_LAW_MAX = 2;
/** Neighbour values tried, nearest first… */
const NEIGHBOUR_POOL = 8;
/** …of which the nearest this many are shuffled, so the same key does not always get the same distractors. */
const NEIGHBOUR_SHUFFLED = 4;

/** A filled-in window of the stem around the span: what must not appear in the law for a distractor. */
export function window(unit: string, start: number, end: number, fill: string): string {
  const left = unit.slice(Math.max(0, start - WINDOW_CHARS), start);
  const right = unit.slice(end, end + WINDOW_CHARS).replace(/[。；，]$/, '');
  return `${left}${fill}${right}`;
}

/** Organs that name the same body (本级政府 / 本级人民政府) are one option, not two. */
function organCore(s: string): string {
  return s.replace(/人民政府/g, '政府').replace(/上一级/g, '上级').replace(/下一级/g, '下级').replace(/地方各级|各级|地方/g, '');
}

/** Courts are never a plausible wrong answer for an approving government body, and the other way round. */
function organFamily(s: string): string {
  if (/人民法院|人民检察院/.test(s)) return 'court';
  return 'state';
}

function organsConflict(a: string, b: string): boolean {
  const x = organCore(a);
  const y = organCore(b);
  return x === y || x.includes(y) || y.includes(x);
}

function valueOf(unitKey: string, text: string): string {
  const s = findSpans(text).find((x) => x.unitKey === unitKey || x.kind === 'organ');
  return s ? s.values.join('/') || text : text;
}

/** Up to `n` wrong answers of the key's kind that make no true statement in the law. */
export function distractorsFor(ctx: LawContext, unit: Unit, span: Span, rng: Random, n = 3): string[] {
  const keyValue = valueOf(span.unitKey, span.text);
  const out: string[] = [];
  const seenValues = new Set([keyValue]);
  const ok = (cand: string) => {
    if (!cand || cand === span.text) return false;
    if (span.kind === 'organ') {
      if (organFamily(cand) !== organFamily(span.text)) return false;
      // An organ already named in the stem is no answer to its own blank (X 应当会同（　）).
      if (unit.text.slice(0, span.start).includes(cand) || unit.text.slice(span.end).includes(cand)) return false;
      if (organsConflict(cand, span.text) || out.some((o) => organsConflict(o, cand))) return false;
    } else {
      const v = valueOf(span.unitKey, cand);
      if (seenValues.has(v)) return false;
    }
    if (ctx.text.includes(window(unit.text, span.start, span.end, cand))) return false;
    return true;
  };
  const take = (cand: string) => {
    out.push(cand);
    if (span.kind !== 'organ') seenValues.add(valueOf(span.unitKey, cand));
  };
  const near = (s: Span) =>
    span.kind === 'organ' || s.values[0] === undefined || span.values[0] === undefined || Math.abs(Math.log(s.values[0] / span.values[0])) <= Math.log(NEAR_FACTOR);
  const fromLaw = rng.shuffle((ctx.pool.get(span.unitKey) ?? []).filter(near).map((s) => s.text));
  if (span.kind === 'organ') {
    // Prefer organs that share the key's level or department: 本级政府财政部门 vs 上一级政府财政部门.
    const score = (c: string) => (c.slice(0, 2) === span.text.slice(0, 2) ? 1 : 0) + (c.slice(-2) === span.text.slice(-2) ? 1 : 0);
    fromLaw.sort((a, b) => score(b) - score(a));
    for (const c of fromLaw) if (out.length < n && ok(c)) take(c);
    return out;
  }
  for (const c of fromLaw) if (out.length < Math.min(FROM_LAW_MAX, n) && ok(c)) take(c);
  const neighbours = neighbourValues(span)
    .slice(0, NEIGHBOUR_POOL)
    .map((v) => formatValue(span.unitKey, v, span.text))
    .filter((x): x is string => Boolean(x));
  for (const c of [...rng.shuffle(neighbours.slice(0, NEIGHBOUR_SHUFFLED)), ...neighbours.slice(NEIGHBOUR_SHUFFLED)]) if (out.length < n && ok(c)) take(c);
  for (const c of fromLaw) if (out.length < n && ok(c)) take(c);
  return out;
}

/** A 多选 distractor's length may differ from the keys' mean by this share of it (at least ITEM_LENGTH_SLACK_MIN chars). */
const ITEM_LENGTH_SLACK = 0.6;
const ITEM_LENGTH_SLACK_MIN = 4;
/** A 多选 distractor must share at least this share of its bigrams with the keys: on their theme. */
const ITEM_THEME_MIN = 0.25;
/** Most wrong options of a 多选题. */
const ITEM_DISTRACTORS_MAX = 2;

/**
 * Listed items of other articles of the same law that are on the keys' theme without restating any of
 * them: the wrong options of a 多选题, best on-theme first.
 */
export function itemDistractors(ctx: LawContext, a: Article, keys: string[], items: string[], rng: Random): string[] {
  const articleText = compact(a.text);
  const meanLen = keys.reduce((s, k) => s + k.length, 0) / keys.length;
  const shapes = new Set(keys.map(itemShape));
  // A distractor must be on the keys' theme (share words with them) without restating any of them.
  const theme = new Set(keys.flatMap((k) => bigramList(k)));
  const onTheme = (t: string) => {
    const g = bigramList(t);
    return g.filter((x) => theme.has(x)).length / Math.max(1, g.length);
  };
  const candidates = rng
    .shuffle(
      ctx.items.filter(
        (it) =>
          it.article !== a.number &&
          shapes.has(it.shape) &&
          Math.abs(it.text.length - meanLen) <= Math.max(ITEM_LENGTH_SLACK_MIN, meanLen * ITEM_LENGTH_SLACK) &&
          !articleText.includes(it.text) &&
          !items.some((k) => similar(k, it.text) || k.includes(it.text) || it.text.includes(k)) &&
          onTheme(it.text) >= ITEM_THEME_MIN &&
          // Short terms must also be of the keys' sort: 公开招标 / 邀请招标, not 招标文件.
          (it.shape !== 'term' || keys.some((k) => k.slice(-2) === it.text.slice(-2))),
      ),
    )
    .sort((x, y) => onTheme(y.text) - onTheme(x.text));
  const wrong: string[] = [];
  for (const c of candidates) {
    if (wrong.length >= ITEM_DISTRACTORS_MAX) break;
    if (!wrong.includes(c.text) && !wrong.some((w) => similar(w, c.text))) wrong.push(c.text);
  }
  return wrong;
}
