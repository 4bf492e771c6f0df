/**
 * The WeCom transport (企业微信 / 政务微信 self-built app): a callback server for WeCom's encrypted pushes
 * (GET verifies the URL, POST brings messages and card presses), the output port over the message API,
 * and the mapping of WeCom's messages to core events.
 *
 * WeCom waits 5 s for an answer and then pushes the same message again (up to three times), so the callback
 * answers at once with an empty 200 (no passive reply) and the reply goes out through the API afterwards;
 * a redelivered push carries the same MsgId (or the same card event) and the core handles it once.
 * Only private chats with the app: WeCom does not push app-group (appchat) messages to a self-built app.
 */
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import type { WeComConfig } from '../../config.ts';
import { PufaError } from '../../errors.ts';
import { closeHttp, listenHttp } from '../../http-server.ts';
import type { Logger } from '../../log.ts';
import type { ChatCore } from '../core.ts';
import { textMessage } from '../format.ts';
import type { IncomingEvent, Sender } from '../types.ts';
import { createWeComApi, type WeComApi, type WeComApiOptions } from './api.ts';
import { CallbackRejected, openEnvelope, parseXml, readInbound, type Inbound } from './callback.ts';
import { callbackIdOf, wecomOutput, type WeComOutput } from './output.ts';

export interface WeComTransportOptions {
  core: ChatCore;
  config: WeComConfig;
  logger: Logger;
  /** Where the callback server listens instead of config.listen (tests: 127.0.0.1, port 0). */
  listen?: { host?: string; port?: number };
  /** API retry pacing (tests shorten the backoff). */
  retry?: WeComApiOptions['retry'];
  /** Messages a minute to one member before pufa waits (default WeCom's 30). */
  perMemberPerMinute?: number;
}

export interface RunningWeCom {
  /** The callback URL as this server sees it (the admin console needs the public address of the same path). */
  url: string;
  address: AddressInfo;
  stop(): Promise<void>;
}

export interface WeComTransport {
  output: WeComOutput;
  api: WeComApi;
  /** Check the credentials (gettoken), then listen for callbacks. */
  start(signal?: AbortSignal): Promise<RunningWeCom>;
}

export const NOT_TEXT = '目前只能处理文字消息：请直接输入问题，或发送 /help 查看用法。';

function senderOf(userid: string): Sender {
  // The callback carries only the userid; the person's name comes from registration.
  return { identity: { channel: 'wecom', id: userid }, name: userid, privateChatId: userid };
}

/**
 * @example
 * const wecom = createWeComTransport({ core, config: config.wecom!, logger });
 * const running = await wecom.start(); // …and WeCom's pushes to running.url are answered
 */
export function createWeComTransport(opts: WeComTransportOptions): WeComTransport {
  const { core, config, logger } = opts;
  const api = createWeComApi({ apiRoot: config.apiRoot, corpId: config.corpId, secret: config.secret, logger: logger.child('api'), retry: opts.retry });
  const output = wecomOutput({ api, agentId: config.agentId, logger, perMemberPerMinute: opts.perMemberPerMinute });
  const secrets = { token: config.token, encodingAesKey: config.encodingAesKey, corpId: config.corpId };
  const source = `wecom:${config.corpId}:${config.agentId}`;

  function toEvent(m: Inbound): IncomingEvent | undefined {
    const base = { chatId: m.from, chatType: 'private' as const, from: senderOf(m.from) };
    if (m.kind === 'text') return { ...base, kind: 'text', update: { source, id: `msg:${m.msgId}` }, text: m.text };
    if (m.kind === 'card') {
      const message = output.pressed(m.from, m.taskId, m.responseCode);
      // Events have no MsgId; WeCom's advice is sender + CreateTime, and the card and button tell two presses apart.
      const id = `card:${m.from}:${m.createTime}:${m.taskId}:${m.key}`;
      return { ...base, kind: 'callback', update: { source, id }, callbackId: callbackIdOf(m.from, m.taskId, m.createTime), data: m.key, message };
    }
    return undefined;
  }

  async function dispatch(m: Inbound) {
    if (m.kind === 'ignored') return void logger.debug('callback ignored', { what: m.what, from: m.from });
    if (String(config.agentId) !== m.agentId) return void logger.warn('callback for another agent ignored', { agentId: m.agentId });
    if (m.kind === 'unsupported') {
      logger.info('unsupported message type', { msgType: m.msgType, from: m.from });
      return void (await output.send(m.from, textMessage(NOT_TEXT)));
    }
    const event = toEvent(m);
    if (event) await core.handle(event, output);
  }

  const app = new Hono();
  const path = config.listen.path;
  const query = (c: { req: { query(k: string): string | undefined } }) => ({
    msg_signature: c.req.query('msg_signature'),
    timestamp: c.req.query('timestamp'),
    nonce: c.req.query('nonce'),
  });
  app.get(path, (c) => {
    try {
      // URL verification: echo the decrypted echostr, in plain text, to prove we hold the key.
      const echo = openEnvelope(secrets, query(c), c.req.query('echostr'));
      logger.info('callback URL verified');
      return c.text(echo);
    } catch (err) {
      logger.warn('URL verification refused', { error: err as Error });
      return c.text('forbidden', 403);
    }
  });
  app.post(path, async (c) => {
    let inbound: Inbound;
    try {
      const envelope = parseXml(await c.req.text());
      inbound = readInbound(parseXml(openEnvelope(secrets, query(c), envelope.Encrypt)));
    } catch (err) {
      if (!(err instanceof CallbackRejected)) throw err;
      logger.warn('callback refused', { reason: err.reason });
      return c.text('forbidden', 403);
    }
    // Answer WeCom now; the reply goes out through the message API when it is ready.
    void dispatch(inbound).catch((err: unknown) => logger.error('callback handling failed', { from: inbound.from, error: err as Error }));
    return c.body(null, 200);
  });

  return {
    output,
    api,
    async start(signal) {
      try {
        await api.token();
      } catch (err) {
        if (signal?.aborted) throw new PufaError('已取消连接企业微信。', { cause: err });
        throw err;
      }
      const server = await listenHttp(app.fetch, {
        host: opts.listen?.host ?? config.listen.host,
        port: opts.listen?.port ?? config.listen.port,
        setting: 'WECOM_LISTEN_PORT',
      });
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${host}:${address.port}${path}`;
      logger.info('wecom callback listening', { url });
      // Messages accepted before a hard stop and never answered: answered now (stop() waits for them too).
      void core.resume(source, output).catch((err: unknown) => logger.error('resuming pending messages failed', { error: err as Error }));
      return {
        url,
        address,
        async stop() {
          await closeHttp(server);
          await core.drain();
        },
      };
    },
  };
}
