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
 * Failed logins in a sliding minute, per key (a client address, or a trusted browser), counting each distinct
 * wrong token once: a script that keeps posting the same stale token never locks anyone out; only guessing
 * (many different tokens) does. The right token always gets through from a browser that logged in before
 * (its device cookie gives it a key of its own that no flood can fill) or by a one-time chat link (/web).
 */
export function createLoginThrottle(now: () => Date, maxPerMinute = 10) {
  const failures = new Map<string, Map<string, number>>();
  const digest = (attempt: string) => createHash('sha256').update(attempt, 'utf8').digest('base64url');
  const recent = (key: string): Map<string, number> => {
    const cutoff = now().getTime() - 60_000;
    const list = failures.get(key) ?? new Map<string, number>();
    for (const [d, t] of list) if (t <= cutoff) list.delete(d);
    if (list.size === 0) failures.delete(key);
    return list;
  };
  return {
    blocked(key: string): boolean {
      return recent(key).size >= maxPerMinute;
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
/** How long a browser stays trusted after a login by token. */
export const DEVICE_TTL_MS = 90 * 24 * 3600_000;

const deviceKey = (token: string) => createHash('sha256').update(`pufa-admin-device\0${token}`, 'utf8').digest();
const sign = (token: string, body: string) => createHmac('sha256', deviceKey(token)).update(body).digest('base64url');

/**
 * A device cookie for a browser that just logged in by token: `<id>.<expiry>.<mac>`, signed with a key derived
 * from the token, so it survives restarts and is void once the token changes.
 */
export function issueDeviceCookie(token: string, now: Date, id = randomBytes(12).toString('base64url')): string {
  const body = `${id}.${now.getTime() + DEVICE_TTL_MS}`;
  return `${body}.${sign(token, body)}`;
}

/** The device id of a valid, unexpired device cookie, else undefined. */
export function trustedDevice(cookie: string | undefined, token: string | undefined, now: Date): string | undefined {
  if (!cookie || !token) return undefined;
  const m = /^([A-Za-z0-9_-]{16})\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
  if (!m || Number(m[2]) < now.getTime()) return undefined;
  return safeEqual(m[3]!, sign(token, `${m[1]}.${m[2]}`)) ? m[1] : undefined;
}
