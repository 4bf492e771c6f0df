/**
 * Computed case questions, made offline from the article itself: the last day of a time limit for a
 * given start date (calendar days moved past a weekend, working days counted), and a fine range applied
 * to a sum. The rule's own number is hidden (「之日起法定期限内」), so the case tests knowing it and applying it.
 *
 * Dates: the start day is not counted (民法典第二百零一条); a limit in days that ends on a Saturday or Sunday
 * ends on the next Monday (第二百零三条); a limit in working days counts Monday to Friday. Chinese public
 * holidays and their make-up working days cannot be computed offline without a table, so start dates are
 * drawn from periods of 2025 with no public holiday or make-up day before the limit ends (July–September,
 * November–December), and the stem says so.
 */
import { parseChineseNumber } from '../../knowledge/chinese-numerals.ts';
import type { Article } from '../../knowledge/types.ts';
import { createRandom, type Random } from '../random.ts';
import type { Question } from '../types.ts';
import type { LawContext } from './law-context.ts';
import { spreadKey } from './option-order.ts';
import { DAY, dateText, isWeekend, lastCalendarDay, lastWorkingDay, utc } from './calendar.ts';
import type { Span } from './spans.ts';
import { BLANK } from './text.ts';
import type { Unit } from './units.ts';

/**
 * Start dates (2025, UTC midnight) with no public holiday or make-up working day up to the latest end of
 * a limit of that many days: July 1–25 for up to 60 days (the first make-up day is 28 September); 3–21
 * November for up to 30 days (New Year's Day is the next holiday).
 */
const START_WINDOWS: { from: string; to: string; maxCalendarDays: number }[] = [
  { from: '2025-07-01', to: '2025-07-25', maxCalendarDays: 60 },
  { from: '2025-11-03', to: '2025-11-21', maxCalendarDays: 30 },
];
/** Longest limit asked as a case: a longer one would leave the holiday-free windows. */
const MAX_CASE_DAYS = 60;

/** What starts a limit: 自收到申请之日起 → 收到申请; 批复后 → 批复. */
function triggerBefore(text: string): string | undefined {
  const clause = text.slice(Math.max(text.lastIndexOf('，'), text.lastIndexOf('；'), text.lastIndexOf('。')) + 1);
  const from = clause.match(/自([^，。；自]{2,30}?)之日起$/)?.[1] ?? clause.match(/(?:^|在|于)([^，。；在于]{2,20}?)后$/)?.[1];
  return from?.replace(/^(?:应当|可以|必须|并|须|在|于)+/, '');
}

function pickStart(rng: Random, days: number): number | undefined {
  const windows = START_WINDOWS.filter((w) => w.maxCalendarDays >= days);
  const w = rng.pick(windows);
  if (!w) return undefined;
  const weekdays: number[] = [];
  for (let t = utc(w.from); t <= utc(w.to); t += DAY) if (!isWeekend(t)) weekdays.push(t);
  return rng.pick(weekdays);
}

interface CaseBase {
  id: string;
  fact: string;
  law: string;
  article: string;
  articleNumber: number;
  articleSuffix: number;
  version: string;
  source: 'generated';
}

/**
 * 「若收到申请之日为2025年7月8日（星期二），该期限的最后一日是（　）」 for a deadline in days or working
 * days; the wrong options are the usual mistakes (counting the start day, calendar for working days or
 * the other way round, forgetting the weekend).
 */
export function deadlineCase(ctx: LawContext, a: Article, unit: Unit, span: Span, base: CaseBase, explanation: string): Question | undefined {
  if (span.kind !== 'time' || !/^(?:内|以内)/.test(unit.text.slice(span.end))) return undefined;
  // The same limit printed elsewhere in the stem (当场收缴的罚款…二日内…二日内) gives the hidden one away.
  if ((unit.text.slice(0, span.start) + unit.text.slice(span.end)).includes(span.text)) return undefined;
  const unitName = span.unitKey.slice('time:'.length);
  const n = span.values[0]!;
  const working = unitName === '个工作日' || (unitName === '日' && ctx.workingDays(n));
  if ((unitName !== '日' && unitName !== '个工作日') || !Number.isInteger(n) || n < 2) return undefined;
  const calendarSpan = working ? Math.ceil((n / 5) * 7) + 2 : n + 2;
  if (calendarSpan > MAX_CASE_DAYS) return undefined;
  const event = triggerBefore(unit.text.slice(0, span.start));
  if (!event) return undefined;
  const rng = createRandom(`${base.id}|case`);
  const start = pickStart(rng, calendarSpan);
  if (start === undefined) return undefined;
  const key = working ? lastWorkingDay(start, n) : lastCalendarDay(start, n);
  // The usual mistakes: the start day counted, calendar and working days confused, the weekend forgotten,
  // a day or a week off.
  const mistakes = working
    ? [lastWorkingDay(start, n, true), lastCalendarDay(start, n), lastWorkingDay(start, n + 1), lastWorkingDay(start, n - 1), lastCalendarDay(start, n, false), key + 7 * DAY, key - 7 * DAY]
    : [lastCalendarDay(start, n - 1), lastWorkingDay(start, n), lastCalendarDay(start, n, false), key + DAY, lastCalendarDay(start, n + 1), key - DAY, key + 7 * DAY, key - 7 * DAY];
  const distinct = [...new Set(mistakes)].filter((t) => t !== key && t > start);
  const nearest = (xs: number[]) => xs.sort((x, y) => Math.abs(x - key) - Math.abs(y - key));
  const ordered = spreadKey(key, nearest(distinct.filter((t) => t < key)), nearest(distinct.filter((t) => t > key)), (t) => t, rng);
  if (!ordered) return undefined;
  const options = ordered.map(dateText);
  const hidden = `${unit.text.slice(0, span.start)}法定期限${unit.text.slice(span.end)}`;
  const moved = !working && lastCalendarDay(start, n, false) !== key ? `，该日为休息日，顺延至${dateText(key)}` : '';
  return {
    ...base,
    type: 'single',
    kind: 'case',
    stem: `根据《${ctx.law.title}》，${hidden}${unit.note ?? ''}若${event}之日为${dateText(start)}，依照上述规定，该期限的最后一日是${BLANK}。（期间开始的当日不计入；期间内没有法定节假日）`,
    options,
    answer: [options.indexOf(dateText(key))],
    explanation:
      `${explanation} 期限为${span.text}${working && unitName === '日' ? '（按工作日计算）' : ''}，自${dateText(start)}的次日起算，` +
      `${working ? '只计星期一至星期五，' : ''}最后一日为${dateText(working ? key : lastCalendarDay(start, n, false))}${moved}。`,
  };
}

/** Sums a fine range is applied to, in yuan, by the kind of ratio. */
const CASE_SUMS: Record<string, number[]> = {
  'multiple-range': [20_000, 50_000, 100_000, 200_000],
  'permille-range': [1_000_000, 2_000_000, 5_000_000, 10_000_000],
  'percent-range:以上以下': [100_000, 200_000, 500_000, 1_000_000],
  'percent-range:至': [100_000, 200_000, 500_000, 1_000_000],
  'percent-range:以上至': [100_000, 200_000, 500_000, 1_000_000],
};
/** What a fine is a multiple or share of: 违法所得, 采购金额, 中标项目金额… */
const FINE_BASE = /(违法所得|[\u4e00-\u9fff]{0,6}(?:金额|数额)|货值|价款|费用)(?:的)?$/;

/** 2万元, 5000元, 1.5万元: amounts as a case prints them. */
export function yuan(n: number): string {
  if (n >= 10_000) return `${Number((n / 10_000).toFixed(2))}万元`;
  return `${Math.round(n)}元`;
}

function ratioOf(unitKey: string, v: number): number {
  return unitKey === 'multiple-range' ? v : unitKey === 'permille-range' ? v / 1000 : v / 100;
}

/**
 * 「若采购金额为200万元，依照上述规定，可以处的罚款数额为（　）」 for a fine that is a range of multiples or
 * shares of a sum; the wrong options apply neighbouring ranges to the same sum.
 */
export function fineCase(ctx: LawContext, unit: Unit, span: Span, base: CaseBase, explanation: string, neighbours: number[][]): Question | undefined {
  const sums = CASE_SUMS[span.unitKey];
  const baseName = unit.text.slice(0, span.start).match(FINE_BASE)?.[1]?.replace(/^.*?处(?:以)?/, '');
  if (!sums || !baseName || !/^(?:的)?罚款/.test(unit.text.slice(span.end))) return undefined;
  const rng = createRandom(`${base.id}|case`);
  const sum = rng.pick(sums)!;
  const range = (v: number[]) => `${yuan(sum * ratioOf(span.unitKey, v[0]!))}以上${yuan(sum * ratioOf(span.unitKey, v[1]!))}以下`;
  const key = range(span.values);
  const low = (v: number[]) => v[0]! * 1e6 + v[1]!;
  const keyOrder = low(span.values);
  const seenRanges = new Set([key]);
  const wrong = neighbours.filter((v) => {
    const r = range(v);
    if (seenRanges.has(r)) return false;
    seenRanges.add(r);
    return true;
  });
  const ordered = spreadKey(span.values, wrong.filter((v) => low(v) < keyOrder), wrong.filter((v) => low(v) > keyOrder), low, rng);
  if (!ordered) return undefined;
  const options = ordered.map(range);
  const hidden = `${unit.text.slice(0, span.start)}一定${span.unitKey === 'multiple-range' ? '倍数' : '比例'}${unit.text.slice(span.end)}`;
  return {
    ...base,
    type: 'single',
    kind: 'case',
    stem: `根据《${ctx.law.title}》，${hidden}${unit.note ?? ''}若${baseName}为${yuan(sum)}，依照上述规定，可以处的罚款数额为${BLANK}。`,
    options,
    answer: [options.indexOf(key)],
    explanation: `${explanation} 罚款为${baseName}的${span.text}，${yuan(sum)}的${span.text}即${key}。`,
  };
}
