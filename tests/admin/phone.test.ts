/**
 * Every dashboard page on a phone (390 × 844 in Chromium), after a simulated term over the real checklist
 * index: the document never scrolls sideways, the text uses only characters the installed fonts have (so a
 * screenshot shows no empty boxes; no emoji at all), unknown pages say so in Chinese with the navigation.
 * Screenshots go to test-artifacts/phone/.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAdminApp, type RunningAdminServer } from '../../src/admin/server.ts';
import { createAdminApp, type KnowledgeView } from '../../src/admin/web/app.ts';
import { silentLogger } from '../../src/log.ts';
import { adminContext, launchChromium } from '../helpers/chromium.ts';
import { CORPUS_LAWS_DIR, getChecklistIndex, makeKnowledgeDir, REPO_ROOT } from '../helpers/test-index.ts';
import { termFixture, type Fixture } from './fixture.ts';

const ARTIFACTS = resolve(REPO_ROOT, 'test-artifacts', 'phone');

/** Every code point some installed font has a glyph for (fontconfig's charsets, united). */
function installedCoverage(): (cp: number) => boolean {
  const ranges: [number, number][] = [];
  for (const line of execFileSync('fc-list', ['--format', '%{charset}\\n'], { encoding: 'utf8' }).split('\n')) {
    for (const part of line.trim().split(/\s+/)) {
      if (!part) continue;
      const [a, b] = part.split('-').map((h) => parseInt(h, 16));
      ranges.push([a!, b ?? a!]);
    }
  }
  return (cp) => ranges.some(([a, b]) => cp >= a && cp <= b);
}

let f: Fixture;
let server: RunningAdminServer;
let browser: Browser;
let page: Page;
let knowledgeDir: string;
let scratch: string;
const covered = installedCoverage();

beforeAll(async () => {
  f = await termFixture();
  const knowledge = (await getChecklistIndex()).index as unknown as KnowledgeView;
  scratch = await mkdtemp(join(tmpdir(), 'pufa-phone-'));
  knowledgeDir = await makeKnowledgeDir(join(scratch, 'knowledge'));
  await writeFile(join(knowledgeDir, 'questions', '某某条例.draft.yaml'), '# 【草稿】由大模型草拟，未经审阅。\nlaw: 中华人民共和国预算法\narticles:\n  第十八条: [预算年度从哪天开始算？]\n');
  await mkdir(join(knowledgeDir, 'faq'), { recursive: true });
  await writeFile(
    join(knowledgeDir, 'faq', 'test.yaml'),
    'entries:\n  - id: a\n    questions: [预算年度怎么规定？]\n    answer: 自公历一月一日起。\n    articles: [{ law: 预算法, article: 18 }]\n  - id: b\n    questions: [不存在的条文？]\n    answer: 没有。\n    articles: [{ law: 预算法, article: 999 }]\n',
  );
  const app = createAdminApp({
    records: f.records,
    stats: f.stats,
    knowledge: async () => knowledge,
    faqDir: join(knowledgeDir, 'faq'),
    folders: { lawsDir: CORPUS_LAWS_DIR, knowledgeDir, maxFileBytes: 10 * 1024 * 1024 },
    logger: silentLogger,
    now: f.now,
  });
  server = await serveAdminApp(app, '127.0.0.1', 0);
  browser = await launchChromium();
  ({ page } = await adminContext(browser, server.url, f.records, f.term.admin.id, { now: f.now(), viewport: { width: 390, height: 844 } }));
  await mkdir(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await f?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const law = encodeURIComponent('中华人民共和国预算法');
/** Every page an admin can open, with real parameters (downloads and JSON left out). */
const pages = () => [
  '/',
  '/?week=2026-W40',
  '/people',
  '/people?week=2026-W44&sort=score',
  `/people/${f.term.users[4]!.id}`,
  '/pending',
  '/reports',
  '/reports?period=2026-Q4&sort=hours',
  '/reports?from=2026-09-01&to=2026-11-30',
  '/reports/annual',
  '/reports/annual/print',
  '/questions',
  `/questions?law=${law}&n=18&s=0`,
  '/weak',
  `/article?law=${law}&n=18&s=0`,
  '/qa',
  '/qa/1',
  '/knowledge',
  '/knowledge?page=2',
  '/knowledge/plan',
  '/knowledge/checklist',
  '/knowledge/drafts',
  `/knowledge/drafts?name=${encodeURIComponent('某某条例.draft.yaml')}`,
  '/knowledge/faq',
  '/approvals',
  '/audit',
  '/export',
  '/account',
  '/no-such-page',
];

async function check(path: string) {
  const res = await page.goto(`${server.url}${path}`);
  expect(res!.status(), path).toBe(path === '/no-such-page' ? 404 : 200);
  const m = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    text: document.body.innerText + document.title,
    inputs: [...document.querySelectorAll('input, textarea, select, button')].map((e) => (e as HTMLInputElement).value ?? '').join(''),
    widest: [...document.querySelectorAll('body *')]
      .map((e) => ({ tag: e.tagName, cls: e.className.toString(), right: e.getBoundingClientRect().right }))
      .filter((e) => e.right > document.documentElement.clientWidth + 0.5)
      .slice(0, 3),
  }));
  // No horizontal scrollbar on the document: nothing sticks out of the 390 px screen (boxes that scroll inside themselves may).
  expect(m.scrollWidth, `${path} ${JSON.stringify(m.widest)}`).toBeLessThanOrEqual(m.clientWidth);
  const chars = [...new Set([...(m.text + m.inputs)])].filter((ch) => !/\s/u.test(ch));
  expect(chars.filter((ch) => /\p{Extended_Pictographic}/u.test(ch)), `${path}: emoji`).toEqual([]);
  expect(chars.filter((ch) => !covered(ch.codePointAt(0)!)).map((ch) => `U+${ch.codePointAt(0)!.toString(16)}`), `${path}: characters no installed font has`).toEqual([]);
  await page.screenshot({ path: join(ARTIFACTS, `${path.replace(/[^\w]+/g, '_').replace(/^_|_$/g, '') || 'home'}.png`), fullPage: true });
}

describe('every page at 390 × 844', () => {
  it('checks fonts for real: an emoji is not covered by the installed fonts, CJK is', () => {
    expect(covered('👍'.codePointAt(0)!)).toBe(false);
    expect(covered('预'.codePointAt(0)!)).toBe(true);
  });

  it('no page scrolls sideways, and every character has a glyph', async () => {
    for (const path of pages()) await check(path);
  }, 240_000);

  it('an unknown page is a Chinese page with the navigation', async () => {
    await page.goto(`${server.url}/no-such-page`);
    expect(await page.textContent('h1')).toBe('页面不存在');
    expect(await page.locator('nav a[href="/"]').count()).toBe(1);
    expect(await page.textContent('body')).not.toMatch(/Not Found/i);
  });

  it('tables become cards: each cell labelled by its column', async () => {
    await page.goto(`${server.url}/people`);
    const cell = page.locator('[data-testid="people"] tbody tr:first-child td[data-field="status"]');
    expect(await cell.evaluate((td) => getComputedStyle(td).display)).toBe('flex');
    expect(await cell.evaluate((td) => getComputedStyle(td, '::before').content)).toContain('状态');
    expect(await page.locator('[data-testid="people"] thead').evaluate((h) => getComputedStyle(h).display)).toBe('none');
    // The navigation is one row that scrolls inside itself.
    const nav = await page.locator('nav.top').boundingBox();
    expect(nav!.height).toBeLessThan(60);
  });
});
