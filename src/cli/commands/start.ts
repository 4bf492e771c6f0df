/** `pufa start` (npm start): build the index if it is missing or stale, then the bot (with a token) or the terminal chat. */
import { questionBankArtefact } from '../../quiz/bank-file.ts';
import { indexStatus, runIngest } from '../../search/index.ts';
import type { Command } from '../context.ts';
import { runBot } from './bot.ts';
import { runChat } from './chat.ts';

export const command: Command = {
  name: 'start',
  summary: '一键启动：必要时先建立索引，然后运行 Telegram 机器人（设置了令牌时）或终端对话。',
  usage: 'pufa start [--data DIR] [--knowledge DIR] [--laws DIR]',
  async run(ctx) {
    const artefacts = [questionBankArtefact(ctx.config.knowledgeDir)];
    const status = await indexStatus(ctx.config, { artefacts });
    if (status !== 'fresh') {
      ctx.io.stderr.write(
        status === 'missing'
          ? `首次运行：正在建立知识库索引（法规目录 ${ctx.config.lawsDir}），请稍候…\n`
          : '知识库文件有变化：正在更新索引…\n',
      );
      const summary = await runIngest(ctx.config, { logger: ctx.logger, progress: Boolean(ctx.io.stderr.isTTY), artefacts });
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
