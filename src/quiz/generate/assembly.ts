/**
 * Question assembly: a stem, options in their order, the key and an explanation quoting the article, for
 * each type — 单选题 from a blanked span, 判断题 from a statement kept or altered, 多选题 from a list.
 */
import type { Article, LawVersion } from '../../knowledge/types.ts';
import { createRandom, shortHash } from '../random.ts';
import { JUDGE_OPTIONS, questionId, type Question, type QuestionType, type SpanKind } from '../types.ts';
import { alterSpan, swapModal } from './alteration.ts';
import { distractorsFor, itemDistractors } from './distractors.ts';
import { isOptionItem, type LawContext } from './law-context.ts';
import { findSpans, type Span } from './spans.ts';
import { BLANK, compact, ELLIPSIS } from './text.ts';
import { enumerations, REFERS_ELSEWHERE, sentenceLists, UNASKABLE_UNIT, type Unit } from './units.ts';

/** A 单选题 has the key and this many distractors. */
const SINGLE_DISTRACTORS = 3;
/** 「（　）负责具体实施。」 names no task: an organ blank needs a unit at least this long to say what the organ does. */
const ORGAN_UNIT_MIN = 24;
/** Share of span 判断题 kept true (the rest altered). */
const SPAN_JUDGE_TRUE_SHARE = 0.5;
/** Share of 应当/可以 判断题 kept true: a little under half, since the altered ones test the point. */
const MODAL_JUDGE_TRUE_SHARE = 0.4;
/** A 多选题 has this many options. */
const MULTIPLE_OPTIONS = 4;
/** An enumeration's lead longer than this makes too long a 多选 stem. */
const MULTIPLE_LEAD_MAX = 80;

function numericOrder(unitKey: string, text: string): number {
  const s = findSpans(text).find((x) => x.unitKey === unitKey);
  if (!s) return 0;
  return s.unitKey === 'date' ? s.values[0]! * 100 + s.values[1]! : s.values[0]! * 1e6 + (s.values[1] ?? 0);
}

function quote(law: LawVersion, a: Article, paragraphs?: number[]): string {
  const whole = !paragraphs || paragraphs.length === 0;
  const idx = whole ? a.paragraphs.map((_, i) => i) : [...new Set(paragraphs)].sort((x, y) => x - y);
  // Paragraphs quoted out of a longer article are joined with an ellipsis where text is left out.
  const body = idx.map((i, k) => (k > 0 && i !== idx[k - 1]! + 1 ? ELLIPSIS : '') + compact(a.paragraphs[i]!)).join('');
  return `依据《${law.title}》${a.label}：${body}`;
}

function base(ctx: LawContext, a: Article, type: QuestionType, kind: SpanKind, idSpan: string, variant = '') {
  return {
    id: questionId(ctx.law.title, ctx.law.version, a.label, type, idSpan, variant),
    type,
    law: ctx.law.title,
    article: a.label,
    articleNumber: a.number,
    articleSuffix: a.suffix,
    version: ctx.law.version,
    kind,
    source: 'generated' as const,
  };
}

function stemOf(ctx: LawContext, body: string): string {
  return `根据《${ctx.law.title}》，${body}`;
}

/** A blank right before a title (（　）委员长) is answered by the title itself. */
const TITLE_AFTER = /^(委员长|主任|主席|负责人|秘书长|首长|部长|局长)/;
/** An organ that only qualifies another body (各级政府审计部门) is not the one that acts. */
const ORGAN_NOUN_AFTER = /^[\u4e00-\u9fff]{0,4}(部门|机关|机构)/;

/**
 * An organ listed with others (会同公安机关、药品监督管理部门) is no question: swapping one member makes
 * nonsense (「会同国务院、药品监督管理部门」), and a blank in a list has several right answers.
 */
function inList(unit: Unit, span: Span): boolean {
  return unit.text[span.start - 1] === '、' || unit.text[span.end] === '、';
}

export function singleFromSpan(ctx: LawContext, a: Article, unit: Unit, span: Span): Question | undefined {
  if (span.kind === 'organ' && inList(unit, span)) return undefined;
  if (span.kind === 'organ' && (TITLE_AFTER.test(unit.text.slice(span.end)) || ORGAN_NOUN_AFTER.test(unit.text.slice(span.end)))) return undefined;
  if (span.kind === 'organ' && unit.text.length < ORGAN_UNIT_MIN) return undefined;
  const blanked = unit.text.slice(0, span.start) + BLANK + unit.text.slice(span.end);
  if (blanked.includes(span.text)) return undefined; // the key printed elsewhere in the stem gives it away
  const b = base(ctx, a, 'single', span.kind, `${unit.text}|${span.start}|${span.text}`);
  const rng = createRandom(b.id);
  const wrong = distractorsFor(ctx, unit, span, rng, SINGLE_DISTRACTORS);
  if (wrong.length < SINGLE_DISTRACTORS) return undefined;
  let options = [span.text, ...wrong];
  options = span.kind === 'organ' ? rng.shuffle(options) : options.sort((x, y) => numericOrder(span.unitKey, x) - numericOrder(span.unitKey, y));
  return {
    ...b,
    stem: stemOf(ctx, blanked),
    options,
    answer: [options.indexOf(span.text)],
    explanation: quote(ctx.law, a, a.paragraphs.length > 1 ? unit.paragraphs : undefined),
  };
}

export function judgeFromSpan(ctx: LawContext, a: Article, unit: Unit, span: Span): Question | undefined {
  if (span.kind === 'organ' && (inList(unit, span) || ORGAN_NOUN_AFTER.test(unit.text.slice(span.end)) || unit.text.length < ORGAN_UNIT_MIN)) return undefined;
  const rng = createRandom(shortHash(ctx.law.id, a.label, unit.text, span.start, 'judge'));
  const truthful = rng.next() < SPAN_JUDGE_TRUE_SHARE;
  const explanation = quote(ctx.law, a, a.paragraphs.length > 1 ? unit.paragraphs : undefined);
  if (truthful) {
    return {
      ...base(ctx, a, 'judge', span.kind, `${unit.text}|${span.start}|${span.text}`, 'true'),
      stem: stemOf(ctx, unit.text),
      options: [...JUDGE_OPTIONS],
      answer: [0],
      explanation,
    };
  }
  const altered = alterSpan(ctx, unit, span, rng);
  if (!altered) return undefined;
  return {
    ...base(ctx, a, 'judge', span.kind, `${unit.text}|${span.start}|${span.text}`, altered.replacement),
    stem: stemOf(ctx, altered.text),
    options: [...JUDGE_OPTIONS],
    answer: [1],
    explanation: `${explanation} 题干将「${altered.original}」改为「${altered.replacement}」，故错误。`,
  };
}

export function judgeFromModal(ctx: LawContext, a: Article, unit: Unit): Question | undefined {
  const swap = swapModal(ctx, unit);
  if (!swap) return undefined;
  const text = unit.text;
  const rng = createRandom(shortHash(ctx.law.id, a.label, text, 'modal'));
  const truthful = rng.next() < MODAL_JUDGE_TRUE_SHARE;
  const explanation = quote(ctx.law, a, a.paragraphs.length > 1 ? unit.paragraphs : undefined);
  return truthful
    ? {
        ...base(ctx, a, 'judge', 'modal', `${text}|${swap.original}`, 'true'),
        stem: stemOf(ctx, text),
        options: [...JUDGE_OPTIONS],
        answer: [0],
        explanation,
      }
    : {
        ...base(ctx, a, 'judge', 'modal', `${text}|${swap.original}`, swap.replacement),
        stem: stemOf(ctx, swap.text),
        options: [...JUDGE_OPTIONS],
        answer: [1],
        explanation: `${explanation} 条文规定的是「${swap.original}」，题干改为「${swap.replacement}」，故错误。`,
      };
}

function multipleQuestion(ctx: LawContext, a: Article, stemBody: string, items: string[], idSpan: string, paragraphs: number[]): Question | undefined {
  const keys = items.filter(isOptionItem);
  if (keys.length < 2) return undefined;
  const b = base(ctx, a, 'multiple', 'item', idSpan);
  const rng = createRandom(b.id);
  const wrong = itemDistractors(ctx, a, keys, items, rng);
  if (wrong.length === 0) return undefined;
  // Four options with at least two right: 2 + 2, or 3 + 1 when the law offers one good distractor.
  const nRight = wrong.length === 1 ? 3 : Math.min(keys.length, rng.next() < 0.5 ? 2 : 3);
  const right = rng.shuffle(keys).slice(0, nRight);
  if (right.length + wrong.length < MULTIPLE_OPTIONS && right.length < 3) return undefined;
  const options = rng.shuffle([...right, ...wrong.slice(0, MULTIPLE_OPTIONS - right.length)]);
  return {
    ...b,
    stem: stemOf(ctx, stemBody),
    options,
    answer: options.map((o, i) => (right.includes(o) ? i : -1)).filter((i) => i >= 0),
    explanation: quote(ctx.law, a, a.paragraphs.length > 1 ? paragraphs : undefined),
  };
}

export function multipleFromEnumeration(ctx: LawContext, a: Article): Question[] {
  const out: Question[] = [];
  for (const e of enumerations(a)) {
    const lead = e.lead.split(/(?<=[。；])/).pop()!.replace(/[：:]$/, '');
    if (lead.length > MULTIPLE_LEAD_MAX || UNASKABLE_UNIT.test(lead) || REFERS_ELSEWHERE.test(lead) || !/下列|以下/.test(lead)) continue;
    let asked = lead.replace(/(下列|以下)([^，。；：]{0,12}?)之一/, '下列哪些$2');
    if (asked === lead) asked = lead.replace(/下列|以下/, '下列哪些');
    if (/哪些[^，。；]{0,6}(一种|之一|一项)/.test(asked)) continue;
    const q = multipleQuestion(ctx, a, `${asked}？`, e.items, `${e.lead}|${e.items.join('|')}`, [e.leadIndex, ...e.indexes]);
    if (q) out.push(q);
  }
  for (const l of sentenceLists(a)) {
    const q = multipleQuestion(ctx, a, `${l.head}${l.verb}下列哪些？`, l.items, `${l.sentence}`, [l.paragraph]);
    if (q) out.push(q);
  }
  return out;
}
