/** /help: what pufa does and the commands this user may use. */
import { bold, para } from '../format.ts';
import type { ChatFeature } from '../types.ts';

export const helpFeature: ChatFeature = {
  name: 'help',
  commands: [
    {
      name: 'help',
      description: '使用说明',
      access: 'anyone',
      async run(ctx) {
        const u = ctx.user;
        const active = u?.status === 'active';
        const lines = ctx.features
          .flatMap((f) => f.commands ?? [])
          .filter((c) => c.access === 'anyone' || (active && (c.access === 'active' || u?.isAdmin)))
          .map((c) => `${c.usage ?? '/' + c.name} —— ${c.description}`);
        const blocks = [
          para(bold('普法助手 · 使用说明')),
          para('直接发送问题即可，例如「预算年度是怎么规定的？」。每个回答都附有法律条文出处，下方的按钮可以反馈（👍/👎）、查看条文全文或相关条文。'),
          para(bold('命令'), '\n', lines.join('\n')),
        ];
        if (ctx.isGroup) blocks.push(para('在群聊中，请 @我 或回复我的消息来提问；注册、个人资料等内容只在私聊中发送。'));
        if (!active) blocks.push(para('使用前请先发送 /start 完成注册。'));
        await ctx.reply({ blocks });
      },
    },
  ],
};
