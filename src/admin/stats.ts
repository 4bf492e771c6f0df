/**
 * Read models over the training records (the pinned tables of src/records/training-migrations.ts): weekly
 * completion, pass rate and average score overall / per department / per rank, who has not finished, one
 * person's history, weak articles and the trend. SQL only; the chat commands, the web pages and the
 * exports all read through here, so the three always show the same numbers.
 *
 * Definitions (shown to admins in the export's 说明 sheet and on the overview page):
 * - 应参加 (eligible) in a week: users whose account is active now, registered before the week ended, with a
 *   Telegram account (the local terminal operator is not staff and is not counted).
 * - 完成 (finished): weekly_results.status is 'completed' or 'passed'; 完成率 = finished / eligible.
 * - 通过率 = passed / finished (of those who finished a quiz, the share who passed).
 * - 平均分 = mean week score (by the grading rule) of those who finished.
 */
import type Database from 'better-sqlite3';
import { PufaError } from '../errors.ts';
import { toWeekly, type WeeklyResult, type WeeklyRow, type WeekStatus } from '../records/training.ts';
import { quizWeekFromKey, quizWeekOf, shiftWeek, zonedParts, zonedTime, type QuizWeek } from '../quiz/week.ts';

export type { WeekStatus };
export const WEEK_STATUSES: WeekStatus[] = ['not_started', 'in_progress', 'completed', 'passed'];

/** The eligible population of a week, as a SQL condition on `u` (users) with the named parameter @weekEnd. */
export const ELIGIBLE_SQL = `u.status = 'active' AND u.telegram_id IS NOT NULL AND u.created_at < @weekEnd`;

export interface GroupStats {
  /** Department or rank name; '' for overall. */
  key: string;
  eligible: number;
  finished: number;
  passed: number;
  /** finished / eligible; null when nobody is eligible. */
  completionRate: number | null;
  /** passed / finished; null when nobody finished. */
  passRate: number | null;
  /** Mean score of those who finished; null when nobody finished. */
  avgScore: number | null;
  /** 学时 credited in the week. */
  hours: number;
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

export interface PersonWeek {
  userId: number;
  staffId: string;
  name: string;
  department: string;
  rank: string;
  roles: string[];
  accountStatus: string;
  telegramId: string | null;
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

export interface WeakArticle {
  law: string;
  article: number;
  articleSuffix: number;
  /** Newest version the answers were given on. */
  version: string;
  answers: number;
  wrong: number;
  wrongRate: number;
  /** People who answered it wrong at least once. */
  people: number;
}

export type TimeRange = { since: Date; until: Date } | { fromWeek: string; toWeek: string };

export interface AdminStatsOptions {
  timezone: string;
  now?: () => Date;
}

const rate = (n: number, d: number) => (d > 0 ? n / d : null);
const diff = (a: number | null, b: number | null | undefined) => (a === null || b === null || b === undefined ? null : a - b);

interface GroupRow {
  key: string;
  eligible: number;
  finished: number | null;
  passed: number | null;
  avg_score: number | null;
  hours: number | null;
}

const toGroup = (r: GroupRow): GroupStats => {
  const finished = r.finished ?? 0;
  const passed = r.passed ?? 0;
  return {
    key: r.key,
    eligible: r.eligible,
    finished,
    passed,
    completionRate: rate(finished, r.eligible),
    passRate: rate(passed, finished),
    avgScore: finished > 0 ? r.avg_score : null,
    hours: r.hours ?? 0,
  };
};

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

/**
 * @example const stats = createAdminStats(records.db, { timezone: config.quiz.timezone }); stats.weekStats().overall.completionRate
 */
export function createAdminStats(db: Database.Database, opts: AdminStatsOptions) {
  const tz = opts.timezone;
  const now = opts.now ?? (() => new Date());

  const rolesSql = `(SELECT group_concat(role, '、') FROM (SELECT role FROM user_roles WHERE user_id = u.id ORDER BY position))`;
  const groupSql = (keyExpr: string) => `
    SELECT ${keyExpr} AS key, COUNT(*) AS eligible,
      SUM(r.status IN ('completed', 'passed')) AS finished,
      SUM(r.status = 'passed') AS passed,
      AVG(CASE WHEN r.status IN ('completed', 'passed') THEN r.score END) AS avg_score,
      SUM(r.hours) AS hours
    FROM users u LEFT JOIN weekly_results r ON r.user_id = u.id AND r.week = @week
    WHERE ${ELIGIBLE_SQL}
    ${keyExpr === "''" ? '' : `GROUP BY ${keyExpr} ORDER BY ${keyExpr}`}`;
  const overallQ = db.prepare(groupSql("''"));
  const deptQ = db.prepare(groupSql('u.department'));
  const rankQ = db.prepare(groupSql('u.rank'));

  const peopleQ = db.prepare(`
    SELECT u.id AS user_id, u.staff_id, u.name, u.department, u.rank, u.status AS account_status, u.telegram_id,
      ${rolesSql} AS roles, r.status, r.score, r.pass_mark, r.attempts, r.duration_ms, r.hours,
      (${ELIGIBLE_SQL}) AS eligible
    FROM users u LEFT JOIN weekly_results r ON r.user_id = u.id AND r.week = @week
    WHERE (${ELIGIBLE_SQL}) OR r.user_id IS NOT NULL
    ORDER BY u.department, u.name, u.id`);

  type PeopleRow = {
    user_id: number;
    staff_id: string;
    name: string;
    department: string;
    rank: string;
    account_status: string;
    telegram_id: string | null;
    roles: string | null;
    status: WeekStatus | null;
    score: number | null;
    pass_mark: number | null;
    attempts: number | null;
    duration_ms: number | null;
    hours: number | null;
    eligible: number;
  };
  const toPerson = (r: PeopleRow): PersonWeek => ({
    userId: r.user_id,
    staffId: r.staff_id,
    name: r.name,
    department: r.department,
    rank: r.rank,
    roles: r.roles ? r.roles.split('、') : [],
    accountStatus: r.account_status,
    telegramId: r.telegram_id,
    status: r.status ?? 'not_started',
    score: r.score,
    passMark: r.pass_mark,
    attempts: r.attempts ?? 0,
    durationMs: r.duration_ms ?? 0,
    hours: r.hours ?? 0,
  });

  function resolveWeek(key?: string): QuizWeek {
    if (!key) return quizWeekOf(now(), tz);
    return quizWeekFromKey(key.trim().toUpperCase(), tz);
  }

  const params = (w: QuizWeek) => ({ week: w.key, weekEnd: w.end.toISOString() });

  function groups(w: QuizWeek) {
    const p = params(w);
    return {
      overall: toGroup(overallQ.get(p) as GroupRow),
      departments: (deptQ.all(p) as GroupRow[]).map(toGroup),
      ranks: (rankQ.all(p) as GroupRow[]).map(toGroup),
    };
  }

  /** Rows of a week's population (and anyone else with a result that week), with their week status. */
  function peopleOfWeek(w: QuizWeek, eligibleOnly: boolean): PersonWeek[] {
    const rows = peopleQ.all(params(w)) as PeopleRow[];
    return (eligibleOnly ? rows.filter((r) => r.eligible === 1) : rows).map(toPerson);
  }

  function weakQuery(range: TimeRange, extraWhere = '', limit = 20, extra: Record<string, unknown> = {}): WeakArticle[] {
    let where: string;
    const p: Record<string, unknown> = { limit, ...extra };
    if ('since' in range) {
      where = 'a.answered_at >= @since AND a.answered_at < @until';
      p.since = range.since.toISOString();
      p.until = range.until.toISOString();
    } else {
      where = 't.week >= @fromWeek AND t.week <= @toWeek';
      p.fromWeek = range.fromWeek;
      p.toWeek = range.toWeek;
    }
    const rows = db
      .prepare(
        `SELECT a.law, a.article, a.article_suffix, MAX(a.version) AS version, COUNT(*) AS answers,
           SUM(1 - a.correct) AS wrong, COUNT(DISTINCT CASE WHEN a.correct = 0 THEN t.user_id END) AS people
         FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id
         WHERE ${where} ${extraWhere}
         GROUP BY a.law, a.article, a.article_suffix
         HAVING wrong > 0
         ORDER BY wrong DESC, CAST(wrong AS REAL) / answers DESC, a.law, a.article, a.article_suffix
         LIMIT @limit`,
      )
      .all(p) as { law: string; article: number; article_suffix: number; version: string; answers: number; wrong: number; people: number }[];
    return rows.map((r) => ({
      law: r.law,
      article: r.article,
      articleSuffix: r.article_suffix,
      version: r.version,
      answers: r.answers,
      wrong: r.wrong,
      wrongRate: r.wrong / r.answers,
      people: r.people,
    }));
  }

  return {
    timezone: tz,
    now,
    /** The quiz week of a key (2026-W48), or this week. Throws PufaError for a malformed key. */
    week: resolveWeek,
    /** This week's key. */
    currentWeek: () => quizWeekOf(now(), tz).key,

    /** Completion, pass rate and average score for a week, with the change from the week before. */
    weekStats(key?: string): WeekStats {
      const w = resolveWeek(key);
      const cur = groups(w);
      const prev = groups(shiftWeek(w, -1, tz));
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
    trend(weeks = 12, key?: string): (GroupStats & { week: string })[] {
      const last = resolveWeek(key);
      const out: (GroupStats & { week: string })[] = [];
      for (let i = weeks - 1; i >= 0; i--) {
        const w = shiftWeek(last, -i, tz);
        out.push({ ...groups(w).overall, week: w.key });
      }
      return out;
    },

    /** Eligible people who have not finished the week's quiz (not started or in progress). */
    pending(key?: string): PersonWeek[] {
      return peopleOfWeek(resolveWeek(key), true).filter((p) => p.status === 'not_started' || p.status === 'in_progress');
    },

    /** A week's people, filtered: name or staff id contains `q`, department, week status. */
    people(filter: { week?: string; q?: string; department?: string; status?: WeekStatus } = {}): PersonWeek[] {
      const q = filter.q?.trim();
      return peopleOfWeek(resolveWeek(filter.week), false).filter(
        (p) =>
          (!q || p.name.includes(q) || p.staffId.includes(q.toUpperCase())) &&
          (!filter.department || p.department === filter.department) &&
          (!filter.status || p.status === filter.status),
      );
    },

    /** Every row of a week for exports: the eligible and anyone else with a result. */
    weekRows: (key: string) => peopleOfWeek(resolveWeek(key), false),

    /** Departments of active users, sorted. */
    departments(): string[] {
      return (
        db.prepare(`SELECT DISTINCT department FROM users WHERE status = 'active' AND telegram_id IS NOT NULL ORDER BY department`).all() as {
          department: string;
        }[]
      ).map((r) => r.department);
    },

    /** Users whose name contains the text (for /user). */
    findUsers(name: string): { id: number; name: string; department: string; staffId: string; status: string }[] {
      return db
        .prepare(
          `SELECT id, name, department, staff_id AS staffId, status FROM users
           WHERE name LIKE '%' || @q || '%' ESCAPE '\\' OR staff_id = upper(@q) ORDER BY name = @q DESC, name, id LIMIT 20`,
        )
        .all({ q: name.trim().replace(/[\\%_]/g, (c) => `\\${c}`) }) as { id: number; name: string; department: string; staffId: string; status: string }[];
    },

    /** One person's weekly record, newest week first. */
    history(userId: number): PersonHistory | undefined {
      const u = db
        .prepare(
          `SELECT u.id AS user_id, u.staff_id, u.name, u.department, u.rank, u.status AS account_status, u.telegram_id, ${rolesSql} AS roles
           FROM users u WHERE u.id = ?`,
        )
        .get(userId) as PeopleRow | undefined;
      if (!u) return undefined;
      const weeks = (db.prepare(`SELECT * FROM weekly_results WHERE user_id = ? ORDER BY week DESC`).all(userId) as WeeklyRow[])
        .map(toWeekly)
        .map(({ userId: _u, updatedAt: _t, ...week }) => week);
      const { status: _s, score: _sc, passMark: _p, attempts: _a, durationMs: _d, hours: _h, ...user } = toPerson({ ...u, status: null } as PeopleRow);
      return {
        user,
        weeks,
        weeksPassed: weeks.filter((w) => w.status === 'passed').length,
        totalHours: weeks.reduce((n, w) => n + w.hours, 0),
        weakArticles: weakQuery({ fromWeek: '0000-W00', toWeek: '9999-W99' }, 'AND t.user_id = @userId', 5, { userId }),
      };
    },

    /** Articles most often answered wrong in a time range (default: this calendar month), most wrong first. */
    weakArticles(range?: TimeRange, limit = 20): WeakArticle[] {
      return weakQuery(range ?? monthRange(now(), tz), '', limit);
    },

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
