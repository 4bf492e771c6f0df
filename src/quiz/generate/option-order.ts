/**
 * Where the key stands among ordered options (numbers, dates, fine ranges): below every generator module
 * that lays out options, so that distractors.ts and cases.ts share it without importing each other.
 */
import type { Random } from '../random.ts';

/**
 * The key and `n` wrong options in ascending order, the key's place drawn evenly from the places the
 * candidates allow (`below` and `above` nearest first), so that a sorted list gives no cue.
 */
export function spreadKey<T>(key: T, below: readonly T[], above: readonly T[], order: (t: T) => number, rng: Random, n = 3): T[] | undefined {
  const places = Array.from({ length: n + 1 }, (_, p) => p).filter((p) => below.length >= p && above.length >= n - p);
  const place = rng.pick(places);
  if (place === undefined) return undefined;
  return [...below.slice(0, place), key, ...above.slice(0, n - place)].sort((x, y) => order(x) - order(y));
}
