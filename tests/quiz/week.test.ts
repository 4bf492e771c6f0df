import { describe, expect, it } from 'vitest';
import { PufaError } from '../../src/errors.ts';
import { quizWeekFromKey, quizWeekOf, shiftWeek, weekSchedule } from '../../src/quiz/week.ts';

const SH = 'Asia/Shanghai';

describe('quiz weeks run Monday to Sunday in the configured zone', () => {
  it('keeps Sunday 23:30 in Shanghai in that week although UTC still says Sunday afternoon', () => {
    // 2026-11-29 is a Sunday; 23:30 in Shanghai is 15:30 UTC.
    const w = quizWeekOf(new Date('2026-11-29T15:30:00Z'), SH);
    expect(w.key).toBe('2026-W48');
    expect(w.monday).toBe('2026-11-23');
    expect(w.sunday).toBe('2026-11-29');
  });

  it('moves to the next week at Monday 00:30 in Shanghai, which is still Sunday in UTC', () => {
    const w = quizWeekOf(new Date('2026-11-29T16:30:00Z'), SH);
    expect(w.key).toBe('2026-W49');
    expect(w.start.toISOString()).toBe('2026-11-29T16:00:00.000Z');
    // The same instant is still week 48 for an office in London.
    expect(quizWeekOf(new Date('2026-11-29T16:30:00Z'), 'Europe/London').key).toBe('2026-W48');
  });

  it('handles the year boundary and ISO week 53', () => {
    // 2026 has 53 ISO weeks: Thursday 2026-12-31 is in W53, and so is Sunday 2027-01-03.
    expect(quizWeekOf(new Date('2026-12-31T04:00:00Z'), SH).key).toBe('2026-W53');
    expect(quizWeekOf(new Date('2027-01-03T15:59:00Z'), SH).key).toBe('2026-W53');
    expect(quizWeekOf(new Date('2027-01-03T16:00:00Z'), SH).key).toBe('2027-W01');
    // 2024-12-30 (Monday) already belongs to 2025-W01.
    expect(quizWeekOf(new Date('2024-12-30T02:00:00Z'), SH).key).toBe('2025-W01');
    const w53 = quizWeekFromKey('2026-W53', SH);
    expect([w53.monday, w53.sunday]).toEqual(['2026-12-28', '2027-01-03']);
    expect(() => quizWeekFromKey('2025-W53', SH)).toThrow(PufaError);
    expect(() => quizWeekFromKey('2026-48', SH)).toThrow(PufaError);
  });

  it('numbers weeks continuously across years, for rotations', () => {
    const w52 = quizWeekFromKey('2026-W52', SH);
    const w53 = shiftWeek(w52, 1, SH);
    const w01 = shiftWeek(w52, 2, SH);
    expect([w53.key, w01.key]).toEqual(['2026-W53', '2027-W01']);
    expect([w53.index - w52.index, w01.index - w52.index]).toEqual([1, 2]);
    expect(quizWeekFromKey(w01.key, SH)).toEqual(w01);
  });

  it('schedules the opening and reminders at local times', () => {
    const s = weekSchedule(quizWeekFromKey('2026-W48', SH), { openAt: '09:00', remindThursdayAt: '15:00', remindSundayAt: '10:00' }, SH);
    expect(s.opensAt.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(s.remindThursdayAt.toISOString()).toBe('2026-11-26T07:00:00.000Z');
    expect(s.remindSundayAt.toISOString()).toBe('2026-11-29T02:00:00.000Z');
    expect(s.closesAt.toISOString()).toBe('2026-11-29T16:00:00.000Z');
  });

  it('keeps local midnight across a daylight-saving change', () => {
    // Europe/Berlin leaves summer time on Sunday 2026-10-25; the next Monday starts at 23:00 UTC.
    const w = quizWeekOf(new Date('2026-10-25T12:00:00Z'), 'Europe/Berlin');
    expect(w.start.toISOString()).toBe('2026-10-18T22:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });
});
