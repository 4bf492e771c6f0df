/**
 * The dashboard through app.request(): every route of the app (enumerated from the app itself, so a new
 * route cannot slip past) refused without a session, with a wrong token, with a forged cookie and with the
 * session of someone who is not (or no longer) an admin; CSRF on every POST; escaping; the FAQ pin; the
 * article text and knowledge page from the real checklist index.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { faqFileSchema, loadFaqFiles, resolveFaq } from '../../src/answer/faq.ts';
import { issueLoginTicket } from '../../src/admin/tickets.ts';
import { createAdminApp, PUBLIC_ROUTES, type KnowledgeView } from '../../src/admin/web/app.ts';
import { assetPath } from '../../src/admin/web/assets.ts';
import { silentLogger } from '../../src/log.ts';
import { getChecklistIndex } from '../helpers/test-index.ts';
import { cookieOf, expectedWeek, termFixture, type Fixture } from './fixture.ts';

const TOKEN = 'correct-horse-battery-staple-42';
let f: Fixture;
let app: ReturnType<typeof createAdminApp>;
let knowledge: KnowledgeView;

async function loginWithToken(token: string): Promise<{ res: Response; session?: string }> {
  const page = await app.request('/login');
  const nonce = cookieOf(page, 'pufa_admin_login')!;
  const res = await app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pufa_admin_login=${nonce}` },
    body: new URLSearchParams({ _login: nonce, token, next: '/' }).toString(),
  });
  return { res, session: cookieOf(res, 'pufa_admin_session') };
}

const csrfOf = async (session: string) => {
  const html = await (await app.request('/', { headers: { cookie: `pufa_admin_session=${session}` } })).text();
  return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
};

/** Every route of the app as [method, concrete path], parameters filled with existing ids. */
function routes(): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const r of app.routes) {
    if (r.method === 'ALL') continue; // middleware
    const path = r.path.replace(/:id(\{[^}]*\})?/g, '1');
    const key = `${r.method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([r.method, path]);
  }
  return out;
}

const isPublic = (method: string, path: string) => PUBLIC_ROUTES.has(`${method} ${path}`);

beforeAll(async () => {
  f = await termFixture();
  knowledge = (await getChecklistIndex()).index as unknown as KnowledgeView;
  app = createAdminApp({
    records: f.records,
    stats: f.stats,
    token: TOKEN,
    knowledge: async () => knowledge,
    faqDir: join(f.dir, 'knowledge', 'faq'),
    folders: { lawsDir: join(f.dir, 'laws'), knowledgeDir: join(f.dir, 'knowledge'), maxFileBytes: 10 * 1024 * 1024 },
    logger: silentLogger,
    now: f.now,
  });
});
afterAll(() => f?.close());

/** A response that gives nothing away: a redirect to the login page or a refusal, with no records in it. */
async function expectRefused(res: Response, what: string) {
  expect([302, 401, 403], what).toContain(res.status);
  if (res.status === 302) expect(res.headers.get('location'), what).toMatch(/^\/login/);
  const body = await res.text();
  for (const u of f.term.users.slice(0, 10)) expect(body, what).not.toContain(u.name);
  expect(body, what).not.toMatch(/data-stat=|PF-[A-Z0-9]{10}|预算科/);
}

describe('admin-only on every route', () => {
  it('enumerates the app routes (all pages, downloads, assets and POSTs)', () => {
    const keys = routes().map(([m, p]) => `${m} ${p}`);
    for (const k of ['GET /', 'GET /people', 'GET /people/1', 'GET /weak', 'GET /article', 'GET /qa', 'GET /qa/1', 'POST /qa/1/pin', 'GET /knowledge', 'GET /export', 'GET /export/download', 'POST /logout', `GET ${assetPath('chart.umd.min.js')}`]) {
      expect(keys).toContain(k);
    }
    // Only the login, the stylesheet and the favicon are public.
    expect(keys.filter((k) => PUBLIC_ROUTES.has(k)).sort()).toEqual([`GET ${assetPath('style.css')}`, 'GET /favicon.ico', 'GET /login', 'GET /login/link', 'POST /login'].sort());
  });

  it('refuses every guarded route without a session (and unknown paths too)', async () => {
    for (const [method, path] of [...routes(), ['GET', '/no-such-page'] as [string, string]]) {
      if (isPublic(method, path)) continue;
      await expectRefused(await app.request(path, { method }), `${method} ${path}`);
    }
  });

  it('a wrong token opens no session, and every route stays refused', async () => {
    for (const wrong of ['', 'wrong', TOKEN.slice(0, -1), TOKEN + 'x', TOKEN.toUpperCase()]) {
      const { res, session } = await loginWithToken(wrong);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/login?failed=1');
      expect(session).toBeUndefined();
    }
    for (const [method, path] of routes()) {
      if (isPublic(method, path)) continue;
      await expectRefused(await app.request(path, { method, headers: { cookie: `pufa_admin_session=${TOKEN}` } }), `forged ${method} ${path}`);
    }
  });

  it('the session of a non-admin is refused everywhere; a demoted admin is out at once', async () => {
    // A one-time link issued to a non-admin opens nothing.
    const staff = f.term.users[3]!;
    const t1 = await issueLoginTicket(f.records.sessions, staff.id, f.now());
    const r1 = await app.request(`/login/link?t=${t1}`);
    expect(r1.status).toBe(401);
    expect(cookieOf(r1, 'pufa_admin_session')).toBeUndefined();

    // An admin's link works once...
    const admin = f.term.users[7]!;
    await f.records.users.update(admin.id, { isAdmin: true });
    const t2 = await issueLoginTicket(f.records.sessions, admin.id, f.now());
    const r2 = await app.request(`/login/link?t=${t2}`);
    expect(r2.status).toBe(302);
    const session = cookieOf(r2, 'pufa_admin_session')!;
    expect((await app.request('/', { headers: { cookie: `pufa_admin_session=${session}` } })).status).toBe(200);
    expect((await app.request(`/login/link?t=${t2}`)).status).toBe(401);

    // ...and once they are no longer an admin, the same session is refused on every route.
    await f.records.users.update(admin.id, { isAdmin: false });
    const csrf = 'irrelevant';
    for (const [method, path] of routes()) {
      if (isPublic(method, path)) continue;
      const res = await app.request(path, { method, headers: { cookie: `pufa_admin_session=${session}`, 'x-csrf-token': csrf } });
      await expectRefused(res, `demoted ${method} ${path}`);
    }
  });

  it('the token logs in: a session cookie HttpOnly + SameSite=Strict, every page renders', async () => {
    const { res, session } = await loginWithToken(TOKEN);
    expect(res.status).toBe(303);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('pufa_admin_session='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    for (const [method, path] of routes()) {
      if (method !== 'GET' || isPublic(method, path)) continue;
      const r = await app.request(path, { headers: { cookie: `pufa_admin_session=${session}` } });
      // 404 is fine for /article without parameters: the point is that nothing refuses a logged-in admin.
      expect([200, 404], path).toContain(r.status);
      expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    const home = await (await app.request('/', { headers: { cookie: `pufa_admin_session=${session}` } })).text();
    const e = expectedWeek(f.records, '2026-W48');
    expect(home).toContain(`data-stat="completion">${e.completion}<`);
    expect(home).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.(js|css)/); // no CDN
    expect((await f.records.audit.recent(20)).some((a) => a.action === 'admin.web.login' && a.detail.via === 'token')).toBe(true);
  });

  it('every POST needs the session CSRF token', async () => {
    const { session } = await loginWithToken(TOKEN);
    const cookie = `pufa_admin_session=${session}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', cookie };
    const body = new URLSearchParams({ questions: '预算年度怎么规定？', answer: '自公历一月一日起，至十二月三十一日止。', articles: '预算法 18' });
    for (const [method, path] of routes()) {
      if (method !== 'POST' || isPublic(method, path)) continue;
      expect((await app.request(path, { method, headers: form, body: body.toString() })).status, path).toBe(403);
      const wrong = new URLSearchParams(body);
      wrong.set('_csrf', 'x'.repeat(43));
      expect((await app.request(path, { method, headers: form, body: wrong.toString() })).status, path).toBe(403);
    }
    // Another session's token does not count either.
    const other = await loginWithToken(TOKEN);
    const foreign = new URLSearchParams(body);
    foreign.set('_csrf', await csrfOf(other.session!));
    expect((await app.request('/logout', { method: 'POST', headers: form, body: foreign.toString() })).status).toBe(403);
  });

  it('the login page sends nowhere but local paths', async () => {
    const page = await app.request('/login?next=//evil.example/x');
    expect(await page.text()).toContain('name="next" value="/"');
  });
});

describe('pages', () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = `pufa_admin_session=${(await loginWithToken(TOKEN)).session}`;
  });
  const get = (path: string) => app.request(path, { headers: { cookie } });

  it('escapes every dynamic string', async () => {
    const u = f.term.users[9]!;
    await f.records.users.update(u.id, { name: '<script>alert("x")</script>', department: '"><img src=x onerror=alert(1)>' });
    try {
      const html = await (await get(`/people?week=2026-W48&q=${encodeURIComponent('<script>')}`)).text();
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<img src=x');
      const home = await (await get('/')).text();
      expect(home).not.toContain('<img src=x');
    } finally {
      await f.records.users.update(u.id, { name: u.name, department: u.department });
    }
  });

  it('people: filtered by department and status', async () => {
    const html = await (await get(`/people?week=2026-W48&department=${encodeURIComponent('预算科')}&status=passed`)).text();
    const n = Number(/data-testid="people-count">(\d+)</.exec(html)![1]);
    const expected = (f.records.db
      .prepare(`SELECT COUNT(*) AS n FROM users u JOIN weekly_results r ON r.user_id = u.id AND r.week = '2026-W48' WHERE u.department = '预算科' AND r.status = 'passed'`)
      .get() as { n: number }).n;
    expect(n).toBe(expected);
  });

  it("one person's history page, audited", async () => {
    const u = f.term.users[2]!;
    const html = await (await get(`/people/${u.id}`)).text();
    expect(html).toContain(u.staffId);
    expect((await f.records.audit.recent(5)).some((a) => a.action === 'admin.web.view_person' && a.targetUserId === u.id)).toBe(true);
    expect((await get('/people/999999')).status).toBe(404);
  });

  it('weak articles link to the article text from the index', async () => {
    const html = await (await get('/weak?from=2026-W37&to=2026-W48')).text();
    const link = /href="(\/article\?[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const article = await (await get(link)).text();
    expect(article).toContain('data-testid="article-text"');
    const budget18 = await (await get(`/article?law=${encodeURIComponent('中华人民共和国预算法')}&n=18&s=0`)).text();
    expect(budget18).toContain('预算年度自公历一月一日起');
  });

  it('knowledge page: laws and versions, missing checklist laws, last ingest', async () => {
    const html = await (await get('/knowledge')).text();
    expect(html).toContain(`data-testid="law-count">${knowledge.manifest.counts.laws}<`);
    expect(html).toContain('中华人民共和国预算法');
    // The page shows the ingest time in the office's time zone (Beijing), whose date differs from UTC's after 16:00 UTC.
    const beijingDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(knowledge.manifest.createdAt));
    expect(html).toContain(beijingDate);
    // The shipped 常见问法 are pinned: the page says how many.
    expect(knowledge.manifest.articleQuestions!.count).toBeGreaterThan(6000);
    expect(html).toContain(`data-testid="question-count">${knowledge.manifest.articleQuestions!.count}<`);
    expect(html).not.toContain('unapplied-questions');
  });

  it('Q&A log: pin a corrected answer into knowledge/faq in the format the answer layer reads', async () => {
    const list = await (await get('/qa?feedback=down')).text();
    expect(list).toContain('data-feedback="down"');
    expect(list).not.toMatch(/\p{Extended_Pictographic}/u);
    const id = Number(/href="\/qa\/(\d+)"/.exec(list)![1]);
    const detail = await (await get(`/qa/${id}`)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(detail)![1]!;
    const bad = await app.request(`/qa/${id}/pin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf, questions: '预算年度怎么规定？', answer: '历年制。', articles: '' }).toString(),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('依据条文');
    const res = await app.request(`/qa/${id}/pin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({
        _csrf: csrf,
        questions: '预算年度怎么规定？\n预算年度从哪天开始？',
        answer: '我国预算年度自公历1月1日起，至12月31日止。',
        articles: '预算法 第十八条',
      }).toString(),
    });
    expect(res.status).toBe(303);
    const dir = join(f.dir, 'knowledge', 'faq');
    const [name] = await readdir(dir);
    expect(name).toBe(`admin-qa-${id}.yaml`);
    expect(faqFileSchema.safeParse(parseYaml(await readFile(join(dir, name!), 'utf8'))).success).toBe(true);
    const entries = await loadFaqFiles(dir, silentLogger);
    expect(entries[0]!.questions).toEqual(['预算年度怎么规定？', '预算年度从哪天开始？']);
    // The answer layer resolves the pinned article in the real index.
    const resolved = resolveFaq(entries, knowledge.catalog, silentLogger);
    expect(resolved[0]!.citations[0]!.text).toContain('预算年度自公历一月一日起');
    expect((await f.records.audit.recent(5)).some((a) => a.action === 'admin.faq.pin' && a.detail.qaId === id)).toBe(true);
  });

  it('export download: an xlsx attachment with a UTF-8 file name, audited', async () => {
    const res = await get('/export/download?format=csv&view=weak&from=2026-W45&to=2026-W48');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('排名,法规,条文');
    expect((await f.records.audit.recent(5)).some((a) => a.action === 'admin.export' && a.detail.format === 'csv')).toBe(true);
  });

  it('logout ends the session', async () => {
    const { session } = await loginWithToken(TOKEN);
    const c = `pufa_admin_session=${session}`;
    const csrf = await csrfOf(session!);
    const res = await app.request('/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: c },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(res.status).toBe(303);
    await expectRefused(await app.request('/', { headers: { cookie: c } }), 'after logout');
  });
});
