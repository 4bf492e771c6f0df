/**
 * Web chat sessions: a random token in an HttpOnly cookie, only its SHA-256 kept in the records' session
 * store (so a restart keeps people signed in, and a copied database holds no usable token). A session
 * acts as one web identity. Its token is replaced every ROTATE_MS of use; the old one keeps working for
 * GRACE_MS so requests already on their way (the event stream, a press) are not refused.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Identity, SessionStore } from '../../records/types.ts';

/** The identity a web chat session acts as. */
export const webIdentity = (id: string): Identity => ({ channel: 'web', id });
/** A new web identity id: 'w' and 22 characters of base64url (never derived from anything about the person). */
export const newWebId = () => `w${randomBytes(16).toString('base64url')}`;

export type SignInVia = 'link' | 'code' | 'wecom' | 'visitor';

export interface WebSession {
  /** The web identity's id: the person's chat. */
  webId: string;
  via: SignInVia;
  /** Sent with every state-changing request (X-CSRF-Token); the same for the session's whole life. */
  csrf: string;
  createdAt: number;
  /** When the current token was issued. */
  issuedAt: number;
  lastSeen: number;
}

interface Stored extends WebSession {
  /** Set once the token was replaced: the hash of its successor, and when. */
  successor?: string;
  retiredAt?: number;
}

export interface SessionTimes {
  /** Longest life of a session (default 30 days: staff use their phones, signing in weekly would be a chore). */
  maxAgeMs?: number;
  /** Idle time after which a session ends (default 7 days). */
  idleMs?: number;
  /** A token is replaced after this much use (default 12 h). */
  rotateMs?: number;
}

export const ROTATE_MS = 12 * 3600_000;
export const GRACE_MS = 60_000;
/** lastSeen is written at most this often (not on every request). */
const TOUCH_MS = 5 * 60_000;

export const newToken = () => randomBytes(32).toString('base64url');
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const keyOf = (hash: string) => `webchat-session:${hash}`;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface Resumed {
  session: WebSession;
  /** A fresh token to set as the cookie (the old one was rotated out). */
  token?: string;
}

export function createWebSessions(store: SessionStore, now: () => Date, times: SessionTimes = {}) {
  const maxAgeMs = times.maxAgeMs ?? 30 * 24 * 3600_000;
  const idleMs = times.idleMs ?? 7 * 24 * 3600_000;
  const rotateMs = times.rotateMs ?? ROTATE_MS;
  const t = () => now().getTime();

  async function issue(session: WebSession): Promise<string> {
    const token = newToken();
    await store.set(keyOf(hashOf(token)), session);
    return token;
  }

  const expired = (s: WebSession, at: number) => at - s.lastSeen > idleMs || at - s.createdAt > maxAgeMs;

  return {
    /** A new session for a web identity (after a sign-in): the token for the cookie. */
    async open(webId: string, via: SignInVia): Promise<{ token: string; session: WebSession }> {
      const at = t();
      const session: WebSession = { webId, via, csrf: newToken(), createdAt: at, issuedAt: at, lastSeen: at };
      return { token: await issue(session), session };
    },

    /** The live session of a cookie value, rotated when due; undefined when unknown or expired. */
    async resume(token: string | undefined): Promise<Resumed | undefined> {
      if (!token || !TOKEN.test(token)) return undefined;
      const key = keyOf(hashOf(token));
      const s = await store.get<Stored>(key);
      if (!s) return undefined;
      const at = t();
      if (s.successor) {
        // A request sent just before the rotation: served by the new session, within the grace period only.
        if (at - (s.retiredAt ?? 0) > GRACE_MS) return undefined;
        const next = await store.get<Stored>(keyOf(s.successor));
        return next && !expired(next, at) ? { session: next } : undefined;
      }
      if (expired(s, at)) {
        await store.delete(key);
        return undefined;
      }
      if (at - s.issuedAt > rotateMs) {
        const session: WebSession = { webId: s.webId, via: s.via, csrf: s.csrf, createdAt: s.createdAt, issuedAt: at, lastSeen: at };
        const fresh = newToken();
        const freshHash = hashOf(fresh);
        await store.set(keyOf(freshHash), session);
        await store.set(key, { ...s, successor: freshHash, retiredAt: at } satisfies Stored);
        return { session, token: fresh };
      }
      if (at - s.lastSeen > TOUCH_MS) await store.set(key, { ...s, lastSeen: at });
      return { session: s };
    },

    async close(token: string | undefined): Promise<void> {
      if (token && TOKEN.test(token)) await store.delete(keyOf(hashOf(token)));
    },
  };
}

export type WebSessions = ReturnType<typeof createWebSessions>;
