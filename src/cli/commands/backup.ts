/** `pufa backup <file>`: a consistent copy of the records database, safe while the bot runs. */
import { resolve } from 'node:path';
import { backupDatabase, databasePath } from '../../records/index.ts';
import type { Command } from '../context.ts';

export const command: Command = {
  name: 'backup',
  summary: '备份数据库（用户、问答记录、审计日志等）到指定文件；机器人运行时也可安全备份。',
  usage: 'pufa backup <文件> [--data DIR]',
  async run(ctx) {
    const target = ctx.positionals[0];
    if (!target) {
      ctx.io.stderr.write(`请指定备份文件，例如：npx pufa backup backups/pufa-$(date +%F).sqlite\n`);
      return 2;
    }
    const file = resolve(ctx.io.cwd, target);
    const { pages } = await backupDatabase(databasePath(ctx.config), file);
    ctx.io.stdout.write(`已备份到 ${file}（${pages} 页）。\n`);
    return 0;
  },
};
