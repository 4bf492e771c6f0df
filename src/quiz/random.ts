/**
 * Seeded randomness: every shuffle and pick in quizzes goes through a Random made from a string seed,
 * so the same seed (a question id, a staff id + week key) always gives the same result.
 */
import { createHash } from 'node:crypto';

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[];
  /** One item; undefined for an empty list. */
  pick<T>(items: readonly T[]): T | undefined;
}

/** 32-bit seed from any string (first 4 bytes of its SHA-256). */
export function seedOf(seed: string | number): number {
  return createHash('sha256').update(String(seed)).digest().readUInt32LE(0);
}

/**
 * A small, fast PRNG (mulberry32) seeded from a string.
 * @example createRandom('staff-17|2026-W48').shuffle([1, 2, 3])
 */
export function createRandom(seed: string | number): Random {
  let state = seedOf(seed);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    shuffle<T>(items: readonly T[]): T[] {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    pick<T>(items: readonly T[]): T | undefined {
      return items.length ? items[int(items.length)] : undefined;
    },
  };
}

/** A short stable hash for ids. */
export function shortHash(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0001')).digest('hex').slice(0, 16);
}
