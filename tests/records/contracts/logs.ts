/** The contracts of the small ports: the Q&A log, the audit log, processed updates, sessions. */
import { describe, expect, it } from 'vitest';
import type { NewQaEntry, QaCitation } from '../../../src/records/types.ts';
import { person, useRecords, type OpenRecords } from './harness.ts';

const CITE: QaCitation = { doc: 'law', law: '中华人民共和国预算法', article: 18, articleLabel: '第十八条', version: '2018-12-29', status: 'current', text: '预算年度自公历一月一日起，至十二月三十一日止。' };
const entry = (userId: number, question: string): NewQaEntry => ({ userId, chatId: String(userId), question, answer: `答：${question}`, mode: 'extractive', citations: [CITE], related: [], latencyMs: 12.6 });

export function qaLogContract(open: OpenRecords) {
  describe('Q&A log', () => {
    const ctx = useRecords(open);

    it('keeps an entry as given, with its citations; only the asker can rate it, the last tap wins', async () => {
      const { qa } = ctx.records;
      const a = await person(ctx.records, 1);
      const b = await person(ctx.records, 2);
      const e = await qa.add({ ...entry(a.id, '预算年度是怎么规定的？'), related: [{ ...CITE, article: 13, articleLabel: '第十三条' }] });
      expect(e).toMatchObject({ userId: a.id, question: '预算年度是怎么规定的？', citations: [CITE], latencyMs: 13, feedback: null, createdAt: ctx.at.toISOString() });
      expect(e.related[0]!.articleLabel).toBe('第十三条');
      expect(await qa.get(e.id)).toEqual(e);
      expect(await qa.setFeedback(e.id, b.id, -1)).toBe(false);
      expect(await qa.setFeedback(e.id, a.id, -1)).toBe(true);
      expect(await qa.setFeedback(e.id, a.id, 1)).toBe(true);
      expect((await qa.get(e.id))!.feedback).toBe(1);
      expect(await qa.get(e.id + 100)).toBeUndefined();
    });

    it('counts, lists recent entries and pages them by feedback, newest first', async () => {
      const { qa } = ctx.records;
      const a = await person(ctx.records, 1);
      const b = await person(ctx.records, 2);
      const ids: number[] = [];
      for (let i = 0; i < 7; i++) ids.push((await qa.add(entry(i % 2 ? b.id : a.id, `问题${i}`))).id);
      await qa.setFeedback(ids[0]!, a.id, 1);
      await qa.setFeedback(ids[2]!, a.id, -1);
      await qa.setFeedback(ids[4]!, a.id, -1);
      expect(await qa.countByUser(a.id)).toBe(4);
      expect((await qa.recent({ limit: 3 })).map((e) => e.id)).toEqual([ids[6], ids[5], ids[4]]);
      expect((await qa.recent({ userId: b.id })).map((e) => e.question)).toEqual(['问题5', '问题3', '问题1']);
      const all = await qa.page({ limit: 3, offset: 3 });
      expect(all.total).toBe(7);
      expect(all.entries.map((e) => e.id)).toEqual([ids[3], ids[2], ids[1]]);
      const down = await qa.page({ feedback: 'down', limit: 10, offset: 0 });
      expect([down.total, down.entries.map((e) => e.id)]).toEqual([2, [ids[4], ids[2]]]);
      expect((await qa.page({ feedback: 'up', limit: 10, offset: 0 })).entries.map((e) => e.id)).toEqual([ids[0]]);
      expect((await qa.page({ feedback: 'none', limit: 10, offset: 0 })).total).toBe(4);
    });
  });
}

export function auditContract(open: OpenRecords) {
  describe('audit log', () => {
    const ctx = useRecords(open);

    it('stamps each entry with the clock and lists them newest first', async () => {
      const { audit } = ctx.records;
      const admin = await person(ctx.records, 1, { isAdmin: true });
      const first = await audit.add({ actorUserId: admin.id, action: 'admin.stats', targetUserId: null, detail: { week: '2026-W47', via: 'telegram' } });
      ctx.tick(1000);
      await audit.add({ actorUserId: null, action: 'admin.export', targetUserId: admin.id, detail: {} });
      expect(first.at).toBe('2026-11-16T01:00:00.000Z');
      const recent = await audit.recent();
      expect(recent.map((a) => a.action)).toEqual(['admin.export', 'admin.stats']);
      expect(recent[1]).toEqual(first);
      expect(await audit.recent(1)).toHaveLength(1);
    });

    it('pages the log by action (or a family of actions) and by actor, and counts the actions', async () => {
      const { audit } = ctx.records;
      const a = await person(ctx.records, 1, { isAdmin: true });
      const b = await person(ctx.records, 2, { isAdmin: true });
      for (const [actor, action] of [[a, 'admin.web.login'], [b, 'admin.export'], [a, 'admin.export'], [null, 'admin.web.login'], [a, 'admin.web_link'], [b, 'adminXweb.login']] as const) {
        await audit.add({ actorUserId: actor?.id ?? null, action, targetUserId: null, detail: {} });
        ctx.tick(1000);
      }
      const all = await audit.page({ limit: 2, offset: 0 });
      expect([all.total, all.entries.map((e) => e.action)]).toEqual([6, ['adminXweb.login', 'admin.web_link']]);
      // 'admin.web' means admin.web and admin.web.*, never admin.web_link or adminXweb (no LIKE wildcards leak in).
      const web = await audit.page({ action: 'admin.web', limit: 10, offset: 0 });
      expect([web.total, web.entries.map((e) => e.actorUserId)]).toEqual([2, [null, a.id]]);
      const byA = await audit.page({ actorUserId: a.id, limit: 10, offset: 1 });
      expect([byA.total, byA.entries.map((e) => e.action)]).toEqual([3, ['admin.export', 'admin.web.login']]);
      expect((await audit.page({ action: 'admin.export', actorUserId: b.id, limit: 10, offset: 0 })).total).toBe(1);
      expect(await audit.actions()).toEqual([
        { action: 'admin.export', count: 2 },
        { action: 'admin.web.login', count: 2 },
        { action: 'admin.web_link', count: 1 },
        { action: 'adminXweb.login', count: 1 },
      ]);
    });
  });
}

export function updatesContract(open: OpenRecords) {
  describe('processed updates', () => {
    const ctx = useRecords(open);

    it('claims a (source, id) once, and forgets old claims', async () => {
      const { updates } = ctx.records;
      expect(await updates.claim('telegram:9', '100')).toBe(true);
      expect(await updates.claim('telegram:9', '100')).toBe(false);
      expect(await updates.claim('wecom:1', '100')).toBe(true);
      ctx.tick(3600_000);
      expect(await updates.claim('telegram:9', '101')).toBe(true);
      expect(await updates.prune(new Date(ctx.at.getTime() - 60_000))).toBe(2);
      expect(await updates.claim('telegram:9', '100')).toBe(true);
      expect(await updates.claim('telegram:9', '101')).toBe(false);
    });
  });
}

export function sessionsContract(open: OpenRecords) {
  describe('sessions', () => {
    const ctx = useRecords(open);

    it('keeps a value by key until it is replaced or deleted', async () => {
      const { sessions } = ctx.records;
      expect(await sessions.get('register:wecom:zhangsan')).toBeUndefined();
      await sessions.set('register:wecom:zhangsan', { step: 'name', roles: ['全体干部'], at: 1 });
      await sessions.set('register:telegram:1', { step: 'rank' });
      await sessions.set('register:wecom:zhangsan', { step: 'department', roles: [], at: 2 });
      expect(await sessions.get('register:wecom:zhangsan')).toEqual({ step: 'department', roles: [], at: 2 });
      await sessions.delete('register:wecom:zhangsan');
      expect(await sessions.get('register:wecom:zhangsan')).toBeUndefined();
      expect(await sessions.get('register:telegram:1')).toEqual({ step: 'rank' });
    });
  });
}

export function adminCredentialsContract(open: OpenRecords) {
  describe('admin credentials', () => {
    const ctx = useRecords(open);

    it('keeps one hash per admin, replaced on change, stamped with the clock', async () => {
      const store = ctx.records.adminCredentials;
      const a = await person(ctx.records, 1, { isAdmin: true });
      const b = await person(ctx.records, 2, { isAdmin: true });
      expect(await store.get(a.id)).toBeUndefined();
      await store.set(a.id, 'scrypt$1$first');
      ctx.tick(60_000);
      await store.set(b.id, 'scrypt$1$b');
      await store.set(a.id, 'scrypt$1$second');
      expect(await store.get(a.id)).toEqual({ userId: a.id, hash: 'scrypt$1$second', updatedAt: '2026-11-16T01:01:00.000Z' });
      expect((await store.list()).map((c) => c.userId)).toEqual([a.id, b.id]);
      expect(await store.remove(b.id)).toBe(true);
      expect(await store.remove(b.id)).toBe(false);
      expect((await store.list()).map((c) => c.hash)).toEqual(['scrypt$1$second']);
    });
  });
}
