/** Per-user sliding-window rate limit with an injected clock. In memory: a limit is per process by design. */

export type RateDecision = 'ok' | 'limited' | 'limited-again';

export interface RateLimiter {
  /** Count one message from `key`. 'limited' the first time over the limit (tell the user), then 'limited-again' (stay quiet). */
  hit(key: string): RateDecision;
}

export function createRateLimiter(perMinute: number, now: () => Date = () => new Date()): RateLimiter {
  const windowMs = 60_000;
  const hits = new Map<string, { times: number[]; warned: boolean }>();
  return {
    hit(key) {
      const t = now().getTime();
      const entry = hits.get(key) ?? { times: [], warned: false };
      entry.times = entry.times.filter((x) => t - x < windowMs);
      hits.set(key, entry);
      if (entry.times.length >= perMinute) {
        if (entry.warned) return 'limited-again';
        entry.warned = true;
        return 'limited';
      }
      entry.times.push(t);
      entry.warned = false;
      // Drop idle keys now and then so the map does not grow with every user ever seen.
      if (hits.size > 10_000) for (const [k, v] of hits) if (!v.times.some((x) => t - x < windowMs)) hits.delete(k);
      return 'ok';
    },
  };
}
