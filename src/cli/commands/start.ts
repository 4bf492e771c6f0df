/** `pufa start` (npm start): build the index if it is missing or stale, then the bot (with a token) or the terminal chat. */
import type { Command } from '../context.ts';
import { prepareIndex } from '../prepare-index.ts';
import { runBot } from './bot.ts';
import { runChat } from './chat.ts';

export const command: Command = {
  name: 'start',
  summary: '一键启动：必要时先建立索引，然后运行 Telegram 机器人（设置了令牌时）或终端对话。',
  usage: 'pufa start [--data DIR] [--knowledge DIR] [--laws DIR] [--replace]',
  options: { replace: { type: 'boolean' } },
  async run(ctx) {
    await prepareIndex(ctx, { replace: ctx.values.replace === true });
    // With ADMIN_WEB_PORT set, the dashboard runs beside the bot or the terminal chat.
    const dashboard =
      ctx.config.adminWeb.port !== undefined
        ? await (await import('./admin.ts')).startDashboard(ctx.config, ctx.logger, ctx.io.stderr)
        : undefined;
    try {
      return await (ctx.config.telegram.token ? runBot(ctx) : runChat(ctx));
    } finally {
      await dashboard?.stop();
    }
  },
};
