/**
 * A records database on disk with a simulated term (40 users, 12 weeks), the admin read models over it,
 * and an independent computation of a week's overview straight from the raw rows (not through stats.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminStats, type AdminStats } from '../../src/admin/stats.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { quizWeekFromKey } from '../../src/quiz/week.ts';
import { openSqliteRecords, type SqliteRecords } from '../../src/records/index.ts';
import { simulateTerm, SIM_NOW, type SimulatedTerm, type SimulateTermOptions } from '../helpers/simulate-term.ts';

export interface Fixture {
  dir: string;
  config: Config;
  records: SqliteRecords;
  term: SimulatedTerm;
  stats: AdminStats;
  now: () => Date;
  close(): Promise<void>;
}

/** A simulated year: 52 weeks ending in the first week of 2027, so all of 2026 (53 ISO weeks) is over. */
export const YEAR_NOW = new Date('2027-01-06T04:00:00Z'); // Wednesday 12:00 in Shanghai, week 2027-W01

export async function termFixture(env: Record<string, string> = {}, sim: Pick<SimulateTermOptions, 'weeks' | 'now'> = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'pufa-admin-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env }, { dataDir: join(dir, 'data'), knowledgeDir: join(dir, 'knowledge') }, dir);
  const records = openSqliteRecords(join(config.dataDir, 'pufa.sqlite'));
  const at = sim.now ?? SIM_NOW;
  const term = await simulateTerm(records, { now: at, weeks: sim.weeks });
  const now = () => at;
  return {
    dir,
    config,
    records,
    term,
    now,
    stats: createAdminStats(records, { timezone: config.quiz.timezone, now }),
    async close() {
      await records.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Expected {
  eligible: number;
  finished: number;
  passed: number;
  completion: string;
  pass: string;
  avg: string;
  byDepartment: Map<string, { eligible: number; finished: number; passed: number }>;
}

const fmtPct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '—');

/** A week's overview computed in plain JavaScript over the raw users and weekly_results rows. */
export function expectedWeek(records: SqliteRecords, week: string, timezone = 'Asia/Shanghai'): Expected {
  const end = quizWeekFromKey(week, timezone).end.getTime();
  const users = records.db
    .prepare(
      `SELECT id, department, status, created_at,
         EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = users.id AND i.channel <> 'local') AS reachable
       FROM users`,
    )
    .all() as {
    id: number;
    department: string;
    status: string;
    reachable: number;
    created_at: string;
  }[];
  const results = new Map(
    (records.db.prepare('SELECT user_id, status, score FROM weekly_results WHERE week = ?').all(week) as { user_id: number; status: string; score: number | null }[]).map(
      (r) => [r.user_id, r],
    ),
  );
  const eligible = users.filter((u) => u.status === 'active' && u.reachable === 1 && Date.parse(u.created_at) < end);
  const byDepartment = new Map<string, { eligible: number; finished: number; passed: number }>();
  let finished = 0;
  let passed = 0;
  let scoreSum = 0;
  for (const u of eligible) {
    const r = results.get(u.id);
    const done = r?.status === 'completed' || r?.status === 'passed';
    const d = byDepartment.get(u.department) ?? { eligible: 0, finished: 0, passed: 0 };
    d.eligible++;
    if (done) {
      finished++;
      d.finished++;
      scoreSum += r!.score!;
    }
    if (r?.status === 'passed') {
      passed++;
      d.passed++;
    }
    byDepartment.set(u.department, d);
  }
  return {
    eligible: eligible.length,
    finished,
    passed,
    completion: fmtPct(finished, eligible.length),
    pass: fmtPct(passed, finished),
    avg: finished ? (scoreSum / finished).toFixed(1) : '—',
    byDepartment,
  };
}

/** The value of a cookie a response sets. */
export function cookieOf(res: Response, name: string): string | undefined {
  for (const c of res.headers.getSetCookie()) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return m[1];
  }
  return undefined;
}
