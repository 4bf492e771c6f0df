/** `pufa admin`: the web dashboard (scores, completion, weak articles, Q&A log, knowledge base, exports). */
import { runUntilStopped } from '../../app/lifecycle.ts';
import { startDashboard } from '../../app/transports.ts';
import type { Command, CommandContext } from '../context.ts';

export async function runAdmin(ctx: CommandContext): Promise<number> {
  const portFlag = ctx.values.port as string | undefined;
  const port = portFlag !== undefined ? Number(portFlag) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    ctx.io.stderr.write(`端口有误：${portFlag}\n`);
    return 2;
  }
  const say = (line: string) => void ctx.io.stderr.write(line + '\n');
  await runUntilStopped(
    async () => {
      const dashboard = await startDashboard(ctx.app, ctx.io, { port });
      say('按 Ctrl-C 停止。');
      return [dashboard];
    },
    { logger: ctx.logger },
  );
  return 0;
}

export const command: Command = {
  name: 'admin',
  summary: '管理后台（网页）：本周完成率与通过率、趋势、人员、易错条文、问答记录、知识库与导出。默认只监听 127.0.0.1。',
  usage: 'pufa admin [--port N] [--data DIR]（口令 ADMIN_WEB_TOKEN，端口 ADMIN_WEB_PORT，默认 8080）',
  options: { port: { type: 'string' } },
  run: runAdmin,
};
