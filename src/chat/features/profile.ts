/** /me: the sender's own profile, and nothing of anyone else's. Features add sections (quiz status). */
import { identitiesLabel } from '../channels.ts';
import { bold, para } from '../format.ts';
import type { Block, ChatFeature } from '../types.ts';
import { statusLabel } from './registration.ts';

export const profileFeature: ChatFeature = {
  name: 'profile',
  commands: [
    {
      name: 'me',
      description: '我的资料',
      access: 'active',
      personal: true,
      async run(ctx) {
        const u = ctx.user!;
        const asked = await ctx.deps.records.qa.countByUser(u.id);
        const blocks: Block[] = [
          para(bold('我的资料')),
          para(
            [
              `姓名：${u.name || '（未填写）'}`,
              `科室：${u.department || '（未填写）'}`,
              `职级：${u.rank || '（未填写）'}`,
              `岗位角色：${u.roles.join('、') || '（未选择）'}`,
              `状态：${statusLabel(u.status)}${u.isAdmin ? '（管理员）' : ''}`,
              `学员编号：${u.staffId}`,
              `聊天账号：${identitiesLabel(u.identities)}`,
              `注册时间：${u.createdAt.slice(0, 10)}`,
              `累计提问：${asked} 次`,
            ].join('\n'),
          ),
        ];
        for (const f of ctx.features) if (f.profile) blocks.push(...(await f.profile(ctx, u)));
        if (!u.department || !u.rank) blocks.push(para('资料尚不完整，发送 /profile 补充。'));
        await ctx.reply({ blocks });
      },
    },
  ],
};
