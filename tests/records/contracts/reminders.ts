/** The contract of ReminderLog: who is due a reminder, each (person, week, kind) claimed once. */
import { describe, expect, it } from 'vitest';
import { person, takeAttempt, tg, useRecords, type OpenRecords } from './harness.ts';

export function remindersContract(open: OpenRecords) {
  describe('reminders', () => {
    const ctx = useRecords(open);

    it('targets active people reachable on a channel, not yet reminded, and (if asked) not finished', async () => {
      const { reminders, users, identities } = ctx.records;
      const done = await person(ctx.records, 1);
      const idle = await person(ctx.records, 2);
      const wecomOnly = await users.create({ identity: { channel: 'wecom', id: 'zhangsan' }, name: '张三', status: 'active' });
      await identities.attach(idle.id, { channel: 'wecom', id: 'lisi' });
      await users.create({ identity: { channel: 'local', id: 'operator' }, name: 'operator', status: 'active', isAdmin: true });
      await users.create({ identity: tg(4), name: '待审', status: 'pending' });
      await takeAttempt(ctx, done, '2026-W47', [true]);

      const ids = async (opts: Parameters<typeof reminders.reminderTargets>[2], kind = 'thursday') =>
        (await reminders.reminderTargets('2026-W47', kind, opts)).map((t) => t.userId);
      expect(await ids({ unfinishedOnly: false }, 'open')).toEqual([done.id, idle.id, wecomOnly.id]);
      expect(await ids({ unfinishedOnly: true })).toEqual([idle.id, wecomOnly.id]);
      expect(await ids({ unfinishedOnly: true, channels: ['telegram'] })).toEqual([idle.id]);
      const [target] = await reminders.reminderTargets('2026-W47', 'thursday', { unfinishedOnly: true, channels: ['telegram'] });
      expect(target).toEqual({ userId: idle.id, staffId: idle.staffId, name: idle.name, identities: [tg(2), { channel: 'wecom', id: 'lisi' }] });

      expect(await reminders.claimReminder(idle.id, '2026-W47', 'thursday', ctx.at)).toBe(true);
      expect(await reminders.claimReminder(idle.id, '2026-W47', 'thursday', ctx.at)).toBe(false);
      expect(await ids({ unfinishedOnly: true })).toEqual([wecomOnly.id]);
      expect([...(await reminders.remindersSent('2026-W47', 'thursday'))]).toEqual([idle.id]);
      await reminders.releaseReminder(idle.id, '2026-W47', 'thursday');
      expect(await ids({ unfinishedOnly: true })).toEqual([idle.id, wecomOnly.id]);
      expect((await reminders.remindersSent('2026-W47', 'thursday')).size).toBe(0);
    });
  });
}
