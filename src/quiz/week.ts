/**
 * Quiz weeks: Monday 00:00 to Sunday 24:00 in the configured time zone, named by ISO week (2026-W48),
 * correct across year boundaries and in years with a week 53. Pure functions of an instant and a zone.
 */
import { PufaError } from '../errors.ts';

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface QuizWeek {
  /** ISO week key: 2026-W48. */
  key: string;
  isoYear: number;
  week: number;
  /** Weeks since the Monday 1970-01-05: a continuous index across years, for rotations. */
  index: number;
  /** Monday's local date, YYYY-MM-DD. */
  monday: string;
  /** Sunday's local date, YYYY-MM-DD. */
  sunday: string;
  /** Monday 00:00 local, as an instant. */
  start: Date;
  /** The next Monday 00:00 local (exclusive end). */
  end: Date;
}

const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch (cause) {
      throw new PufaError(`时区设置有误：${timeZone}`, { cause });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
export function zonedParts(at: Date, timeZone: string): LocalDate & { hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The instant a local wall-clock time in a zone denotes (the earlier one in a DST overlap). */
export function zonedTime(date: LocalDate, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const offsetAt = (t: number) => {
    const p = zonedParts(new Date(t), timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
  };
  let t = wall - offsetAt(wall);
  t = wall - offsetAt(t);
  return new Date(t);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
export const isoDate = (d: LocalDate) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

function addDays(d: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + n * DAY);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
function isoWeekday(d: LocalDate): number {
  return ((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7) + 1;
}

const EPOCH_MONDAY = Date.UTC(1970, 0, 5);

function weekOfMonday(monday: LocalDate, timeZone: string): QuizWeek {
  // The ISO year is the year of the week's Thursday.
  const thursday = addDays(monday, 3);
  const jan4 = { year: thursday.year, month: 1, day: 4 };
  const firstMonday = addDays(jan4, 1 - isoWeekday(jan4));
  const week = Math.round((Date.UTC(monday.year, monday.month - 1, monday.day) - Date.UTC(firstMonday.year, firstMonday.month - 1, firstMonday.day)) / (7 * DAY)) + 1;
  const nextMonday = addDays(monday, 7);
  return {
    key: `${thursday.year}-W${pad(week)}`,
    isoYear: thursday.year,
    week,
    index: Math.round((Date.UTC(monday.year, monday.month - 1, monday.day) - EPOCH_MONDAY) / (7 * DAY)),
    monday: isoDate(monday),
    sunday: isoDate(addDays(monday, 6)),
    start: zonedTime(monday, 0, 0, timeZone),
    end: zonedTime(nextMonday, 0, 0, timeZone),
  };
}

/**
 * The quiz week an instant falls in, in a zone.
 * @example quizWeekOf(new Date('2026-11-29T15:30:00Z'), 'Asia/Shanghai').key // '2026-W48' (Sunday 23:30 in Shanghai)
 */
export function quizWeekOf(at: Date, timeZone: string): QuizWeek {
  const local = zonedParts(at, timeZone);
  return weekOfMonday(addDays(local, 1 - isoWeekday(local)), timeZone);
}

/** The week a key names; throws PufaError for a malformed key or a week the year does not have. */
export function quizWeekFromKey(key: string, timeZone: string): QuizWeek {
  const m = key.match(/^(\d{4})-W(\d{2})$/);
  if (!m) throw new PufaError(`周次格式有误：${key}（应为 2026-W48）`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  const jan4 = { year, month: 1, day: 4 };
  const monday = addDays(addDays(jan4, 1 - isoWeekday(jan4)), (week - 1) * 7);
  const w = weekOfMonday(monday, timeZone);
  if (week < 1 || w.key !== key) throw new PufaError(`${year} 年没有第 ${week} 周`);
  return w;
}

/** The week `n` weeks after (or before, for negative n) another. */
export function shiftWeek(week: QuizWeek, n: number, timeZone: string): QuizWeek {
  const [y, mo, d] = week.monday.split('-').map(Number) as [number, number, number];
  return weekOfMonday(addDays({ year: y, month: mo, day: d }, 7 * n), timeZone);
}

export interface WeekSchedule {
  opensAt: Date;
  remindThursdayAt: Date;
  remindSundayAt: Date;
  closesAt: Date;
}

function hhmm(s: string): [number, number] {
  const [h, m] = s.split(':').map(Number) as [number, number];
  return [h, m];
}

/** When a week's quiz opens and its reminders go out (config.quiz.openAt etc., local times). */
export function weekSchedule(
  week: QuizWeek,
  times: { openAt: string; remindThursdayAt: string; remindSundayAt: string },
  timeZone: string,
): WeekSchedule {
  const [y, mo, d] = week.monday.split('-').map(Number) as [number, number, number];
  const monday = { year: y, month: mo, day: d };
  return {
    opensAt: zonedTime(monday, ...hhmm(times.openAt), timeZone),
    remindThursdayAt: zonedTime(addDays(monday, 3), ...hhmm(times.remindThursdayAt), timeZone),
    remindSundayAt: zonedTime(addDays(monday, 6), ...hhmm(times.remindSundayAt), timeZone),
    closesAt: week.end,
  };
}
