/**
 * The admin's figures over the records' training read model (src/records/read-model.ts): weekly
 * completion, pass rate and average score overall / per department / per rank, who has not finished, one
 * person's history, weak articles and the trend. The read model counts; this module turns counts into
 * rates and changes and does the week arithmetic. The chat commands, the web pages and the exports all read
 * through here, so the three always show the same numbers.
 *
 * Definitions (shown to admins in the export's 说明 sheet and on the overview page):
 * - 应参加 (eligible) in a week: users whose account is active now, registered before the week ended, with an
 *   identity on a real channel (Telegram, WeCom, …; the local terminal operator is not staff and is not counted).
 * - 完成 (finished): the week's result is 'completed' or 'passed'; 完成率 = finished / eligible.
 * - 通过率 = passed / finished (of those who finished a quiz, the share who passed).
 * - 平均分 = mean week score (by the grading rule) of those who finished.
 */
import { PufaError } from '../errors.ts';
import { DEFAULT_RANKS, orderOf, type Organization } from '../knowledge/organization.ts';
import type { AnswerRange, GroupCounts, LawStudied, PersonPeriodCounts, PersonSummary, PersonWeekRow, QuestionCounts, WeakArticleCounts } from '../records/read-model.ts';
import type { WeeklyResult, WeekStatus } from '../records/training.ts';
import type { UserRecord } from '../records/types.ts';
import type { Records } from '../records/ports.ts';
import { quizWeekFromKey, quizWeekOf, shiftWeek, zonedParts, zonedTime, type QuizWeek } from '../quiz/week.ts';
import { parsePeriod, periodAt, periodFinished, weeksStarted, type Period, type PeriodKind } from './periods.ts';

export type { WeekStatus };
export const WEEK_STATUSES: WeekStatus[] = ['not_started', 'in_progress', 'completed', 'passed'];

export interface GroupStats extends GroupCounts {
  /** finished / eligible; null when nobody is eligible. */
  completionRate: number | null;
  /** passed / finished; null when nobody finished. */
  passRate: number | null;
}

export interface StatsChange {
  completionRate: number | null;
  passRate: number | null;
  avgScore: number | null;
}

export interface GroupWithChange extends GroupStats {
  /** Difference from the same group last week (null where either week has no value). */
  change: StatsChange;
}

export interface WeekStats {
  week: string;
  monday: string;
  sunday: string;
  /** The week has ended: its figures are final. */
  closed: boolean;
  /** The change from last week compares an unfinished week with a finished one (shown as partial). */
  partialChange: boolean;
  overall: GroupWithChange;
  departments: GroupWithChange[];
  ranks: GroupWithChange[];
}

export interface PersonWeek extends PersonSummary {
  status: WeekStatus;
  score: number | null;
  passMark: number | null;
  attempts: number;
  durationMs: number;
  hours: number;
}

/** One week of one person's training record: as stored (weekly_results), or a week with no record at all. */
export type HistoryRow = Pick<WeeklyResult, 'week' | 'status' | 'score' | 'attempts' | 'durationMs' | 'hours'> & {
  passMark: number | null;
  /** The week has ended (an unfinished one is then missed, never 进行中). */
  closed: boolean;
  /** False for a week the person counted in but has no record of (shown as missed). */
  recorded: boolean;
};

export interface PersonHistory {
  user: Omit<PersonWeek, 'status' | 'score' | 'passMark' | 'attempts' | 'durationMs' | 'hours'> & { createdAt: string };
  weeks: HistoryRow[];
  weeksPassed: number;
  totalHours: number;
  /** Articles this person answered wrong most often (all time). */
  weakArticles: WeakArticle[];
}

export interface WeakArticle extends WeakArticleCounts {
  wrongRate: number;
}

export type TimeRange = AnswerRange;

export interface AdminStatsOptions {
  timezone: string;
  now?: () => Date;
  /** The bureau's rank and department order (knowledge/organization.yaml); default ranks, departments by pinyin. */
  organization?: () => Promise<Organization>;
}

/** A group's figures over a period: person-weeks (a person counts in each week they were eligible). */
export interface PeriodGroup {
  /** Department or rank; '' for overall. */
  key: string;
  /** People counted in at least one week of the period. */
  people: number;
  /** People who finished at least one week's quiz (参学人数). */
  participants: number;
  /** People who finished every week they counted in. */
  fullyCompleted: number;
  eligibleWeeks: number;
  finishedWeeks: number;
  passedWeeks: number;
  /** Weeks that ended unfinished. */
  missedWeeks: number;
  /** finishedWeeks / eligibleWeeks. */
  completionRate: number | null;
  /** passedWeeks / finishedWeeks. */
  passRate: number | null;
  /** Mean week score of the finished weeks. */
  avgScore: number | null;
  hours: number;
  /** hours / people. */
  hoursPerPerson: number | null;
}

export interface PersonPeriod extends PersonPeriodCounts {
  missedWeeks: number;
  completionRate: number | null;
  passRate: number | null;
  avgScore: number | null;
}

export interface PeriodReport {
  period: Period;
  /** Weeks counted: those started by now (a period reaching into the future counts what has begun). */
  weeks: string[];
  /** The period has not ended: its figures can still change. */
  partial: boolean;
  overall: PeriodGroup;
  departments: PeriodGroup[];
  ranks: PeriodGroup[];
  people: PersonPeriod[];
}

/** What a 法治政府建设 report cites for a year (or any period). */
export interface AnnualSummary extends PeriodReport {
  lawsStudied: LawStudied[];
  weakArticles: WeakArticle[];
  /** Week scores of the finished weeks, in bins of 10 points (0–9 … 90–100). */
  histogram: number[];
  /** Questions answered in the period. */
  answers: number;
}

const rate = (n: number, d: number) => (d > 0 ? n / d : null);
/** How far back a person's history lists weeks without a record. */
const HISTORY_WEEKS = 104;
const diff = (a: number | null, b: number | null | undefined) => (a === null || b === null || b === undefined ? null : a - b);

const toGroup = (c: GroupCounts): GroupStats => ({
  ...c,
  completionRate: rate(c.finished, c.eligible),
  passRate: rate(c.passed, c.finished),
});

/** The overall row of a week nobody is eligible in. */
const EMPTY_GROUP: GroupCounts = { key: '', eligible: 0, finished: 0, passed: 0, avgScore: null, hours: 0 };

const withChange = (cur: GroupStats, prev: GroupStats | undefined): GroupWithChange => ({
  ...cur,
  change: {
    completionRate: diff(cur.completionRate, prev?.completionRate),
    passRate: diff(cur.passRate, prev?.passRate),
    avgScore: diff(cur.avgScore, prev?.avgScore),
  },
});

/** The calendar month an instant falls in, in a zone: [first day 00:00, first day of next month 00:00). */
export function monthRange(at: Date, timeZone: string): { since: Date; until: Date; label: string } {
  const p = zonedParts(at, timeZone);
  const next = p.month === 12 ? { year: p.year + 1, month: 1 } : { year: p.year, month: p.month + 1 };
  return {
    since: zonedTime({ year: p.year, month: p.month, day: 1 }, 0, 0, timeZone),
    until: zonedTime({ ...next, day: 1 }, 0, 0, timeZone),
    label: `${p.year}年${p.month}月`,
  };
}

export type AdminStats = ReturnType<typeof createAdminStats>;

const DEFAULT_ORGANIZATION: Organization = { ranks: DEFAULT_RANKS, departments: [] };

function periodGroup(key: string, people: PersonPeriod[]): PeriodGroup {
  const sum = (f: (p: PersonPeriod) => number) => people.reduce((n, p) => n + f(p), 0);
  const eligibleWeeks = sum((p) => p.eligibleWeeks);
  const finishedWeeks = sum((p) => p.finishedWeeks);
  const passedWeeks = sum((p) => p.passedWeeks);
  const hours = Math.round(sum((p) => p.hours) * 100) / 100;
  return {
    key,
    people: people.length,
    participants: people.filter((p) => p.finishedWeeks > 0).length,
    fullyCompleted: people.filter((p) => p.finishedWeeks === p.eligibleWeeks).length,
    eligibleWeeks,
    finishedWeeks,
    passedWeeks,
    missedWeeks: sum((p) => p.missedWeeks),
    completionRate: rate(finishedWeeks, eligibleWeeks),
    passRate: rate(passedWeeks, finishedWeeks),
    avgScore: finishedWeeks ? sum((p) => p.scoreSum) / finishedWeeks : null,
    hours,
    hoursPerPerson: people.length ? hours / people.length : null,
  };
}

/** Groups of people by a key, in the given order. */
function groupBy(people: PersonPeriod[], key: (p: PersonPeriod) => string, order: (a: string, b: string) => number): PeriodGroup[] {
  const by = new Map<string, PersonPeriod[]>();
  for (const p of people) by.set(key(p), [...(by.get(key(p)) ?? []), p]);
  return [...by.keys()].sort(order).map((k) => periodGroup(k, by.get(k)!));
}

/** The records ports the admin's figures read. */
export type AdminReadPorts = Pick<Records, 'stats' | 'users' | 'training'>;

const toPerson = (r: PersonWeekRow): PersonWeek => ({
  userId: r.userId,
  staffId: r.staffId,
  name: r.name,
  department: r.department,
  rank: r.rank,
  roles: r.roles,
  accountStatus: r.accountStatus,
  identities: r.identities,
  status: r.result?.status ?? 'not_started',
  score: r.result?.score ?? null,
  passMark: r.result?.passMark ?? null,
  attempts: r.result?.attempts ?? 0,
  durationMs: r.result?.durationMs ?? 0,
  hours: r.result?.hours ?? 0,
});

const withRate = (w: WeakArticleCounts): WeakArticle => ({ ...w, wrongRate: w.wrong / w.answers });

/**
 * @example const stats = createAdminStats(records, { timezone: config.quiz.timezone }); (await stats.weekStats()).overall.completionRate
 */
export function createAdminStats(records: AdminReadPorts, opts: AdminStatsOptions) {
  const tz = opts.timezone;
  const now = opts.now ?? (() => new Date());
  const read = records.stats;
  const organization = opts.organization ?? (async () => DEFAULT_ORGANIZATION);
  const orders = async () => {
    const org = await organization();
    return { rank: orderOf(org.ranks), department: orderOf(org.departments) };
  };
  const closed = (w: QuizWeek) => w.end.getTime() <= now().getTime();

  function resolvePeriod(key?: string, kind: Exclude<PeriodKind, 'range'> = 'month'): Period {
    return key ? parsePeriod(key, tz) : periodAt(kind, now(), tz);
  }

  /** Every person's counts over a period's started weeks, with the weeks missed (ended unfinished). */
  async function periodPeople(period: Period): Promise<{ weeks: QuizWeek[]; people: PersonPeriod[] }> {
    const weeks = weeksStarted(period, now());
    const ended = weeks.filter(closed);
    const [all, done] = await Promise.all([read.periodPeople(weeks), ended.length === weeks.length ? undefined : read.periodPeople(ended)]);
    const endedOf = new Map((done ?? all).map((p) => [p.userId, p]));
    const people = all.map((p): PersonPeriod => {
      const e = endedOf.get(p.userId);
      return {
        ...p,
        missedWeeks: e ? e.eligibleWeeks - e.finishedWeeks : 0,
        completionRate: rate(p.finishedWeeks, p.eligibleWeeks),
        passRate: rate(p.passedWeeks, p.finishedWeeks),
        avgScore: p.finishedWeeks ? p.scoreSum / p.finishedWeeks : null,
      };
    });
    return { weeks, people };
  }

  const rangeOf = (weeks: QuizWeek[]) => ({ fromWeek: weeks[0]?.key ?? '9999-W99', toWeek: weeks[weeks.length - 1]?.key ?? '0000-W00' });

  async function periodReport(key?: string, kind?: Exclude<PeriodKind, 'range'>): Promise<PeriodReport> {
    const period = resolvePeriod(key, kind);
    const [{ weeks, people }, order] = await Promise.all([periodPeople(period), orders()]);
    const byDepartment = (a: PersonPeriod, b: PersonPeriod) => order.department(a.department, b.department) || order.rank(a.rank, b.rank) || a.name.localeCompare(b.name, 'zh-Hans-CN') || a.userId - b.userId;
    return {
      period,
      weeks: weeks.map((w) => w.key),
      partial: !periodFinished(period, now()),
      overall: periodGroup('', people),
      departments: groupBy(people, (p) => p.department, order.department),
      ranks: groupBy(people, (p) => p.rank, order.rank),
      people: [...people].sort(byDepartment),
    };
  }

  function resolveWeek(key?: string): QuizWeek {
    if (!key) return quizWeekOf(now(), tz);
    return quizWeekFromKey(key.trim().toUpperCase(), tz);
  }

  const window = (w: QuizWeek) => ({ key: w.key, end: w.end });

  async function groups(w: QuizWeek) {
    const [overall, departments, ranks, order] = await Promise.all([
      read.groups(window(w), 'overall'),
      read.groups(window(w), 'department'),
      read.groups(window(w), 'rank'),
      orders(),
    ]);
    return {
      overall: toGroup(overall[0] ?? EMPTY_GROUP),
      departments: departments.map(toGroup).sort((a, b) => order.department(a.key, b.key)),
      ranks: ranks.map(toGroup).sort((a, b) => order.rank(a.key, b.key)),
    };
  }

  /** Rows of a week's population (and anyone else with a result that week), with their week status. */
  async function peopleOfWeek(w: QuizWeek, eligibleOnly: boolean): Promise<PersonWeek[]> {
    const rows = await read.peopleOfWeek(window(w));
    return (eligibleOnly ? rows.filter((r) => r.eligible) : rows).map(toPerson);
  }

  return {
    timezone: tz,
    now,
    /** The quiz week of a key (2026-W48), or this week. Throws PufaError for a malformed key. */
    week: resolveWeek,
    /** This week's key. */
    currentWeek: () => quizWeekOf(now(), tz).key,

    /** Completion, pass rate and average score for a week, with the change from the week before. */
    async weekStats(key?: string): Promise<WeekStats> {
      const w = resolveWeek(key);
      const [cur, prev] = await Promise.all([groups(w), groups(shiftWeek(w, -1, tz))]);
      const match = (list: GroupStats[], k: string) => list.find((g) => g.key === k);
      return {
        week: w.key,
        monday: w.monday,
        sunday: w.sunday,
        closed: closed(w),
        partialChange: !closed(w),
        overall: withChange(cur.overall, prev.overall),
        departments: cur.departments.map((g) => withChange(g, match(prev.departments, g.key))),
        ranks: cur.ranks.map((g) => withChange(g, match(prev.ranks, g.key))),
      };
    },

    /** Overall figures of the `weeks` weeks ending with `key` (default: this week), oldest first. */
    async trend(weeks = 12, key?: string): Promise<(GroupStats & { week: string })[]> {
      const last = resolveWeek(key);
      const list = Array.from({ length: weeks }, (_, i) => shiftWeek(last, i - (weeks - 1), tz));
      const overall = await Promise.all(list.map((w) => read.groups(window(w), 'overall')));
      return list.map((w, i) => ({ ...toGroup(overall[i]![0] ?? EMPTY_GROUP), week: w.key }));
    },

    /** Eligible people who have not finished the week's quiz (not started or in progress). */
    async pending(key?: string): Promise<PersonWeek[]> {
      return (await peopleOfWeek(resolveWeek(key), true)).filter((p) => p.status === 'not_started' || p.status === 'in_progress');
    },

    /** A week's people, filtered: name or staff id contains `q`, department, week status. */
    async people(filter: { week?: string; q?: string; department?: string; status?: WeekStatus } = {}): Promise<PersonWeek[]> {
      const q = filter.q?.trim();
      return (await peopleOfWeek(resolveWeek(filter.week), false)).filter(
        (p) =>
          (!q || p.name.includes(q) || p.staffId.includes(q.toUpperCase())) &&
          (!filter.department || p.department === filter.department) &&
          (!filter.status || p.status === filter.status),
      );
    },

    /** Every row of a week for exports: the eligible and anyone else with a result. */
    weekRows: (key: string) => peopleOfWeek(resolveWeek(key), false),

    /** Departments of active users, in the bureau's order. */
    async departments() {
      const [list, order] = await Promise.all([read.departments(), orders()]);
      return list.sort(order.department);
    },

    /** Whether a week has ended (its figures are final). */
    closed,

    /** The period a key names (2026-W48, 2026-11, 2026-Q4, 2026, 2026-03-01~2026-06-30), or the current one of a kind. */
    period: resolvePeriod,

    /** Totals over a period per person, department and rank (person-weeks; see PeriodGroup). */
    periodReport,

    /** What a 法治政府建设 report cites for a year (default: this year): the period report plus laws studied, weak articles, scores. */
    async annualSummary(key?: string): Promise<AnnualSummary> {
      const report = await periodReport(key, 'year');
      const weeks = report.period.weeks.filter((w) => report.weeks.includes(w.key));
      const range = rangeOf(weeks);
      const [lawsStudied, weak, histogram] = await Promise.all([
        read.lawsStudied(range),
        read.weakArticles(range, { limit: 20 }),
        read.scoreHistogram(weeks.map(window)),
      ]);
      return { ...report, lawsStudied, weakArticles: weak.map(withRate), histogram, answers: lawsStudied.reduce((n, l) => n + l.answers, 0) };
    },

    /** Week scores of a period's finished weeks, in `bins` bins. */
    async histogram(key?: string, bins = 10): Promise<{ period: Period; bins: number[] }> {
      const period = resolvePeriod(key);
      return { period, bins: await read.scoreHistogram(weeksStarted(period, now()).map(window), bins) };
    },

    /** Each question answered in a period (of one article, if given): answered, right, the options chosen. */
    async questionStats(key?: string, article?: { law: string; article: number; articleSuffix?: number }, limit = 200): Promise<{ period: Period; questions: QuestionCounts[] }> {
      const period = resolvePeriod(key);
      return { period, questions: await read.questionStats(rangeOf(weeksStarted(period, now())), { ...article, limit }) };
    },

    /** Weak articles of a period. */
    async periodWeakArticles(key?: string, limit = 50): Promise<{ period: Period; articles: WeakArticle[] }> {
      const period = resolvePeriod(key);
      return { period, articles: (await read.weakArticles(rangeOf(weeksStarted(period, now())), { limit })).map(withRate) };
    },

    /** Users whose name contains the text, or with that staff id (for /user and /link). */
    async findUsers(name: string): Promise<UserRecord[]> {
      return records.users.search(name);
    },

    /** One person's weekly record, newest week first. */
    async history(userId: number): Promise<PersonHistory | undefined> {
      const u = await records.users.get(userId);
      if (!u) return undefined;
      const [results, weak] = await Promise.all([
        records.training.weeklyResults(userId),
        read.weakArticles({ fromWeek: '0000-W00', toWeek: '9999-W99' }, { userId, limit: 5 }),
      ]);
      const byWeek = new Map(results.map((r) => [r.week, r]));
      // Every week from the one the person registered in (at most two years back) to this week, newest first.
      const current = quizWeekOf(now(), tz);
      const first = quizWeekOf(new Date(u.createdAt), tz);
      const span = Math.min(HISTORY_WEEKS, Math.max(0, current.index - first.index));
      const weeks: HistoryRow[] = [];
      for (let i = 0; i <= span; i++) {
        const w = shiftWeek(current, -i, tz);
        const r = byWeek.get(w.key);
        byWeek.delete(w.key);
        weeks.push(
          r
            ? { week: r.week, status: r.status, score: r.score, passMark: r.passMark, attempts: r.attempts, durationMs: r.durationMs, hours: r.hours, closed: closed(w), recorded: true }
            : { week: w.key, status: 'not_started', score: null, passMark: null, attempts: 0, durationMs: 0, hours: 0, closed: closed(w), recorded: false },
        );
      }
      // Records outside that span (older, or before the registration date was changed) are still shown.
      for (const r of byWeek.values()) {
        weeks.push({ week: r.week, status: r.status, score: r.score, passMark: r.passMark, attempts: r.attempts, durationMs: r.durationMs, hours: r.hours, closed: closed(quizWeekFromKey(r.week, tz)), recorded: true });
      }
      weeks.sort((a, b) => (a.week < b.week ? 1 : a.week > b.week ? -1 : 0));
      return {
        user: {
          userId: u.id,
          staffId: u.staffId,
          name: u.name,
          department: u.department,
          rank: u.rank,
          roles: u.roles,
          accountStatus: u.status,
          identities: u.identities,
          createdAt: u.createdAt,
        },
        weeks,
        weeksPassed: weeks.filter((w) => w.status === 'passed').length,
        totalHours: weeks.reduce((n, w) => n + w.hours, 0),
        weakArticles: weak.map(withRate),
      };
    },

    /** Articles most often answered wrong in a time range (default: this calendar month), most wrong first. */
    async weakArticles(range?: TimeRange, limit = 20): Promise<WeakArticle[]> {
      return (await read.weakArticles(range ?? monthRange(now(), tz), { limit })).map(withRate);
    },

    /** The stored xAPI statements of the weeks in range, oldest first. */
    xapiStatements: (fromWeek: string, toWeek: string) => read.xapiStatements(fromWeek, toWeek),

    /** This calendar month, for labels. */
    thisMonth: () => monthRange(now(), tz),

    /** Week keys from `from` to `to` inclusive (at most 260). */
    weekKeys(from: string, to: string): string[] {
      const a = resolveWeek(from);
      const b = resolveWeek(to);
      if (a.index > b.index) throw new PufaError(`起始周 ${a.key} 晚于结束周 ${b.key}。`);
      if (b.index - a.index > 260) throw new PufaError('导出范围过大（最多 260 周）。');
      const out: string[] = [];
      for (let w = a; w.index <= b.index; w = shiftWeek(w, 1, tz)) out.push(w.key);
      return out;
    },
  };
}
