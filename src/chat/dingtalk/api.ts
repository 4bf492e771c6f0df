/**
 * DingTalk's OpenAPI as the robot uses it: the app access token (cached, refreshed before it expires and
 * when the server says it is no longer valid), JSON calls with the token header, and session-webhook posts.
 * The root is configurable, so a private deployment (浙政钉-style) works the same way.
 */
import { PufaError } from '../../errors.ts';
import type { Logger } from '../../log.ts';

export interface DingTalkCredentials {
  clientId: string;
  clientSecret: string;
  apiRoot: string;
}

export class DingTalkApiError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`DingTalk ${path}: ${status} ${code} ${message}`);
    this.name = 'DingTalkApiError';
  }
}

// A token is renewed this long before DingTalk's stated expiry, so a call never carries a stale one.
const TOKEN_MARGIN_MS = 5 * 60_000;
const REQUEST_TIMEOUT_MS = 15_000;

export interface DingTalkApi {
  /** The app access token, fetched once and reused until shortly before it expires. */
  token(): Promise<string>;
  /** A JSON call to the OpenAPI with the token; an invalid token is renewed once and the call repeated. */
  call<T = unknown>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T>;
  /** Post a reply to a message's session webhook (no token needed). */
  postWebhook(url: string, body: unknown): Promise<void>;
}

async function readJson(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return { message: text.slice(0, 200) };
  }
}

export function createDingTalkApi(creds: DingTalkCredentials, logger: Logger, now: () => number = Date.now): DingTalkApi {
  let cached: { token: string; until: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const path = '/v1.0/oauth2/accessToken';
    const res = await fetch(creds.apiRoot + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ appKey: creds.clientId, appSecret: creds.clientSecret }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = await readJson(res);
    if (!res.ok || typeof body.accessToken !== 'string') {
      throw new DingTalkApiError(path, res.status, String(body.code ?? ''), String(body.message ?? 'no accessToken'));
    }
    const expireIn = Number(body.expireIn ?? 7200) * 1000;
    cached = { token: body.accessToken, until: now() + Math.max(expireIn - TOKEN_MARGIN_MS, expireIn / 2) };
    return body.accessToken;
  }

  const api: DingTalkApi = {
    async token() {
      if (cached && now() < cached.until) return cached.token;
      // One refresh at a time: fifty replies at once share it.
      pending ??= fetchToken().finally(() => (pending = undefined));
      return pending;
    },
    async call<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        const token = await api.token();
        const res = await fetch(creds.apiRoot + path, {
          method,
          headers: { 'content-type': 'application/json', accept: 'application/json', 'x-acs-dingtalk-access-token': token },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const data = await readJson(res);
        if (res.ok) return data as T;
        const code = String(data.code ?? '');
        // A revoked or expired token: drop it and try once more with a fresh one.
        if (attempt === 0 && (res.status === 401 || /InvalidAuthentication|token/i.test(code))) {
          logger.info('access token rejected, renewing', { path, code });
          if (cached?.token === token) cached = undefined;
          continue;
        }
        throw new DingTalkApiError(path, res.status, code, String(data.message ?? ''));
      }
    },
    async postWebhook(url, body) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const data = await readJson(res);
      if (!res.ok || (data.errcode !== undefined && Number(data.errcode) !== 0)) {
        throw new DingTalkApiError('sessionWebhook', res.status, String(data.errcode ?? ''), String(data.errmsg ?? ''));
      }
    },
  };
  return api;
}

/** The first call failed: wrong credentials, or no way through to the DingTalk server. */
export function dingTalkConnectError(err: unknown, apiRoot: string): PufaError {
  if (err instanceof DingTalkApiError && err.status >= 400 && err.status < 500) {
    return new PufaError('钉钉拒绝了应用凭证：请检查 DINGTALK_CLIENT_ID 与 DINGTALK_CLIENT_SECRET（开发者后台 → 应用 → 凭证与基础信息）。', { cause: err });
  }
  return new PufaError(`无法连接钉钉（${apiRoot}）：请检查网络，专有部署请把 DINGTALK_API_ROOT 设为本单位的开放平台地址。`, { cause: err });
}
