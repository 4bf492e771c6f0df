/**
 * Headless Chromium (Debian's package, driven by playwright-core) for the dashboard's browser tests, and a
 * logged-in admin page: a one-time login link issued to an admin, opened in the browser as /web would be.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { issueLoginTicket } from '../../src/admin/tickets.ts';
import type { Records } from '../../src/records/ports.ts';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A browser context signed in to the dashboard at `url` as the admin `userId`. */
export async function adminContext(
  browser: Browser,
  url: string,
  records: Pick<Records, 'sessions'>,
  userId: number,
  opts: { now?: Date; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 900 }, acceptDownloads: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const ticket = await issueLoginTicket(records.sessions, userId, opts.now ?? new Date());
  await page.goto(`${url}/login/link?t=${ticket}`);
  return { context, page };
}
