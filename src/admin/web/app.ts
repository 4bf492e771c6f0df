/**
 * The admin dashboard: a small hono app, server-rendered Chinese HTML. One middleware guards every route
 * except the few public ones (the login routes and the stylesheet): no session, no data. Responses are
 * compressed; assets carry their content hash in the name and are cached for a year.
 *
 * @example const app = createAdminApp({ records, stats, token: config.adminWeb.token, faqDir, logger }); await app.request('/')
 */
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { deleteCookie, getCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { PufaError } from '../../errors.ts';
import { bodyLimit } from '../../http-body-limit.ts';
import { assetPath, assets, pickEncoding, PUBLIC_ASSETS } from './assets.ts';
import { createSessionStore, CSRF_FIELD, safeEqual, SESSION_COOKIE } from './auth.ts';
import { page } from './layout.ts';
import { registerLogin } from './login.ts';
import { registerAccountPages } from './pages/account.ts';
import { registerActionPages } from './pages/actions.ts';
import { registerDataPages } from './pages/data.ts';
import { registerExportPages } from './pages/export.ts';
import { registerKnowledgePages, UPLOAD_PATH } from './pages/knowledge.ts';
import { registerQaPages } from './pages/qa.ts';
import { registerQuestionPages } from './pages/questions.ts';
import { registerReportPages } from './pages/reports.ts';
import type { AdminEnv, AdminWebDeps, PageDeps } from './types.ts';

export type { AdminContext, AdminEnv, AdminWebDeps, IngestControl, IngestJobState, KnowledgeFolders, KnowledgeView, PageDeps } from './types.ts';

/** Routes reachable without a session, as 'METHOD /path'. Everything else needs one. */
export const PUBLIC_ROUTES = new Set([
  'GET /login',
  'POST /login',
  'GET /login/link',
  'GET /favicon.ico',
  ...PUBLIC_ASSETS.map((name) => `GET ${assetPath(name)}`),
]);

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** The largest request body any route but the upload accepts (the biggest forms, the checklist and a pinned answer, are a few KB). */
export const MAX_BODY_BYTES = 64 * 1024;

export function createAdminApp(deps: AdminWebDeps): Hono<AdminEnv> {
  const now = deps.now ?? (() => new Date());
  const sessions = createSessionStore({ now, idleMs: deps.sessionIdleMs });
  const log = deps.logger;
  const app = new Hono<AdminEnv>();
  const uploadLimit = (deps.folders?.maxFileBytes ?? 10 * 1024 * 1024) + 64 * 1024;

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
      return c.html(page({ title, active, csrf: s.csrf, who: s.label, scripts: opts.scripts, flash: opts.flash, refresh: opts.refresh }, body), opts.status ?? 200);
    },
  };

  /** An error page in Chinese, with the navigation when signed in. */
  const errorPage = (c: Parameters<PageDeps['render']>[0], title: string, message: string, status: 400 | 403 | 404 | 413 | 500) => {
    const s = c.get('session');
    const body = html`<p class="error">${message}</p><p><a href="/">返回概览</a>${s ? '' : html` · <a href="/login">登录</a>`}</p>`;
    return c.html(page({ title, csrf: s?.csrf, who: s?.label }, body), status);
  };

  app.onError((err, c) => {
    if (err instanceof PufaError) return errorPage(c, '出错了', err.userMessage, 400);
    log.error('admin web request failed', { path: c.req.path, error: err });
    return errorPage(c, '出错了', '服务器内部错误，已记录日志。', 500);
  });
  app.notFound((c) => errorPage(c, '页面不存在', `没有这个页面：${c.req.path}。请从上方的导航进入。`, 404));

  // Security headers on every response; compression of what the pages send; then the body cap (forms here are
  // small: anything larger is refused before the guard or a route reads it; uploads have their own, larger cap).
  app.use('*', async (c, next) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
    await next();
  });
  app.use('*', compress());
  const formLimit = bodyLimit(MAX_BODY_BYTES, `提交的内容过大（上限 ${MAX_BODY_BYTES / 1024} KB），已拒绝。`);
  const fileLimit = bodyLimit(uploadLimit, `文件过大（上限 ${Math.round(uploadLimit / 1024 / 1024)} MB，可用 INGEST_MAX_FILE_MB 调整），已拒绝。`);
  app.use('*', (c, next) => (c.req.path === UPLOAD_PATH ? fileLimit(c, next) : formLimit(c, next)));

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
        return c.html(page({ title: '无权访问' }, html`<p class="error">此账号不是管理员（或已停用），无权访问管理后台。</p><p><a href="/login">返回登录页</a></p>`), 403);
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
    await next();
  });

  for (const asset of assets().values()) {
    app.get(asset.path, (c) => {
      c.header('Cache-Control', `${asset.public ? 'public' : 'private'}, max-age=31536000, immutable`);
      c.header('ETag', asset.etag);
      c.header('Vary', 'Accept-Encoding');
      if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
      c.header('Content-Type', asset.type);
      const encoding = pickEncoding(c.req.header('accept-encoding'));
      if (encoding !== 'identity') c.header('Content-Encoding', encoding);
      return c.body(new Uint8Array(encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gzip : asset.identity));
    });
  }

  // Browsers ask for it on every page; without this the request would bounce to the login page.
  app.get('/favicon.ico', (c) => c.body(null, 204));

  registerLogin(app, pageDeps);
  registerDataPages(app, pageDeps);
  registerReportPages(app, pageDeps);
  registerQuestionPages(app, pageDeps);
  registerActionPages(app, pageDeps);
  registerQaPages(app, pageDeps);
  registerKnowledgePages(app, pageDeps);
  registerExportPages(app, pageDeps);
  registerAccountPages(app, pageDeps);
  return app;
}
