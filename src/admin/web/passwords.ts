/**
 * Dashboard passwords of named admins: hashed at rest with scrypt (node:crypto; a slow, memory-hard KDF,
 * ~32 MB and tens of milliseconds per check), a random salt each, the parameters kept in the hash string so
 * they can be raised later without locking anyone out. The minimum strength is checked before hashing.
 *
 * @example const hash = await hashPassword('长城-2026-预算科'); await verifyPassword('长城-2026-预算科', hash) // true
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8, p = 1 (OWASP's recommended minimum for scrypt). */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 200;
const MIN_DISTINCT = 6;

/** Passwords people pick first; refused whatever their length. */
const COMMON = ['password', 'qwerty', 'admin', 'abc123', 'iloveyou', 'woaini', 'caizheng', 'pufa', '123456', '888888', '666666', '000000'];

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** 'scrypt$N$r$p$<salt>$<key>' (base64url), for the credentials port. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT, SCRYPT.keyLength);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether a password matches a stored hash (constant-time comparison; false for a malformed hash). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!m || password.length > MAX_PASSWORD_LENGTH) return false;
  const expected = Buffer.from(m[5]!, 'base64url');
  const key = await derive(password, Buffer.from(m[4]!, 'base64url'), { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }, expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Why a password is too weak for this person, in Chinese, or undefined: at least 10 characters of at least 6
 * different ones, not only digits, not a common password, not the person's name or staff id.
 */
export function passwordWeakness(password: string, person: { name: string; staffId: string }): string | undefined {
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) return `密码太短：至少 ${MIN_PASSWORD_LENGTH} 个字符（现为 ${chars.length} 个）。`;
  if (chars.length > MAX_PASSWORD_LENGTH) return `密码太长：最多 ${MAX_PASSWORD_LENGTH} 个字符。`;
  if (new Set(chars).size < MIN_DISTINCT) return `密码太简单：至少要有 ${MIN_DISTINCT} 个不同的字符。`;
  if (/^\d+$/.test(password)) return '密码不能只有数字。';
  const lower = password.toLowerCase();
  // A common word plus a few digits or symbols (password2026, admin@123) is still a common password.
  if (COMMON.some((c) => lower.includes(c) && lower.replace(c, '').replace(/[\d\W_]/g, '').length < 4)) return '密码太常见，请换一个。';
  for (const own of [person.name, person.staffId]) {
    if (own && own.length >= 2 && lower.includes(own.toLowerCase())) return '密码不能包含自己的姓名或学员编号。';
  }
  return undefined;
}
