/**
 * What the local service stand-ins (Bot API, WeCom, DingTalk, Feishu) share: reading a request body, the
 * calls they received in order and waiting until enough match, waiting until their state shows
 * something, and closing down.
 *
 * @example const log = callLog<Call>((c) => c.method); log.record(call); await log.waitForCount((c) => c.method === 'sendMessage', 2);
 */
import type { IncomingMessage, Server } from 'node:http';
import type { WebSocketServer } from 'ws';

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface CallLog<T> {
  calls: T[];
  record(call: T): void;
  /** Resolves with the first `n` calls (from `since` on) that match; rejects after `timeoutMs`, naming the recent calls. */
  waitForCount(pred: (c: T) => boolean, n: number, opts?: { since?: number; timeoutMs?: number }): Promise<T[]>;
}

export function callLog<T>(describe: (call: T) => string, defaultTimeoutMs = 15_000): CallLog<T> {
  const calls: T[] = [];
  const listeners = new Set<() => void>();
  return {
    calls,
    record(call) {
      calls.push(call);
      for (const l of [...listeners]) l();
    },
    waitForCount(pred, n, o = {}) {
      const since = o.since ?? 0;
      const timeoutMs = o.timeoutMs ?? defaultTimeoutMs;
      const matching = () => calls.slice(since).filter(pred);
      if (matching().length >= n) return Promise.resolve(matching().slice(0, n));
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = matching();
          if (found.length >= n) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(found.slice(0, n));
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          const recent = calls.slice(-8).map(describe).join('\n  ');
          reject(new Error(`waited ${timeoutMs} ms for ${n} matching call(s), got ${matching().length}; recent calls:\n  ${recent}`));
        }, timeoutMs);
        listeners.add(check);
      });
    },
  };
}

/** Listeners told on every change of a stand-in's state, and a wait for a condition over it. */
export function changeWaiter(recent: () => string = () => '') {
  const listeners = new Set<() => void>();
  return {
    changed() {
      for (const l of [...listeners]) l();
    },
    /** Resolves once `check` holds (checked now and after each change); rejects after `timeoutMs`. */
    async waitUntil(check: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
      if (check()) return;
      await new Promise<void>((resolve, reject) => {
        const l = () => {
          if (!check()) return;
          listeners.delete(l);
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(() => {
          listeners.delete(l);
          const tail = recent();
          reject(new Error(`waited ${timeoutMs} ms for ${what}${tail ? `; ${tail}` : ''}`));
        }, timeoutMs);
        listeners.add(l);
      });
    },
  };
}

/** Close a stand-in: its WebSocket server, then the HTTP server with every connection still open. */
export async function closeStandIn(server: Server, wss: WebSocketServer): Promise<void> {
  for (const c of wss.clients) c.terminate();
  wss.close();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
