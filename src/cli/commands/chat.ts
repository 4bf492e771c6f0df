/** `pufa chat`: the terminal chat (the local user is a registered admin). */
import { runUntilStopped } from '../../app/lifecycle.ts';
import { startTerminal } from '../../app/transports.ts';
import type { Command, CommandContext } from '../context.ts';

export async function runChat(ctx: CommandContext): Promise<number> {
  await runUntilStopped(async (signal) => [await startTerminal(ctx.app, ctx.io, signal)], { logger: ctx.logger });
  return 0;
}

export const command: Command = {
  name: 'chat',
  summary: '终端对话：与 Telegram 中相同的命令，按钮显示为编号（本机用户即管理员）；可用管道输入逐行提问。',
  usage: 'pufa chat [--data DIR] [--knowledge DIR] [--laws DIR]',
  run: runChat,
};
