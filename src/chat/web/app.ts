/**
 * The web chat's routes (hono). One guard decides for every route: the sign-in pages and the static
 * files are open; everything else needs a live session (its cookie, rotated when due) and, when it
 * changes anything, the session's CSRF token and a same-origin request.
 *
 * The page talks to the chat core like any transport: what is typed becomes a text event, a button
 * press a callback event (only for a button that is really under that message), each with the page's
 * own id so a retried request is handled once; one person's events are handled in order. Replies come
 * back over the event stream (Server-Sent Events).
 *
 * @example const app = createWebChatApp(deps); await app.request('/api/ping') // 401 without a session
 */
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { PufaError } from '../../errors.ts';
import { bodyLimit } from '../../http-body-limit.ts';
import type { UserRecord } from '../../records/types.ts';
import { para } from '../format.ts';
import type { Access, IncomingEvent, Sender } from '../types.ts';
import { webChatAssets } from './assets.ts';
import type { WebEvent } from './hub.ts';
import { callbackIdOf } from './output.ts';
import type { WebChatDeps, WebChatEnv } from './deps.ts';
import { clientOf, safeEqual, SESSION_COOKIE, WEB_SOURCE } from './http.ts';
import { chatPage, CSRF_FIELD, messagePage } from './page.ts';
import { webIdentity, type WebSession } from './sessions.ts';
import { registerSignInRoutes } from './signin-routes.ts';

const BODY_LIMIT = 32 * 1024;
const KEEPALIVE_MS = 20_000;

export { SESSION_COOKIE, WEB_SOURCE };
export type { WebChatDeps, WebChatEnv };


type Env = WebChatEnv;

/** Routes open without a session, as 'METHOD /path'. */
export const PUBLIC_ROUTES = new Set([
  'GET /signin',
  'POST /signin/code',
  'GET /signin/link',
  'POST /signin/link',
  'POST /signin/visitor',
  'GET /signin/wecom',
  'GET /signin/wecom/callback',
  'GET /favicon.ico',
  ...Object.keys(webChatAssets()).map((p) => `GET ${p}`),
]);

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Not 'no-referrer': with it, browsers send 'Origin: null' on the page's own form posts.
  'Referrer-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Which commands a person sees in the page's command panel. */
function mayUse(user: UserRecord | undefined, access: Access): boolean {
  if (access === 'anyone') return true;
  if (!user || user.status !== 'active') return false;
  return access === 'active' || user.isAdmin;
}

export function createWebChatApp(deps: WebChatDeps): Hono<Env> {
  const { core, output, hub, sessions, people, logger: log } = deps;
  const app = new Hono<Env>();
  const assets = webChatAssets();
  const secure = (c: Context) => (deps.publicUrl ?? c.req.url).startsWith('https:');
  const origin = (c: Context) => deps.publicUrl ?? new URL(c.req.url).origin;
  /** One person's events in order (their double tap waits for the first tap's edit); different people in parallel. */
  const queues = new Map<string, Promise<void>>();
  const recentIds = new Set<string>();

  function enqueue(chatId: string, event: IncomingEvent) {
    const run = (queues.get(chatId) ?? Promise.resolve()).then(() => core.handle(event, output)).catch((err) => log.error('web chat: handling failed', { error: err as Error }));
    queues.set(chatId, run);
    void run.finally(() => {
      if (queues.get(chatId) === run) queues.delete(chatId);
    });
  }

  /** A client's id for a message or press, once per process (a retry of the same request is not echoed twice). */
  function firstTime(key: string): boolean {
    if (recentIds.has(key)) return false;
    recentIds.add(key);
    if (recentIds.size > 20_000) recentIds.delete(recentIds.values().next().value!);
    return true;
  }

  const setSessionCookie = (c: Context, token: string) =>
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: secure(c), maxAge: Math.floor(deps.cookieMaxAgeMs / 1000) });

  async function sender(session: WebSession): Promise<{ from: Sender; user: UserRecord | undefined }> {
    const user = await people.find(session.webId);
    return { user, from: { identity: webIdentity(session.webId), name: user?.name ?? '', privateChatId: session.webId } };
  }

  app.onError((err, c) => {
    if (err instanceof PufaError) {
      if (c.req.path.startsWith('/api/')) return c.text(err.userMessage, 400);
      return c.html(messagePage('出错了', err.userMessage), 400);
    }
    log.error('web chat request failed', { path: c.req.path, error: err });
    if (c.req.path.startsWith('/api/')) return c.text('服务器内部错误，已记录日志，请稍后再试。', 500);
    return c.html(messagePage('出错了', '服务器内部错误，已记录日志，请稍后再试。'), 500);
  });

  app.use('*', bodyLimit(BODY_LIMIT, '请求内容过长。'));

  // The guard.
  app.use('*', async (c, next) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    if (method !== 'GET') {
      // Browsers name the page a request comes from; a page of another site is refused outright (the
      // tokens below refuse it too). 'null' (a sandboxed or privacy-minded sender) is left to the tokens.
      const from = c.req.header('origin');
      if (from && from !== 'null' && from !== new URL(c.req.url).origin && from !== deps.publicUrl?.replace(/\/+$/, '')) return c.text('请求来源不正确。', 403);
    }
    if (PUBLIC_ROUTES.has(`${method} ${c.req.path}`)) return next();
    c.header('Cache-Control', 'no-store');
    const resumed = await sessions.resume(getCookie(c, SESSION_COOKIE));
    if (!resumed) {
      if (method === 'GET' && !c.req.path.startsWith('/api/')) return c.redirect('/signin', 302);
      return c.text('未登录或登录已过期，请重新登录。', 401);
    }
    if (resumed.token) setSessionCookie(c, resumed.token);
    if (method !== 'GET') {
      let sent = c.req.header('x-csrf-token');
      if (!sent && (c.req.header('content-type') ?? '').includes('form')) {
        const body = await c.req.parseBody();
        sent = typeof body[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined;
      }
      if (!sent || !safeEqual(sent, resumed.session.csrf)) return c.text('请求校验失败，请刷新页面后重试。', 403);
    }
    c.set('session', resumed.session);
    await next();
  });

  for (const [path, asset] of Object.entries(assets)) {
    app.get(path, (c) => {
      c.header('Content-Type', asset.type);
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(asset.body);
    });
  }
  app.get('/favicon.ico', (c) => c.redirect('/assets/icon.svg', 301));

  // ---- the chat ----

  app.get('/', async (c) => {
    const session = c.get('session');
    const user = await people.find(session.webId);
    const commands = core.features
      .flatMap((f) => f.commands ?? [])
      .filter((cmd) => mayUse(user, cmd.access))
      .map(({ name, description, usage }) => ({ name, description, usage }));
    return c.html(chatPage({ csrf: session.csrf, who: user?.name || '访客', commands }));
  });

  app.get('/api/ping', (c) => c.body(null, 204));

  app.get('/api/events', (c) => {
    const chatId = c.get('session').webId;
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let chain = Promise.resolve();
      const push = (e: WebEvent) => {
        // Serialised now: the chat may change before the write's turn comes.
        const data = JSON.stringify(e);
        chain = chain.then(() => stream.writeSSE({ data })).catch(() => undefined);
      };
      const disconnect = await hub.connect(chatId, { push });
      stream.onAbort(disconnect);
      while (!stream.aborted && !stream.closed) {
        await stream.sleep(KEEPALIVE_MS);
        // A comment line keeps proxies and phones from closing an idle stream.
        if (!stream.aborted) chain = chain.then(() => stream.write(': keepalive\n\n').then(() => undefined)).catch(() => undefined);
      }
      disconnect();
    });
  });

  async function jsonBody(c: Context): Promise<Record<string, unknown>> {
    try {
      const v = await c.req.json();
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new PufaError('请求格式不正确，请刷新页面后重试。');
  }

  app.post('/api/send', async (c) => {
    const session = c.get('session');
    const body = await jsonBody(c);
    const id = typeof body.id === 'string' && CLIENT_ID.test(body.id) ? body.id : undefined;
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    if (!id) throw new PufaError('请求格式不正确，请刷新页面后重试。');
    if (!text) return c.json({ ok: true }, 202);
    if (text.length > 2000) throw new PufaError('消息过长（最多 2000 字），请分几次发送。');
    const chatId = session.webId;
    if (!firstTime(`${chatId}:send:${id}`)) return c.json({ ok: true }, 202);
    await hub.post(chatId, { from: 'me', blocks: [para(text)], buttons: [] });
    const { from } = await sender(session);
    const event: IncomingEvent = { kind: 'text', update: { source: WEB_SOURCE, id: `${chatId}:${id}` }, chatId, chatType: 'private', from, text };
    // Recorded before the page hears "accepted": a restart in between still answers it.
    await core.accept(event);
    enqueue(chatId, event);
    return c.json({ ok: true }, 202);
  });

  app.post('/api/press', async (c) => {
    const session = c.get('session');
    const body = await jsonBody(c);
    const id = typeof body.id === 'string' && CLIENT_ID.test(body.id) ? body.id : undefined;
    const messageId = typeof body.message === 'string' ? body.message : '';
    const data = typeof body.data === 'string' ? body.data : '';
    if (!id || !messageId || !data) throw new PufaError('请求格式不正确，请刷新页面后重试。');
    const chatId = session.webId;
    // Only a button that is under that message now: a page cannot make up button data.
    const message = hub.message(chatId, messageId);
    if (!message?.buttons.flat().some((b) => b.data === data)) return c.text('该按钮已失效，请重新操作。', 409);
    if (!firstTime(`${chatId}:press:${id}`)) return c.json({ ok: true }, 202);
    const { from } = await sender(session);
    enqueue(chatId, {
      kind: 'callback',
      update: { source: WEB_SOURCE, id: `${chatId}:press:${id}` },
      chatId,
      chatType: 'private',
      from,
      callbackId: callbackIdOf(chatId, id),
      data,
      message: { chatId, messageId },
    });
    return c.json({ ok: true }, 202);
  });

  app.get('/api/files/:id', (c) => {
    const doc = hub.file(c.get('session').webId, c.req.param('id'));
    if (!doc) return c.text('文件已过期，请重新导出。', 404);
    c.header('Content-Type', 'application/octet-stream');
    c.header('Content-Disposition', `attachment; filename="export"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`);
    return c.body(doc.data as Uint8Array<ArrayBuffer>);
  });

  registerSignInRoutes(app, { ...deps, setSessionCookie, enqueue, sender, secure, origin });

  return app;
}
