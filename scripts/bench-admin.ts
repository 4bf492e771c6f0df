/**
 * Dashboard cold-load benchmark: after a simulated term (40 users, 12 weeks), the overview page with its
 * trend chart in headless Chromium, each run in a fresh browser context (empty cache, new connections).
 * Reports, per run and as the median: navigation start → chart drawn (the page's own performance mark)
 * and the wall-clock time from page.goto to the chart being seen; and checks the page's numbers against
 * the database.
 *
 *   node bin/pufa-script.js scripts/bench-admin.ts [--runs 9] [--users 40] [--weeks 12]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serveAdminApp } from '../src/admin/server.ts';
import { createAdminStats } from '../src/admin/stats.ts';
import { createAdminApp } from '../src/admin/web/app.ts';
import { silentLogger } from '../src/log.ts';
import { openSqliteRecords } from '../src/records/index.ts';
import { expectedWeek } from '../tests/admin/fixture.ts';
import { simulateTerm, SIM_NOW } from '../tests/helpers/simulate-term.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' }, users: { type: 'string', default: '40' }, weeks: { type: 'string', default: '12' } } });
const runs = Number(values.runs);
const TOKEN = 'bench-token';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const dir = await mkdtemp(join(tmpdir(), 'pufa-bench-admin-'));
const records = openSqliteRecords(join(dir, 'pufa.sqlite'));
const term = await simulateTerm(records, { users: Number(values.users), weeks: Number(values.weeks), now: SIM_NOW });
const stats = createAdminStats(records, { timezone: 'Asia/Shanghai', now: () => SIM_NOW });
const app = createAdminApp({ records, stats, token: TOKEN, faqDir: join(dir, 'faq'), logger: silentLogger, now: () => SIM_NOW });
const server = await serveAdminApp(app, '127.0.0.1', 0);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
try {
  // One login through the server's own form handling gives the session cookie each cold context starts with.
  const loginPage = await fetch(`${server.url}/login`);
  const nonce = /pufa_admin_login=([^;]+)/.exec(loginPage.headers.getSetCookie().join('\n'))![1]!;
  const login = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pufa_admin_login=${nonce}` },
    body: new URLSearchParams({ _login: nonce, token: TOKEN, next: '/' }),
  });
  const session = /pufa_admin_session=([^;]+)/.exec(login.headers.getSetCookie().join('\n'))![1]!;

  const inPage: number[] = [];
  const wall: number[] = [];
  let numbersMatch = true;
  const e = expectedWeek(records, term.currentWeek);
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'pufa_admin_session', value: session, url: server.url, httpOnly: true, sameSite: 'Strict' }]);
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(`${server.url}/`, { waitUntil: 'commit' });
    await page.waitForSelector('body[data-chart-ready="1"]');
    wall.push(performance.now() - t0);
    inPage.push(await page.evaluate(() => performance.getEntriesByName('pufa-chart-ready')[0]!.startTime));
    const shown = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('[data-stat]')].map((el) => [el.getAttribute('data-stat'), el.textContent?.trim()])),
    );
    numbersMatch &&=
      shown.completion === e.completion && shown.pass === e.pass && shown.avg === e.avg && Number(shown.eligible) === e.eligible && Number(shown.finished) === e.finished;
    await context.close();
  }
  // The server's own share: the overview page's queries and rendering, over the same session, warm.
  const served: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/`, { headers: { cookie: `pufa_admin_session=${session}` } });
    await res.text();
    if (i >= 10) served.push(performance.now() - t0);
  }
  // The read model alone: the overview's figures (this week with the change, and the 12-week trend), and the people page's rows.
  const timeData = async (f: () => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await f();
    const xs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await f();
      xs.push(performance.now() - t0);
    }
    return median(xs);
  };
  const overviewData = await timeData(async () => stats.trend(12, (await stats.weekStats()).week));
  const peopleData = await timeData(async () => Promise.all([stats.people({}), stats.departments()]));
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(`模拟学期：${term.users.length} 人 × ${term.weeks.length} 周（${term.attempts} 次作答，${term.answers} 道题）`);
  console.log(`概览页冷加载（每次新的浏览器上下文，无缓存），共 ${runs} 次：`);
  console.log(`  导航开始 → 图表绘制完成（页面内 performance mark）：中位数 ${median(inPage).toFixed(0)} ms，最大 ${Math.max(...inPage).toFixed(0)} ms  [${fmt(inPage)}]`);
  console.log(`  page.goto → 看到图表（含 Playwright 往返）：中位数 ${median(wall).toFixed(0)} ms，最大 ${Math.max(...wall).toFixed(0)} ms  [${fmt(wall)}]`);
  console.log(`  服务端生成概览页（GET /，预热后 50 次）：中位数 ${median(served).toFixed(1)} ms`);
  console.log(`  统计读模型（200 次中位数）：概览页的数据 ${overviewData.toFixed(2)} ms，人员页的数据 ${peopleData.toFixed(2)} ms`);
  console.log(`  页面数字与数据库一致：${numbersMatch ? '是' : '否'}（完成率 ${e.completion}，通过率 ${e.pass}，平均分 ${e.avg}）`);
  console.log(`  目标 ≤ 1000 ms：${median(inPage) <= 1000 && median(wall) <= 1000 ? '达到' : '未达到'}`);
  if (!numbersMatch) process.exitCode = 1;
} finally {
  await browser.close();
  await server.stop();
  await records.close();
  await rm(dir, { recursive: true, force: true });
}
