/**
 * A local WeCom stand-in on 127.0.0.1: the server API pufa calls (gettoken with expiry, message/send,
 * message/update_template_card, media/upload) and WeCom's side of the callback protocol — it pushes real
 * encrypted callbacks (made with @wecom/crypto and the same Token / EncodingAESKey) to pufa's callback URL,
 * can push one again (WeCom's redelivery), press a template-card button, and verify the URL. It records
 * every call, keeps what each member's chat shows (cards updated in place), and fails calls on demand:
 * 42001 (token expired), 40014 (token revoked), 45009 (rate limit). It also plays WeCom's web sign-in for
 * the web chat: the authorize page answers at once for the `member` signed in to the WeCom client (like
 * WeCom's silent snsapi_base), and /cgi-bin/auth/getuserinfo takes each code once.
 *
 * @example
 * const wecom = await startWeComServer();
 * const config = loadConfig({ ...wecom.env, WECOM_LISTEN_PORT: '0' });
 * wecom.callbackUrl = running.url;
 * await wecom.sendText('zhangsan', '预算年度是怎么规定的？');
 * const reply = await wecom.waitFor((c) => c.path === '/cgi-bin/message/send');
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { encrypt, getSignature } from '@wecom/crypto';
import { callLog, readBody } from './stand-in.ts';

export interface WeComCall {
  path: string;
  // Whatever pufa sent: JSON payloads are loosely typed by nature.
  body: Record<string, any>;
  /** performance.now() when the call arrived. */
  at: number;
  errcode: number;
  result: Record<string, any>;
}

/** A callback pushed to pufa: what was sent, when, and what pufa answered. */
export interface Push {
  query: string;
  xml: string;
  status: number;
  response: string;
  /** performance.now() when the push was sent and when pufa's HTTP answer arrived. */
  sentAt: number;
  answeredAt: number;
  msgId?: string;
}

export interface SeenCard {
  taskId: string;
  title: string;
  text: string;
  buttons: { text: string; key: string }[];
  /** replace_name after an update that retired the buttons. */
  retired?: string;
}

/** One message in a member's chat: a text, a file or a card (a card's updates replace it in place). */
export interface SeenMessage {
  id: string;
  kind: 'text' | 'card' | 'file';
  text: string;
  buttons: { text: string; key: string }[];
  card?: SeenCard;
  /** performance.now() when it was sent or last updated. */
  at: number;
}

export interface WeComServer {
  apiRoot: string;
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
  /** The settings pufa needs for this stand-in (listen on 127.0.0.1, a free port). */
  env: Record<string, string>;
  /** Where callbacks go (pufa's running.url). */
  callbackUrl: string;
  calls: WeComCall[];
  pushes: Push[];
  /** Seconds a new access token lives (default 7200). */
  tokenLifetime: number;
  /** The member signed in to the WeCom client that opens a page (undefined: a WeChat user who is not a member). */
  member: string | undefined;
  /** The URL verification WeCom does when an admin saves the callback settings; resolves with pufa's answer. */
  verifyUrl(opts?: { badSignature?: boolean }): Promise<{ status: number; text: string; echo: string }>;
  /** A member writes to the app. */
  sendText(userid: string, text: string, opts?: { msgId?: string }): Promise<Push>;
  /** A member presses a button (its key) on a card (its task id). */
  press(userid: string, taskId: string, key: string): Promise<Push>;
  /** Push the same callback again, byte for byte. */
  redeliver(push: Push): Promise<Push>;
  /** Push a message of another type (image, voice…). */
  sendOther(userid: string, msgType: string): Promise<Push>;
  /** The next `times` calls to `path` fail with `errcode` (45009: rate limit). */
  failNext(path: string, errcode: number, times?: number): void;
  /** Every token issued so far expires now (WeCom then answers 42001). */
  expireTokens(): void;
  /** Every token issued so far is revoked (the secret was reset: 40014). */
  revokeTokens(): void;
  /** What a member's chat shows, oldest first. */
  screen(userid: string): SeenMessage[];
  /** Texts of the text messages sent to a member, in order. */
  texts(userid: string): string[];
  waitFor(pred: (c: WeComCall) => boolean, opts?: { since?: number; timeoutMs?: number }): Promise<WeComCall>;
  waitForCount(pred: (c: WeComCall) => boolean, n: number, opts?: { since?: number; timeoutMs?: number }): Promise<WeComCall[]>;
  close(): Promise<void>;
}

/** A port on 127.0.0.1 that nothing listens on right now (pufa's callback server, or an unreachable API root). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createTcpServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alnum = (n: number) => [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

export async function startWeComServer(opts: { corpId?: string; agentId?: number } = {}): Promise<WeComServer> {
  const corpId = opts.corpId ?? `ww${alnum(16).toLowerCase()}`;
  const agentId = opts.agentId ?? 1000002;
  const secret = alnum(43);
  const callbackToken = alnum(16);
  const encodingAesKey = alnum(43);
  const log = callLog<WeComCall>((c) => `${c.path} errcode ${c.errcode} ${JSON.stringify(c.body).slice(0, 160)}`, 10_000);
  const calls = log.calls;
  const pushes: Push[] = [];
  const tokens = new Map<string, { expiresAt: number; revoked: boolean }>();
  const failures = new Map<string, { errcode: number; times: number }>();
  const codes = new Map<string, { userid: string; taskId: string; used: boolean }>();
  const oauthCodes = new Map<string, string | undefined>();
  const chats = new Map<string, SeenMessage[]>();
  const cardsById = new Map<string, SeenMessage>();
  let nextId = 1;

  const chatOf = (userid: string) => {
    let list = chats.get(userid);
    if (!list) chats.set(userid, (list = []));
    return list;
  };

  function checkToken(token: string | null): number {
    const t = token ? tokens.get(token) : undefined;
    if (!t) return 40014;
    if (t.revoked) return 40014;
    if (Date.now() >= t.expiresAt) return 42001;
    return 0;
  }

  function newCode(userid: string, taskId: string) {
    const code = `rc${nextId++}${alnum(8)}`;
    codes.set(code, { userid, taskId, used: false });
    return code;
  }

  function cardMessage(card: Record<string, any>, at: number): SeenMessage {
    const title = String(card.main_title?.title ?? '');
    const body = String(card.sub_title_text ?? '');
    const buttons = ((card.button_list ?? []) as { text: string; key: string }[]).map((b) => ({ text: b.text, key: b.key }));
    const seen: SeenCard = { taskId: String(card.task_id), title, text: body ? `${title}\n${body}` : title, buttons };
    return { id: seen.taskId, kind: 'card', text: seen.text, buttons, card: seen, at };
  }

  function api(path: string, body: Record<string, any>, token: string | null): Record<string, any> {
    if (path === '/cgi-bin/gettoken') {
      if (body.corpid !== corpId) return { errcode: 40013, errmsg: 'invalid corpid' };
      if (body.corpsecret !== secret) return { errcode: 40001, errmsg: 'invalid credential' };
      const t = `tok${nextId++}${alnum(24)}`;
      tokens.set(t, { expiresAt: Date.now() + server_.tokenLifetime * 1000, revoked: false });
      return { errcode: 0, errmsg: 'ok', access_token: t, expires_in: server_.tokenLifetime };
    }
    const tokenError = checkToken(token);
    if (tokenError) return { errcode: tokenError, errmsg: tokenError === 42001 ? 'access_token expired' : 'invalid access_token' };
    const fail = failures.get(path);
    if (fail && fail.times > 0) {
      fail.times--;
      return { errcode: fail.errcode, errmsg: fail.errcode === 45009 ? 'api freq out of limit' : 'failed on demand' };
    }
    const at = performance.now();
    if (path === '/cgi-bin/message/send') {
      if (Number(body.agentid) !== agentId) return { errcode: 40056, errmsg: 'invalid agentid' };
      const userid = String(body.touser);
      const msgid = `msg${nextId++}`;
      if (body.msgtype === 'text') {
        const content = String(body.text?.content ?? '');
        if (Buffer.byteLength(content) > 2048) return { errcode: 44004, errmsg: 'text content exceeds 2048 bytes' };
        chatOf(userid).push({ id: msgid, kind: 'text', text: content, buttons: [], at });
        return { errcode: 0, errmsg: 'ok', msgid };
      }
      if (body.msgtype === 'template_card') {
        const card = body.template_card ?? {};
        if (card.card_type !== 'button_interaction') return { errcode: 40008, errmsg: 'unsupported card type' };
        if (!/^[A-Za-z0-9_\-@]{1,128}$/.test(String(card.task_id ?? ''))) return { errcode: 40058, errmsg: 'invalid task_id' };
        if (cardsById.has(String(card.task_id))) return { errcode: 40058, errmsg: 'duplicate task_id' };
        if (!Array.isArray(card.button_list) || card.button_list.length < 1 || card.button_list.length > 6) return { errcode: 40058, errmsg: 'button_list must hold 1-6 buttons' };
        const seen = cardMessage(card, at);
        chatOf(userid).push(seen);
        cardsById.set(seen.id, seen);
        return { errcode: 0, errmsg: 'ok', msgid, response_code: newCode(userid, seen.id) };
      }
      if (body.msgtype === 'file') {
        chatOf(userid).push({ id: msgid, kind: 'file', text: String(body.file?.media_id ?? ''), buttons: [], at });
        return { errcode: 0, errmsg: 'ok', msgid };
      }
      return { errcode: 40008, errmsg: 'invalid message type' };
    }
    if (path === '/cgi-bin/message/update_template_card') {
      const code = codes.get(String(body.response_code));
      if (!code || code.used) return { errcode: 60140, errmsg: 'response_code expired or used' };
      const userid = String(body.userids?.[0] ?? '');
      if (userid !== code.userid) return { errcode: 81013, errmsg: 'user not allowed' };
      code.used = true;
      const seen = cardsById.get(code.taskId)!;
      if (body.button) {
        seen.buttons = [];
        seen.card!.buttons = [];
        seen.card!.retired = String(body.button.replace_name);
      } else {
        const updated = cardMessage({ ...body.template_card, task_id: code.taskId }, at);
        Object.assign(seen, { ...updated, id: seen.id });
      }
      seen.at = at;
      return { errcode: 0, errmsg: 'ok' };
    }
    if (path === '/cgi-bin/auth/getuserinfo') {
      const code = String(body.code ?? '');
      if (!oauthCodes.has(code)) return { errcode: 40029, errmsg: 'invalid code' };
      const member = oauthCodes.get(code);
      oauthCodes.delete(code);
      return member ? { errcode: 0, errmsg: 'ok', userid: member } : { errcode: 0, errmsg: 'ok', openid: `o${alnum(20)}` };
    }
    if (path === '/cgi-bin/media/upload') return { errcode: 0, errmsg: 'ok', type: 'file', media_id: `media${nextId++}:${body.filename}:${body.size}` };
    return { errcode: 40001, errmsg: `unknown api ${path}` };
  }

  const http: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/connect/oauth2/authorize') {
      // The browser inside WeCom: straight back to the page with a code for the member signed in.
      const q = url.searchParams;
      log.record({ path: url.pathname, body: Object.fromEntries(q), at: performance.now(), errcode: 0, result: {} });
      if (q.get('appid') !== corpId || q.get('response_type') !== 'code' || q.get('scope') !== 'snsapi_base' || !q.get('redirect_uri')) {
        res.writeHead(400).end('bad authorize request');
        return;
      }
      const code = `oc${nextId++}${alnum(16)}`;
      oauthCodes.set(code, server_.member);
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    const raw = await readBody(req);
    let body: Record<string, any> = Object.fromEntries(url.searchParams);
    if (url.pathname === '/cgi-bin/media/upload') {
      const form = await new Request(url, { method: 'POST', headers: req.headers as Record<string, string>, body: new Uint8Array(raw) }).formData();
      const media = form.get('media') as File | null;
      body = { filename: media?.name, size: media?.size };
    } else if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = {};
      }
    }
    const result = api(url.pathname, body, url.searchParams.get('access_token'));
    log.record({ path: url.pathname, body, at: performance.now(), errcode: result.errcode, result });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const apiRoot = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  function signedQuery(encrypted: string, bad = false) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = alnum(10);
    const signature = bad ? '0'.repeat(40) : getSignature(callbackToken, timestamp, nonce, encrypted);
    return new URLSearchParams({ msg_signature: signature, timestamp, nonce });
  }

  async function push(query: string, xml: string, msgId?: string): Promise<Push> {
    const sentAt = performance.now();
    const res = await fetch(`${server_.callbackUrl}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
    const response = await res.text();
    const p: Push = { query, xml, status: res.status, response, sentAt, answeredAt: performance.now(), msgId };
    pushes.push(p);
    return p;
  }

  function envelope(inner: string) {
    const encrypted = encrypt(encodingAesKey, inner, corpId);
    const xml = `<xml><ToUserName>${cdata(corpId)}</ToUserName><AgentID>${cdata(String(agentId))}</AgentID><Encrypt>${cdata(encrypted)}</Encrypt></xml>`;
    return { xml, query: signedQuery(encrypted).toString() };
  }

  const now = () => String(Math.floor(Date.now() / 1000));
  const server_: WeComServer = {
    apiRoot,
    corpId,
    agentId,
    secret,
    token: callbackToken,
    encodingAesKey,
    env: {
      WECOM_CORP_ID: corpId,
      WECOM_AGENT_ID: String(agentId),
      WECOM_SECRET: secret,
      WECOM_TOKEN: callbackToken,
      WECOM_ENCODING_AES_KEY: encodingAesKey,
      WECOM_API_ROOT: apiRoot,
      WECOM_OAUTH_ROOT: apiRoot,
      WECOM_LISTEN_HOST: '127.0.0.1',
      WECOM_LISTEN_PORT: '0',
    },
    callbackUrl: '',
    calls,
    pushes,
    tokenLifetime: 7200,
    member: undefined,
    async verifyUrl(o = {}) {
      const echo = alnum(20);
      const echostr = encrypt(encodingAesKey, echo, corpId);
      const query = signedQuery(echostr, o.badSignature);
      query.set('echostr', echostr);
      const res = await fetch(`${server_.callbackUrl}?${query}`);
      return { status: res.status, text: await res.text(), echo };
    },
    sendText(userid, text, o = {}) {
      const msgId = o.msgId ?? String(7_000_000_000_000_000_000n + BigInt(nextId++));
      const inner = `<xml><ToUserName>${cdata(corpId)}</ToUserName><FromUserName>${cdata(userid)}</FromUserName><CreateTime>${now()}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(text)}</Content><MsgId>${msgId}</MsgId><AgentID>${agentId}</AgentID></xml>`;
      const { xml, query } = envelope(inner);
      return push(query, xml, msgId);
    },
    press(userid, taskId, key) {
      const code = newCode(userid, taskId);
      const inner = `<xml><ToUserName>${cdata(corpId)}</ToUserName><FromUserName>${cdata(userid)}</FromUserName><CreateTime>${now()}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata('template_card_event')}</Event><EventKey>${cdata(key)}</EventKey><TaskId>${cdata(taskId)}</TaskId><CardType>${cdata('button_interaction')}</CardType><ResponseCode>${cdata(code)}</ResponseCode><AgentID>${agentId}</AgentID></xml>`;
      const { xml, query } = envelope(inner);
      return push(query, xml);
    },
    sendOther(userid, msgType) {
      const inner = `<xml><ToUserName>${cdata(corpId)}</ToUserName><FromUserName>${cdata(userid)}</FromUserName><CreateTime>${now()}</CreateTime><MsgType>${cdata(msgType)}</MsgType><MediaId>${cdata('m1')}</MediaId><MsgId>${nextId++}</MsgId><AgentID>${agentId}</AgentID></xml>`;
      const { xml, query } = envelope(inner);
      return push(query, xml);
    },
    redeliver(p) {
      return push(p.query, p.xml, p.msgId);
    },
    failNext(path, errcode, times = 1) {
      failures.set(path, { errcode, times });
    },
    expireTokens() {
      for (const t of tokens.values()) t.expiresAt = 0;
    },
    revokeTokens() {
      for (const t of tokens.values()) t.revoked = true;
    },
    screen: (userid) => chatOf(userid).map((m) => ({ ...m, buttons: [...m.buttons] })),
    texts: (userid) => chatOf(userid).filter((m) => m.kind === 'text').map((m) => m.text),
    async waitFor(pred, o) {
      return (await log.waitForCount(pred, 1, o))[0]!;
    },
    waitForCount: log.waitForCount,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  return server_;
}
