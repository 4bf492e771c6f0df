/** The inbox's contract: messages recorded before they are acknowledged, handled once, found again after a stop. */
import { describe, expect, it } from 'vitest';
import { useRecords, type OpenRecords } from './harness.ts';

const event = (text: string) => ({ kind: 'text', chatId: '7', text });

export function inboxContract(open: OpenRecords) {
  describe('inbox', () => {
    const ctx = useRecords(open);

    it('records a message once per delivery id, tells a redelivery apart, and keeps the event as given', async () => {
      const { inbox } = ctx.records;
      expect(await inbox.receive('telegram:1', '42', event('预算年度是怎么规定的？'))).toBe('new');
      expect(await inbox.receive('telegram:1', '42', event('预算年度是怎么规定的？'))).toBe('pending');
      // Another transport's update with the same number is another message.
      expect(await inbox.receive('wecom:ww1:1000002', '42', event('别的问题'))).toBe('new');
      const [pending] = await inbox.pending<ReturnType<typeof event>>('telegram:1');
      expect(pending).toEqual({ source: 'telegram:1', id: '42', event: event('预算年度是怎么规定的？'), receivedAt: ctx.at });
      await inbox.finish('telegram:1', '42', 'answered');
      expect(await inbox.receive('telegram:1', '42', event('预算年度是怎么规定的？'))).toBe('done');
      expect(await inbox.pending('telegram:1')).toEqual([]);
      expect((await inbox.pending('wecom:ww1:1000002')).map((p) => p.id)).toEqual(['42']);
    });

    it('lists what is still pending oldest first, and a finished message stays finished', async () => {
      const { inbox } = ctx.records;
      await inbox.receive('s', 'b', event('第二个'));
      ctx.tick(1000);
      await inbox.receive('s', 'a', event('第一个'));
      ctx.tick(1000);
      await inbox.receive('s', 'c', event('第三个'));
      expect((await inbox.pending('s')).map((p) => p.id)).toEqual(['b', 'a', 'c']);
      await inbox.finish('s', 'a', 'told');
      await inbox.finish('s', 'a', 'answered');
      expect((await inbox.pending('s')).map((p) => p.id)).toEqual(['b', 'c']);
    });

    it('forgets finished messages before a time, never pending ones', async () => {
      const { inbox } = ctx.records;
      await inbox.receive('s', 'old-done', event('1'));
      await inbox.receive('s', 'old-pending', event('2'));
      await inbox.finish('s', 'old-done', 'answered');
      ctx.tick(8 * 24 * 3600_000);
      await inbox.receive('s', 'new-done', event('3'));
      await inbox.finish('s', 'new-done', 'expired');
      expect(await inbox.prune(new Date(ctx.at.getTime() - 24 * 3600_000))).toBe(1);
      expect((await inbox.pending('s')).map((p) => p.id)).toEqual(['old-pending']);
      expect(await inbox.receive('s', 'new-done', event('3'))).toBe('done');
      expect(await inbox.receive('s', 'old-done', event('1'))).toBe('new');
    });
  });
}
