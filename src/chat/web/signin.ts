/**
 * Sign-in grants for the web chat, issued by an admin for one person (/weblink): a link to open and, for
 * when a link cannot be opened (read out, written down), a code of 8 characters to type. Either works
 * once, until it expires; using one voids the other. Only SHA-256 hashes are stored (the records'
 * session store, so the bot and the web chat may run in different processes).
 *
 * Guessing codes is bounded, not just slowed: one address may type CODE_FAILURES_PER_CLIENT wrong codes
 * per window, and after CODE_FAILURES_OVERALL wrong codes from anyone in a window, code sign-in is closed
 * for everyone until the window has passed (links keep working). With 32^8 ≈ 1.1·10^12 codes, a code
 * meets at most CODE_FAILURES_OVERALL guesses per window of its life.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../../config.ts';
import type { SessionStore } from '../../records/types.ts';

/** Without 0/O/1/I, so a code read aloud or handwritten stays unambiguous. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;
export const CODE_WINDOW_MS = 15 * 60_000;
export const CODE_FAILURES_PER_CLIENT = 5;
export const CODE_FAILURES_OVERALL = 50;

interface Grant {
  userId: number;
  expiresAt: number;
  /** The key of the grant's other half (the code for a link, the link for a code). */
  pair: string;
}

const hash = (kind: string, secret: string) => createHash('sha256').update(`pufa-webchat-${kind}:${secret}`).digest('hex');
const linkKey = (token: string) => `webchat-signin-link:${hash('link', token)}`;
const codeKey = (code: string) => `webchat-signin-code:${hash('code', code)}`;

/** 'ab c-d 2345 efgh' → 'ABCD2345' … as typed, without spaces or dashes, upper case. */
export const normalizeCode = (typed: string) => typed.replace(/[\s\-－—_]/g, '').toUpperCase();

function drawCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** 'ABCD2345' → 'ABCD-2345' (how the code is shown). */
export const showCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

export interface IssuedSignIn {
  /** The secret of the link: /signin/link?t=… */
  token: string;
  /** The code as shown: 'ABCD-2345'. */
  code: string;
  expiresAt: Date;
}

export type CodeOutcome = { kind: 'ok'; userId: number } | { kind: 'invalid' } | { kind: 'busy' };

export interface SignInGrants {
  /** A link and a code for this person, valid for `ttlMs`. */
  issue(userId: number, ttlMs: number): Promise<IssuedSignIn>;
  /** The person a link was for, once; undefined when unknown, used or expired. */
  redeemLink(token: string): Promise<number | undefined>;
  /** The person a typed code was for, once; refused while `client` (or everyone) has typed too many wrong codes. */
  redeemCode(typed: string, client: string): Promise<CodeOutcome>;
}

export function createSignInGrants(store: SessionStore, now: () => Date, logger?: { warn(msg: string, f?: Record<string, unknown>): void }): SignInGrants {
  const failures = new Map<string, number[]>();
  let overall: number[] = [];
  const recent = (xs: number[]) => xs.filter((x) => x > now().getTime() - CODE_WINDOW_MS);

  async function take(key: string): Promise<number | undefined> {
    const grant = await store.get<Grant>(key);
    if (!grant) return undefined;
    await store.delete(key);
    await store.delete(grant.pair);
    return grant.expiresAt > now().getTime() ? grant.userId : undefined;
  }

  return {
    async issue(userId, ttlMs) {
      const token = randomBytes(24).toString('base64url');
      const code = drawCode();
      const expiresAt = now().getTime() + ttlMs;
      const [lk, ck] = [linkKey(token), codeKey(code)];
      await store.set(lk, { userId, expiresAt, pair: ck } satisfies Grant);
      await store.set(ck, { userId, expiresAt, pair: lk } satisfies Grant);
      return { token, code: showCode(code), expiresAt: new Date(expiresAt) };
    },
    async redeemLink(token) {
      if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return undefined;
      return take(linkKey(token));
    },
    async redeemCode(typed, client) {
      const mine = recent(failures.get(client) ?? []);
      overall = recent(overall);
      if (mine.length >= CODE_FAILURES_PER_CLIENT || overall.length >= CODE_FAILURES_OVERALL) return { kind: 'busy' };
      const code = normalizeCode(typed);
      const userId = code.length === CODE_LENGTH && [...code].every((ch) => ALPHABET.includes(ch)) ? await take(codeKey(code)) : undefined;
      if (userId !== undefined) return { kind: 'ok', userId };
      const at = now().getTime();
      failures.set(client, [...mine, at]);
      overall.push(at);
      if (overall.length === CODE_FAILURES_OVERALL) logger?.warn('web chat: too many wrong sign-in codes, code sign-in closed for the window', { last: client, windowMinutes: CODE_WINDOW_MS / 60_000 });
      return { kind: 'invalid' };
    },
  };
}

/**
 * The address staff open: WEB_CHAT_URL, else http://<host>:<port> (this machine's name when listening on
 * every address); undefined when the web chat is off.
 */
export function webChatBaseUrl(web: Config['webChat']): string | undefined {
  if (web.publicUrl) return web.publicUrl;
  if (web.port === undefined) return undefined;
  const host = web.host === '0.0.0.0' || web.host === '::' ? hostname() : web.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${web.port}`;
}
