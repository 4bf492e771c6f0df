/**
 * Read models and exports after a simulated term: the numbers against an independent computation from the
 * raw rows, and the export files (XLSX through exceljs, CSV through csv-parse, xAPI JSON) read back and
 * compared with the database. Also `pufa export` end to end.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExportFile, SHEET_NAMES, TOTAL_LABEL } from '../../src/admin/export.ts';
import { CLOSED_WEEK_STATUS_LABEL, pct, score, WEEK_STATUS_LABEL } from '../../src/admin/labels.ts';
import { main } from '../../src/cli/main.ts';
import { quizWeekOf } from '../../src/quiz/week.ts';
import { expectedWeek, termFixture, type Fixture } from './fixture.ts';

let f: Fixture;
beforeAll(async () => {
  f = await termFixture();
});
afterAll(() => f?.close());

describe('read models after a simulated term', () => {
  it('simulates 40 active users over 12 weeks, with a late joiner, a disabled and a pending user', () => {
    expect(f.term.users).toHaveLength(40);
    expect(f.term.weeks).toHaveLength(12);
    expect(f.term.currentWeek).toBe('2026-W48');
    expect(f.term.disabledUser.status).toBe('disabled');
    expect(f.term.pendingUser.status).toBe('pending');
    const n = (sql: string) => (f.records.db.prepare(sql).get() as { n: number }).n;
    // Every finished attempt has its answers and one xAPI statement; every answered question belongs to an attempt.
    expect(n(`SELECT COUNT(*) AS n FROM quiz_attempts WHERE status = 'completed'`)).toBe(n('SELECT COUNT(*) AS n FROM xapi_statements'));
    expect(n(`SELECT COUNT(*) AS n FROM quiz_attempts t WHERE status = 'completed' AND (SELECT COUNT(*) FROM quiz_answers a WHERE a.attempt_id = t.id) != t.total`)).toBe(0);
    // A passed week carries the pass credit and a score at or above its pass mark.
    expect(n(`SELECT COUNT(*) AS n FROM weekly_results WHERE status = 'passed' AND (score < pass_mark OR hours != 0.5)`)).toBe(0);
    expect(n(`SELECT COUNT(*) AS n FROM weekly_results WHERE status != 'passed' AND hours != 0`)).toBe(0);
  });

  it('week statistics equal the independent computation, for every week of the term', async () => {
    for (const week of f.term.weeks) {
      const s = await f.stats.weekStats(week);
      const e = expectedWeek(f.records, week);
      expect({ week, eligible: s.overall.eligible, finished: s.overall.finished, passed: s.overall.passed }).toEqual({
        week,
        eligible: e.eligible,
        finished: e.finished,
        passed: e.passed,
      });
      expect(pct(s.overall.completionRate)).toBe(e.completion);
      expect(pct(s.overall.passRate)).toBe(e.pass);
      expect(score(s.overall.avgScore)).toBe(e.avg);
      for (const d of s.departments) expect({ eligible: d.eligible, finished: d.finished, passed: d.passed }).toEqual(e.byDepartment.get(d.key));
      expect(s.departments.reduce((n, d) => n + d.eligible, 0)).toBe(e.eligible);
      expect(s.ranks.reduce((n, d) => n + d.finished, 0)).toBe(e.finished);
    }
  });

  it('counts the late joiner only from the week they joined, and never the disabled or pending user', async () => {
    const first = await f.stats.weekStats(f.term.weeks[0]);
    const last = await f.stats.weekStats(f.term.currentWeek);
    expect(first.overall.eligible).toBe(39);
    expect(last.overall.eligible).toBe(40);
    const people = await f.stats.people({ week: f.term.weeks[0] });
    expect(people.some((p) => p.userId === f.term.lateJoiner.id)).toBe(false);
    // The disabled user's early record still shows in the week's rows (and exports), but not in the eligible count.
    expect(people.some((p) => p.userId === f.term.disabledUser.id && p.accountStatus === 'disabled')).toBe(true);
    expect(people.some((p) => p.userId === f.term.pendingUser.id)).toBe(false);
  });

  it('the change from last week is the difference of the two weeks', async () => {
    const [prev, cur] = [await f.stats.weekStats('2026-W47'), await f.stats.weekStats('2026-W48')];
    expect(cur.overall.change.completionRate).toBeCloseTo(cur.overall.completionRate! - prev.overall.completionRate!, 12);
    expect(cur.overall.change.avgScore).toBeCloseTo(cur.overall.avgScore! - prev.overall.avgScore!, 12);
  });

  it('pending lists exactly the eligible people without a finished quiz this week', async () => {
    const pending = await f.stats.pending();
    const finished = new Set(
      (f.records.db.prepare(`SELECT user_id FROM weekly_results WHERE week = '2026-W48' AND status IN ('completed','passed')`).all() as { user_id: number }[]).map(
        (r) => r.user_id,
      ),
    );
    const expected = f.term.users.filter((u) => !finished.has(u.id)).map((u) => u.id).sort((a, b) => a - b);
    expect(pending.map((p) => p.userId).sort((a, b) => a - b)).toEqual(expected);
    expect(pending.every((p) => p.status === 'not_started' || p.status === 'in_progress')).toBe(true);
  });

  it('weak articles of this month are ranked by wrong answers, from quiz_answers', async () => {
    const month = f.stats.thisMonth();
    expect(month.label).toBe('2026年11月');
    const weak = await f.stats.weakArticles(month, 5);
    const rows = f.records.db
      .prepare(
        `SELECT law, article, SUM(1 - correct) AS wrong, COUNT(*) AS answers FROM quiz_answers
         WHERE answered_at >= ? AND answered_at < ? GROUP BY law, article ORDER BY wrong DESC, CAST(wrong AS REAL) / answers DESC, law, article LIMIT 5`,
      )
      .all(month.since.toISOString(), month.until.toISOString()) as { law: string; article: number; wrong: number }[];
    expect(weak.map((w) => [w.law, w.article, w.wrong])).toEqual(rows.map((r) => [r.law, r.article, r.wrong]));
    for (let i = 1; i < weak.length; i++) expect(weak[i - 1]!.wrong).toBeGreaterThanOrEqual(weak[i]!.wrong);
  });

  it("one person's history lists every week since registration: recorded ones as stored, the others as missed", async () => {
    const u = f.term.users[5]!;
    const h = (await f.stats.history(u.id))!;
    const rows = f.records.db.prepare('SELECT week, status, hours FROM weekly_results WHERE user_id = ? ORDER BY week DESC').all(u.id) as { week: string; status: string; hours: number }[];
    // Registered a week before the term: the term's 12 weeks and the week before, newest first.
    const created = quizWeekOf(new Date(u.createdAt), f.config.quiz.timezone);
    const expectedWeeks = [...f.term.weeks].reverse();
    if (created.key !== expectedWeeks.at(-1)) expectedWeeks.push(created.key);
    expect(h.weeks.map((w) => w.week)).toEqual(expectedWeeks);
    const stored = new Map(rows.map((r) => [r.week, r.status]));
    for (const w of h.weeks) {
      expect(w.recorded, w.week).toBe(stored.has(w.week));
      expect(w.status, w.week).toBe(stored.get(w.week) ?? 'not_started');
      // Only this week is open: a past unfinished week is closed, so it reads as missed, never 进行中.
      expect(w.closed, w.week).toBe(w.week !== f.term.currentWeek);
    }
    expect(h.weeks.filter((w) => !w.recorded).length).toBeGreaterThan(0);
    expect(h.totalHours).toBe(rows.reduce((n, r) => n + r.hours, 0));
    expect((await f.stats.findUsers(u.name)).map((x) => x.id)).toContain(u.id);
  });

  it('trend covers 12 weeks, oldest first, matching each week', async () => {
    const t = await f.stats.trend(12);
    expect(t.map((x) => x.week)).toEqual(f.term.weeks);
    expect(t[3]!.finished).toBe(expectedWeek(f.records, t[3]!.week).finished);
  });
});

describe('exports read back', () => {
  const range = { fromWeek: '2026-W37', toWeek: '2026-W48' };

  it('XLSX: one sheet per view, Chinese headers, frozen header row, widths; rows equal the database', async () => {
    const file = await buildExportFile({ stats: f.stats }, { format: 'xlsx', ...range });
    expect(file.filename).toBe('pufa-学法考试-2026-W37至2026-W48.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.data as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEET_NAMES.people, SHEET_NAMES.departments, SHEET_NAMES.ranks, SHEET_NAMES.weak, SHEET_NAMES.notes]);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      for (const col of ws.columns) expect(col.width).toBeGreaterThanOrEqual(8);
    }
    const people = wb.getWorksheet(SHEET_NAMES.people)!;
    const header = (people.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['周次', '姓名', '学员编号', '科室', '职级', '岗位角色', '账号状态', '本周状态', '成绩', '及格线', '作答次数', '用时（分钟）', '学时']);

    // Every weekly_results row of the range appears with its status, score and hours; everyone eligible has a row.
    const rows: Record<string, unknown>[] = [];
    people.eachRow((row, i) => {
      if (i === 1) return;
      const v = row.values as unknown[];
      rows.push(Object.fromEntries(header.map((h, j) => [h, v[j + 1] ?? null])));
    });
    const db = f.records.db
      .prepare(
        `SELECT r.week, u.staff_id, r.status, r.score, r.hours FROM weekly_results r JOIN users u ON u.id = r.user_id WHERE r.week BETWEEN ? AND ?`,
      )
      .all(range.fromWeek, range.toWeek) as { week: string; staff_id: string; status: keyof typeof WEEK_STATUS_LABEL; score: number | null; hours: number }[];
    const byKey = new Map(rows.map((r) => [`${r['周次']}|${r['学员编号']}`, r]));
    for (const d of db) {
      const r = byKey.get(`${d.week}|${d.staff_id}`);
      expect(r, `${d.week} ${d.staff_id}`).toBeDefined();
      // A closed week reads as missed where it was not finished; only this week can be 进行中.
      expect(r!['本周状态']).toBe((d.week === f.term.currentWeek ? WEEK_STATUS_LABEL : CLOSED_WEEK_STATUS_LABEL)[d.status]);
      expect(r!['成绩']).toBe(d.score);
      expect(r!['学时']).toBe(d.hours);
    }
    const eligibleTotal = f.term.weeks.reduce((n, w) => n + expectedWeek(f.records, w).eligible, 0);
    expect(rows.filter((r) => r['账号状态'] === '已开通').length).toBe(eligibleTotal);
    expect(rows.reduce((n, r) => n + Number(r['学时']), 0)).toBeCloseTo(
      (f.records.db.prepare('SELECT SUM(hours) AS h FROM weekly_results WHERE week BETWEEN ? AND ?').get(range.fromWeek, range.toWeek) as { h: number }).h,
      9,
    );

    // Department summary: the 合计 row of each week equals the overview of that week.
    const dept = wb.getWorksheet(SHEET_NAMES.departments)!;
    const totals = new Map<string, unknown[]>();
    dept.eachRow((row, i) => {
      const v = row.values as unknown[];
      if (i > 1 && v[2] === TOTAL_LABEL) totals.set(String(v[1]), v);
    });
    expect(totals.size).toBe(12);
    for (const week of f.term.weeks) {
      const e = expectedWeek(f.records, week);
      const v = totals.get(week)!;
      expect([v[3], v[4], v[6]]).toEqual([e.eligible, e.finished, e.passed]);
      expect(pct(v[5] as number)).toBe(e.completion);
      expect(dept.getCell(2, 5).numFmt).toBe('0.0%');
    }

    // Weak articles over the range, ranked.
    const weak = wb.getWorksheet(SHEET_NAMES.weak)!;
    const top = weak.getRow(2).values as unknown[];
    const topDb = f.records.db
      .prepare(
        `SELECT a.law, a.article, SUM(1 - a.correct) AS wrong FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id
         WHERE t.week BETWEEN ? AND ? GROUP BY a.law, a.article ORDER BY wrong DESC LIMIT 1`,
      )
      .get(range.fromWeek, range.toWeek) as { law: string; article: number; wrong: number };
    expect([top[1], top[2], top[4], top[7]]).toEqual([1, topDb.law, topDb.article, topDb.wrong]);
  });

  it('CSV: UTF-8 with BOM, parsed back, equal to the XLSX view', async () => {
    const csv = await buildExportFile({ stats: f.stats }, { format: 'csv', view: 'departments', ...range });
    expect([...csv.data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(csv.data.toString('utf8'), { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(['周次', '科室', '应参加人数', '完成人数', '完成率', '通过人数', '通过率', '平均分', '学时合计']);
    const w48 = records.find((r) => r['周次'] === '2026-W48' && r['科室'] === TOTAL_LABEL)!;
    const e = expectedWeek(f.records, '2026-W48');
    expect([Number(w48['应参加人数']), Number(w48['完成人数']), w48['完成率'], w48['通过率']]).toEqual([e.eligible, e.finished, e.completion, e.pass]);

    const peopleCsv = await buildExportFile({ stats: f.stats }, { format: 'csv', view: 'people', ...range });
    const people = parse(peopleCsv.data.toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
    const count = (f.records.db.prepare('SELECT COUNT(*) AS n FROM weekly_results WHERE week BETWEEN ? AND ?').get(range.fromWeek, range.toWeek) as { n: number }).n;
    expect(people.filter((p) => !['未开始', '未参加（已截止）'].includes(p['本周状态']!) || p['作答次数'] !== '0').length).toBeLessThanOrEqual(count);
    expect(people.some((p) => p['岗位角色']?.includes('、'))).toBe(true);
  });

  it('xAPI: a JSON array of exactly the stored statements of the range', async () => {
    const file = await buildExportFile({ stats: f.stats }, { format: 'xapi', fromWeek: '2026-W47', toWeek: '2026-W48' });
    const statements = JSON.parse(file.data.toString('utf8')) as { id: string; actor: { account: { name: string } }; verb: { id: string } }[];
    const stored = f.records.db.prepare(`SELECT id, statement FROM xapi_statements WHERE week IN ('2026-W47', '2026-W48')`).all() as { id: string; statement: string }[];
    expect(statements.map((s) => s.id).sort()).toEqual(stored.map((s) => s.id).sort());
    expect(statements).toEqual(expect.arrayContaining(stored.map((s) => JSON.parse(s.statement))));
    // The actor is the opaque staff id, never a Telegram id.
    expect(statements.every((s) => s.actor.account.name.startsWith('PF-'))).toBe(true);
  });

  it('pufa export writes the file and logs the export in the audit log', async () => {
    const out = join(f.dir, 'records.xlsx');
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += d));
    const code = await main(['export', '--data', f.config.dataDir, '--from', '2026-W45', '--to', '2026-W48', '--format', 'xlsx', '--out', out], {
      stdout: new PassThrough(),
      stderr,
      stdin: new PassThrough(),
      env: { LOG_LEVEL: 'silent' },
      cwd: f.dir,
    });
    expect(code, err).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(out)) as unknown as ArrayBuffer);
    expect(wb.getWorksheet(SHEET_NAMES.people)!.rowCount).toBeGreaterThan(4 * 39);
    expect((await f.records.audit.recent(5)).some((a) => a.action === 'admin.export' && a.detail.via === 'cli')).toBe(true);

    const bad = await main(['export', '--data', f.config.dataDir, '--format', 'pdf'], {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      env: { LOG_LEVEL: 'silent' },
      cwd: f.dir,
    });
    expect(bad).toBe(2);
  });
});
