/**
 * The dashboard in headless Chromium (Debian's package, driven by playwright-core) against the server on
 * 127.0.0.1, after a simulated term: log in, the overview numbers equal the records (computed here from
 * the raw rows), the chart draws, people filter, the export downloads and reads back; a screenshot is saved.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAdminApp, type RunningAdminServer } from '../../src/admin/server.ts';
import { createAdminApp } from '../../src/admin/web/app.ts';
import { silentLogger } from '../../src/log.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { REPO_ROOT } from '../helpers/test-index.ts';
import { expectedWeek, termFixture, type Fixture } from './fixture.ts';

const TOKEN = 'browser-test-token-7f3a';
const ARTIFACTS = resolve(REPO_ROOT, 'test-artifacts');

let f: Fixture;
let server: RunningAdminServer;
let browser: Browser;
let page: Page;
const requested: string[] = [];

beforeAll(async () => {
  f = await termFixture();
  const app = createAdminApp({ records: f.records, stats: f.stats, token: TOKEN, faqDir: join(f.dir, 'faq'), logger: silentLogger, now: f.now });
  server = await serveAdminApp(app, '127.0.0.1', 0);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('request', (r) => requested.push(r.url()));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await f?.close();
});

describe('dashboard in Chromium', () => {
  it('refuses a wrong token, then logs in', async () => {
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=token]', 'not-the-token');
    await Promise.all([page.waitForURL(/failed=1/), page.click('[data-testid=token-login] button[type=submit]')]);
    expect(await page.textContent('.error')).toContain('口令错误');
    await page.fill('input[name=token]', TOKEN);
    await Promise.all([page.waitForURL(`${server.url}/`), page.click('[data-testid=token-login] button[type=submit]')]);
    // The session cookie is HttpOnly: scripts on the page cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('pufa_admin_session');
  });

  it('the overview numbers equal the records, and the 12-week chart draws', async () => {
    await page.waitForSelector('body[data-chart-ready="1"]');
    const e = expectedWeek(f.records, '2026-W48');
    const stat = async (name: string) => (await page.textContent(`[data-stat="${name}"]`))!.trim();
    expect(await stat('completion')).toBe(e.completion);
    expect(await stat('pass')).toBe(e.pass);
    expect(await stat('avg')).toBe(e.avg);
    expect(Number(await stat('eligible'))).toBe(e.eligible);
    expect(Number(await stat('finished'))).toBe(e.finished);
    expect(Number(await stat('passed'))).toBe(e.passed);
    expect(Number(await stat('pending'))).toBe(e.eligible - e.finished);
    for (const [dept, d] of e.byDepartment) {
      const cell = await page.textContent(`[data-testid="departments"] tr[data-key="${dept}"] [data-field="completion"]`);
      expect(cell, dept).toBe(`${((100 * d.finished) / d.eligible).toFixed(1)}%`);
    }
    const box = await page.locator('#trend-chart').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(200);
    // The chart has 12 weeks of points: read back from Chart.js itself.
    const labels = await page.evaluate(() => (window as unknown as { Chart: { getChart(el: Element): { data: { labels: string[] } } } }).Chart.getChart(document.getElementById('trend-chart')!).data.labels);
    expect(labels).toEqual(f.term.weeks);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'admin-overview.png'), fullPage: true });
  });

  it('filters people by department and status', async () => {
    await page.click('nav a[href="/people"]');
    await page.selectOption('select[name=department]', '国库科');
    await page.selectOption('select[name=status]', 'passed');
    await Promise.all([page.waitForURL(/department=/), page.click('[data-testid="people-filters"] button[type=submit]')]);
    const expected = f.records.db
      .prepare(`SELECT u.id FROM users u JOIN weekly_results r ON r.user_id = u.id AND r.week = '2026-W48' WHERE u.department = '国库科' AND r.status = 'passed' ORDER BY u.id`)
      .all() as { id: number }[];
    const ids = await page.$$eval('[data-testid="people"] tbody tr', (rows) => rows.map((r) => Number(r.getAttribute('data-user'))));
    expect(ids.sort((a, b) => a - b)).toEqual(expected.map((r) => r.id));
    const statuses = await page.$$eval('[data-testid="people"] [data-field="status"]', (cells) => cells.map((c) => c.textContent));
    expect(new Set(statuses)).toEqual(new Set(expected.length ? ['已通过'] : []));
    await page.screenshot({ path: join(ARTIFACTS, 'admin-people.png') });
  });

  it('downloads the XLSX export, which reads back equal to the records', async () => {
    await page.click('nav a[href="/export"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="quick-xlsx"]')]);
    expect(download.suggestedFilename()).toBe('pufa-学法考试-2026-W37至2026-W48.xlsx');
    const file = join(f.dir, 'download.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.getWorksheet('科室汇总')!;
    let total: unknown[] | undefined;
    sheet.eachRow((row) => {
      const v = row.values as unknown[];
      if (v[1] === '2026-W48' && v[2] === '（合计）') total = v;
    });
    const e = expectedWeek(f.records, '2026-W48');
    expect([total![3], total![4], total![6]]).toEqual([e.eligible, e.finished, e.passed]);
  });

  it('loaded nothing from outside the server', () => {
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((u) => !u.startsWith(server.url))).toEqual([]);
  });
});
