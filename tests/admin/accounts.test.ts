/**
 * Named admin accounts: an admin who came in by a chat link sets a password (scrypt at rest, minimum strength),
 * then signs in with their staff id or name; the shared token works only until the first password exists; the
 * audit log names who did what; guessing is throttled per address and per account, yet a flood from elsewhere
 * never locks the admin out of the browser they used before.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminApp } from '../../src/admin/web/app.ts';
import { hashPassword, passwordWeakness, verifyPassword } from '../../src/admin/web/passwords.ts';
import { issueLoginTicket } from '../../src/admin/tickets.ts';
import { silentLogger } from '../../src/log.ts';
import type { UserRecord } from '../../src/records/types.ts';
import { cookieOf, termFixture, type Fixture } from './fixture.ts';

const TOKEN = 'correct-horse-battery-staple-42';
const PASSWORD = '西湖-断桥-2026-残雪';
let f: Fixture;
let app: ReturnType<typeof createAdminApp>;
let admin: UserRecord;

/** One login attempt: the password form (or the token form), from a browser holding `cookies`. */
async function login(fields: Record<string, string>, cookies: Record<string, string> = {}) {
  const jar = (extra: Record<string, string>) => Object.entries({ ...cookies, ...extra }).map(([k, v]) => `${k}=${v}`).join('; ');
  const pageRes = await app.request('/login', { headers: { cookie: jar({}) } });
  const nonce = cookieOf(pageRes, 'pufa_admin_login')!;
  const res = await app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar({ pufa_admin_login: nonce }) },
    body: new URLSearchParams({ _login: nonce, next: '/', ...fields }).toString(),
  });
  return { status: res.status, location: res.headers.get('location'), session: cookieOf(res, 'pufa_admin_session'), device: cookieOf(res, 'pufa_admin_device'), page: await pageRes.text() };
}

async function linkSession(user: UserRecord): Promise<string> {
  const res = await app.request(`/login/link?t=${await issueLoginTicket(f.records.sessions, user.id, f.now())}`);
  return cookieOf(res, 'pufa_admin_session')!;
}

async function setPassword(session: string, fields: Record<string, string>) {
  const cookie = `pufa_admin_session=${session}`;
  const html = await (await app.request('/account', { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  const res = await app.request('/account/password', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });
  return { status: res.status, html: await res.text() };
}

beforeAll(async () => {
  f = await termFixture();
  admin = f.term.admin;
  app = createAdminApp({ records: f.records, stats: f.stats, token: TOKEN, faqDir: join(f.dir, 'faq'), logger: silentLogger, now: f.now });
});
afterAll(() => f?.close());

describe('passwords', () => {
  it('are hashed with scrypt, salted, and checked in constant time', async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(PASSWORD + 'x', a)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'not a hash')).toBe(false);
  });

  it('must be strong enough', () => {
    const who = { name: '王伟', staffId: 'PF-7KQ2M9XAHD' };
    expect(passwordWeakness('short1!', who)).toContain('太短');
    expect(passwordWeakness('aaaaabbbbbaaaaa', who)).toContain('不同的字符');
    expect(passwordWeakness('13579246801', who)).toContain('只有数字');
    expect(passwordWeakness('password2026', who)).toContain('常见');
    expect(passwordWeakness('王伟的后台密码abc', who)).toContain('姓名');
    expect(passwordWeakness('pf-7kq2m9xahd!!', who)).toContain('学员编号');
    expect(passwordWeakness(PASSWORD, who)).toBeUndefined();
  });
});

describe('named admin accounts', () => {
  it('the token is a bootstrap: it works while no admin has a password', async () => {
    const r = await login({ token: TOKEN });
    expect(r.session).toBeTruthy();
    expect(r.page).toContain('data-testid="token-login"');
    // A token session has no person: it cannot set a password.
    const res = await setPassword(r.session!, { password: PASSWORD, confirm: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.html).toContain('共用口令登录没有个人账号');
  });

  it('an admin in by a chat link sets a password; weak ones and mismatches are refused; only the hash is kept', async () => {
    const session = await linkSession(admin);
    expect((await setPassword(session, { password: '12345678901', confirm: '12345678901' })).html).toContain('只有数字');
    expect((await setPassword(session, { password: PASSWORD, confirm: PASSWORD + '1' })).html).toContain('不一致');
    expect(await f.records.adminCredentials.get(admin.id)).toBeUndefined();
    const ok = await setPassword(session, { password: PASSWORD, confirm: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.html).toContain('密码已设置');
    const stored = (await f.records.adminCredentials.get(admin.id))!;
    expect(await verifyPassword(PASSWORD, stored.hash)).toBe(true);
    const raw = JSON.stringify(f.records.db.prepare('SELECT * FROM admin_credentials').all());
    expect(raw).not.toContain(PASSWORD);
    // Changing it needs the current one.
    expect((await setPassword(session, { current: 'wrong-password-x', password: '新的密码-2027-长城', confirm: '新的密码-2027-长城' })).html).toContain('当前密码不正确');
  });

  it('signs in by staff id or by name; a wrong password or a non-admin gets the same answer', async () => {
    const byStaff = await login({ account: admin.staffId.toLowerCase(), password: PASSWORD });
    expect([byStaff.location, Boolean(byStaff.session)]).toEqual(['/', true]);
    const byName = await login({ account: admin.name, password: PASSWORD });
    expect(byName.session).toBeTruthy();
    for (const [account, password] of [[admin.staffId, 'wrong-password-1'], [f.term.users[3]!.staffId, PASSWORD], ['无此人', PASSWORD]]) {
      const r = await login({ account: account!, password: password! });
      expect([r.location, r.session]).toEqual(['/login?failed=account', undefined]);
    }
    // The dashboard shows who is in; the audit log names them.
    const home = await (await app.request('/', { headers: { cookie: `pufa_admin_session=${byStaff.session}` } })).text();
    expect(home).toContain(`<span class="who">${admin.name}</span>`);
    const entry = (await f.records.audit.recent(20)).find((a) => a.action === 'admin.web.login' && a.detail.via === 'password')!;
    expect(entry.actorUserId).toBe(admin.id);
    await app.request('/export/download?format=csv&view=weak&from=2026-W47&to=2026-W48', { headers: { cookie: `pufa_admin_session=${byStaff.session}` } });
    const exported = (await f.records.audit.recent(5)).find((a) => a.action === 'admin.export')!;
    expect(exported.actorUserId).toBe(admin.id);
    const log = await (await app.request('/audit?action=admin.export', { headers: { cookie: `pufa_admin_session=${byStaff.session}` } })).text();
    expect(log).toMatch(new RegExp(`data-field="actor"><span class="cell"><a href="/audit\\?actor=${admin.id}">${admin.name}</a>`));
  });

  it('once an admin has a password, the token no longer opens a session', async () => {
    const r = await login({ token: TOKEN });
    expect([r.location, r.session]).toEqual(['/login?failed=closed', undefined]);
    expect(r.page).not.toContain('data-testid="token-login"');
  });

  it('guessing is throttled per address, and per account across addresses; the admin\'s own browser still gets in', async () => {
    const fresh = createAdminApp({ records: f.records, stats: f.stats, token: TOKEN, faqDir: join(f.dir, 'faq'), logger: silentLogger, now: f.now });
    const previous = app;
    app = fresh;
    try {
      const mine = await login({ account: admin.staffId, password: PASSWORD });
      expect(mine.device).toBeTruthy();
      // Ten different wrong passwords from this address: the eleventh attempt is refused, even with the right one.
      for (let i = 0; i < 10; i++) expect((await login({ account: admin.staffId, password: `guess-${i}-xxxxxx` })).location).toBe('/login?failed=account');
      expect((await login({ account: admin.staffId, password: PASSWORD })).location).toBe('/login?failed=busy');
      // Other accounts from the same address are refused too (the address is guessing).
      expect((await login({ account: '别的账号', password: 'whatever-123456' })).location).toBe('/login?failed=busy');
      // The browser that signed in before has its own budget: the admin gets in.
      const trusted = await login({ account: admin.staffId, password: PASSWORD }, { pufa_admin_device: mine.device! });
      expect([trusted.location, Boolean(trusted.session)]).toEqual(['/', true]);
      // A forged device cookie buys nothing.
      expect((await login({ account: admin.staffId, password: PASSWORD }, { pufa_admin_device: mine.device!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) })).location).toBe('/login?failed=busy');
    } finally {
      app = previous;
    }
  });
});
