/**
 * A local stand-in for the Feishu / Lark open platform on 127.0.0.1, speaking what the official node SDK
 * uses: the HTTP APIs (tenant_access_token, bot info, the long connection's /callback/ws/endpoint, message
 * create / reply / patch) and the long connection itself — a WebSocket of protobuf `pbbp2.Frame`s (control
 * frames ping/pong, data frames of type `event` answered with the same frame and a JSON payload
 * { code, data: base64 }). An event never answered is pushed again on the next connection, as Feishu
 * retries. A test plays people: write privately or in a group (with or without @), press card buttons,
 * redeliver an event, drop the connection.
 *
 * @example
 * const fs = await startFeishuServer();
 * const bot = createFeishuBot({ core, config: { feishu: fs.config() }, logger }); await bot.start();
 * fs.write(alice, '预算年度是怎么规定的？'); await fs.waitForMessage((m) => m.text.includes('第十八条'));
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { visibleMarkdown } from './markdown-screen.ts';
import { changeWaiter, closeStandIn } from './stand-in.ts';

const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: { fields: { key: { rule: 'required', type: 'string', id: 1 }, value: { rule: 'required', type: 'string', id: 2 } } },
        Frame: {
          fields: {
            SeqID: { rule: 'required', type: 'uint64', id: 1 },
            LogID: { rule: 'required', type: 'uint64', id: 2 },
            service: { rule: 'required', type: 'int32', id: 3 },
            method: { rule: 'required', type: 'int32', id: 4 },
            headers: { rule: 'repeated', type: 'Header', id: 5 },
            payloadEncoding: { type: 'string', id: 6 },
            payloadType: { type: 'string', id: 7 },
            payload: { type: 'bytes', id: 8 },
            LogIDNew: { type: 'string', id: 9 },
          },
        },
      },
    },
  },
});
const Frame = root.lookupType('pbbp2.Frame');

interface WireFrame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
}

export interface FsUser {
  openId: string;
  name: string;
}

export interface FsMessage {
  id: string;
  chatId: string;
  text: string;
  buttons: { text: string; data: string }[];
  at: number;
  updatedAt: number;
  /** The message it replies to (im.message.reply). */
  replyTo?: string;
}

/** An event pushed to the bot, with what it answered. */
export interface FsEvent {
  frameId: string;
  eventId: string;
  type: string;
  body: string;
  servedAt?: number;
  served: number;
  response?: { code: number; data?: any; at: number };
}

/** Feishu's limit on a card's JSON (the stand-in refuses larger ones, as Feishu does). */
export const FEISHU_CARD_MAX_BYTES = 30 * 1024;
const SERVICE_ID = 7;
const RETRY_AFTER_CONNECT_MS = 50;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** What a card shows: its markdown elements' text and the buttons of its action rows. */
function readCard(content: string): { text: string; buttons: { text: string; data: string }[] } {
  const card = JSON.parse(content) as { elements?: any[] };
  const texts: string[] = [];
  const buttons: { text: string; data: string }[] = [];
  for (const el of card.elements ?? []) {
    if (el.tag === 'markdown') texts.push(visibleMarkdown(String(el.content)));
    if (el.tag === 'action') for (const b of el.actions ?? []) buttons.push({ text: String(b.text?.content), data: String(b.value?.data) });
  }
  return { text: texts.join('\n'), buttons };
}

export async function startFeishuServer(opts: { appId?: string; appSecret?: string } = {}) {
  const appId = opts.appId ?? 'cli_0123456789abcdef';
  const appSecret = opts.appSecret ?? 'secret-for-tests';
  const botOpenId = 'ou_pufa_bot';
  const messages: FsMessage[] = [];
  const byId = new Map<string, FsMessage>();
  const events: FsEvent[] = [];
  const byFrame = new Map<string, FsEvent>();
  let socket: WebSocket | undefined;
  let connections = 0;
  let token = '';
  let tokensIssued = 0;
  let pings = 0;
  let next = 1;
  const waiter = changeWaiter();
  const changed = waiter.changed;

  function push(ev: FsEvent) {
    if (!socket || socket.readyState !== socket.OPEN) return;
    ev.served++;
    ev.servedAt ??= performance.now();
    const frame = Frame.create({
      SeqID: 0,
      LogID: 0,
      service: SERVICE_ID,
      method: 1,
      headers: [
        { key: 'type', value: 'event' },
        { key: 'message_id', value: ev.frameId },
        { key: 'sum', value: '1' },
        { key: 'seq', value: '0' },
        { key: 'trace_id', value: `trace-${ev.frameId}` },
      ],
      payload: Buffer.from(ev.body),
    });
    socket.send(Frame.encode(frame).finish());
  }

  function emit(type: string, event: unknown): FsEvent {
    const eventId = `ev_${randomBytes(8).toString('hex')}`;
    const body = JSON.stringify({ schema: '2.0', header: { event_id: eventId, event_type: type, create_time: String(Date.now()), token: 'vt', app_id: appId, tenant_key: 'tenant' }, event });
    const ev: FsEvent = { frameId: `frame_${randomBytes(6).toString('hex')}`, eventId, type, body, served: 0 };
    events.push(ev);
    byFrame.set(ev.frameId, ev);
    push(ev);
    return ev;
  }

  function addMessage(chatId: string, content: string, replyTo?: string): FsMessage {
    const { text, buttons } = readCard(content);
    const m: FsMessage = { id: `om_${next++}${randomBytes(3).toString('hex')}`, chatId, text, buttons, at: performance.now(), updatedAt: performance.now(), replyTo };
    messages.push(m);
    byId.set(m.id, m);
    return m;
  }

  async function handle(method: string, url: URL, body: any, headers: IncomingMessage['headers']): Promise<[number, unknown]> {
    const path = url.pathname;
    if (path === '/open-apis/auth/v3/tenant_access_token/internal') {
      if (body.app_id !== appId || body.app_secret !== appSecret) return [200, { code: 10014, msg: 'app secret invalid' }];
      token = `t-${++tokensIssued}-${randomBytes(4).toString('hex')}`;
      return [200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 }];
    }
    if (path === '/callback/ws/endpoint') {
      if (body.AppID !== appId || body.AppSecret !== appSecret) return [200, { code: 514, msg: 'auth failed', data: {} }];
      return [200, { code: 0, msg: 'ok', data: { URL: `ws://127.0.0.1:${port}/ws?device_id=dev1&service_id=${SERVICE_ID}`, ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 0.05, ReconnectNonce: 0 } } }];
    }
    if (headers.authorization !== `Bearer ${token}`) return [401, { code: 99991663, msg: 'Invalid access token for authorization' }];
    if (path === '/open-apis/bot/v3/info') return [200, { code: 0, msg: 'ok', bot: { open_id: botOpenId, app_name: '普法助手', activate_status: 2 } }];
    const tooBig = (content: string) => Buffer.byteLength(content) > FEISHU_CARD_MAX_BYTES;
    if (path === '/open-apis/im/v1/messages' && method === 'POST') {
      if (body.msg_type !== 'interactive') return [400, { code: 230001, msg: 'only cards in this stand-in' }];
      if (tooBig(body.content)) return [400, { code: 230025, msg: 'The length of the message content reaches its limit' }];
      const type = url.searchParams.get('receive_id_type');
      const chatId = type === 'open_id' ? `oc_p2p_${body.receive_id}` : String(body.receive_id);
      const m = addMessage(chatId, body.content);
      return [200, { code: 0, msg: 'success', data: { message_id: m.id, chat_id: chatId, msg_type: 'interactive' } }];
    }
    const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(path);
    if (reply && method === 'POST') {
      const to = byId.get(reply[1]!);
      if (!to) return [400, { code: 230011, msg: 'message not found' }];
      const m = addMessage(to.chatId, body.content, to.id);
      return [200, { code: 0, msg: 'success', data: { message_id: m.id, chat_id: to.chatId } }];
    }
    const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path);
    if (patch && method === 'PATCH') {
      const m = byId.get(patch[1]!);
      if (!m) return [400, { code: 230011, msg: 'message not found' }];
      if (tooBig(body.content)) return [400, { code: 230025, msg: 'The length of the message content reaches its limit' }];
      Object.assign(m, readCard(body.content), { updatedAt: performance.now() });
      return [200, { code: 0, msg: 'success', data: {} }];
    }
    return [404, { code: 404, msg: `no API ${method} ${path}` }];
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = await readBody(req);
    let body: any = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      res.writeHead(400).end('{"code":9499,"msg":"bad json"}');
      return;
    }
    const [status, out] = await handle(req.method ?? 'GET', url, body, req.headers);
    changed();
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(out));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, sock, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') {
      sock.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, sock, head, (ws) => {
      socket?.terminate();
      socket = ws;
      connections++;
      ws.on('message', (raw: Buffer) => {
        const frame = Frame.toObject(Frame.decode(raw), { longs: Number, bytes: Buffer }) as WireFrame;
        const h = Object.fromEntries(frame.headers.map((x) => [x.key, x.value]));
        if (frame.method === 0 && h.type === 'ping') {
          pings++;
          const pong = Frame.create({ SeqID: 0, LogID: 0, service: SERVICE_ID, method: 0, headers: [{ key: 'type', value: 'pong' }], payload: Buffer.from(JSON.stringify({ PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 0.05, ReconnectNonce: 0 })) });
          ws.send(Frame.encode(pong).finish());
        } else if (frame.method === 1) {
          const ev = byFrame.get(h.message_id ?? '');
          if (ev && frame.payload) {
            const p = JSON.parse(Buffer.from(frame.payload).toString('utf8')) as { code: number; data?: string };
            ev.response = { code: p.code, data: p.data ? JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) : undefined, at: performance.now() };
          }
        }
        changed();
      });
      ws.on('close', () => {
        if (socket === ws) socket = undefined;
        changed();
      });
      // Feishu pushes again what the bot never answered, a little later (the SDK attaches its frame handler
      // only after the socket opened: a frame in the same packet as the handshake would be lost).
      setTimeout(() => {
        for (const ev of events) if (!ev.response) push(ev);
      }, RETRY_AFTER_CONNECT_MS);
      changed();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const domain = `http://127.0.0.1:${port}`;

  const fs = {
    domain,
    appId,
    botOpenId,
    messages,
    events,
    connections: () => connections,
    connected: () => Boolean(socket && socket.readyState === socket.OPEN),
    pings: () => pings,
    tokensIssued: () => tokensIssued,
    config() {
      return { appId, appSecret, domain };
    },
    env(): Record<string, string> {
      return { FEISHU_APP_ID: appId, FEISHU_APP_SECRET: appSecret, FEISHU_DOMAIN: domain };
    },
    /** The private chat of a person (what im.message.create to their open_id lands in). */
    privateChat: (u: FsUser) => `oc_p2p_${u.openId}`,
    /** A person writes: privately, or in a group (@ the bot unless `atBot` is false). */
    write(from: FsUser, text: string, o: { group?: string; atBot?: boolean } = {}) {
      const mention = o.group && o.atBot !== false;
      const messageId = `om_in_${next++}${randomBytes(3).toString('hex')}`;
      return emit('im.message.receive_v1', {
        sender: { sender_id: { open_id: from.openId, union_id: `on_${from.openId}`, user_id: null }, sender_type: 'user', tenant_key: 'tenant' },
        message: {
          message_id: messageId,
          create_time: String(Date.now()),
          chat_id: o.group ?? fs.privateChat(from),
          chat_type: o.group ? 'group' : 'p2p',
          message_type: 'text',
          content: JSON.stringify({ text: mention ? `@_user_1 ${text}` : text }),
          mentions: mention ? [{ key: '@_user_1', id: { open_id: botOpenId, union_id: 'on_bot' }, name: '普法助手', tenant_key: 'tenant' }] : undefined,
        },
      });
    },
    /** A person presses a button on a card (card.action.trigger, answered with a toast or nothing). */
    press(from: FsUser, messageId: string, data: string) {
      const m = byId.get(messageId);
      return emit('card.action.trigger', {
        operator: { open_id: from.openId, tenant_key: 'tenant' },
        token: `c-${randomBytes(6).toString('hex')}`,
        action: { tag: 'button', value: { data } },
        host: 'im_message',
        context: { open_message_id: messageId, open_chat_id: m?.chatId ?? fs.privateChat(from) },
      });
    },
    /** Push an event again (Feishu retries when it saw no answer in time). */
    redeliver(ev: FsEvent) {
      ev.response = undefined;
      push(ev);
    },
    /** The network goes: the socket dies without a close handshake. */
    drop() {
      socket?.terminate();
    },
    screen(chatId: string): FsMessage[] {
      return messages.filter((m) => m.chatId === chatId);
    },
    waitUntil: waiter.waitUntil,
    async waitForMessage(pred: (m: FsMessage) => boolean, o: { since?: number; timeoutMs?: number } = {}): Promise<FsMessage> {
      let found: FsMessage | undefined;
      await fs.waitUntil(() => (found = messages.slice(o.since ?? 0).find(pred)) !== undefined, o.timeoutMs, 'a matching message');
      return found!;
    },
    async waitForResponse(ev: FsEvent, timeoutMs = 15_000) {
      await fs.waitUntil(() => ev.response !== undefined, timeoutMs, `the answer to ${ev.type}`);
      return ev.response!;
    },
    async waitForUpdate(messageId: string, after: number, timeoutMs = 15_000): Promise<FsMessage> {
      await fs.waitUntil(() => (byId.get(messageId)?.updatedAt ?? 0) > after, timeoutMs, `an update of ${messageId}`);
      return byId.get(messageId)!;
    },
    close: () => closeStandIn(server, wss),
  };
  return fs;
}

export type FeishuServer = Awaited<ReturnType<typeof startFeishuServer>>;
