/**
 * A local stand-in for DingTalk on 127.0.0.1, speaking what the robot uses: the OpenAPI (access token,
 * gateway connections/open, robot send, card createAndDeliver / update, session webhooks) over HTTP and
 * the Stream protocol over a WebSocket (ticket check, SYSTEM ping and disconnect, CALLBACK frames for robot
 * messages and card presses, acks; an unacked frame is delivered again on the next connection, as DingTalk
 * retries). A test plays staff: write in a private chat or @ the robot in a group, press card buttons,
 * redeliver a frame, drop the connection, expire the token.
 *
 * @example
 * const dt = await startDingTalkServer();
 * const bot = createDingTalkBot({ core, config: { dingtalk: dt.config() }, logger });
 * await bot.start(); dt.write(alice, '预算年度是怎么规定的？'); await dt.waitFor((c) => c.kind === 'message');
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { visibleMarkdown } from './markdown-screen.ts';
import { changeWaiter, closeStandIn } from './stand-in.ts';

export interface DtUser {
  staffId: string;
  nick: string;
}

export interface DtButton {
  text: string;
  data: string;
}

/** One message in a chat as its people see it (cards change in place). */
export interface DtMessage {
  id: string;
  chatId: string;
  kind: 'card' | 'markdown';
  text: string;
  buttons: DtButton[];
  /** The private `notice` each presser sees on a card, by staff id. */
  notices: Map<string, string>;
  /** performance.now() of the send and of the last update. */
  at: number;
  updatedAt: number;
  via: 'webhook' | 'api' | 'card';
}

export interface DtCall {
  path: string;
  method: string;
  body: any;
  at: number;
  status: number;
}

export interface DtFrame {
  specVersion: string;
  type: string;
  headers: Record<string, string>;
  data: string;
}

const ROBOT_TOPIC = '/v1.0/im/bot/messages/get';
const CARD_TOPIC = '/v1.0/card/instances/callback';
/** DingTalk's cut-off for Markdown text (the stand-in refuses longer messages, so a transport that overruns fails). */
export const DINGTALK_MARKDOWN_MAX = 5000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startDingTalkServer(opts: { clientId?: string; clientSecret?: string; cardTemplateId?: string } = {}) {
  const clientId = opts.clientId ?? 'dingpufatest0001';
  const clientSecret = opts.clientSecret ?? 'secret-for-tests';
  const calls: DtCall[] = [];
  const messages: DtMessage[] = [];
  const byId = new Map<string, DtMessage>();
  const tickets = new Set<string>();
  const unacked = new Map<string, DtFrame>();
  const acks = new Map<string, { at: number; data: unknown }>();
  const servedAt = new Map<string, number>();
  const servedCount = new Map<string, number>();
  let socket: WebSocket | undefined;
  let connections = 0;
  let validToken = '';
  let tokensIssued = 0;
  let nextMsg = 1;
  const waiter = changeWaiter(() => `recent calls: ${calls.slice(-6).map((c) => `${c.method} ${c.path} ${c.status}`).join('; ')}`);
  const changed = waiter.changed;
  const issueToken = () => {
    validToken = `at-${++tokensIssued}-${randomBytes(4).toString('hex')}`;
    return validToken;
  };

  function deliver(frame: DtFrame) {
    unacked.set(frame.headers.messageId!, frame);
    if (!socket || socket.readyState !== socket.OPEN) return;
    const id = frame.headers.messageId!;
    if (!servedAt.has(id)) servedAt.set(id, performance.now());
    servedCount.set(id, (servedCount.get(id) ?? 0) + 1);
    socket.send(JSON.stringify(frame));
  }

  function addMessage(m: Omit<DtMessage, 'notices' | 'updatedAt'>) {
    const msg: DtMessage = { ...m, notices: new Map(), updatedAt: m.at };
    messages.push(msg);
    byId.set(msg.id, msg);
    return msg;
  }

  const chatOfSpace = (body: any) => {
    const space = String(body.openSpaceId ?? '');
    const m = /^dtv1\.card\/\/IM_(ROBOT|GROUP)\.(.+)$/.exec(space);
    if (!m) return undefined;
    return m[1] === 'ROBOT' ? `user:${m[2]}` : `group:${m[2]}`;
  };

  async function handle(method: string, path: string, body: any, headers: IncomingMessage['headers']): Promise<[number, unknown]> {
    if (path === '/v1.0/oauth2/accessToken') {
      if (body.appKey !== clientId || body.appSecret !== clientSecret) return [400, { code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' }];
      return [200, { accessToken: issueToken(), expireIn: 7200 }];
    }
    if (path === '/v1.0/gateway/connections/open') {
      if (body.clientId !== clientId || body.clientSecret !== clientSecret) return [401, { code: 'Unauthorized', message: 'clientId or clientSecret invalid' }];
      const ticket = randomBytes(8).toString('hex');
      tickets.add(ticket);
      return [200, { endpoint: `ws://127.0.0.1:${port}/connect`, ticket }];
    }
    if (path.startsWith('/session/')) {
      const md = body.markdown;
      if (body.msgtype !== 'markdown' || typeof md?.text !== 'string') return [200, { errcode: 40035, errmsg: '缺少参数 markdown' }];
      if (md.text.length > DINGTALK_MARKDOWN_MAX) return [200, { errcode: 460101, errmsg: 'message too long' }];
      addMessage({ id: `s${nextMsg++}`, chatId: decodeURIComponent(path.slice('/session/'.length)), kind: 'markdown', text: visibleMarkdown(md.text), buttons: [], at: performance.now(), via: 'webhook' });
      return [200, { errcode: 0, errmsg: 'ok' }];
    }
    if (headers['x-acs-dingtalk-access-token'] !== validToken) return [401, { code: 'InvalidAuthentication', message: '不合法的access_token' }];
    if (path === '/v1.0/robot/oToMessages/batchSend' || path === '/v1.0/robot/groupMessages/send') {
      const param = JSON.parse(String(body.msgParam ?? '{}')) as { text?: string };
      if (body.msgKey !== 'sampleMarkdown' || typeof param.text !== 'string') return [400, { code: 'param.error', message: 'msgParam' }];
      if (param.text.length > DINGTALK_MARKDOWN_MAX) return [400, { code: 'param.error', message: 'message too long' }];
      const chats: string[] = body.userIds ? (body.userIds as string[]).map((u) => `user:${u}`) : [`group:${body.openConversationId}`];
      for (const chatId of chats) addMessage({ id: `a${nextMsg++}`, chatId, kind: 'markdown', text: visibleMarkdown(param.text), buttons: [], at: performance.now(), via: 'api' });
      return [200, { processQueryKey: randomBytes(6).toString('hex') }];
    }
    if (path === '/v1.0/card/instances/createAndDeliver' && method === 'POST') {
      const chatId = chatOfSpace(body);
      const params = body.cardData?.cardParamMap ?? {};
      if (!chatId || !body.outTrackId || body.callbackType !== 'STREAM') return [400, { code: 'param.error', message: 'openSpaceId / outTrackId / callbackType' }];
      if (opts.cardTemplateId && body.cardTemplateId !== opts.cardTemplateId) return [400, { code: 'template.not.found', message: 'cardTemplateId' }];
      if (String(params.markdown ?? '').length > DINGTALK_MARKDOWN_MAX) return [400, { code: 'param.error', message: 'card too long' }];
      addMessage({ id: body.outTrackId, chatId, kind: 'card', text: visibleMarkdown(String(params.markdown ?? '')), buttons: JSON.parse(String(params.buttons ?? '[]')), at: performance.now(), via: 'card' });
      return [200, { success: true, result: { outTrackId: body.outTrackId } }];
    }
    if (path === '/v1.0/card/instances' && method === 'PUT') {
      const card = byId.get(String(body.outTrackId));
      if (!card || card.kind !== 'card') return [400, { code: 'card.not.found', message: 'outTrackId' }];
      const params = body.cardData?.cardParamMap;
      if (params?.markdown !== undefined) {
        if (String(params.markdown).length > DINGTALK_MARKDOWN_MAX) return [400, { code: 'param.error', message: 'card too long' }];
        card.text = visibleMarkdown(String(params.markdown));
      }
      if (params?.buttons !== undefined) card.buttons = JSON.parse(String(params.buttons));
      for (const [user, data] of Object.entries((body.privateData ?? {}) as Record<string, { cardParamMap?: { notice?: string } }>)) {
        if (data.cardParamMap?.notice !== undefined) card.notices.set(user, data.cardParamMap.notice);
      }
      card.updatedAt = performance.now();
      return [200, { success: true }];
    }
    return [404, { code: 'NotFound', message: `no API ${method} ${path}` }];
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = await readBody(req);
    let body: any = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      res.writeHead(400).end('{"code":"param.error"}');
      return;
    }
    const [status, out] = await handle(req.method ?? 'GET', url.pathname, body, req.headers);
    calls.push({ path: url.pathname, method: req.method ?? 'GET', body, at: performance.now(), status });
    changed();
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(out));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, sock, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/connect' || !tickets.delete(ticket)) {
      sock.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, sock, head, (ws) => {
      socket?.terminate();
      socket = ws;
      connections++;
      ws.on('message', (raw) => {
        const msg = JSON.parse(String(raw)) as { code: number; headers: Record<string, string>; data?: string };
        const id = msg.headers?.messageId;
        if (id && unacked.has(id)) {
          unacked.delete(id);
          acks.set(id, { at: performance.now(), data: msg.data ? JSON.parse(msg.data) : undefined });
        } else if (msg.headers?.topic === 'ping') {
          acks.set(`ping:${msg.headers.messageId ?? ''}`, { at: performance.now(), data: msg.data });
        }
        changed();
      });
      ws.on('close', () => {
        if (socket === ws) socket = undefined;
        changed();
      });
      ws.send(JSON.stringify({ specVersion: '1.0', type: 'SYSTEM', headers: { topic: 'REGISTERED', messageId: `sys-${randomBytes(4).toString('hex')}` }, data: '' }));
      // DingTalk retries what was never acked once the robot is back.
      for (const frame of [...unacked.values()]) deliver(frame);
      changed();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const apiRoot = `http://127.0.0.1:${port}`;

  function callbackFrame(topic: string, data: unknown): DtFrame {
    return {
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: { appId: clientId, contentType: 'application/json', messageId: `frame-${randomBytes(6).toString('hex')}`, time: String(Date.now()), topic },
      data: JSON.stringify(data),
    };
  }

  const dt = {
    apiRoot,
    clientId,
    clientSecret,
    calls,
    messages,
    acks,
    servedAt,
    servedCount,
    /** Settings for config.dingtalk. */
    config(o: { cardTemplateId?: string } = {}) {
      return { clientId, clientSecret, robotCode: clientId, apiRoot, cardTemplateId: o.cardTemplateId ?? opts.cardTemplateId };
    },
    /** Environment for loadConfig / a `pufa` process. */
    env(o: { cardTemplateId?: string } = {}): Record<string, string> {
      const t = o.cardTemplateId ?? opts.cardTemplateId;
      return { DINGTALK_CLIENT_ID: clientId, DINGTALK_CLIENT_SECRET: clientSecret, DINGTALK_API_ROOT: apiRoot, ...(t ? { DINGTALK_CARD_TEMPLATE_ID: t } : {}) };
    },
    connections: () => connections,
    connected: () => Boolean(socket && socket.readyState === socket.OPEN),
    /** A person writes to the robot: privately, or in a group (`atBot` false: chatter DingTalk would not deliver; sent anyway to check). */
    write(from: DtUser, text: string, o: { group?: { id: string; title: string }; atBot?: boolean } = {}) {
      const msgId = `msg${nextMsg++}${randomBytes(3).toString('hex')}`;
      const chatKey = o.group ? `group:${o.group.id}` : `user:${from.staffId}`;
      const frame = callbackFrame(ROBOT_TOPIC, {
        msgId,
        msgtype: 'text',
        text: { content: o.group ? ` ${text}` : text },
        conversationId: o.group?.id ?? `cid-p2p-${from.staffId}`,
        conversationType: o.group ? '2' : '1',
        conversationTitle: o.group?.title,
        senderStaffId: from.staffId,
        senderId: `$:LWCP_v1:$${from.staffId}`,
        senderNick: from.nick,
        isInAtList: o.group ? o.atBot !== false : undefined,
        robotCode: clientId,
        chatbotUserId: '$:LWCP_v1:$robot',
        sessionWebhook: `${apiRoot}/session/${encodeURIComponent(chatKey)}`,
        sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
        createAt: Date.now(),
      });
      deliver(frame);
      return { msgId, frame };
    },
    /** A person presses a card button (the card's `buttons` carry the data; it comes back in the params). */
    press(from: DtUser, cardId: string, data: string) {
      const value = JSON.stringify({ cardPrivateData: { actionIds: ['pufa_button'], params: { data } } });
      const frame = callbackFrame(CARD_TOPIC, { outTrackId: cardId, userId: from.staffId, corpId: 'dingcorp', type: 'actionCallback', userIdType: 1, content: value, value, extension: '{}', spaceType: '', spaceId: '' });
      deliver(frame);
      return frame;
    },
    /** Send a frame again, as DingTalk does when it did not see the ack in time. */
    redeliver(frame: DtFrame) {
      deliver(frame);
    },
    /** The network goes: the socket dies without a close handshake. */
    drop() {
      socket?.terminate();
    },
    /** DingTalk's notice that this connection ends (the client should register again), then the close. */
    disconnect() {
      socket?.send(JSON.stringify({ specVersion: '1.0', type: 'SYSTEM', headers: { topic: 'disconnect', messageId: `sys-${randomBytes(4).toString('hex')}` }, data: '{"reason":"server restart"}' }));
    },
    /** A SYSTEM ping the client must answer. */
    ping() {
      const messageId = `ping-${randomBytes(4).toString('hex')}`;
      socket?.send(JSON.stringify({ specVersion: '1.0', type: 'SYSTEM', headers: { topic: 'ping', messageId }, data: '{"opaque":"x"}' }));
      return messageId;
    },
    /** The token handed out so far stops working (revoked or expired early). */
    revokeToken() {
      validToken = '';
    },
    tokensIssued: () => tokensIssued,
    /** A chat as its person sees it, oldest first. */
    screen(chatId: string): DtMessage[] {
      return messages.filter((m) => m.chatId === chatId);
    },
    waitUntil: waiter.waitUntil,
    /** The first message (from index `since` of `messages`) matching, once it is there. */
    async waitForMessage(pred: (m: DtMessage) => boolean, o: { since?: number; timeoutMs?: number } = {}): Promise<DtMessage> {
      let found: DtMessage | undefined;
      await dt.waitUntil(() => (found = messages.slice(o.since ?? 0).find(pred)) !== undefined, o.timeoutMs, 'a matching message');
      return found!;
    },
    async waitForAck(frame: DtFrame, timeoutMs = 15_000) {
      await dt.waitUntil(() => acks.has(frame.headers.messageId!), timeoutMs, `the ack of ${frame.headers.messageId}`);
      return acks.get(frame.headers.messageId!)!;
    },
    /** Resolves on the next change of the card (an update after `after`). */
    async waitForUpdate(cardId: string, after: number, timeoutMs = 15_000): Promise<DtMessage> {
      await dt.waitUntil(() => (byId.get(cardId)?.updatedAt ?? 0) > after, timeoutMs, `an update of card ${cardId}`);
      return byId.get(cardId)!;
    },
    close: () => closeStandIn(server, wss),
  };
  return dt;
}

export type DingTalkServer = Awaited<ReturnType<typeof startDingTalkServer>>;
