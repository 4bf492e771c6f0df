/**
 * Signing in to the web chat from inside WeCom (企业微信 / 政务微信), by WeCom's web OAuth for a
 * self-built app: the page sends the browser to `<oauth root>/connect/oauth2/authorize?appid=CORPID&
 * redirect_uri=…&response_type=code&scope=snsapi_base&state=…&agentid=…#wechat_redirect`; WeCom sends it
 * back with `code`; `GET <api root>/cgi-bin/auth/getuserinfo?access_token=…&code=…` names the member
 * (`userid`), or says the visitor is not a member (`openid`), or refuses the code (40029: used, or older
 * than 5 minutes). An expired or revoked access token (42001, 40014, 40001) is renewed once.
 */
import { PufaError } from '../../errors.ts';

export type WecomVisitor = { kind: 'member'; userId: string } | { kind: 'outsider' } | { kind: 'invalid-code' };

export interface WecomSignIn {
  /** Where to send the browser: WeCom comes back to `redirectUri` with `code` and `state`. */
  authorizeUrl(redirectUri: string, state: string): string;
  /** Who authorised with this code. */
  identify(code: string): Promise<WecomVisitor>;
}

export interface WecomSignInOptions {
  corpId: string;
  agentId?: string;
  /** The API server: https://qyapi.weixin.qq.com, or a 政务微信 / private deployment's. */
  apiRoot: string;
  /** Where the authorize page is: https://open.weixin.qq.com, or the deployment's own. */
  oauthRoot: string;
  /** The app's access token (cached by its owner); `fresh` asks for a new one after WeCom refused the old. */
  accessToken(fresh?: boolean): Promise<string>;
  timeoutMs?: number;
}

const TOKEN_REFUSED = new Set([40001, 40014, 42001]);

export function createWecomSignIn(o: WecomSignInOptions): WecomSignIn {
  const apiRoot = o.apiRoot.replace(/\/+$/, '');
  const oauthRoot = o.oauthRoot.replace(/\/+$/, '');
  async function call(code: string, fresh: boolean): Promise<Record<string, unknown>> {
    const token = await o.accessToken(fresh);
    const url = `${apiRoot}/cgi-bin/auth/getuserinfo?access_token=${encodeURIComponent(token)}&code=${encodeURIComponent(code)}`;
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new PufaError('暂时无法连接企业微信，请稍后再试，或使用登录码登录。', { cause: err, detail: `WeCom getuserinfo: ${apiRoot} unreachable` });
    }
    if (!res.ok) throw new PufaError('企业微信暂时无法确认您的身份，请稍后再试。', { detail: `WeCom getuserinfo: HTTP ${res.status}` });
    return (await res.json()) as Record<string, unknown>;
  }
  return {
    authorizeUrl(redirectUri, state) {
      const q = new URLSearchParams({ appid: o.corpId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base', state });
      if (o.agentId) q.set('agentid', o.agentId);
      return `${oauthRoot}/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
    },
    async identify(code) {
      let body = await call(code, false);
      if (TOKEN_REFUSED.has(Number(body.errcode))) body = await call(code, true);
      const errcode = Number(body.errcode ?? 0);
      if (errcode === 40029) return { kind: 'invalid-code' };
      if (errcode !== 0) {
        throw new PufaError('企业微信暂时无法确认您的身份，请稍后再试。', { detail: `WeCom getuserinfo: errcode ${errcode} ${String(body.errmsg ?? '')}` });
      }
      // Older deployments answer 'UserId'; a non-member gets only an openid.
      const userId = body.userid ?? body.UserId;
      return typeof userId === 'string' && userId ? { kind: 'member', userId } : { kind: 'outsider' };
    },
  };
}

/**
 * The app's access token from `GET <api root>/cgi-bin/gettoken?corpid=…&corpsecret=…`, kept until five
 * minutes before it expires; `fresh` fetches a new one (WeCom said the old one expired or was revoked).
 */
export function wecomAccessToken(o: { apiRoot: string; corpId: string; secret: string; now?: () => Date; timeoutMs?: number }): (fresh?: boolean) => Promise<string> {
  const now = o.now ?? (() => new Date());
  const apiRoot = o.apiRoot.replace(/\/+$/, '');
  let cached: { token: string; until: number } | undefined;
  return async (fresh = false) => {
    if (!fresh && cached && cached.until > now().getTime()) return cached.token;
    const url = `${apiRoot}/cgi-bin/gettoken?corpid=${encodeURIComponent(o.corpId)}&corpsecret=${encodeURIComponent(o.secret)}`;
    let body: Record<string, unknown>;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
      body = (await res.json()) as Record<string, unknown>;
    } catch (err) {
      throw new PufaError('暂时无法连接企业微信，请稍后再试，或使用登录码登录。', { cause: err, detail: `WeCom gettoken: ${apiRoot} unreachable` });
    }
    if (Number(body.errcode ?? 0) !== 0 || typeof body.access_token !== 'string') {
      throw new PufaError('企业微信登录暂不可用，请使用登录码登录，并请管理员检查企业微信的设置。', { detail: `WeCom gettoken: errcode ${String(body.errcode)} ${String(body.errmsg ?? '')}` });
    }
    const seconds = Number(body.expires_in ?? 7200);
    cached = { token: body.access_token, until: now().getTime() + Math.max(60, seconds - 300) * 1000 };
    return cached.token;
  };
}
