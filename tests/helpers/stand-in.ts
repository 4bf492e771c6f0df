/**
 * What the local service stand-ins (Bot API, WeCom) share: reading a request body, the calls they
 * received, in order, and waiting until enough of them match.
 *
 * @example const log = callLog<Call>((c) => c.method); log.record(call); await log.waitForCount((c) => c.method === 'sendMessage', 2);
 */
import type { IncomingMessage } from 'node:http';

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
