/** The `pufa` command: dispatches to one module per command under ./commands. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config.ts';
import { userMessageOf } from '../errors.ts';
import { buildContext, type CliIO, type Command } from './context.ts';

/** Each command is loaded only when used, so `pufa search` does not pay for grammY or exceljs. */
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  ingest: () => import('./commands/ingest.ts'),
  search: () => import('./commands/search.ts'),
  eval: () => import('./commands/eval.ts'),
  ask: () => import('./commands/ask.ts'),
  laws: () => import('./commands/laws.ts'),
  chat: () => import('./commands/chat.ts'),
  bot: () => import('./commands/bot.ts'),
  backup: () => import('./commands/backup.ts'),
  start: () => import('./commands/start.ts'),
  quiz: () => import('./commands/quiz.ts'),
  admin: () => import('./commands/admin.ts'),
  export: () => import('./commands/export.ts'),
};

function usage(): string {
  return [
    '普法助手 pufa —— 用法：pufa <命令> [选项]',
    '',
    '命令：',
    ...Object.keys(COMMANDS).map((n) => `  ${n}`),
    '',
    '通用选项：--data DIR（数据目录）  --knowledge DIR（知识库目录）  --laws DIR（法规目录）',
    '每个命令的详细用法：pufa <命令> --help',
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
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`未知命令：${name}\n\n${usage()}\n`);
    return 2;
  }
  if (io.env === process.env) loadDotEnv(io.cwd);
  const { command } = await load();
  let ctx;
  try {
    ctx = buildContext(command, args, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(err.message + '\n');
      return 2;
    }
    io.stderr.write(`参数有误：${(err as Error).message}\n用法：${command.usage}\n`);
    return 2;
  }
  if (ctx.values.help) {
    io.stdout.write(`${command.summary}\n用法：${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(ctx);
  } catch (err) {
    ctx.logger.error(`command ${name} failed`, { error: err instanceof Error ? err : String(err) });
    if (err instanceof Error && err.stack && ctx.config.logLevel === 'debug') io.stderr.write(err.stack + '\n');
    io.stderr.write(userMessageOf(err) + '\n');
    return 1;
  }
}
