/** The training read model over SQLite: the counting queries behind the dashboard, /stats and exports. */
import type Database from 'better-sqlite3';
import type { GroupBy, GroupCounts, LawStudied, PersonPeriodCounts, PersonSummary, PersonWeekRow, QuestionCounts, TrainingReadModel, WeakArticleCounts, WeekWindow } from './read-model.ts';
import type { WeekStatus } from './training.ts';
import { identitiesByUser } from './sqlite-users.ts';
import type { Identity, UserStatus } from './types.ts';

/** The eligible population of a week (see read-model.ts), as a condition on `u` with the parameter @weekEnd. */
const REACHABLE_SQL = `EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = u.id AND i.channel <> 'local')`;
const ELIGIBLE_SQL = `u.status = 'active' AND u.created_at < @weekEnd AND ${REACHABLE_SQL}`;

const GROUP_KEY: Record<GroupBy, string> = { overall: "''", department: 'u.department', rank: 'u.rank' };

/** Who a person is (PersonSummary's columns), selected from `u`. */
const PERSON_SQL = `u.id AS user_id, u.staff_id, u.name, u.department, u.rank, u.status AS account_status,
      (SELECT json_group_array(role) FROM (SELECT role FROM user_roles WHERE user_id = u.id ORDER BY position)) AS roles`;

type PersonColumns = { user_id: number; staff_id: string; name: string; department: string; rank: string; account_status: UserStatus; roles: string };

/** The PersonSummary of a row selected with PERSON_SQL. */
const summaryOf = (r: PersonColumns, identities: Map<number, Identity[]>): PersonSummary => ({
  userId: r.user_id,
  staffId: r.staff_id,
  name: r.name,
  department: r.department,
  rank: r.rank,
  roles: JSON.parse(r.roles) as string[],
  accountStatus: r.account_status,
  identities: identities.get(r.user_id) ?? [],
});

interface GroupRow {
  key: string;
  eligible: number;
  finished: number | null;
  passed: number | null;
  avg_score: number | null;
  hours: number | null;
}

interface PeopleRow extends PersonColumns {
  eligible: number;
  status: WeekStatus | null;
  score: number | null;
  pass_mark: number | null;
  attempts: number | null;
  duration_ms: number | null;
  hours: number | null;
}

interface PeriodRow extends PersonColumns {
  eligible_weeks: number;
  finished: number;
  passed: number;
  hours: number;
  score_sum: number;
  duration_ms: number;
}

interface QuestionRow {
  question_id: string;
  type: QuestionCounts['type'];
  law: string;
  article: number;
  article_suffix: number;
  version: string;
  answered: number;
  right_count: number;
  sample_attempt: number;
  sample_index: number;
}

export function createSqliteReadModel(db: Database.Database): TrainingReadModel {
  const groupSql = (by: GroupBy) => {
    const key = GROUP_KEY[by];
    return `
      SELECT ${key} AS key, COUNT(*) AS eligible,
        SUM(r.status IN ('completed', 'passed')) AS finished,
        SUM(r.status = 'passed') AS passed,
        AVG(CASE WHEN r.status IN ('completed', 'passed') THEN r.score END) AS avg_score,
        SUM(r.hours) AS hours
      FROM users u LEFT JOIN weekly_results r ON r.user_id = u.id AND r.week = @week
      WHERE ${ELIGIBLE_SQL}
      ${by === 'overall' ? '' : `GROUP BY ${key} ORDER BY ${key}`}`;
  };
  const groupQ = {
    overall: db.prepare(groupSql('overall')),
    department: db.prepare(groupSql('department')),
    rank: db.prepare(groupSql('rank')),
  };
  const peopleQ = db.prepare(`
    SELECT ${PERSON_SQL},
      (${ELIGIBLE_SQL}) AS eligible,
      r.status, r.score, r.pass_mark, r.attempts, r.duration_ms, r.hours
    FROM users u LEFT JOIN weekly_results r ON r.user_id = u.id AND r.week = @week
    WHERE (${ELIGIBLE_SQL}) OR r.user_id IS NOT NULL
    ORDER BY u.department, u.name, u.id`);
  const departmentsQ = db.prepare(`SELECT DISTINCT u.department FROM users u WHERE u.status = 'active' AND ${REACHABLE_SQL} ORDER BY u.department`);
  const weakSql = (range: 'instants' | 'weeks', oneUser: boolean) => `
    SELECT a.law, a.article, a.article_suffix, MAX(a.version) AS version, COUNT(*) AS answers,
      SUM(1 - a.correct) AS wrong, COUNT(DISTINCT CASE WHEN a.correct = 0 THEN t.user_id END) AS people
    FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id
    WHERE ${range === 'instants' ? 'a.answered_at >= @since AND a.answered_at < @until' : 't.week >= @fromWeek AND t.week <= @toWeek'}
      ${oneUser ? 'AND t.user_id = @userId' : ''}
    GROUP BY a.law, a.article, a.article_suffix
    HAVING wrong > 0
    ORDER BY wrong DESC, CAST(wrong AS REAL) / answers DESC, a.law, a.article, a.article_suffix
    LIMIT @limit`;
  const weakQ = {
    instants: [db.prepare(weakSql('instants', false)), db.prepare(weakSql('instants', true))],
    weeks: [db.prepare(weakSql('weeks', false)), db.prepare(weakSql('weeks', true))],
  };
  // The weeks of a period as rows (key, week_end), from a JSON array parameter @weeks.
  const WEEKS_CTE = `w AS (SELECT json_extract(value, '$.key') AS key, json_extract(value, '$.end') AS week_end FROM json_each(@weeks))`;
  const PERIOD_ELIGIBLE = `FROM users u JOIN w ON u.created_at < w.week_end`;
  const periodPeopleQ = db.prepare(`
    WITH ${WEEKS_CTE}
    SELECT ${PERSON_SQL},
      COUNT(*) AS eligible_weeks,
      COALESCE(SUM(r.status IN ('completed', 'passed')), 0) AS finished,
      COALESCE(SUM(r.status = 'passed'), 0) AS passed,
      COALESCE(SUM(r.hours), 0) AS hours,
      COALESCE(SUM(CASE WHEN r.status IN ('completed', 'passed') THEN r.score END), 0) AS score_sum,
      COALESCE(SUM(r.duration_ms), 0) AS duration_ms
    ${PERIOD_ELIGIBLE}
    LEFT JOIN weekly_results r ON r.user_id = u.id AND r.week = w.key
    WHERE u.status = 'active' AND ${REACHABLE_SQL}
    GROUP BY u.id
    ORDER BY u.department, u.name, u.id`);
  const histogramQ = db.prepare(`
    WITH ${WEEKS_CTE}
    SELECT MIN(CAST(r.score * @bins / 100 AS INTEGER), @bins - 1) AS bin, COUNT(*) AS n
    ${PERIOD_ELIGIBLE}
    JOIN weekly_results r ON r.user_id = u.id AND r.week = w.key AND r.status IN ('completed', 'passed')
    WHERE u.status = 'active' AND ${REACHABLE_SQL}
    GROUP BY bin`);
  const questionSql = (oneArticle: boolean) => `
    SELECT a.question_id, a.type, a.law, a.article, a.article_suffix, MAX(a.version) AS version,
      COUNT(*) AS answered, SUM(a.correct) AS right_count,
      -- One attempt that had the question: its text is read afterwards, for the rows returned only (carrying
      -- the attempts' JSON through the grouping would sort megabytes).
      MIN(a.attempt_id) AS sample_attempt, a.question_index AS sample_index
    FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id
    WHERE t.week >= @fromWeek AND t.week <= @toWeek
      ${oneArticle ? 'AND a.law = @law AND a.article = @article AND a.article_suffix = @articleSuffix' : ''}
    GROUP BY a.question_id
    ORDER BY COUNT(*) - SUM(a.correct) DESC, CAST(COUNT(*) - SUM(a.correct) AS REAL) / COUNT(*) DESC, a.law, a.article, a.question_id
    LIMIT @limit`;
  const questionQ = [db.prepare(questionSql(false)), db.prepare(questionSql(true))];
  const choicesQ = db.prepare(`
    SELECT a.question_id, a.chosen, COUNT(*) AS n
    FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id
    WHERE t.week >= @fromWeek AND t.week <= @toWeek AND a.question_id IN (SELECT value FROM json_each(@ids))
    GROUP BY a.question_id, a.chosen`);
  const attemptQuestionsQ = db.prepare('SELECT questions FROM quiz_attempts WHERE id = ?').pluck();
  const lawsQ = db.prepare(`
    SELECT a.law, COUNT(*) AS answers, SUM(1 - a.correct) AS wrong,
      COUNT(DISTINCT a.article * 1000 + a.article_suffix) AS articles, COUNT(DISTINCT t.user_id) AS people
    FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id
    WHERE t.week >= @fromWeek AND t.week <= @toWeek
    GROUP BY a.law
    ORDER BY answers DESC, a.law`);
  const weeksParam = (weeks: WeekWindow[]) => JSON.stringify(weeks.map((w) => ({ key: w.key, end: w.end.toISOString() })));
  const xapiQ = db.prepare('SELECT statement FROM xapi_statements WHERE week >= ? AND week <= ? ORDER BY week, stored_at, id');

  const params = (week: { key: string; end: Date }) => ({ week: week.key, weekEnd: week.end.toISOString() });
  const identitiesOf = identitiesByUser(db);
  const toPerson = (r: PeopleRow, identities: Map<number, Identity[]>): PersonWeekRow => ({
    ...summaryOf(r, identities),
    eligible: r.eligible === 1,
    result:
      r.status === null
        ? null
        : { status: r.status, score: r.score, passMark: r.pass_mark!, attempts: r.attempts ?? 0, durationMs: r.duration_ms ?? 0, hours: r.hours ?? 0 },
  });

  return {
    async groups(week, by) {
      return (groupQ[by].all(params(week)) as GroupRow[]).map(
        (r): GroupCounts => ({
          key: r.key,
          eligible: r.eligible,
          finished: r.finished ?? 0,
          passed: r.passed ?? 0,
          avgScore: r.finished ? r.avg_score : null,
          hours: r.hours ?? 0,
        }),
      );
    },
    async peopleOfWeek(week) {
      const rows = peopleQ.all(params(week)) as PeopleRow[];
      const identities = identitiesOf(rows.map((r) => r.user_id));
      return rows.map((r) => toPerson(r, identities));
    },
    departments: async () => (departmentsQ.all() as { department: string }[]).map((r) => r.department),
    async weakArticles(range, opts = {}) {
      const p: Record<string, unknown> = { limit: opts.limit ?? 20 };
      if (opts.userId !== undefined) p.userId = opts.userId;
      let q: Database.Statement;
      if ('since' in range) {
        p.since = range.since.toISOString();
        p.until = range.until.toISOString();
        q = weakQ.instants[opts.userId === undefined ? 0 : 1]!;
      } else {
        p.fromWeek = range.fromWeek;
        p.toWeek = range.toWeek;
        q = weakQ.weeks[opts.userId === undefined ? 0 : 1]!;
      }
      const rows = q.all(p) as { law: string; article: number; article_suffix: number; version: string; answers: number; wrong: number; people: number }[];
      return rows.map(
        (r): WeakArticleCounts => ({
          law: r.law,
          article: r.article,
          articleSuffix: r.article_suffix,
          version: r.version,
          answers: r.answers,
          wrong: r.wrong,
          people: r.people,
        }),
      );
    },
    xapiStatements: async (fromWeek, toWeek) => (xapiQ.all(fromWeek, toWeek) as { statement: string }[]).map((r) => JSON.parse(r.statement)),
    async periodPeople(weeks) {
      const rows = periodPeopleQ.all({ weeks: weeksParam(weeks) }) as PeriodRow[];
      const identities = identitiesOf(rows.map((r) => r.user_id));
      return rows.map(
        (r): PersonPeriodCounts => ({
          ...summaryOf(r, identities),
          eligibleWeeks: r.eligible_weeks,
          finishedWeeks: r.finished,
          passedWeeks: r.passed,
          hours: r.hours,
          scoreSum: r.score_sum,
          durationMs: r.duration_ms,
        }),
      );
    },
    async scoreHistogram(weeks, bins = 10) {
      const out = Array.from({ length: bins }, () => 0);
      for (const r of histogramQ.all({ weeks: weeksParam(weeks), bins }) as { bin: number; n: number }[]) out[Math.max(0, r.bin)]! += r.n;
      return out;
    },
    async questionStats(range, opts = {}) {
      const one = opts.law !== undefined && opts.article !== undefined;
      const p: Record<string, unknown> = { fromWeek: range.fromWeek, toWeek: range.toWeek, limit: opts.limit ?? 200 };
      if (one) Object.assign(p, { law: opts.law, article: opts.article, articleSuffix: opts.articleSuffix ?? 0 });
      const rows = questionQ[one ? 1 : 0]!.all(p) as QuestionRow[];
      const choices = new Map<string, Map<string, number>>();
      if (rows.length) {
        for (const c of choicesQ.all({ fromWeek: range.fromWeek, toWeek: range.toWeek, ids: JSON.stringify(rows.map((r) => r.question_id)) }) as { question_id: string; chosen: string; n: number }[]) {
          // The same set of options counts as one choice however it was ticked.
          const key = JSON.stringify((JSON.parse(c.chosen) as number[]).slice().sort((x, y) => x - y));
          const byChoice = choices.get(c.question_id) ?? new Map<string, number>();
          byChoice.set(key, (byChoice.get(key) ?? 0) + c.n);
          choices.set(c.question_id, byChoice);
        }
      }
      return rows.map((r): QuestionCounts => {
        const json = attemptQuestionsQ.get(r.sample_attempt) as string | undefined;
        const q = (json ? (JSON.parse(json) as { stem?: string; options?: string[]; answer?: number[] }[])[r.sample_index] : undefined) ?? {};
        return {
          questionId: r.question_id,
          type: r.type,
          law: r.law,
          article: r.article,
          articleSuffix: r.article_suffix,
          version: r.version,
          stem: q.stem ?? '',
          options: q.options ?? [],
          answer: q.answer ?? [],
          answered: r.answered,
          right: r.right_count,
          choices: [...(choices.get(r.question_id) ?? new Map<string, number>()).entries()]
            .map(([k, count]) => ({ chosen: JSON.parse(k) as number[], count }))
            .sort((x, y) => y.count - x.count || JSON.stringify(x.chosen).localeCompare(JSON.stringify(y.chosen))),
        };
      });
    },
    lawsStudied: async (range) => lawsQ.all({ fromWeek: range.fromWeek, toWeek: range.toWeek }) as LawStudied[],
  };
}
