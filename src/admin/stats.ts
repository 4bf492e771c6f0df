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
import type { AnswerRange, GroupCounts, PersonSummary, PersonWeekRow, WeakArticleCounts } from '../records/read-model.ts';
import type { WeeklyResult, WeekStatus } from '../records/training.ts';
import type { UserRecord } from '../records/types.ts';
import type { Records } from '../records/ports.ts';
import { quizWeekFromKey, quizWeekOf, shiftWeek, zonedParts, zonedTime, type QuizWeek } from '../quiz/week.ts';

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

/** One week of one person's training record, as stored (weekly_results). */
export type HistoryRow = Pick<WeeklyResult, 'week' | 'status' | 'score' | 'passMark' | 'attempts' | 'durationMs' | 'hours'>;

export interface PersonHistory {
  user: Omit<PersonWeek, 'status' | 'score' | 'passMark' | 'attempts' | 'durationMs' | 'hours'>;
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
}

const rate = (n: number, d: number) => (d > 0 ? n / d : null);
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

  function resolveWeek(key?: string): QuizWeek {
    if (!key) return quizWeekOf(now(), tz);
    return quizWeekFromKey(key.trim().toUpperCase(), tz);
  }

  const window = (w: QuizWeek) => ({ key: w.key, end: w.end });

  async function groups(w: QuizWeek) {
    const [overall, departments, ranks] = await Promise.all([
      read.groups(window(w), 'overall'),
      read.groups(window(w), 'department'),
      read.groups(window(w), 'rank'),
    ]);
    return { overall: toGroup(overall[0] ?? EMPTY_GROUP), departments: departments.map(toGroup), ranks: ranks.map(toGroup) };
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

    /** Departments of active users, sorted. */
    departments: () => read.departments(),

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
      const weeks = results.map(({ userId: _u, updatedAt: _t, ...week }: WeeklyResult) => week);
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
