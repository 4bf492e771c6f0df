/**
 * Report periods: a week, a month, a quarter, a year or any date range, each a run of quiz weeks. A week
 * belongs to the period its Thursday falls in — the ISO rule, so a year is exactly its ISO weeks 1–52 (or 53)
 * and every week is in exactly one month and one quarter. Keys as the address bar shows them:
 * 2026-W48, 2026-11, 2026-Q4, 2026, 2026-03-01~2026-06-30, and a run of weeks 2026-W37~2026-W48.
 *
 * @example parsePeriod('2026-Q4', 'Asia/Shanghai').weeks.length // 13
 */
import { PufaError } from '../errors.ts';
import { quizWeekFromKey, quizWeekOf, shiftWeek, zonedTime, type QuizWeek } from '../quiz/week.ts';

export type PeriodKind = 'week' | 'month' | 'quarter' | 'year' | 'range';

export interface Period {
  kind: PeriodKind;
  /** The key that names it (see the module comment). */
  key: string;
  /** 2026年11月, 2026年第四季度, 2026年, 2026-W48（11月23日至29日）… */
  label: string;
  /** First and last local date of its weeks, YYYY-MM-DD (Monday of the first, Sunday of the last). */
  from: string;
  to: string;
  weeks: QuizWeek[];
  /** Keys of the period before and after (same kind and length). */
  prev: string;
  next: string;
}

export const PERIOD_KIND_LABEL: Record<PeriodKind, string> = { week: '周', month: '月', quarter: '季度', year: '年', range: '自定义' };
const QUARTER = ['一', '二', '三', '四'];
/** A range longer than this is refused (a report over five years of weeks is not what anyone means). */
const MAX_WEEKS = 270;
const DAY = 86_400_000;

type YMD = { year: number; month: number; day: number };
const ymd = (s: string): YMD => {
  const [year, month, day] = s.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};
const iso = (d: YMD) => `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const addDays = (s: string, n: number) => {
  const t = new Date(Date.parse(`${s}T00:00:00Z`) + n * DAY);
  return iso({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() });
};
const thursdayOf = (w: QuizWeek) => addDays(w.monday, 3);
const validDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && addDays(s, 0) === s;

/** The weeks whose Thursday is within [first, last] (local dates). */
function weeksBetween(first: string, last: string, timeZone: string): QuizWeek[] {
  const d = ymd(first);
  let w = quizWeekOf(zonedTime(d, 12, 0, timeZone), timeZone);
  if (thursdayOf(w) < first) w = shiftWeek(w, 1, timeZone);
  const out: QuizWeek[] = [];
  for (; thursdayOf(w) <= last; w = shiftWeek(w, 1, timeZone)) {
    out.push(w);
    if (out.length > MAX_WEEKS) throw new PufaError(`时间范围过大（最多 ${MAX_WEEKS} 周）。`);
  }
  return out;
}

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function build(kind: PeriodKind, key: string, label: string, weeks: QuizWeek[], prev: string, next: string): Period {
  if (!weeks.length) throw new PufaError(`${label}不包含任何完整的考试周（按周四所在日期归属）。`);
  return { kind, key, label, from: weeks[0]!.monday, to: weeks[weeks.length - 1]!.sunday, weeks, prev, next };
}

const monthKey = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;
const shiftMonth = (year: number, month: number, n: number) => {
  const m = year * 12 + (month - 1) + n;
  return { year: Math.floor(m / 12), month: (m % 12) + 1 };
};

/**
 * The period a key names. Throws PufaError (in Chinese) for a malformed key.
 * @example parsePeriod('2026-03-01~2026-06-30', 'Asia/Shanghai').label // '2026-03-01 至 2026-06-30'
 */
export function parsePeriod(key: string, timeZone: string): Period {
  const k = key.trim().toUpperCase().replace(/\s+/g, '');
  let m: RegExpMatchArray | null;
  if ((m = k.match(/^(\d{4})-W(\d{2})$/))) {
    const w = quizWeekFromKey(k, timeZone);
    const [, mo, d] = w.monday.split('-').map(Number);
    const [, mo2, d2] = w.sunday.split('-').map(Number);
    return build('week', w.key, `${w.key}（${mo}月${d}日至${mo2}月${d2}日）`, [w], shiftWeek(w, -1, timeZone).key, shiftWeek(w, 1, timeZone).key);
  }
  if ((m = k.match(/^(\d{4})-(\d{2})$/))) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw new PufaError(`月份有误：${key}（应为 2026-11）`);
    const weeks = weeksBetween(iso({ year, month, day: 1 }), iso({ year, month, day: lastDayOfMonth(year, month) }), timeZone);
    const p = shiftMonth(year, month, -1);
    const n = shiftMonth(year, month, 1);
    return build('month', monthKey(year, month), `${year}年${month}月`, weeks, monthKey(p.year, p.month), monthKey(n.year, n.month));
  }
  if ((m = k.match(/^(\d{4})-Q([1-4])$/))) {
    const year = Number(m[1]);
    const q = Number(m[2]);
    const first = (q - 1) * 3 + 1;
    const weeks = weeksBetween(iso({ year, month: first, day: 1 }), iso({ year, month: first + 2, day: lastDayOfMonth(year, first + 2) }), timeZone);
    const prev = q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
    const next = q === 4 ? `${year + 1}-Q1` : `${year}-Q${q + 1}`;
    return build('quarter', `${year}-Q${q}`, `${year}年第${QUARTER[q - 1]}季度`, weeks, prev, next);
  }
  if ((m = k.match(/^(\d{4})$/))) {
    const year = Number(m[1]);
    return build('year', String(year), `${year}年`, weeksBetween(`${year}-01-01`, `${year}-12-31`, timeZone), String(year - 1), String(year + 1));
  }
  if ((m = k.match(/^(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})$/))) {
    const [, a, b] = m as unknown as [string, string, string];
    if (!validDate(a) || !validDate(b)) throw new PufaError(`日期有误：${key}（应为 2026-03-01~2026-06-30）`);
    if (a > b) throw new PufaError(`起始日期 ${a} 晚于结束日期 ${b}。`);
    const days = Math.round((Date.parse(b) - Date.parse(a)) / DAY) + 1;
    const weeks = weeksBetween(a, b, timeZone);
    return build('range', `${a}~${b}`, `${a} 至 ${b}`, weeks, `${addDays(a, -days)}~${addDays(a, -1)}`, `${addDays(b, 1)}~${addDays(b, days)}`);
  }
  if ((m = k.match(/^(\d{4}-W\d{2})~(\d{4}-W\d{2})$/))) {
    const a = quizWeekFromKey(m[1]!, timeZone);
    const b = quizWeekFromKey(m[2]!, timeZone);
    if (a.index > b.index) throw new PufaError(`起始周 ${a.key} 晚于结束周 ${b.key}。`);
    const n = b.index - a.index + 1;
    if (n > MAX_WEEKS) throw new PufaError(`时间范围过大（最多 ${MAX_WEEKS} 周）。`);
    const weeks = Array.from({ length: n }, (_, i) => shiftWeek(a, i, timeZone));
    const span = (from: QuizWeek, to: QuizWeek) => `${from.key}~${to.key}`;
    return build('range', `${a.key}~${b.key}`, `${a.key} 至 ${b.key}`, weeks, span(shiftWeek(a, -n, timeZone), shiftWeek(a, -1, timeZone)), span(shiftWeek(b, 1, timeZone), shiftWeek(b, n, timeZone)));
  }
  throw new PufaError(`无法识别的时间范围：${key}（可写 2026-W48、2026-11、2026-Q4、2026 或 2026-03-01~2026-06-30）`);
}

/** The period of a kind that contains an instant (this week, this month, …). */
export function periodAt(kind: Exclude<PeriodKind, 'range'>, at: Date, timeZone: string): Period {
  const w = quizWeekOf(at, timeZone);
  const [year, month] = thursdayOf(w).split('-').map(Number) as [number, number];
  if (kind === 'week') return parsePeriod(w.key, timeZone);
  if (kind === 'month') return parsePeriod(monthKey(year, month), timeZone);
  if (kind === 'quarter') return parsePeriod(`${year}-Q${Math.ceil(month / 3)}`, timeZone);
  return parsePeriod(String(year), timeZone);
}

/** Whether the period's last week has ended at `now` (its figures are final). */
export const periodFinished = (p: Period, now: Date) => p.weeks[p.weeks.length - 1]!.end.getTime() <= now.getTime();

/** The weeks of a period that have started by `now` (later ones have nothing to count yet). */
export const weeksStarted = (p: Period, now: Date) => p.weeks.filter((w) => w.start.getTime() <= now.getTime());
