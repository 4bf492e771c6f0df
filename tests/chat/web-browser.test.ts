/**
 * The web chat in headless Chromium at phone size (390 × 844, touch), against the production wiring over
 * the shared checklist index: sign in with a link an admin issued, ask 「预算年度是怎么规定的？」 and see
 * 《中华人民共和国预算法》第十八条, press 查看全文 and 👍, take the whole weekly quiz with double taps, a
 * duplicate request and a reload mid-quiz (recorded exactly once), the command panel by keyboard, an
 * admin's commands; no horizontal scrolling in any of these states, and nothing loaded from outside.
 * Then an answer that streams from a local chat-completions server grows in place and is replaced by
 * the checked answer.
 */
import { mkdtempSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/answerer.ts';
import { loadConfig } from '../../src/config.ts';
import { sourceNumber, startChatServer, type ChatServer } from '../answer/chat-completions-server.ts';
import { getChecklistIndex, REPO_ROOT } from '../helpers/test-index.ts';
import { quizKnowledge, WEDNESDAY } from '../quiz/quiz-harness.ts';
import { startWebHarness, type WebHarness } from './web-harness.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const ARTIFACTS = resolve(REPO_ROOT, 'test-artifacts');
const CITATION = '《中华人民共和国预算法》第十八条';

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await mkdir(ARTIFACTS, { recursive: true });
});
afterAll(async () => browser?.close());

/** The page fits its width: nothing to scroll sideways. */
async function expectNoSideways(page: Page, state: string) {
  const [scroll, inner] = await page.evaluate(() => [document.scrollingElement!.scrollWidth, window.innerWidth]);
  expect(scroll, `horizontal scrolling: ${state}`).toBeLessThanOrEqual(inner);
}

async function send(page: Page, text: string) {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

/** The last message from pufa whose text contains `text`. */
const botMessage = (page: Page, text: string) => page.locator('li.msg.bot', { hasText: text }).last();

async function signIn(context: BrowserContext, link: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(link);
  await expectNoSideways(page, 'sign-in link page');
  await Promise.all([page.waitForURL(/\/$/), page.click('[data-testid="use-link"]')]);
  await page.waitForSelector('body[data-ready="1"]');
  return page;
}

describe('web chat in Chromium at 390 px', () => {
  let h: WebHarness;
  let context: BrowserContext;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    const { index } = await getChecklistIndex();
    const k = await quizKnowledge();
    // The real answerer and quiz over the shared index (no scripted answerer, roles from the checklist).
    h = await startWebHarness({ index, quizBank: k.bank, knowledgeDir: k.knowledgeDir, now: () => WEDNESDAY, answerer: undefined, quiz: undefined, roles: undefined });
    await h.colleague('张三');
    context = await browser.newContext(PHONE);
    context.on('request', (r) => requested.push(r.url()));
  });
  afterAll(async () => {
    await context?.close();
    await h?.stop();
  });

  it('refuses the chat without a session, then signs in with the link an admin issued', async () => {
    const anonymous = await context.newPage();
    await anonymous.goto(`${h.url}/`);
    expect(new URL(anonymous.url()).pathname).toBe('/signin');
    await expectNoSideways(anonymous, 'sign-in page');
    await anonymous.close();
    const { link } = await h.issue('张三');
    page = await signIn(context, link);
    expect(await page.textContent('[data-testid="who"]')).toBe('张三');
    // The session cookie is HttpOnly: the page's scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('pufa_chat');
    await expectNoSideways(page, 'empty chat');
  });

  it('answers 「预算年度是怎么规定的？」 with 《中华人民共和国预算法》第十八条', async () => {
    await send(page, '预算年度是怎么规定的？');
    const answer = botMessage(page, CITATION);
    await answer.waitFor();
    expect(await page.locator('li.msg.me').last().textContent()).toContain('预算年度是怎么规定的？');
    // Buttons draw their symbols as icons (no emoji font needed); the words stay.
    const full = answer.locator('button', { hasText: '查看全文' });
    expect(await full.locator('svg.icon').count()).toBe(1);
    expect(await full.textContent()).toBe('查看全文');
    await expectNoSideways(page, 'answer with its buttons');
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-answer.png'), fullPage: true });
  });

  it('shows text as text: markup typed by a person is neither run nor rendered', async () => {
    const typed = '<img src=x onerror="window.pwned=1">《预算法》第十八条 & <b>粗体</b>';
    await send(page, typed);
    const mine = page.locator('li.msg.me', { hasText: '《预算法》第十八条' }).last();
    await mine.waitFor();
    expect(await mine.locator('.bubble').textContent()).toBe(typed);
    expect(await page.locator('#log img, #log b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    // Its reply, before the next test presses buttons under the first answer.
    await mine.locator('xpath=following-sibling::li[contains(@class, "bot")][1]').waitFor();
  });

  it('查看全文 shows the article; 👍 is thanked and recorded', async () => {
    const answer = page.locator('li.msg.me', { hasText: '预算年度是怎么规定的？' }).first().locator('xpath=following-sibling::li[contains(@class, "bot")][1]');
    await answer.locator('button', { hasText: '查看全文' }).click();
    await botMessage(page, '预算年度自公历一月一日起，至十二月三十一日止').waitFor();
    await answer.locator('button', { hasText: '有帮助' }).click();
    await page.waitForSelector('.toast.shown:has-text("感谢反馈")');
    await expect.poll(() => h.records.db.prepare("SELECT feedback FROM qa_log WHERE question = '预算年度是怎么规定的？'").get()).toEqual({ feedback: 1 });
    await expectNoSideways(page, 'article text');
  });

  it('the command panel opens by keyboard, lists the commands, and closes with Escape', async () => {
    await page.focus('#menu-toggle');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#commands:not([hidden])');
    expect(await page.getAttribute('#menu-toggle', 'aria-expanded')).toBe('true');
    const commands = await page.$$eval('#commands button', (bs) => bs.map((b) => b.getAttribute('data-command')));
    expect(commands).toEqual(expect.arrayContaining(['/quiz', '/me', '/law', '/help']));
    // A colleague does not see the admins' commands.
    expect(commands).not.toContain('/stats');
    await expectNoSideways(page, 'command panel');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#commands[hidden]', { state: 'attached' });
    // /me from the panel.
    await page.click('#menu-toggle');
    await page.click('#commands button[data-command="/me"]');
    await botMessage(page, '学员编号').waitFor();
    await expectNoSideways(page, '/me');
  });

  it('takes the whole weekly quiz, with double taps, a duplicate request and a reload mid-quiz, recorded exactly once', async () => {
    await send(page, '/quiz');
    const quiz = page.locator('li.msg.bot', { has: page.locator('button[data-data^="qz:a:"], button[data-data^="qz:t:"]') }).last();
    await quiz.waitFor();
    const id = await quiz.getAttribute('data-id');
    const message = page.locator(`li.msg[data-id="${id}"]`);
    let answered = 0;
    for (let step = 0; step < 60; step++) {
      const data = await message.locator('button[data-data]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-data')!));
      const answers = data.filter((d) => d.startsWith('qz:a:'));
      const toggles = data.filter((d) => d.startsWith('qz:t:'));
      const next = data.find((d) => d.startsWith('qz:n:'));
      if (answers.length || toggles.length) {
        const feedback = page.waitForFunction((mid) => /回答(正确|错误)/.test(document.querySelector(`li.msg[data-id="${mid}"]`)?.textContent ?? ''), id);
        if (toggles.length) {
          await message.locator(`button[data-data="${toggles[0]}"]`).click();
          await message.locator('button[data-data^="qz:m:"]', { hasText: '已选' }).waitFor();
          await message.locator('button[data-data^="qz:m:"]').dblclick();
        } else if (answered % 3 === 1) {
          // The same press sent twice at once (a flaky network's retry with a new id, or two devices).
          await page.evaluate(
            async ([mid, d]) => {
              const csrf = document.querySelector('meta[name="csrf-token"]')!.getAttribute('content')!;
              const post = (pid: string) => fetch('/api/press', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ id: pid, message: mid, data: d }) });
              const pid = () => Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
              await Promise.all([post(pid()), post(pid())]);
            },
            [id!, answers[0]!] as const,
          );
        } else {
          await message.locator(`button[data-data="${answers[0]}"]`).dblclick();
        }
        await feedback;
        answered++;
        await expectNoSideways(page, `quiz feedback ${answered}`);
        if (answered === 4) {
          // Mid-quiz the page is reloaded: the quiz message is back with its buttons, where the person was.
          await page.reload();
          await page.waitForSelector('body[data-ready="1"]');
          await message.locator('button[data-data^="qz:n:"]').waitFor();
        }
      } else if (next) {
        const before = await message.textContent();
        await message.locator(`button[data-data="${next}"]`).click();
        await page.waitForFunction(([mid, text]) => document.querySelector(`li.msg[data-id="${mid}"]`)?.textContent !== text, [id, before] as const);
      } else {
        break;
      }
    }
    await message.filter({ hasText: '得分' }).waitFor();
    await expectNoSideways(page, 'quiz summary');
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-quiz-summary.png'), fullPage: true });
    const user = (await h.records.users.list()).find((u) => u.name === '张三')!;
    const db = h.records.db;
    const attempts = db.prepare('SELECT id, total, status FROM quiz_attempts WHERE user_id = ?').all(user.id) as { id: number; total: number; status: string }[];
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.status).toBe('completed');
    expect(answered).toBe(attempts[0]!.total);
    const rows = db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT question_index) AS q FROM quiz_answers WHERE attempt_id = ?').get(attempts[0]!.id);
    expect(rows).toEqual({ n: attempts[0]!.total, q: attempts[0]!.total });
    expect(db.prepare('SELECT attempts FROM weekly_results WHERE user_id = ?').all(user.id)).toEqual([{ attempts: 1 }]);
  });

  it('an admin sees the admin commands, and a long sign-in link fits the screen', async () => {
    await h.colleague('王局长', { isAdmin: true });
    const adminContext = await browser.newContext(PHONE);
    try {
      const admin = await signIn(adminContext, (await h.issue('王局长')).link);
      const commands = await admin.$$eval('#commands button', (bs) => bs.map((b) => b.getAttribute('data-command')));
      expect(commands).toEqual(expect.arrayContaining(['/stats', '/pending', '/weblink', '/broadcast']));
      await send(admin, '/weblink 张三');
      await botMessage(admin, '登录链接').waitFor();
      await expectNoSideways(admin, 'an admin’s /weblink reply');
      await send(admin, '/stats');
      await botMessage(admin, '学法考试统计').waitFor();
      await expectNoSideways(admin, '/stats');
      await admin.screenshot({ path: join(ARTIFACTS, 'webchat-admin.png'), fullPage: true });
    } finally {
      await adminContext.close();
    }
  });

  it('loaded nothing from outside the server', () => {
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((u) => !u.startsWith(h.url))).toEqual([]);
  });
});

describe('web chat: a streamed answer in Chromium', () => {
  let h: WebHarness;
  let llm: ChatServer;

  beforeAll(async () => {
    llm = await startChatServer();
    const { index, config: base } = await getChecklistIndex();
    const c = loadConfig({ OPENAI_BASE_URL: llm.url, OPENAI_MAX_RETRIES: '0', LLM_STREAM: 'true', LOG_LEVEL: 'silent' });
    const answerer = createAnswerer({ index, config: { ...base, llm: { ...c.llm!, timeoutMs: 20_000 } }, faqDir: mkdtempSync(join(tmpdir(), 'pufa-nofaq-')) });
    h = await startWebHarness({ index, answerer });
    await h.colleague('钱八');
  });
  afterAll(async () => {
    await h?.stop();
    await llm?.close();
  });

  it('the answer grows in place as the model writes, then the checked answer with its citation replaces it', async () => {
    llm.respond({
      kind: 'reply',
      pieceDelayMs: 120,
      text: (req) => {
        const n = sourceNumber(req, '预算法》第十八条');
        return `根据预算法的规定，预算年度自1月1日起，至12月31日止[${n}]。也就是说，预算年度与公历的年份一致，从1月1日起算，到12月31日结束[${n}]。`;
      },
    });
    const context = await browser.newContext(PHONE);
    try {
      const page = await signIn(context, (await h.issue('钱八')).link);
      // Record every text the reply shows, by its message id.
      await page.evaluate(() => {
        const seen: Record<string, string[]> = {};
        (window as unknown as { seen: typeof seen }).seen = seen;
        new MutationObserver(() => {
          for (const li of document.querySelectorAll('li.msg.bot')) {
            const id = li.getAttribute('data-id')!;
            const text = li.querySelector('.bubble')?.textContent ?? '';
            const list = (seen[id] ??= []);
            if (list.at(-1) !== text) list.push(text);
          }
        }).observe(document.getElementById('log')!, { childList: true, subtree: true, characterData: true });
      });
      await send(page, '预算法规定的预算年度起止时间是什么？');
      const final = botMessage(page, CITATION);
      await final.locator('button', { hasText: '查看全文' }).waitFor();
      const id = (await final.getAttribute('data-id'))!;
      const texts = await page.evaluate((mid) => (window as unknown as { seen: Record<string, string[]> }).seen[mid] ?? [], id);
      // At least two partial texts, each longer than the one before, all in the same message, before the final one.
      const partial = texts.filter((t) => t.endsWith('…'));
      expect(partial.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < partial.length; i++) expect(partial[i]!.length).toBeGreaterThan(partial[i - 1]!.length);
      expect(texts.at(-1)).toContain(CITATION);
      expect(texts.at(-1)).toContain('预算年度自1月1日起');
      expect(await page.locator(`li.msg[data-id="${id}"]`).count()).toBe(1);
      await expectNoSideways(page, 'streamed answer');
    } finally {
      await context.close();
    }
  });
});
