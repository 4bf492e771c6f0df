/**
 * `pufa start` (npm start): build the index if it is missing or stale, then run every configured transport
 * (Telegram, the dashboard, …) at once, or the terminal chat when no chat transport is configured.
 */
import { indexStatus, runIngest } from '../../search/index.ts';
import { runUntilStopped, stopAll } from '../../app/lifecycle.ts';
import { startTransports } from '../../app/transports.ts';
import type { Command } from '../context.ts';
import { ingestProgressBar } from '../ingest-progress.ts';

export const command: Command = {
  name: 'start',
  summary: '一键启动：必要时先建立索引，然后运行所有已配置的对话方式（Telegram、企业微信等）与管理后台；都未配置时打开终端对话。',
  usage: 'pufa start [--data DIR] [--knowledge DIR] [--laws DIR]',
  async run(ctx) {
    const status = await indexStatus(ctx.config);
    if (status !== 'fresh') {
      ctx.io.stderr.write(
        status === 'missing'
          ? `首次运行：正在建立知识库索引（法规目录 ${ctx.config.lawsDir}），请稍候…\n`
          : '知识库文件有变化：正在更新索引…\n',
      );
      const bar = ctx.io.stderr.isTTY ? ingestProgressBar(ctx.io.stderr) : undefined;
      const summary = await runIngest(ctx.config, { logger: ctx.logger, onProgress: bar?.onProgress }).finally(() => bar?.stop());
      ctx.io.stderr.write(
        `索引完成：${summary.laws} 部法规、${summary.articles} 条、${summary.documents} 份文档，用时 ${summary.seconds.toFixed(1)} 秒。\n`,
      );
      if (summary.laws === 0) {
        ctx.io.stderr.write(
          `提示：法规目录（${ctx.config.lawsDir}）里还没有法规文件，目前只能依据单位自己的文档作答。` +
            '请把法规文件（Markdown、TXT、DOCX 或 PDF）放入该目录，或设置 LAWS_DIR，或运行 pufa laws fetch 下载必学清单中的法规，然后重新启动。\n',
        );
      }
    }
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
