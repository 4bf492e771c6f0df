/**
 * Signing in to the web chat and out of it: a sign-in link (opened, then one tap), a typed code, a
 * visitor who registers (when the policy lets people register themselves), and WeCom's OAuth when WeCom
 * is configured. Every way ends the browser's earlier session and opens a new one; the sign-in forms
 * carry this browser's nonce (a SameSite=Strict cookie), so another site cannot sign someone in.
 */
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import { PufaError } from '../../errors.ts';
import type { UserRecord } from '../../records/types.ts';
import type { IncomingEvent, Sender } from '../types.ts';
import type { WebChatDeps, WebChatEnv } from './deps.ts';
import { clientOf, safeEqual, SESSION_COOKIE, WEB_SOURCE } from './http.ts';
import { linkPage, messagePage, signinPage, type SigninPageOptions } from './page.ts';
import { newWebId, type SignInVia, type WebSession } from './sessions.ts';

const SIGNIN_COOKIE = 'pufa_chat_signin';
const OAUTH_COOKIE = 'pufa_chat_oauth';
const VISITORS_PER_ADDRESS_PER_HOUR = 20;

/** What the sign-in routes share with the chat's routes. */
export interface SignInKit extends WebChatDeps {
  setSessionCookie(c: Context, token: string): void;
  enqueue(chatId: string, event: IncomingEvent): void;
  sender(session: WebSession): Promise<{ from: Sender; user: UserRecord | undefined }>;
  /** Cookies only over https when the web chat is served over https. */
  secure(c: Context): boolean;
  /** The address the browser sees (WEB_CHAT_URL, else the request's origin). */
  origin(c: Context): string;
}

export function registerSignInRoutes(app: Hono<WebChatEnv>, kit: SignInKit) {
  const deps = kit;
  const { sessions, people, logger: log, setSessionCookie, enqueue, sender, secure, origin } = kit;
  const visitorsBy = new Map<string, number[]>();

  /** A session for a person who proved who they are; the browser's earlier session (if any) ends. */
  async function signIn(c: Context, user: UserRecord, via: SignInVia) {
    if (user.status === 'disabled') return c.html(messagePage('无法登录', '您的账号已停用，如有疑问请联系管理员。'), 403);
    const webId = await people.webIdOf(user);
    await sessions.close(getCookie(c, SESSION_COOKIE));
    const { token } = await sessions.open(webId, via);
    setSessionCookie(c, token);
    deleteCookie(c, SIGNIN_COOKIE, { path: '/signin' });
    await deps.records.audit.add({ actorUserId: user.id, action: 'webchat.signin', targetUserId: user.id, detail: { via, client: clientOf(c) } });
    log.info('web chat sign-in', { userId: user.id, via });
    return c.redirect('/', 303);
  }

  /** The sign-in forms carry this browser's nonce (a cookie), so another site cannot sign someone in. */
  async function signinNonceOk(c: Context): Promise<Record<string, string>> {
    const body = await c.req.parseBody();
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v;
    const nonce = getCookie(c, SIGNIN_COOKIE);
    if (!nonce || !safeEqual(fields._signin ?? '', nonce)) throw new PufaError('页面已过期，请重新打开登录页。');
    return fields;
  }

  function signinNonce(c: Context): string {
    const existing = getCookie(c, SIGNIN_COOKIE);
    const nonce = existing && /^[A-Za-z0-9_-]{32}$/.test(existing) ? existing : randomBytes(24).toString('base64url');
    setCookie(c, SIGNIN_COOKIE, nonce, { httpOnly: true, sameSite: 'Strict', path: '/signin', secure: secure(c), maxAge: 3600 });
    return nonce;
  }


  app.post('/signout', async (c) => {
    await sessions.close(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/signin', 303);
  });

  // ---- signing in ----

  app.get('/signin', async (c) => {
    const failed = c.req.query('failed') as SigninPageOptions['failed'];
    if (!failed && (await sessions.resume(getCookie(c, SESSION_COOKIE)))) return c.redirect('/', 302);
    // Opened inside WeCom: sign in through WeCom at once.
    if (deps.wecom && !failed && /wxwork/i.test(c.req.header('user-agent') ?? '')) return c.redirect('/signin/wecom', 302);
    const known = ['code', 'busy', 'link', 'wecom', 'unregistered'].includes(failed ?? '') ? failed : undefined;
    return c.html(signinPage({ nonce: signinNonce(c), failed: known, visitors: deps.visitors, wecom: Boolean(deps.wecom) }));
  });

  // Opening a link only shows a button: link previews and scanners fetch links, people tap.
  app.get('/signin/link', (c) => {
    const token = c.req.query('t') ?? '';
    if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return c.html(messagePage('登录链接无效', '这个登录链接不完整或已损坏，请向管理员重新索取。'), 400);
    return c.html(linkPage({ nonce: signinNonce(c), token }));
  });

  app.post('/signin/link', async (c) => {
    const fields = await signinNonceOk(c);
    const userId = await deps.grants.redeemLink(fields.t ?? '');
    const user = userId === undefined ? undefined : await deps.records.users.get(userId);
    if (!user) {
      log.warn('web chat: sign-in link refused', { client: clientOf(c) });
      return c.redirect('/signin?failed=link', 303);
    }
    return signIn(c, user, 'link');
  });

  app.post('/signin/code', async (c) => {
    const fields = await signinNonceOk(c);
    const client = clientOf(c);
    const outcome = await deps.grants.redeemCode(fields.code ?? '', client);
    if (outcome.kind === 'busy') return c.redirect('/signin?failed=busy', 303);
    const user = outcome.kind === 'ok' ? await deps.records.users.get(outcome.userId) : undefined;
    if (!user) {
      log.warn('web chat: wrong sign-in code', { client });
      return c.redirect('/signin?failed=code', 303);
    }
    return signIn(c, user, 'code');
  });

  // A visitor (the policy lets people register themselves): a fresh web identity, then the registration form.
  app.post('/signin/visitor', async (c) => {
    await signinNonceOk(c);
    if (!deps.visitors) return c.html(messagePage('无法注册', '本单位只允许名单内人员使用普法助手，请向管理员索取登录链接或登录码。'), 403);
    const client = clientOf(c);
    const hour = deps.now().getTime() - 3600_000;
    const recent = (visitorsBy.get(client) ?? []).filter((t) => t > hour);
    if (recent.length >= VISITORS_PER_ADDRESS_PER_HOUR) return c.html(messagePage('请稍后再试', '注册请求过多，请一小时后再试。'), 429);
    visitorsBy.set(client, [...recent, deps.now().getTime()]);
    const webId = newWebId();
    const { token, session } = await sessions.open(webId, 'visitor');
    setSessionCookie(c, token);
    deleteCookie(c, SIGNIN_COOKIE, { path: '/signin' });
    log.info('web chat visitor', { client });
    const { from } = await sender(session);
    enqueue(webId, { kind: 'text', update: { source: WEB_SOURCE, id: `${webId}:start` }, chatId: webId, chatType: 'private', from, text: '/start' });
    return c.redirect('/', 303);
  });

  app.get('/signin/wecom', (c) => {
    if (!deps.wecom) return c.redirect('/signin', 302);
    const state = randomBytes(16).toString('hex');
    setCookie(c, OAUTH_COOKIE, state, { httpOnly: true, sameSite: 'Lax', path: '/signin/wecom', secure: secure(c), maxAge: 600 });
    return c.redirect(deps.wecom.authorizeUrl(`${origin(c)}/signin/wecom/callback`, state), 302);
  });

  app.get('/signin/wecom/callback', async (c) => {
    if (!deps.wecom) return c.redirect('/signin', 302);
    const state = getCookie(c, OAUTH_COOKIE);
    deleteCookie(c, OAUTH_COOKIE, { path: '/signin/wecom' });
    const code = c.req.query('code') ?? '';
    if (!state || !safeEqual(c.req.query('state') ?? '', state) || !code) {
      log.warn('web chat: WeCom sign-in without a matching state', { client: clientOf(c) });
      return c.redirect('/signin?failed=wecom', 303);
    }
    const who = await deps.wecom.identify(code);
    if (who.kind !== 'member') {
      log.warn('web chat: WeCom sign-in refused', { outcome: who.kind });
      return c.redirect('/signin?failed=wecom', 303);
    }
    const user = await people.byIdentity({ channel: 'wecom', id: who.userId });
    if (!user) {
      log.info('web chat: WeCom member not registered', { wecom: who.userId });
      return c.redirect('/signin?failed=unregistered', 303);
    }
    return signIn(c, user, 'wecom');
  });

}
