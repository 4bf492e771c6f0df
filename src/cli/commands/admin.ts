/** `pufa admin`: the web dashboard (scores, completion, weak articles, Q&A log, knowledge base, exports). */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { Command, CommandContext } from '../context.ts';
import { stopSignal } from './chat.ts';

/** Start the dashboard; without ADMIN_WEB_TOKEN a random token for this run is printed. */
export async function startDashboard(
  config: Config,
  logger: Logger,
  stderr: { write(s: string): unknown },
  opts: { port?: number } = {},
) {
  const { startAdminWeb } = await import('../../admin/server.ts');
  const token = config.adminWeb.token ?? randomBytes(12).toString('base64url');
  const running = await startAdminWeb(config, logger, { port: opts.port, token });
  stderr.write(`管理后台：${running.url}/  （仅本机可访问：${config.adminWeb.host}）\n`);
  if (!config.adminWeb.token) stderr.write(`未设置 ADMIN_WEB_TOKEN，本次运行的临时登录口令：${token}\n`);
  return running;
}

export async function runAdmin(ctx: CommandContext): Promise<number> {
  const portFlag = ctx.values.port as string | undefined;
  const port = portFlag !== undefined ? Number(portFlag) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    ctx.io.stderr.write(`端口有误：${portFlag}\n`);
    return 2;
  }
  const { signal, dispose } = stopSignal();
  const running = await startDashboard(ctx.config, ctx.logger, ctx.io.stderr, { port });
  try {
    ctx.io.stderr.write('按 Ctrl-C 停止。\n');
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  } finally {
    await running.stop();
    dispose();
  }
  return 0;
}

export const command: Command = {
  name: 'admin',
  summary: '管理后台（网页）：本周完成率与通过率、趋势、人员、易错条文、问答记录、知识库与导出。默认只监听 127.0.0.1。',
  usage: 'pufa admin [--port N] [--data DIR]（口令 ADMIN_WEB_TOKEN，端口 ADMIN_WEB_PORT，默认 8080）',
  options: { port: { type: 'string' } },
  run: runAdmin,
};
