/**
 * Dashboard sessions: server-side, in memory, behind an HttpOnly SameSite=Strict cookie. A session is
 * opened by the ADMIN_WEB_TOKEN (compared in constant time) or by a one-time chat link of an admin; a
 * session of a person is re-checked on every request (an admin who is demoted or disabled is out at once).
 * Every POST carries the session's CSRF token.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'pufa_admin_session';
export const LOGIN_COOKIE = 'pufa_admin_login';
export const CSRF_FIELD = '_csrf';

export interface AdminSession {
  id: string;
  csrf: string;
  /** The admin's user id, or null for a login by the shared token. */
  actorUserId: number | null;
  /** Shown in the page header. */
  label: string;
  createdAt: number;
  lastSeen: number;
}

export interface SessionStoreOptions {
  now: () => Date;
  /** Idle time after which a session ends (default 8 h). */
  idleMs?: number;
  /** Longest life of a session (default 24 h). */
  maxAgeMs?: number;
}

/** Constant-time equality of two secrets of any length (compares their SHA-256 digests). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

export const newSecret = () => randomBytes(32).toString('base64url');

export function createSessionStore(opts: SessionStoreOptions) {
  const idleMs = opts.idleMs ?? 8 * 3600_000;
  const maxAgeMs = opts.maxAgeMs ?? 24 * 3600_000;
  const sessions = new Map<string, AdminSession>();
  const t = () => opts.now().getTime();
  return {
    create(actorUserId: number | null, label: string): AdminSession {
      const s: AdminSession = { id: newSecret(), csrf: newSecret(), actorUserId, label, createdAt: t(), lastSeen: t() };
      sessions.set(s.id, s);
      return s;
    },
    /** The live session of a cookie value; expired ones are dropped. */
    get(id: string | undefined): AdminSession | undefined {
      if (!id) return undefined;
      const s = sessions.get(id);
      if (!s) return undefined;
      const now = t();
      if (now - s.lastSeen > idleMs || now - s.createdAt > maxAgeMs) {
        sessions.delete(id);
        return undefined;
      }
      s.lastSeen = now;
      return s;
    },
    destroy(id: string) {
      sessions.delete(id);
    },
    get size() {
      return sessions.size;
    },
  };
}

export type AdminSessions = ReturnType<typeof createSessionStore>;

/**
 * Failed logins in a sliding window (a minute by default), per key (a client address, an account, or a
 * trusted browser), counting each distinct wrong secret once: a script that keeps posting the same stale
 * token never locks anyone out; only guessing (many different secrets) does. The right secret always gets
 * through from a browser that logged in before (its device cookie gives it a key of its own that no flood
 * can fill) or by a one-time chat link (/web).
 */
export function createLoginThrottle(now: () => Date, maxPerWindow = 10, windowMs = 60_000) {
  const failures = new Map<string, Map<string, number>>();
  const digest = (attempt: string) => createHash('sha256').update(attempt, 'utf8').digest('base64url');
  const recent = (key: string): Map<string, number> => {
    const cutoff = now().getTime() - windowMs;
    const list = failures.get(key) ?? new Map<string, number>();
    for (const [d, t] of list) if (t <= cutoff) list.delete(d);
    if (list.size === 0) failures.delete(key);
    return list;
  };
  return {
    blocked(key: string): boolean {
      return recent(key).size >= maxPerWindow;
    },
    fail(key: string, attempt: string) {
      const list = recent(key);
      list.set(digest(attempt), now().getTime());
      failures.set(key, list);
      // Keep memory bounded against floods from many addresses.
      if (failures.size > 10_000) for (const k of [...failures.keys()]) recent(k);
    },
  };
}

export const DEVICE_COOKIE = 'pufa_admin_device';
/** How long a browser stays trusted after a login. */
export const DEVICE_TTL_MS = 90 * 24 * 3600_000;

const deviceKey = (secret: string) => createHash('sha256').update(`pufa-admin-device\0${secret}`, 'utf8').digest();
const sign = (secret: string, body: string) => createHmac('sha256', deviceKey(secret)).update(body).digest('base64url');

/**
 * A device cookie for a browser that just logged in: `<id>.<expiry>.<mac>`, signed with a key derived from a
 * secret (the token, or a secret kept in the records when there is none), so it survives restarts and is
 * void once the secret changes. It only buys a login budget of its own, never a session.
 */
export function issueDeviceCookie(secret: string, now: Date, id = randomBytes(12).toString('base64url')): string {
  const body = `${id}.${now.getTime() + DEVICE_TTL_MS}`;
  return `${body}.${sign(secret, body)}`;
}

/** The device id of a valid, unexpired device cookie, else undefined. */
export function trustedDevice(cookie: string | undefined, secret: string | undefined, now: Date): string | undefined {
  if (!cookie || !secret) return undefined;
  const m = /^([A-Za-z0-9_-]{16})\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
  if (!m || Number(m[2]) < now.getTime()) return undefined;
  return safeEqual(m[3]!, sign(secret, `${m[1]}.${m[2]}`)) ? m[1] : undefined;
}
