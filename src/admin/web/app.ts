/**
 * The admin dashboard: a small hono app, server-rendered Chinese HTML. One middleware guards every route
 * except the few listed in PUBLIC_ROUTES (the login page and the stylesheet): no session, no data.
 *
 * @example const app = createAdminApp({ records, stats, token: config.adminWeb.token, faqDir, logger }); await app.request('/')
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { PufaError } from '../../errors.ts';
import { bodyLimit } from '../../http-body-limit.ts';
import { redeemLoginTicket } from '../tickets.ts';
import { ASSETS } from './assets.ts';
import {
  createLoginThrottle,
  createSessionStore,
  CSRF_FIELD,
  DEVICE_COOKIE,
  DEVICE_TTL_MS,
  issueDeviceCookie,
  LOGIN_COOKIE,
  newSecret,
  safeEqual,
  SESSION_COOKIE,
  trustedDevice,
} from './auth.ts';
import { page } from './layout.ts';
import { registerDataPages } from './pages/data.ts';
import { registerExportPages } from './pages/export.ts';
import { registerKnowledgePages } from './pages/knowledge.ts';
import { registerQaPages } from './pages/qa.ts';
import type { AdminEnv, AdminWebDeps, PageDeps } from './types.ts';

export type { AdminContext, AdminEnv, AdminWebDeps, KnowledgeView, PageDeps } from './types.ts';

/** Routes reachable without a session, as 'METHOD /path'. Everything else needs one. */
export const PUBLIC_ROUTES = new Set(['GET /login', 'POST /login', 'GET /login/link', 'GET /assets/style.css', 'GET /favicon.ico']);

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** The largest request body any route accepts (the biggest form, a pinned answer, is a few KB). */
export const MAX_BODY_BYTES = 64 * 1024;

/** A local path to return to after login; anything else (//evil, https://…) goes home. */
const safeNext = (next: string | undefined) => (next && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/');

export function createAdminApp(deps: AdminWebDeps): Hono<AdminEnv> {
  const now = deps.now ?? (() => new Date());
  const sessions = createSessionStore({ now, idleMs: deps.sessionIdleMs });
  const throttle = createLoginThrottle(now);
  const log = deps.logger;
  const app = new Hono<AdminEnv>();
  const secureCookie = (c: Context) => new URL(c.req.url).protocol === 'https:';

  const pageDeps: PageDeps = {
    ...deps,
    now,
    sessions,
    async audit(c, action, detail = {}, targetUserId = null) {
      const s = c.get('session');
      await deps.records.audit.add({ actorUserId: s.actorUserId, action, targetUserId, detail: { via: 'web', ...(s.actorUserId === null ? { login: 'token' } : {}), ...detail } });
    },
    render(c, title, active, body, opts = {}) {
      const s = c.get('session');
      return c.html(page({ title, active, csrf: s.csrf, who: s.label, scripts: opts.scripts, flash: opts.flash }, body), opts.status ?? 200);
    },
  };

  app.onError((err, c) => {
    if (err instanceof PufaError) {
      return c.html(page({ title: '出错了' }, html`<p class="error">${err.userMessage}</p><p><a href="/">返回概览</a></p>`), 400);
    }
    log.error('admin web request failed', { path: c.req.path, error: err });
    return c.html(page({ title: '出错了' }, html`<p class="error">服务器内部错误，已记录日志。</p>`), 500);
  });

  // Security headers on every response; then the body cap (forms here are a few kilobytes: anything larger is
  // refused before the guard or a route reads it).
  app.use('*', async (c, next) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
    await next();
  });
  app.use('*', bodyLimit(MAX_BODY_BYTES, '提交的内容过大（上限 64 KB），已拒绝。'));

  // The guard: a live session (and, for a person, still an active admin) for anything not public; the
  // session's CSRF token on every state-changing request.
  app.use('*', async (c, next) => {
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    if (PUBLIC_ROUTES.has(`${method} ${c.req.path}`)) return next();
    c.header('Cache-Control', 'no-store');
    const session = sessions.get(getCookie(c, SESSION_COOKIE));
    if (!session) {
      if (method === 'GET') return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 302);
      return c.text('未登录或登录已过期。', 401);
    }
    if (session.actorUserId !== null) {
      const u = await deps.records.users.get(session.actorUserId);
      if (!u || !u.isAdmin || u.status !== 'active') {
        sessions.destroy(session.id);
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        return c.html(page({ title: '无权访问' }, html`<p class="error">此账号不是管理员（或已停用），无权访问管理后台。</p>`), 403);
      }
    }
    if (method !== 'GET') {
      let sent = c.req.header('x-csrf-token');
      if (!sent) {
        const type = c.req.header('content-type') ?? '';
        if (type.includes('form')) {
          const body = await c.req.parseBody();
          sent = typeof body[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined;
        }
      }
      if (!sent || !safeEqual(sent, session.csrf)) return c.text('请求校验失败（CSRF），请刷新页面后重试。', 403);
    }
    c.set('session', session);
    c.header('Cache-Control', 'no-store');
    await next();
  });

  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, (c) => {
      c.header('Content-Type', asset.type);
      c.header('Cache-Control', asset.public ? 'public, max-age=3600' : 'private, max-age=3600');
      return c.body(asset.body());
    });
  }

  // Browsers ask for it on every page; without this the request would bounce to the login page.
  app.get('/favicon.ico', (c) => c.body(null, 204));

  // Login by the shared token.
  app.get('/login', (c) => {
    // Reuse the nonce of this browser: a second login page (another tab, a favicon redirect) must not void the first.
    const existing = getCookie(c, LOGIN_COOKIE);
    const nonce = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : newSecret();
    setCookie(c, LOGIN_COOKIE, nonce, { httpOnly: true, sameSite: 'Strict', path: '/login', secure: secureCookie(c) });
    const failed = c.req.query('failed');
    const body = html`<div class="login">
      <p>请输入管理后台口令（ADMIN_WEB_TOKEN）。也可以在与普法助手的私聊中发送 /web 获取一次性登录链接。</p>
      ${failed ? html`<p class="error">${failed === 'busy' ? '尝试次数过多，请一分钟后再试；也可以在与普法助手的私聊中发送 /web 获取一次性登录链接。' : '口令错误，请重试。'}</p>` : ''}
      ${deps.token
        ? html`<form method="post" action="/login">
            <input type="hidden" name="_login" value="${nonce}" />
            <input type="hidden" name="next" value="${safeNext(c.req.query('next'))}" />
            <label>口令<input type="password" name="token" autocomplete="current-password" autofocus required /></label>
            <button type="submit">登录</button>
          </form>`
        : html`<p class="muted">未设置 ADMIN_WEB_TOKEN，口令登录已关闭。</p>`}
    </div>`;
    return c.html(page({ title: '管理员登录' }, body));
  });

  app.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const nonce = getCookie(c, LOGIN_COOKIE);
    if (!nonce || !safeEqual(field('_login'), nonce)) return c.text('请求校验失败，请重新打开登录页。', 403);
    const client = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'local';
    // A browser that logged in before has a budget of its own, which a flood from its address cannot use up.
    const device = trustedDevice(getCookie(c, DEVICE_COOKIE), deps.token, now());
    const key = device ? `device:${device}` : `client:${client}`;
    if (throttle.blocked(key)) {
      log.warn('admin web login throttled', { client, device: device ?? null });
      return c.redirect('/login?failed=busy', 303);
    }
    if (!deps.token || !safeEqual(field('token'), deps.token)) {
      throttle.fail(key, field('token'));
      log.warn('admin web login failed', { client, device: device ?? null });
      return c.redirect('/login?failed=1', 303);
    }
    setCookie(c, DEVICE_COOKIE, issueDeviceCookie(deps.token, now(), device), {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/login',
      maxAge: DEVICE_TTL_MS / 1000,
      secure: secureCookie(c),
    });
    const s = sessions.create(null, '管理员（口令登录）');
    setCookie(c, SESSION_COOKIE, s.id, { httpOnly: true, sameSite: 'Strict', path: '/', secure: secureCookie(c) });
    deleteCookie(c, LOGIN_COOKIE, { path: '/login' });
    await deps.records.audit.add({ actorUserId: null, action: 'admin.web.login', targetUserId: null, detail: { via: 'token' } });
    return c.redirect(safeNext(field('next')), 303);
  });

  // Login by a one-time link an admin got in chat (/web).
  app.get('/login/link', async (c) => {
    const userId = await redeemLoginTicket(deps.records.sessions, c.req.query('t') ?? '', now());
    const user = userId === undefined ? undefined : await deps.records.users.get(userId);
    if (!user || !user.isAdmin || user.status !== 'active') {
      return c.html(page({ title: '登录链接无效' }, html`<p class="error">登录链接无效、已使用或已过期，请在聊天中重新发送 /web。</p>`), 401);
    }
    const s = sessions.create(user.id, user.name || '管理员');
    setCookie(c, SESSION_COOKIE, s.id, { httpOnly: true, sameSite: 'Strict', path: '/', secure: secureCookie(c) });
    await deps.records.audit.add({ actorUserId: user.id, action: 'admin.web.login', targetUserId: null, detail: { via: 'link' } });
    return c.redirect('/', 302);
  });

  app.post('/logout', async (c) => {
    const s = c.get('session');
    sessions.destroy(s.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    await pageDeps.audit(c, 'admin.web.logout');
    return c.redirect('/login', 303);
  });

  registerDataPages(app, pageDeps);
  registerQaPages(app, pageDeps);
  registerKnowledgePages(app, pageDeps);
  registerExportPages(app, pageDeps);
  return app;
}
