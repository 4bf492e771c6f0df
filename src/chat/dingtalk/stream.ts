/**
 * The Stream-mode connection through the official dingtalk-stream SDK, with what a bureau server needs on
 * top: the gateway at a configurable address (the SDK hard-codes api.dingtalk.com), reconnects with
 * exponential backoff (the SDK retries every second forever), a fresh ticket after the server's
 * `disconnect` notice, and one heartbeat timer per socket. Frames, ping replies and acks stay the SDK's.
 */
import { DWClient, TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import type WebSocket from 'ws';
import type { Logger } from '../../log.ts';
import { DingTalkApiError } from './api.ts';

export { TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream };

export interface Backoff {
  /** Wait before the first reconnect attempt (ms). */
  initialMs: number;
  /** Longest wait between attempts (ms). */
  maxMs: number;
}

/** 1 s, 2 s, 4 s … up to a minute between attempts. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 60_000 };

const HANDSHAKE_TIMEOUT_MS = 15_000;

export interface StreamClientOptions {
  clientId: string;
  clientSecret: string;
  /** The gateway's connections/open endpoint. */
  gatewayUrl: string;
  logger: Logger;
  backoff?: Backoff;
}

export class StreamClient extends DWClient {
  private readonly gatewayUrl: string;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(opts: StreamClientOptions) {
    super({ clientId: opts.clientId, clientSecret: opts.clientSecret, keepAlive: true, ua: 'pufa' });
    // Reconnecting is ours (with backoff); the SDK's own would retry every second.
    this.config.autoReconnect = false;
    this.gatewayUrl = opts.gatewayUrl;
    this.log = opts.logger;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
  }

  /** Register the connection (clientId/secret → endpoint + one-time ticket) at the configured gateway. */
  override async getEndpoint(): Promise<this> {
    const res = await fetch(this.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        ua: this.config.ua,
        subscriptions: this.config.subscriptions,
      }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as { endpoint?: string; ticket?: string; code?: string; message?: string };
    if (!res.ok || !body.endpoint || !body.ticket) {
      throw new DingTalkApiError('/v1.0/gateway/connections/open', res.status, String(body.code ?? ''), String(body.message ?? 'no endpoint'));
    }
    this.config.endpoint = body.endpoint;
    this['dw_url'] = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  /** Connect once: throws when the gateway or the socket refuses (the caller says why); later drops reconnect by themselves. */
  async open(): Promise<void> {
    this.stopped = false;
    await this.getEndpoint();
    let timer: NodeJS.Timeout | undefined;
    const handshake = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // A silent network: give up this socket so the next attempt starts clean.
        this.currentSocket()?.terminate();
        reject(new Error(`no WebSocket handshake within ${HANDSHAKE_TIMEOUT_MS} ms`));
      }, HANDSHAKE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this._connect(), handshake]);
    } finally {
      clearTimeout(timer);
    }
    this.watch();
  }

  /** The SDK's connect(), should anything call it, goes through the backoff loop too. */
  override async connect(): Promise<void> {
    this.schedule(0);
  }

  /** Stop for good: no reconnects; the socket closes. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.clearHeartbeat();
    this.disconnect();
  }

  /** After the server's `disconnect` notice, close this socket and register again right away. */
  override onSystem(downstream: DWClientDownStream): void {
    super.onSystem(downstream);
    if (downstream.headers.topic === 'disconnect') {
      this.log.info('server asked to reconnect');
      this.failures = 0;
      this.currentSocket()?.close();
    }
  }

  private currentSocket(): WebSocket | undefined {
    return this['socket'] as unknown as WebSocket | undefined;
  }

  private clearHeartbeat() {
    clearInterval(this['heartbeatIntervallId']);
  }

  private watch() {
    const socket = this.currentSocket();
    this.failures = 0;
    this.log.info('stream connected');
    socket?.once('close', (code) => {
      this.clearHeartbeat();
      if (this.stopped || this.currentSocket() !== socket) return;
      this.log.warn('stream closed, reconnecting', { code });
      this.schedule(this.delay());
    });
  }

  private delay(): number {
    return Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.failures);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.open().catch((err: unknown) => {
        this.failures++;
        const wait = this.delay();
        this.log.warn('stream reconnect failed', { attempt: this.failures, retryInMs: wait, error: err as Error });
        this.schedule(wait);
      });
    }, ms);
  }
}
