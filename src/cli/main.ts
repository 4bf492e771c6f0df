/** The `pufa` command: dispatches to one module per command under ./commands. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config.ts';
import { PufaError, userMessageOf } from '../errors.ts';
import { buildContext, UsageError, type CliIO, type Command } from './context.ts';

/** Each command is loaded only when used, so `pufa search` does not pay for grammY or exceljs. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  start: { summary: '一键启动：必要时先建索引，再运行 Telegram 机器人或终端对话', load: () => import('./commands/start.ts') },
  ingest: { summary: '建立或更新知识库索引', load: () => import('./commands/ingest.ts') },
  search: { summary: '检索条文', load: () => import('./commands/search.ts') },
  ask: { summary: '带出处回答问题（不带问题时逐行读取标准输入）', load: () => import('./commands/ask.ts') },
  eval: { summary: '用问题集评估检索与作答', load: () => import('./commands/eval.ts') },
  laws: { summary: '下载或检查必学清单中的法规（fetch / check）', load: () => import('./commands/laws.ts') },
  chat: { summary: '终端对话', load: () => import('./commands/chat.ts') },
  bot: { summary: 'Telegram 机器人', load: () => import('./commands/bot.ts') },
  quiz: { summary: '预览学法考试题（preview）', load: () => import('./commands/quiz.ts') },
  questions: { summary: '用大模型草拟一部法规的常见问法，供审阅（draft）', load: () => import('./commands/questions.ts') },
  admin: { summary: '管理后台（网页）', load: () => import('./commands/admin.ts') },
  export: { summary: '导出成绩与学习记录（xlsx / csv / xAPI）', load: () => import('./commands/export.ts') },
  backup: { summary: '一致地备份记录数据库（运行中也可以）', load: () => import('./commands/backup.ts') },
};

function usage(): string {
  return [
    '普法助手 pufa —— 用法：pufa <命令> [选项]',
    '',
    '命令：',
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)}${c.summary}`),
    '',
    '通用选项：--data DIR（数据目录）  --knowledge DIR（知识库目录）  --laws DIR（法规目录）',
    '每个命令的详细用法：pufa <命令> --help',
    '（在仓库目录里写作 npx pufa <命令>；运行一次 npm link 后可直接用 pufa）',
  ].join('\n');
}

function defaultIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/** Load ./.env (if present) into the environment without overriding what is already set. */
function loadDotEnv(cwd: string) {
  const file = resolve(cwd, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr.write(`未知命令：${name}\n\n${usage()}\n`);
    return 2;
  }
  if (io.env === process.env) loadDotEnv(io.cwd);
  const { command } = await entry.load();
  let ctx;
  try {
    ctx = buildContext(command, args, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(err.message + '\n');
      return 2;
    }
    io.stderr.write(`参数有误：${userMessageOf(err)}\n用法：${command.usage}\n`);
    return 2;
  }
  if (ctx.values.help) {
    io.stdout.write(`${command.summary}\n用法：${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`参数有误：${err.userMessage}\n用法：${command.usage}\n`);
      return 2;
    }
    // The user reads one sentence; the cause goes to the log file only, so nothing is printed twice.
    ctx.fileLogger.error(`command ${name} failed`, { error: err instanceof Error ? err : String(err), stack: err instanceof Error ? err.stack : undefined });
    if (err instanceof Error && err.stack && ctx.config.logLevel === 'debug') io.stderr.write(err.stack + '\n');
    const where = err instanceof PufaError || !ctx.logFile ? '' : `（详情见日志 ${ctx.logFile}）`;
    io.stderr.write(userMessageOf(err) + where + '\n');
    return 1;
  } finally {
    await ctx.app.close();
  }
}
