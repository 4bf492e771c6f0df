/**
 * Signing in to the web chat from inside WeCom (企业微信 / 政务微信), by WeCom's web OAuth for a
 * self-built app: the page sends the browser to `<oauth root>/connect/oauth2/authorize?appid=CORPID&
 * redirect_uri=…&response_type=code&scope=snsapi_base&state=…&agentid=…#wechat_redirect`; WeCom sends it
 * back with `code`; `GET <api root>/cgi-bin/auth/getuserinfo?access_token=…&code=…` names the member
 * (`userid`), or says the visitor is not a member (`openid` only), or refuses the code (40029: used, or
 * older than 5 minutes). The access token is the WeCom API client's (cached, renewed when refused).
 */
import type { WeComApi } from '../wecom/api.ts';
import { WeComApiError } from '../wecom/api.ts';

export type WecomVisitor = { kind: 'member'; userId: string } | { kind: 'outsider' } | { kind: 'invalid-code' };

export interface WecomSignIn {
  /** Where to send the browser: WeCom comes back to `redirectUri` with `code` and `state`. */
  authorizeUrl(redirectUri: string, state: string): string;
  /** Who authorised with this code. */
  identify(code: string): Promise<WecomVisitor>;
}

export interface WecomSignInOptions {
  corpId: string;
  agentId?: number;
  /** Where the authorize page is: https://open.weixin.qq.com, or the deployment's own. */
  oauthRoot: string;
  api: Pick<WeComApi, 'get'>;
}

/** WeCom's answer for a code that was used already or has expired. */
const INVALID_CODE = 40029;

export function createWecomSignIn(o: WecomSignInOptions): WecomSignIn {
  const oauthRoot = o.oauthRoot.replace(/\/+$/, '');
  return {
    authorizeUrl(redirectUri, state) {
      const q = new URLSearchParams({ appid: o.corpId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base', state });
      if (o.agentId !== undefined) q.set('agentid', String(o.agentId));
      return `${oauthRoot}/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
    },
    async identify(code) {
      let body: Record<string, unknown>;
      try {
        body = await o.api.get('/cgi-bin/auth/getuserinfo', { code });
      } catch (err) {
        if (err instanceof WeComApiError && err.errcode === INVALID_CODE) return { kind: 'invalid-code' };
        throw err;
      }
      // Older deployments answer 'UserId'; a non-member gets only an openid.
      const userId = body.userid ?? body.UserId;
      return typeof userId === 'string' && userId ? { kind: 'member', userId } : { kind: 'outsider' };
    },
  };
}
