/** The period a report page shows, from its query (?period=2026-Q4, or ?from=…&to=… from the date form), and its chooser. */
import { periodAt, type Period } from '../../periods.ts';
import type { AdminStats } from '../../stats.ts';
import { periodNav } from '../layout.ts';
import type { AdminContext } from '../types.ts';

/** The period key a request asks for, or undefined for the page's default. */
export function periodKeyOf(c: AdminContext): string | undefined {
  const from = c.req.query('from');
  const to = c.req.query('to');
  if (from && to) return `${from}~${to}`;
  return c.req.query('period') || undefined;
}

/** A page URL for a period key, keeping the other query parameters given. */
export function periodHref(path: string, extra: Record<string, string | undefined> = {}) {
  return (key: string) => {
    const p = new URLSearchParams();
    p.set('period', key);
    for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
    return `${path}?${p.toString()}`;
  };
}

/** The chooser for a page at `path` showing period `p`. */
export function periodChooser(stats: AdminStats, path: string, p: Period, extra: Record<string, string | undefined> = {}) {
  const now = stats.now();
  const tz = stats.timezone;
  const current = {
    week: periodAt('week', now, tz).key,
    month: periodAt('month', now, tz).key,
    quarter: periodAt('quarter', now, tz).key,
    year: periodAt('year', now, tz).key,
  };
  return periodNav(path, p, periodHref(path, extra), current);
}
