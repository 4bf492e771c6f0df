/**
 * Calendar arithmetic for computed cases and for how a law counts its days: dates as the stem prints them,
 * the last day of a limit in calendar days (moved past a weekend, 民法典第二百零三条) or in working days, and
 * which day counts a law declares to be working days. Below both cases.ts and law-context.ts.
 */
import { parseChineseNumber } from '../../knowledge/chinese-numerals.ts';

export const DAY = 86_400_000;
const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

export const utc = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const weekday = (t: number) => new Date(t).getUTCDay();
export const isWeekend = (t: number) => weekday(t) === 0 || weekday(t) === 6;

/** 2025年7月8日（星期二）. */
export function dateText(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日（${WEEKDAYS[d.getUTCDay()]}）`;
}

/** The last day of a limit of `n` calendar days from `start` (not counted), moved past a weekend. */
export function lastCalendarDay(start: number, n: number, moveWeekend = true): number {
  let t = start + n * DAY;
  while (moveWeekend && isWeekend(t)) t += DAY;
  return t;
}

/** The last day of a limit of `n` working days from `start` (not counted): Monday to Friday only. */
export function lastWorkingDay(start: number, n: number, countStart = false): number {
  let t = start;
  let counted = countStart && !isWeekend(start) ? 1 : 0;
  while (counted < n) {
    t += DAY;
    if (!isWeekend(t)) counted++;
  }
  return t;
}

/**
 * How a law reads its day counts: 「本法中“二日”“三日”“五日”“七日”的规定是指工作日」 (those counts), 「本法中十日
 * 以内期限的规定是指工作日」 (up to ten), 「本法规定的…期限以工作日计算」 (every count in days).
 */
export function workingDayCounts(lawText: string): (days: number) => boolean {
  const listed = lawText.match(/本(?:法|条例)(?:中|关于)[^。]*?((?:“[^”]+”[、，]?)+)[^。]*?的规定是指工作日/);
  if (listed) {
    const counts = new Set<number>();
    for (const q of listed[1]!.matchAll(/“([^”]+)日”/g)) {
      const n = parseChineseNumber(q[1]!);
      if (n) counts.add(n);
    }
    return (days) => counts.has(days);
  }
  const upTo = lawText.match(/本(?:法|条例)中([一二三四五六七八九十]+)日以内期限的规定是指工作日/);
  if (upTo) {
    const max = parseChineseNumber(upTo[1]!) ?? 0;
    return (days) => days <= max;
  }
  if (/本(?:法|条例)规定的[^。]{0,20}期限以工作日计算/.test(lawText)) return () => true;
  return () => false;
}
