/**
 * After a simulated year (40 people, 52 weeks of quizzes ending in the first week of 2027), the 2026 annual
 * summary — what the bureau's 法治政府建设 report cites — equals an independent SQL computation over the raw
 * rows: on the page (read in Chromium), in the XLSX download and in the printed page (Chromium's PDF of the
 * printable page, read back as text).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAdminApp, type RunningAdminServer } from '../../src/admin/server.ts';
import { SUMMARY_SHEETS } from '../../src/admin/summary.ts';
import { createAdminApp } from '../../src/admin/web/app.ts';
import { readKnowledgeFile } from '../../src/knowledge/readers.ts';
import { silentLogger } from '../../src/log.ts';
import { adminContext, launchChromium } from '../helpers/chromium.ts';
import { termFixture, YEAR_NOW, type Fixture } from './fixture.ts';

const DAY = 86_400_000;
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '—');
const hours = (x: number) => String(Math.round(x * 100) / 100);

interface Totals {
  people: number;
  participants: number;
  fully: number;
  eligible: number;
  finished: number;
  passed: number;
  hours: number;
  avg: number | null;
}

/** 2026's figures straight from the tables: ISO weeks 2026-W01 … W53, Shanghai (UTC+8, no DST). */
function expected(f: Fixture) {
  const db = f.records.db;
  // 2026-W01 starts on Monday 2025-12-29; a week ends at the next Monday 00:00 local (Sunday 16:00 UTC).
  const weeks = Array.from({ length: 53 }, (_, i) => [`2026-W${String(i + 1).padStart(2, '0')}`, new Date(Date.UTC(2025, 11, 29) + (i + 1) * 7 * DAY - 8 * 3600_000).toISOString()]);
  const cte = `WITH w(key, week_end) AS (VALUES ${weeks.map(() => '(?, ?)').join(', ')}),
    pw AS (
      SELECT u.id AS user_id, u.department, u.rank, r.status, r.score, COALESCE(r.hours, 0) AS hours,
        CASE WHEN r.status IN ('completed', 'passed') THEN 1 ELSE 0 END AS done
      FROM users u JOIN w ON u.created_at < w.week_end
      LEFT JOIN weekly_results r ON r.user_id = u.id AND r.week = w.key
      WHERE u.status = 'active' AND EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = u.id AND i.channel <> 'local'))`;
  const totals = (where = '1 = 1', ...args: string[]) =>
    db
      .prepare(
        `${cte} SELECT COUNT(DISTINCT user_id) AS people, COUNT(DISTINCT CASE WHEN done = 1 THEN user_id END) AS participants,
           COUNT(*) AS eligible, SUM(done) AS finished, SUM(status = 'passed') AS passed, SUM(hours) AS hours,
           AVG(CASE WHEN done = 1 THEN score END) AS avg,
           (SELECT COUNT(*) FROM (SELECT user_id FROM pw WHERE ${where} GROUP BY user_id HAVING SUM(done) = COUNT(*))) AS fully
         FROM pw WHERE ${where}`,
      )
      .get(...weeks.flat(), ...args, ...args) as Totals;
  const laws = db
    .prepare(`SELECT COUNT(DISTINCT a.law) AS laws, COUNT(*) AS answers FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id WHERE t.week BETWEEN '2026-W01' AND '2026-W53'`)
    .get() as { laws: number; answers: number };
  const weakest = db
    .prepare(
      `SELECT a.law, a.article, SUM(1 - a.correct) AS wrong FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id
       WHERE t.week BETWEEN '2026-W01' AND '2026-W53' GROUP BY a.law, a.article ORDER BY wrong DESC, CAST(SUM(1 - a.correct) AS REAL) / COUNT(*) DESC, a.law, a.article LIMIT 1`,
    )
    .get() as { law: string; article: number; wrong: number };
  const departments = (db.prepare(`SELECT DISTINCT department FROM users WHERE status = 'active'`).all() as { department: string }[]).map((d) => d.department);
  return { all: totals(), laws, weakest, byDepartment: new Map(departments.map((d) => [d, totals('department = ?', d)])) };
}

let f: Fixture;
let server: RunningAdminServer;
let browser: Browser;
let page: Page;
let e: ReturnType<typeof expected>;

beforeAll(async () => {
  f = await termFixture({}, { weeks: 52, now: YEAR_NOW });
  e = expected(f);
  const app = createAdminApp({ records: f.records, stats: f.stats, faqDir: join(f.dir, 'faq'), logger: silentLogger, now: f.now });
  server = await serveAdminApp(app, '127.0.0.1', 0);
  browser = await launchChromium();
  ({ page } = await adminContext(browser, server.url, f.records, f.term.admin.id, { now: YEAR_NOW }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await f?.close();
});

/** The figures as the summary shows them, by fact key. */
function shown(t: Totals, lawCount: number, answers: number): Record<string, string> {
  return {
    people: `${t.people} 人`,
    participants: `${t.participants} 人`,
    participation: pct(t.participants, t.people),
    fully: `${t.fully} 人`,
    eligibleWeeks: `${t.eligible} 人次`,
    finishedWeeks: `${t.finished} 人次`,
    completion: pct(t.finished, t.eligible),
    passedWeeks: `${t.passed} 人次`,
    pass: pct(t.passed, t.finished),
    avg: t.avg === null ? '—' : t.avg.toFixed(1),
    hours: `${hours(t.hours)} 学时`,
    hoursPerPerson: `${hours(t.hours / t.people)} 学时`,
    laws: `${lawCount} 部`,
    answers: `${answers} 道次`,
  };
}

describe('the 2026 annual summary after a simulated year', () => {
  it('the simulated year is a real one: 40 people, every week of 2026 with results, some missed', () => {
    expect(f.term.weeks).toHaveLength(52);
    expect(f.term.weeks[0]).toBe('2026-W03'); // 2026 has 53 ISO weeks: W01 is before anyone registered, W02 has no quiz at all (missed)
    expect(f.term.currentWeek).toBe('2027-W01');
    expect(e.all.people).toBe(40);
    expect(e.all.eligible).toBeGreaterThan(40 * 50);
    expect(e.all.finished).toBeLessThan(e.all.eligible);
    expect(e.all.passed).toBeLessThan(e.all.finished);
  });

  it('the page shows the figures of the database', async () => {
    await page.goto(`${server.url}/reports/annual?period=2026`);
    const facts = await page.$$eval('[data-testid="facts"] tr[data-fact]', (rows) =>
      Object.fromEntries(rows.map((r) => [r.getAttribute('data-fact'), r.querySelector('[data-field="value"]')!.textContent!.trim()])),
    );
    expect(facts).toMatchObject(shown(e.all, e.laws.laws, e.laws.answers));
    expect(facts.period).toContain('计 53 周');
    for (const [dept, t] of e.byDepartment) {
      const row = page.locator(`[data-testid="departments"] tr[data-key="${dept}"]`);
      expect((await row.locator('[data-field="participants"]').textContent())!.trim(), dept).toBe(String(t.participants));
      expect((await row.locator('[data-field="completion"]').textContent())!.trim(), dept).toBe(pct(t.finished, t.eligible));
      expect((await row.locator('[data-field="hours"]').textContent())!.trim(), dept).toBe(hours(t.hours));
    }
    // Every person counted is listed with their 学时; the weakest article is first.
    expect(await page.locator('[data-testid="people"] tbody tr').count()).toBe(e.all.people);
    expect(await page.textContent('[data-testid="weak"] tbody tr:first-child')).toContain(`第${toChinese(e.weakest.article)}条`);
    expect(await page.locator('[data-testid="laws"] tbody tr').count()).toBe(e.laws.laws);
  });

  it('the XLSX download holds the same figures, as numbers', async () => {
    const res = await page.request.get(`${server.url}/reports/download?period=2026`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toContain(encodeURIComponent('pufa-学法总结-2026.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.body()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(SUMMARY_SHEETS));
    const byCode = new Map<string, unknown>();
    wb.getWorksheet(SUMMARY_SHEETS.facts)!.eachRow((row, n) => {
      if (n > 1 && row.getCell(4).value) byCode.set(String(row.getCell(4).value), row.getCell(2).value);
    });
    const t = e.all;
    expect(Object.fromEntries(['people', 'participants', 'fully', 'eligibleWeeks', 'finishedWeeks', 'passedWeeks', 'laws', 'answers'].map((k) => [k, byCode.get(k)]))).toEqual({
      people: t.people,
      participants: t.participants,
      fully: t.fully,
      eligibleWeeks: t.eligible,
      finishedWeeks: t.finished,
      passedWeeks: t.passed,
      laws: e.laws.laws,
      answers: e.laws.answers,
    });
    expect(byCode.get('completion')).toBeCloseTo(t.finished / t.eligible, 12);
    expect(byCode.get('pass')).toBeCloseTo(t.passed / t.finished, 12);
    expect(byCode.get('hours')).toBe(Math.round(t.hours * 100) / 100);
    expect(byCode.get('hoursPerPerson')).toBe(Math.round((t.hours / t.people) * 100) / 100);
    // Per person: one row each, their 学时 summing to the total.
    const people = wb.getWorksheet(SUMMARY_SHEETS.people)!;
    expect(people.rowCount - 1).toBe(t.people);
    let sum = 0;
    people.eachRow((row, n) => {
      if (n > 1) sum += Number(row.getCell(11).value);
    });
    expect(Math.round(sum * 100) / 100).toBe(Math.round(t.hours * 100) / 100);
    const ranks = wb.getWorksheet(SUMMARY_SHEETS.ranks)!;
    expect(ranks.getRow(2).getCell(1).value).toBe('局领导');
  });

  it('the printed page (Chromium PDF, A4) says the same, without navigation or forms', async () => {
    await page.goto(`${server.url}/reports/annual/print?period=2026`);
    expect(await page.locator('nav').count()).toBe(0);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('form').evaluateAll((forms) => forms.every((x) => getComputedStyle(x).display === 'none'))).toBe(true);
    const file = join(f.dir, 'summary.pdf');
    await writeFile(file, await page.pdf({ format: 'A4', printBackground: true }));
    const text = (await readKnowledgeFile(file)).text.replace(/\s+/g, '');
    const t = e.all;
    const figures = shown(t, e.laws.laws, e.laws.answers);
    // The quotable paragraph carries the headline figures; the table every one of them.
    for (const piece of [`全局应参学干部${t.people}人，参学${t.participants}人（参学率${figures.participation}）`, `完成每周学法考试${t.finished}人次（完成率${figures.completion}）`, `通过率${figures.pass}`, `累计学时${hours(t.hours)}学时，人均${hours(t.hours / t.people)}学时`, `学习法律法规${e.laws.laws}部`]) {
      expect(text).toContain(piece);
    }
    for (const v of Object.values(figures)) expect(text).toContain(v.replace(/\s+/g, ''));
    await page.emulateMedia({ media: 'screen' });
  });
});

/** 18 → 十八, 109 → 一百零九 (enough for the simulated articles). */
function toChinese(n: number): string {
  const d = '零一二三四五六七八九';
  if (n < 10) return d[n]!;
  if (n < 20) return `十${n % 10 ? d[n % 10] : ''}`;
  if (n < 100) return `${d[Math.floor(n / 10)]}十${n % 10 ? d[n % 10] : ''}`;
  const rest = n % 100;
  return `${d[Math.floor(n / 100)]}百${rest === 0 ? '' : rest < 10 ? `零${d[rest]}` : rest < 20 ? `一${toChinese(rest)}` : toChinese(rest)}`;
}
