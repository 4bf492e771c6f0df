/** The contract of UserRepository: one person per identity, compare-and-set status, search. */
import { describe, expect, it } from 'vitest';
import { person, tg, useRecords, type OpenRecords } from './harness.ts';

export function usersContract(open: OpenRecords) {
  describe('users', () => {
    const ctx = useRecords(open);

    it('creates one person per identity, with a random staff id unrelated to the channel id', async () => {
      const { users } = ctx.records;
      const a = await users.create({ identity: tg('777000'), name: '张三', roles: ['乙', '甲'], status: 'pending' });
      const again = await users.create({ identity: tg('777000'), name: '别人', status: 'active' });
      expect(again).toEqual(a);
      expect(a).toMatchObject({ name: '张三', roles: ['乙', '甲'], identities: [tg('777000')], status: 'pending', isAdmin: false, department: '', rank: '' });
      expect(a.staffId).not.toContain('777000');
      const b = await users.create({ identity: tg('777001'), name: '李四', status: 'pending' });
      expect(b.staffId).not.toBe(a.staffId);
      expect(a.createdAt).toBe(ctx.at.toISOString());
    });

    it('keeps channels apart: the same id on two channels is two identities', async () => {
      const { users } = ctx.records;
      const t = await users.create({ identity: { channel: 'telegram', id: '42' }, name: '甲', status: 'active' });
      const w = await users.create({ identity: { channel: 'wecom', id: '42' }, name: '乙', status: 'active' });
      expect(w.id).not.toBe(t.id);
      expect((await users.findByIdentity({ channel: 'wecom', id: '42' }))!.name).toBe('乙');
      expect(await users.findByIdentity({ channel: 'dingtalk', id: '42' })).toBeUndefined();
      expect((await users.findByStaffId(w.staffId))!.id).toBe(w.id);
      expect(await users.get(9999)).toBeUndefined();
    });

    it('updates only the given fields, roles in the order given, and stamps the time', async () => {
      const { users } = ctx.records;
      const u = await person(ctx.records, 1);
      ctx.tick(60_000);
      const v = await users.update(u.id, { rank: '二级主任科员', roles: ['会计监督岗', '全体干部'], isAdmin: true });
      expect(v).toMatchObject({ name: u.name, department: u.department, rank: '二级主任科员', roles: ['会计监督岗', '全体干部'], isAdmin: true });
      expect(v.updatedAt).toBe(ctx.at.toISOString());
      expect(v.createdAt).toBe(u.createdAt);
      expect(await users.get(u.id)).toEqual(v);
    });

    it('changes status by compare-and-set: the second admin to press finds it done', async () => {
      const { users } = ctx.records;
      const u = await users.create({ identity: tg(5), name: '王五', status: 'pending' });
      const [first, second] = await Promise.all([users.transition(u.id, 'pending', 'active'), users.transition(u.id, 'pending', 'disabled')]);
      expect([first, second].sort()).toEqual([false, true]);
      expect((await users.get(u.id))!.status).toBe(first ? 'active' : 'disabled');
    });

    it('lists by status and admin flag, oldest first', async () => {
      const { users } = ctx.records;
      const a = await person(ctx.records, 1, { isAdmin: true });
      const b = await person(ctx.records, 2);
      await users.create({ identity: tg(3), name: '待审', status: 'pending' });
      expect((await users.list()).map((u) => u.id)).toEqual([a.id, b.id, a.id + 2]);
      expect((await users.list({ status: 'active' })).map((u) => u.id)).toEqual([a.id, b.id]);
      expect((await users.list({ isAdmin: true, status: 'active' })).map((u) => u.id)).toEqual([a.id]);
    });

    it('searches names by part, staff ids in any case, exact matches first; % and _ are plain text', async () => {
      const { users } = ctx.records;
      const wang = await person(ctx.records, 1, { name: '王伟' });
      const wangFang = await person(ctx.records, 2, { name: '王芳芳' });
      const odd = await person(ctx.records, 3, { name: '100%_达标' });
      expect((await users.search('王')).map((u) => u.id).sort()).toEqual([wang.id, wangFang.id].sort());
      expect((await users.search('王伟')).map((u) => u.id)[0]).toBe(wang.id);
      expect((await users.search(wangFang.staffId.toLowerCase())).map((u) => u.id)).toEqual([wangFang.id]);
      expect((await users.search('%')).map((u) => u.id)).toEqual([odd.id]);
      expect((await users.search('_')).map((u) => u.id)).toEqual([odd.id]);
      expect(await users.search('  ')).toEqual([]);
      expect(await users.search('赵')).toEqual([]);
      for (let i = 10; i < 15; i++) await person(ctx.records, i, { name: `王${i}` });
      expect(await users.search('王', 3)).toHaveLength(3);
    });
  });
}
