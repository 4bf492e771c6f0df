/**
 * `pufa start` (npm start): build the index if it is missing or stale (prepare-index.ts: a refused or failed
 * update keeps the old index serving), then run every configured transport (Telegram, the dashboard, …) at
 * once, or the terminal chat when no chat transport is configured.
 */
import { runUntilStopped, stopAll } from '../../app/lifecycle.ts';
import { startTransports } from '../../app/transports.ts';
import type { Command } from '../context.ts';
import { prepareIndex } from '../prepare-index.ts';

export const command: Command = {
  name: 'start',
  summary: '一键启动：必要时先建立索引，然后运行所有已配置的对话方式（Telegram、企业微信、钉钉、飞书等）与管理后台；都未配置时打开终端对话。',
  usage: 'pufa start [--data DIR] [--knowledge DIR] [--laws DIR] [--replace]',
  options: { replace: { type: 'boolean' } },
  async run(ctx) {
    await prepareIndex(ctx, { replace: ctx.values.replace === true });
    let chats = 0;
    await runUntilStopped(
      async (signal) => {
        const started = await startTransports(ctx.app, ctx.io, signal);
        chats = started.chats;
        if (chats) return started.services;
        ctx.io.stderr.write('没有可用的对话方式，程序退出。请按上面的提示检查设置。\n');
        await stopAll(started.services, ctx.logger);
        return [];
      },
      { logger: ctx.logger, say: (line) => void ctx.io.stderr.write(line + '\n') },
    );
    return chats ? 0 : 1;
  },
};
