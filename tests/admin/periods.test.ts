/**
 * Report periods: every quiz week belongs to exactly one month, quarter and year (the one its Thursday is in),
 * a year is its ISO weeks, ranges and previous / next work across year ends, bad keys are refused in Chinese.
 */
import { describe, expect, it } from 'vitest';
import { parsePeriod, periodAt, periodFinished, weeksStarted } from '../../src/admin/periods.ts';
import { PufaError } from '../../src/errors.ts';

const TZ = 'Asia/Shanghai';
const keys = (k: string) => parsePeriod(k, TZ).weeks.map((w) => w.key);

describe('periods', () => {
  it('a year is its ISO weeks: 2026 has 53, 2027 has 52', () => {
    expect(keys('2026')).toHaveLength(53);
    expect(keys('2026')[0]).toBe('2026-W01');
    expect(keys('2026').at(-1)).toBe('2026-W53');
    expect(keys('2027')).toHaveLength(52);
    const y = parsePeriod('2026', TZ);
    expect([y.label, y.from, y.to, y.prev, y.next]).toEqual(['2026年', '2025-12-29', '2027-01-03', '2025', '2027']);
  });

  it('months and quarters split the year: each week in exactly one', () => {
    const months = Array.from({ length: 12 }, (_, i) => keys(`2026-${String(i + 1).padStart(2, '0')}`)).flat();
    const quarters = [1, 2, 3, 4].flatMap((q) => keys(`2026-Q${q}`));
    expect(months).toEqual(keys('2026'));
    expect(quarters).toEqual(keys('2026'));
    // December 2026: its Thursdays are the 3rd … the 31st, so W49 … W53; 2027-W01 (Thursday 7 Jan) is January's.
    expect(keys('2026-12')).toEqual(['2026-W49', '2026-W50', '2026-W51', '2026-W52', '2026-W53']);
    expect(keys('2027-01')[0]).toBe('2027-W01');
    const q4 = parsePeriod('2026-Q4', TZ);
    expect([q4.label, q4.prev, q4.next]).toEqual(['2026年第四季度', '2026-Q3', '2027-Q1']);
    expect(parsePeriod('2026-01', TZ).prev).toBe('2025-12');
  });

  it('a date range counts the weeks whose Thursday is in it; previous and next are as long', () => {
    const r = parsePeriod('2026-03-01~2026-03-31', TZ);
    expect(r.weeks.map((w) => w.key)).toEqual(keys('2026-03'));
    expect(r.label).toBe('2026-03-01 至 2026-03-31');
    expect(r.prev).toBe('2026-01-29~2026-02-28');
    expect(r.next).toBe('2026-04-01~2026-05-01');
    const weeks = parsePeriod('2026-W52~2027-W02', TZ);
    expect(weeks.weeks.map((w) => w.key)).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
    expect(weeks.prev).toBe('2026-W48~2026-W51');
  });

  it('a week: its own label, neighbours across the year end', () => {
    const w = parsePeriod('2026-w53', TZ);
    expect([w.key, w.prev, w.next]).toEqual(['2026-W53', '2026-W52', '2027-W01']);
    expect(w.label).toBe('2026-W53（12月28日至1月3日）');
  });

  it('the period of an instant, finished or not, and the weeks begun', () => {
    const now = new Date('2026-11-27T04:00:00Z'); // Friday in 2026-W48
    expect(periodAt('month', now, TZ).key).toBe('2026-11');
    expect(periodAt('quarter', now, TZ).key).toBe('2026-Q4');
    expect(periodAt('year', now, TZ).key).toBe('2026');
    expect(periodAt('week', now, TZ).key).toBe('2026-W48');
    const year = parsePeriod('2026', TZ);
    expect(periodFinished(year, now)).toBe(false);
    expect(weeksStarted(year, now).at(-1)!.key).toBe('2026-W48');
    expect(periodFinished(parsePeriod('2026-10', TZ), now)).toBe(true);
  });

  it('refuses bad keys with a Chinese reason', () => {
    for (const bad of ['2026-13', '2026-Q5', 'last year', '2026-02-30~2026-03-01', '2026-05-01~2026-04-01', '2025-W53', '2000-01-01~2026-01-01']) {
      expect(() => parsePeriod(bad, TZ), bad).toThrow(PufaError);
    }
    expect(() => parsePeriod('2026-05-01~2026-04-01', TZ)).toThrow('晚于');
  });
});
