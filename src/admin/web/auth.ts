/**
 * Dashboard sessions: server-side, in memory, behind an HttpOnly SameSite=Strict cookie. A session is
 * opened by the ADMIN_WEB_TOKEN (compared in constant time) or by a one-time chat link of an admin; a
 * session of a person is re-checked on every request (an admin who is demoted or disabled is out at once).
 * Every POST carries the session's CSRF token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

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

/** Counts failed logins per client in a sliding minute, so the token cannot be guessed quickly. */
export function createLoginThrottle(now: () => Date, maxPerMinute = 10) {
  const failures = new Map<string, number[]>();
  return {
    blocked(key: string): boolean {
      const cutoff = now().getTime() - 60_000;
      const list = (failures.get(key) ?? []).filter((x) => x > cutoff);
      failures.set(key, list);
      return list.length >= maxPerMinute;
    },
    fail(key: string) {
      const list = failures.get(key) ?? [];
      list.push(now().getTime());
      failures.set(key, list);
    },
  };
}
