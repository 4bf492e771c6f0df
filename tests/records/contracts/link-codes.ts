/** The contract of LinkCodeStore: a code is taken once, before it expires; failures are counted. */
import { describe, expect, it } from 'vitest';
import { person, useRecords, type OpenRecords } from './harness.ts';

const MIN = 60_000;

export function linkCodesContract(open: OpenRecords) {
  describe('link codes', () => {
    const ctx = useRecords(open);
    const later = (ms: number) => new Date(ctx.at.getTime() + ms);

    it('gives the user back once, and only before it expires', async () => {
      const { linkCodes } = ctx.records;
      const a = await person(ctx.records, 1);
      const b = await person(ctx.records, 2);
      expect(await linkCodes.issue({ userId: a.id, codeHash: 'h-a', expiresAt: later(10 * MIN), at: ctx.at })).toBe(true);
      expect(await linkCodes.issue({ userId: b.id, codeHash: 'h-b', expiresAt: later(10 * MIN), at: ctx.at })).toBe(true);
      expect(await linkCodes.redeem('h-a', later(MIN))).toBe(a.id);
      expect(await linkCodes.redeem('h-a', later(MIN))).toBeUndefined();
      expect(await linkCodes.redeem('h-b', later(10 * MIN))).toBeUndefined();
      expect(await linkCodes.redeem('nothing', ctx.at)).toBeUndefined();
    });

    it("replaces a user's earlier code, and refuses a hash another live code has", async () => {
      const { linkCodes } = ctx.records;
      const a = await person(ctx.records, 1);
      const b = await person(ctx.records, 2);
      await linkCodes.issue({ userId: a.id, codeHash: 'first', expiresAt: later(10 * MIN), at: ctx.at });
      await linkCodes.issue({ userId: a.id, codeHash: 'second', expiresAt: later(10 * MIN), at: ctx.at });
      expect(await linkCodes.redeem('first', ctx.at)).toBeUndefined();
      expect(await linkCodes.issue({ userId: b.id, codeHash: 'second', expiresAt: later(10 * MIN), at: ctx.at })).toBe(false);
      // Once that code has expired, its hash is free again.
      expect(await linkCodes.issue({ userId: b.id, codeHash: 'second', expiresAt: later(30 * MIN), at: later(11 * MIN) })).toBe(true);
      expect(await linkCodes.redeem('second', later(12 * MIN))).toBe(b.id);
    });

    it('counts failures per redeemer and overall since a time, and voids every live code', async () => {
      const { linkCodes } = ctx.records;
      const a = await person(ctx.records, 1);
      await linkCodes.recordFailure('wecom:x', ctx.at);
      await linkCodes.recordFailure('wecom:x', later(5 * MIN));
      await linkCodes.recordFailure('telegram:9', later(6 * MIN));
      expect(await linkCodes.failures(later(MIN), 'wecom:x')).toBe(1);
      expect(await linkCodes.failures(ctx.at, 'wecom:x')).toBe(2);
      expect(await linkCodes.failures(ctx.at)).toBe(3);
      expect(await linkCodes.failures(later(7 * MIN))).toBe(0);
      await linkCodes.issue({ userId: a.id, codeHash: 'live', expiresAt: later(10 * MIN), at: ctx.at });
      expect(await linkCodes.voidAll()).toBe(1);
      expect(await linkCodes.redeem('live', ctx.at)).toBeUndefined();
    });
  });
}
