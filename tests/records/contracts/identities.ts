/** The contract of IdentityRepository: attach, fold in an empty record, refuse one with records, detach. */
import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../src/records/types.ts';
import { person, takeAttempt, tg, useRecords, type OpenRecords } from './harness.ts';

const zhangsan: Identity = { channel: 'wecom', id: 'zhangsan' };

export function identitiesContract(open: OpenRecords) {
  describe('identities', () => {
    const ctx = useRecords(open);

    it('attaches a free identity; the person is found by either, identities oldest first', async () => {
      const { users, identities } = ctx.records;
      const u = await person(ctx.records, 2001);
      const out = await identities.attach(u.id, zhangsan);
      expect(out.kind).toBe('attached');
      if (out.kind !== 'attached') return;
      expect(out.user.identities).toEqual([tg(2001), zhangsan]);
      expect((await users.findByIdentity(zhangsan))!.id).toBe(u.id);
      expect((await identities.attach(u.id, zhangsan)).kind).toBe('already');
      expect((await identities.attach(424242, { channel: 'web', id: 'x' })).kind).toBe('missing');
    });

    it('folds in the empty record that held the identity: its other identities, audit entries and reminders move over', async () => {
      const { users, identities, audit, reminders } = ctx.records;
      const u = await person(ctx.records, 2001);
      const empty = await users.create({ identity: zhangsan, name: '张三（企业微信）', status: 'active', isAdmin: true });
      await identities.attach(empty.id, { channel: 'feishu', id: 'zs' });
      await audit.add({ actorUserId: empty.id, action: 'admin.stats', targetUserId: null, detail: {} });
      await reminders.claimReminder(empty.id, '2026-W47', 'open', ctx.at);
      await ctx.records.training.ensureWeek(empty.id, '2026-W47', 60, ctx.at);

      const out = await identities.attach(u.id, zhangsan);
      expect(out).toMatchObject({ kind: 'merged', mergedUserId: empty.id, user: { id: u.id, name: u.name, isAdmin: false } });
      expect(await users.get(empty.id)).toBeUndefined();
      expect((await users.get(u.id))!.identities).toEqual([tg(2001), zhangsan, { channel: 'feishu', id: 'zs' }]);
      expect((await users.findByIdentity({ channel: 'feishu', id: 'zs' }))!.id).toBe(u.id);
      expect((await audit.recent()).find((a) => a.action === 'admin.stats')!.actorUserId).toBe(u.id);
      expect(await reminders.claimReminder(u.id, '2026-W47', 'open', ctx.at)).toBe(false);
      expect(await ctx.records.training.weeklyResult(u.id, '2026-W47')).toMatchObject({ status: 'not_started' });
    });

    it('refuses an identity of another person with records, and changes nothing', async () => {
      const { users, identities, qa } = ctx.records;
      const u = await person(ctx.records, 2001);
      const asker = await users.create({ identity: zhangsan, name: '李四', status: 'active' });
      await qa.add({ userId: asker.id, chatId: 'zhangsan', question: '问', answer: '答', mode: 'extractive', citations: [], related: [], latencyMs: 1 });
      const quizzer = await person(ctx.records, 3003);
      await takeAttempt(ctx, quizzer, '2026-W47', [true]);

      for (const [owner, identity] of [[asker, zhangsan], [quizzer, tg(3003)]] as const) {
        const out = await identities.attach(u.id, identity);
        expect(out).toMatchObject({ kind: 'taken', owner: { id: owner.id } });
        expect((await users.findByIdentity(identity))!.id).toBe(owner.id);
      }
      expect((await users.get(u.id))!.identities).toEqual([tg(2001)]);
    });

    it("detaches an identity, but never a person's last one", async () => {
      const { users, identities } = ctx.records;
      const u = await person(ctx.records, 2001);
      await identities.attach(u.id, zhangsan);
      expect(await identities.detach({ channel: 'wecom', id: 'nobody' })).toBe('unknown');
      expect(await identities.detach(tg(2001))).toBe('detached');
      expect(await users.findByIdentity(tg(2001))).toBeUndefined();
      expect(await identities.detach(zhangsan)).toBe('last');
      expect((await users.get(u.id))!.identities).toEqual([zhangsan]);
    });
  });
}
