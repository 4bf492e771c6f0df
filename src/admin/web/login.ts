/**
 * Signing in to the dashboard. Each admin signs in as themselves: with a password they set on 我的账号
 * (hashed with scrypt) or with a one-time link from chat (/web). The shared ADMIN_WEB_TOKEN is only a
 * bootstrap: it opens an unnamed session until the first admin has set a password, and is refused after.
 *
 * Throttling (see createLoginThrottle): wrong attempts count per address (10 different ones a minute) and per
 * account and address; an account also has a budget across all addresses (20 different wrong passwords in
 * 15 minutes). A browser that signed in before carries a device cookie and has a budget of its own, so a
 * flood from elsewhere never locks an admin out of their own browser; a chat link always works.
 */
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { UserRecord } from '../../records/types.ts';
import { redeemLoginTicket } from '../tickets.ts';
import { createLoginThrottle, DEVICE_COOKIE, DEVICE_TTL_MS, issueDeviceCookie, LOGIN_COOKIE, newSecret, safeEqual, SESSION_COOKIE, trustedDevice } from './auth.ts';
import { page } from './layout.ts';
import { verifyPassword } from './passwords.ts';
import type { AdminEnv, PageDeps } from './types.ts';

/** A local path to return to after login; anything else (//evil, https://…) goes home. */
export const safeNext = (next: string | undefined) => (next && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/');

const FAILED: Record<string, string> = {
  '1': '口令错误，请重试。',
  account: '账号或密码错误，请重试。',
  busy: '尝试次数过多，请稍后再试；也可以在与普法助手的私聊中发送 /web 获取一次性登录链接。',
  closed: '已有管理员设置了个人密码，共用口令（ADMIN_WEB_TOKEN）已停用：请用自己的账号和密码登录，或在聊天中发送 /web 获取登录链接。',
};

/** The client's address as the socket saw it ('local' under app.request in tests). */
const clientOf = (c: Context) => (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'local';

export function registerLogin(app: Hono<AdminEnv>, deps: PageDeps) {
  const { records, now } = deps;
  const log = deps.logger;
  const perAddress = createLoginThrottle(now, 10, 60_000);
  const perAccount = createLoginThrottle(now, 20, 15 * 60_000);
  const secureCookie = (c: Context) => new URL(c.req.url).protocol === 'https:';

  /** The secret device cookies are signed with: the token, else one kept in the records (made once). */
  let stored: string | undefined;
  async function deviceSecret(): Promise<string> {
    if (deps.token) return deps.token;
    stored ??= (await records.sessions.get<string>('admin-web:device-secret')) ?? undefined;
    if (!stored) {
      stored = newSecret();
      await records.sessions.set('admin-web:device-secret', stored);
    }
    return stored;
  }
  /** The token opens a session only while no admin has a password of their own. */
  const tokenOpen = async () => Boolean(deps.token) && (await records.adminCredentials.list()).length === 0;

  async function openSession(c: Context, user: UserRecord | null, via: 'token' | 'password' | 'link', device?: string) {
    if (via !== 'link') {
      setCookie(c, DEVICE_COOKIE, issueDeviceCookie(await deviceSecret(), now(), device), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/login',
        maxAge: DEVICE_TTL_MS / 1000,
        secure: secureCookie(c),
      });
    }
    const s = deps.sessions.create(user?.id ?? null, user ? user.name || '管理员' : '管理员（共用口令）');
    setCookie(c, SESSION_COOKIE, s.id, { httpOnly: true, sameSite: 'Strict', path: '/', secure: secureCookie(c) });
    deleteCookie(c, LOGIN_COOKIE, { path: '/login' });
    await records.audit.add({ actorUserId: user?.id ?? null, action: 'admin.web.login', targetUserId: null, detail: { via, client: clientOf(c) } });
  }

  /** The active admin an account name means: a staff id, or a name only one admin has. */
  async function adminByAccount(account: string): Promise<UserRecord | undefined> {
    const a = account.trim();
    if (!a) return undefined;
    const byStaff = await records.users.findByStaffId(a.toUpperCase());
    const candidates = byStaff ? [byStaff] : (await records.users.search(a, 5)).filter((u) => u.name === a);
    const admins = candidates.filter((u) => u.isAdmin && u.status === 'active');
    return admins.length === 1 ? admins[0] : undefined;
  }

  app.get('/login', async (c) => {
    // Reuse the nonce of this browser: a second login page (another tab, a favicon redirect) must not void the first.
    const existing = getCookie(c, LOGIN_COOKIE);
    const nonce = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : newSecret();
    setCookie(c, LOGIN_COOKIE, nonce, { httpOnly: true, sameSite: 'Strict', path: '/login', secure: secureCookie(c) });
    const failed = FAILED[c.req.query('failed') ?? ''];
    const next = safeNext(c.req.query('next'));
    const token = await tokenOpen();
    const body = html`<div class="login">
      ${failed ? html`<p class="error" role="alert">${failed}</p>` : ''}
      <form method="post" action="/login" data-testid="password-login">
        <input type="hidden" name="_login" value="${nonce}" />
        <input type="hidden" name="next" value="${next}" />
        <label>账号（学员编号或姓名）<input name="account" autocomplete="username" ${token ? '' : 'autofocus'} required /></label>
        <label>密码<input type="password" name="password" autocomplete="current-password" required /></label>
        <button type="submit">登录</button>
      </form>
      <p class="muted">还没有密码？在与普法助手的私聊中发送 /web，用一次性登录链接登录后，在「我的账号」里设置。</p>
      ${token
        ? html`<h2>初次使用：共用口令</h2>
          <p class="muted">在管理员设置个人密码之前，可以用管理后台口令（ADMIN_WEB_TOKEN）登录。</p>
          <form method="post" action="/login" data-testid="token-login">
            <input type="hidden" name="_login" value="${nonce}" />
            <input type="hidden" name="next" value="${next}" />
            <label>口令<input type="password" name="token" autocomplete="current-password" autofocus required /></label>
            <button type="submit">用口令登录</button>
          </form>`
        : ''}
    </div>`;
    return c.html(page({ title: '管理员登录' }, body));
  });

  app.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const nonce = getCookie(c, LOGIN_COOKIE);
    if (!nonce || !safeEqual(field('_login'), nonce)) return c.text('请求校验失败，请重新打开登录页。', 403);
    const client = clientOf(c);
    // A browser that logged in before has a budget of its own, which a flood from its address cannot use up.
    const device = trustedDevice(getCookie(c, DEVICE_COOKIE), await deviceSecret(), now());
    const fail = (why: string) => c.redirect(`/login?failed=${why}${field('next') && field('next') !== '/' ? `&next=${encodeURIComponent(safeNext(field('next')))}` : ''}`, 303);

    if ('token' in body) {
      const key = device ? `device:${device}` : `client:${client}`;
      if (perAddress.blocked(key)) {
        log.warn('admin web login throttled', { client, device: device ?? null });
        return fail('busy');
      }
      if (!deps.token || !safeEqual(field('token'), deps.token)) {
        perAddress.fail(key, field('token'));
        log.warn('admin web login failed', { client, device: device ?? null });
        return fail('1');
      }
      if (!(await tokenOpen())) {
        log.warn('admin web token login refused: named accounts exist', { client });
        return fail('closed');
      }
      await openSession(c, null, 'token', device);
      return c.redirect(safeNext(field('next')), 303);
    }

    const account = field('account').trim().toUpperCase();
    const keys = device ? [[perAddress, `device:${device}`] as const] : [[perAddress, `client:${client}`] as const, [perAccount, `account:${account}`] as const];
    if (keys.some(([t, k]) => t.blocked(k))) {
      log.warn('admin web login throttled', { client, account, device: device ?? null });
      return fail('busy');
    }
    const user = await adminByAccount(field('account'));
    const credential = user && (await records.adminCredentials.get(user.id));
    // Unknown accounts cost a hash too, so timing does not tell which accounts exist.
    const ok = credential ? await verifyPassword(field('password'), credential.hash) : (await verifyPassword(field('password'), DUMMY_HASH), false);
    if (!ok || !user) {
      for (const [t, k] of keys) t.fail(k, `${account}\0${field('password')}`);
      log.warn('admin web password login failed', { client, account, device: device ?? null });
      return fail('account');
    }
    await openSession(c, user, 'password', device);
    return c.redirect(safeNext(field('next')), 303);
  });

  // Login by a one-time link an admin got in chat (/web).
  app.get('/login/link', async (c) => {
    const userId = await redeemLoginTicket(records.sessions, c.req.query('t') ?? '', now());
    const user = userId === undefined ? undefined : await records.users.get(userId);
    if (!user || !user.isAdmin || user.status !== 'active') {
      return c.html(page({ title: '登录链接无效' }, html`<p class="error">登录链接无效、已使用或已过期，请在聊天中重新发送 /web。</p><p><a href="/login">返回登录页</a></p>`), 401);
    }
    await openSession(c, user, 'link');
    return c.redirect('/', 302);
  });

  app.post('/logout', async (c) => {
    const s = c.get('session');
    deps.sessions.destroy(s.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    await deps.audit(c, 'admin.web.logout');
    return c.redirect('/login', 303);
  });
}

/** A hash of a random password: checked against when the account does not exist. */
const DUMMY_HASH = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA$' + 'A'.repeat(43);
