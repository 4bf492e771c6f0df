import { describe, expect, it } from 'vitest';
import { createReviewScheduler } from '../../src/quiz/review.ts';

const DAY = 86_400_000;
const s = createReviewScheduler();
const base = { staffId: 'S0017', law: '中华人民共和国预算法', articleNumber: 18 };
const t0 = new Date('2026-03-02T02:00:00Z');
const days = (from: Date, iso: string) => (new Date(iso).getTime() - from.getTime()) / DAY;

describe('spaced repetition of wrongly answered articles (FSRS)', () => {
  it('creates a card on a wrong answer and none on a right one', () => {
    expect(s.record(undefined, { ...base, correct: true, at: t0 })).toBeUndefined();
    const card = s.record(undefined, { ...base, correct: false, at: t0 })!;
    expect(card).toMatchObject({ staffId: 'S0017', article: '中华人民共和国预算法#18', lapses: 0 });
    expect(days(t0, card.due)).toBeGreaterThan(0);
    expect(days(t0, card.due)).toBeLessThanOrEqual(7);
  });

  it('brings an article back sooner after a wrong answer than after a right one', () => {
    const card = s.record(undefined, { ...base, correct: false, at: t0 })!;
    const t1 = new Date(card.due);
    const wrong = s.record(card, { ...base, correct: false, at: t1 })!;
    const right = s.record(card, { ...base, correct: true, at: t1 })!;
    expect(days(t1, wrong.due)).toBeLessThan(days(t1, right.due));
    expect(wrong.lapses).toBe(1);
    // Right answers in a row stretch the gap.
    const t2 = new Date(right.due);
    const again = s.record(right, { ...base, correct: true, at: t2 })!;
    expect(days(t2, again.due)).toBeGreaterThan(days(t1, right.due));
  });

  it('lists due cards most overdue first and leaves future ones out', () => {
    const a = s.record(undefined, { ...base, articleNumber: 5, correct: false, at: t0 })!;
    const b = s.record(undefined, { ...base, articleNumber: 6, correct: false, at: new Date(t0.getTime() - 3 * DAY) })!;
    const c = s.record(undefined, { ...base, articleNumber: 7, correct: false, at: new Date(t0.getTime() + 30 * DAY) })!;
    expect(s.due([a, c, b], new Date(t0.getTime() + 7 * DAY)).map((x) => x.articleNumber)).toEqual([6, 5]);
  });

  it('round-trips through JSON, as the records layer stores cards', () => {
    const card = s.record(undefined, { ...base, correct: false, at: t0 })!;
    const stored = JSON.parse(JSON.stringify(card));
    expect(s.record(stored, { ...base, correct: true, at: new Date(card.due) })).toEqual(s.record(card, { ...base, correct: true, at: new Date(card.due) }));
  });
});
