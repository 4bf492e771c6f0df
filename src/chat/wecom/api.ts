/**
 * The WeCom server API client (企业微信 / 政务微信 self-built app): one access token per app, fetched with
 * /cgi-bin/gettoken, cached, refreshed shortly before it expires and again when WeCom says it is expired or
 * invalid (the call is then retried once); rate-limit and busy errcodes are retried with backoff.
 */
import { PufaError } from '../../errors.ts';
import type { Logger } from '../../log.ts';

/** errcodes meaning "this token is no good": expired (42001), invalid or revoked (40014), bad credential (40001). */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
/** errcodes meaning "try again later": busy (-1), frequency (45009, 45011), concurrency (45033). */
const RETRY_ERRCODES = new Set([-1, 45009, 45011, 45033]);

/** A WeCom API call answered with an errcode: keeps the path and WeCom's own errcode and errmsg. */
export class WeComApiError extends PufaError {
  constructor(
    readonly path: string,
    readonly errcode: number,
    readonly errmsg: string,
    userMessage = '企业微信接口暂时不可用，消息未能发出，请稍后再试。',
  ) {
    super(userMessage, { detail: `WeCom ${path} errcode ${errcode}: ${errmsg}` });
    this.name = 'WeComApiError';
  }
}

export interface WeComApiOptions {
  apiRoot: string;
  corpId: string;
  secret: string;
  logger: Logger;
  /** Retries of a rate-limited or busy call, and the first delay (doubled each time). */
  retry?: { attempts: number; baseDelayMs: number };
  /** Give up on one HTTP request after this long. */
  timeoutMs?: number;
  now?: () => number;
}

export interface WeComApi {
  /** A valid access token (cached until shortly before it expires). */
  token(): Promise<string>;
  /** POST a JSON body to `path` with the token; resolves with WeCom's answer when errcode is 0. */
  post<T extends object = Record<string, unknown>>(path: string, body: unknown): Promise<T & { errcode: number; errmsg: string }>;
  /** GET `path` with the token and these query parameters (the web chat's OAuth: /cgi-bin/auth/getuserinfo). */
  get<T extends object = Record<string, unknown>>(path: string, query: Record<string, string>): Promise<T & { errcode: number; errmsg: string }>;
  /** POST a multipart form (media upload) with the token. */
  upload<T extends object = Record<string, unknown>>(path: string, query: Record<string, string>, form: FormData): Promise<T & { errcode: number; errmsg: string }>;
}

const DEFAULT_RETRY = { attempts: 3, baseDelayMs: 1_000 };
const TOKEN_MARGIN_MS = 300_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What an operator must do when gettoken is refused, by errcode. */
function tokenError(errcode: number, errmsg: string): WeComApiError {
  const hint: Record<number, string> = {
    40013: '企业微信拒绝了企业 ID：请检查 WECOM_CORP_ID（管理后台「我的企业」→ 企业信息）。',
    40001: '企业微信拒绝了应用 Secret：请检查 WECOM_SECRET（应用管理 → 自建应用 → Secret），Secret 重置后须同步更新。',
    40091: '企业微信拒绝了应用 Secret：请检查 WECOM_SECRET（应用管理 → 自建应用 → Secret）。',
    60020: '本机的出口 IP 不在应用的「企业可信 IP」名单中：请在应用管理 → 自建应用 → 企业可信 IP 中添加本机 IP。',
  };
  return new WeComApiError('/cgi-bin/gettoken', errcode, errmsg, hint[errcode] ?? `企业微信拒绝发放访问令牌（errcode ${errcode}：${errmsg}）。`);
}

/**
 * @example
 * const api = createWeComApi({ apiRoot: 'https://qyapi.weixin.qq.com', corpId, secret, logger });
 * await api.post('/cgi-bin/message/send', { touser: 'zhangsan', msgtype: 'text', agentid: 1000002, text: { content: '您好' } });
 */
export function createWeComApi(opts: WeComApiOptions): WeComApi {
  const root = opts.apiRoot.replace(/\/+$/, '');
  const retry = opts.retry ?? DEFAULT_RETRY;
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let cached: { token: string; refreshAt: number } | undefined;
  let fetching: Promise<string> | undefined;

  async function request(url: string, init: RequestInit, path: string): Promise<{ errcode: number; errmsg: string } & Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new PufaError(`无法连接企业微信接口（${root}）：请检查网络，或把 WECOM_API_ROOT 设为本单位能访问的地址（政务微信、私有化部署）。`, {
        cause: err,
        detail: `WeCom ${path}: ${(err as Error).message}`,
      });
    }
    const text = await res.text();
    try {
      const body = JSON.parse(text) as { errcode?: number; errmsg?: string };
      return { ...body, errcode: body.errcode ?? 0, errmsg: body.errmsg ?? '' };
    } catch (err) {
      throw new PufaError(`企业微信接口（${root}）返回了无法识别的内容（HTTP ${res.status}）：请检查 WECOM_API_ROOT。`, {
        cause: err,
        detail: `WeCom ${path}: HTTP ${res.status} ${text.slice(0, 200)}`,
      });
    }
  }

  async function fetchToken(): Promise<string> {
    const query = new URLSearchParams({ corpid: opts.corpId, corpsecret: opts.secret });
    const body = await request(`${root}/cgi-bin/gettoken?${query}`, { method: 'GET' }, '/cgi-bin/gettoken');
    if (body.errcode !== 0 || typeof body.access_token !== 'string') throw tokenError(body.errcode, body.errmsg);
    const ttlMs = Number(body.expires_in ?? 7200) * 1000;
    // Refresh ahead of expiry (5 min, or a fifth of a short lifetime), so a reply never carries a dying token.
    cached = { token: body.access_token, refreshAt: now() + ttlMs - Math.min(TOKEN_MARGIN_MS, ttlMs / 5) };
    opts.logger.debug('access token fetched', { expiresIn: body.expires_in });
    return body.access_token;
  }

  function token(): Promise<string> {
    if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
    // One gettoken at a time: fifty replies at once share it.
    fetching ??= fetchToken().finally(() => (fetching = undefined));
    return fetching;
  }

  async function call<T>(path: string, send: (token: string) => Promise<{ errcode: number; errmsg: string } & Record<string, unknown>>): Promise<T & { errcode: number; errmsg: string }> {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const used = await token();
      const body = await send(used);
      if (body.errcode === 0) return body as T & { errcode: number; errmsg: string };
      if (TOKEN_ERRCODES.has(body.errcode) && !refreshed) {
        // Expired early or revoked (the secret was reset): drop it, fetch a new one, try once more.
        opts.logger.info('access token refused, refreshing', { path, errcode: body.errcode });
        if (cached?.token === used) cached = undefined;
        refreshed = true;
        continue;
      }
      if (RETRY_ERRCODES.has(body.errcode) && attempt < retry.attempts) {
        const delay = retry.baseDelayMs * 2 ** attempt;
        opts.logger.warn('WeCom rate limit, retrying', { path, errcode: body.errcode, delayMs: delay });
        await sleep(delay);
        continue;
      }
      throw new WeComApiError(path, body.errcode, body.errmsg);
    }
  }

  return {
    token,
    post<T>(path: string, payload: unknown) {
      return call<T>(path, (t) =>
        request(`${root}${path}?access_token=${encodeURIComponent(t)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }, path),
      );
    },
    get<T>(path: string, query: Record<string, string>) {
      return call<T>(path, (t) => request(`${root}${path}?${new URLSearchParams({ ...query, access_token: t })}`, { method: 'GET' }, path));
    },
    upload<T>(path: string, query: Record<string, string>, form: FormData) {
      return call<T>(path, (t) => request(`${root}${path}?${new URLSearchParams({ ...query, access_token: t })}`, { method: 'POST', body: form }, path));
    },
  };
}
