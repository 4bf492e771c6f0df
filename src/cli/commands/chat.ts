/** `pufa chat`: the terminal chat (the local user is a registered admin). Also the runners `pufa start` reuses. */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { openChatRuntime } from '../../chat/runtime.ts';
import { runTerminalChat } from '../../chat/terminal/repl.ts';
import type { Command, CommandContext } from '../context.ts';

/** An AbortSignal for Ctrl-C and SIGTERM, and a function to stop listening. */
export function stopSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

function localUser(): { id: string; name: string } {
  try {
    const name = userInfo().username;
    return { id: name, name };
  } catch {
    return { id: 'local', name: '本地用户' };
  }
}

export async function runChat(ctx: CommandContext): Promise<number> {
  const { signal, dispose } = stopSignal();
  const runtime = await openChatRuntime({ config: ctx.config, logger: ctx.logger });
  try {
    await runTerminalChat({ core: runtime.core, input: ctx.io.stdin, output: ctx.io.stdout, user: localUser(), signal, filesDir: join(ctx.config.dataDir, 'exports') });
  } finally {
    await runtime.close();
    dispose();
  }
  return 0;
}

export const command: Command = {
  name: 'chat',
  summary: '终端对话：与 Telegram 中相同的命令，按钮显示为编号（本机用户即管理员）；可用管道输入逐行提问。',
  usage: 'pufa chat [--data DIR] [--knowledge DIR] [--laws DIR]',
  run: runChat,
};
