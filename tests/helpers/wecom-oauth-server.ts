/**
 * A stand-in for WeCom's web sign-in on 127.0.0.1, speaking its documented API: the authorize page
 * (`/connect/oauth2/authorize`, which here answers at once for the member "signed in to the WeCom
 * client", like WeCom's silent snsapi_base), `/cgi-bin/gettoken` and `/cgi-bin/auth/getuserinfo` (a code
 * works once; a revoked token gets 42001). Every request is recorded.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WecomOAuthServer {
  url: string;
  corpId: string;
  secret: string;
  /** The member using the WeCom client now (undefined: a WeChat user who is not a member). */
  member: string | undefined;
  /** Requests as 'METHOD path?query'. */
  requests: string[];
  /** Void every access token issued so far (as WeCom does when a secret is reset). */
  revokeTokens(): void;
  close(): Promise<void>;
}

export async function startWecomOAuthServer(opts: { corpId?: string; secret?: string } = {}): Promise<WecomOAuthServer> {
  const corpId = opts.corpId ?? 'ww0123456789abcdef';
  const secret = opts.secret ?? 'test-secret-0123456789';
  const tokens = new Set<string>();
  const codes = new Map<string, string | undefined>();
  const requests: string[] = [];
  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const q = url.searchParams;
    if (url.pathname === '/connect/oauth2/authorize') {
      if (q.get('appid') !== corpId || q.get('response_type') !== 'code' || q.get('scope') !== 'snsapi_base' || !q.get('redirect_uri')) {
        res.writeHead(400).end('bad authorize request');
        return;
      }
      const code = randomBytes(12).toString('hex');
      codes.set(code, handle.member);
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/cgi-bin/gettoken') {
      if (q.get('corpid') !== corpId || q.get('corpsecret') !== secret) return json(res, { errcode: 40001, errmsg: 'invalid credential' });
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      return json(res, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 });
    }
    if (url.pathname === '/cgi-bin/auth/getuserinfo') {
      if (!tokens.has(q.get('access_token') ?? '')) return json(res, { errcode: 42001, errmsg: 'access_token expired' });
      const code = q.get('code') ?? '';
      if (!codes.has(code)) return json(res, { errcode: 40029, errmsg: 'invalid code' });
      const member = codes.get(code);
      codes.delete(code);
      return json(res, member ? { errcode: 0, errmsg: 'ok', userid: member } : { errcode: 0, errmsg: 'ok', openid: 'oAbCdEf123', external_userid: '' });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const handle: WecomOAuthServer = {
    url: `http://127.0.0.1:${port}`,
    corpId,
    secret,
    member: undefined,
    requests,
    revokeTokens: () => tokens.clear(),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return handle;
}
