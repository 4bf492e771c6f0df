/** What the web chat's routes share: the session cookie's name, the events' source, the client's address, comparing secrets. */
import type { Context } from 'hono';
import { createHash, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'pufa_chat';
/** The delivery source of the web chat's events (redelivery claims, the inbox). */
export const WEB_SOURCE = 'web';

/** Constant-time equality of two secrets of any length (compares their SHA-256 digests). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/** The address the request came from (behind a reverse proxy: the proxy's). */
export const clientOf = (c: Context) => (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'local';
