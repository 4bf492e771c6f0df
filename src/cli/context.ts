/**
 * What every command gets: its arguments, injected I/O, and a config built once from the environment
 * plus the shared flags (--data, --knowledge, --laws).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { createApp, type App } from '../app/app.ts';
import { loadConfig, type Config } from '../config.ts';
import { PufaError } from '../errors.ts';
import { join } from 'node:path';
import { LOG_FILE, logFileSink } from '../log-file.ts';
import { atLeast, createSinkLogger, type LogLevel, type LogSink, type Logger } from '../log.ts';

export interface CliIO {
  stdout: Pick<Writable, 'write'> & { isTTY?: boolean };
  stderr: Pick<Writable, 'write'> & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface CommandContext {
  io: CliIO;
  config: Config;
  /** The log file (everything at LOG_LEVEL) and the terminal (warnings and errors only). */
  logger: Logger;
  /** The log file alone: for what the command already told the user in its own words. */
  fileLogger: Logger;
  /** Where the log file is (undefined when LOG_FILE_MAX_MB=0). */
  logFile?: string;
  /** Positional arguments after the command name. */
  positionals: string[];
  /** Parsed flags (shared ones included). */
  values: Record<string, string | boolean | string[] | undefined>;
  /** The composition root: index, records, answerer, quiz and chat core, each opened on first use (closed by main). */
  app: App;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const SHARED_OPTIONS: OptionSpec = {
  data: { type: 'string' },
  knowledge: { type: 'string' },
  laws: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export interface Command {
  name: string;
  /** One line of Chinese help text, with the usage. */
  summary: string;
  usage: string;
  options?: OptionSpec;
  run(ctx: CommandContext): Promise<number>;
}

/** A flag with a bad value: main prints the message with the command's usage and exits 2. */
export class UsageError extends PufaError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * An integer flag from 1 to max; `def` when absent.
 * @example const k = intFlag(ctx.values.k, 'k', 10, 100)
 */
export function intFlag(value: unknown, name: string, def: number, max: number): number {
  if (value === undefined) return def;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} 应为 1 到 ${max} 之间的整数`);
  return n;
}

/**
 * node:util parseArgs' English errors as one Chinese sentence naming the flag.
 * @example argsErrorMessage(err) // 「选项 --k 的值不能以“-”开头；确需如此请写成 --k=-5」
 */
export function argsErrorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const flag = /'(-{1,2}[^' <]+)/.exec(message)?.[1] ?? '';
  if (/ambiguous/.test(message)) return `选项 ${flag} 的值不能以“-”开头；确需如此请写成 ${flag}=-值`;
  if (/argument missing/.test(message)) return `选项 ${flag} 后面缺少值`;
  if (/does not take an argument/.test(message)) return `选项 ${flag} 不带值`;
  if (/Unknown option/.test(message)) return `不认识的选项 ${flag}`;
  if (/Unexpected argument/.test(message)) return `多余的参数 ${/'([^']*)'/.exec(message)?.[1] ?? ''}`;
  return '参数无法解析';
}

/** Parse a command's arguments and build its context. Throws ConfigError / UsageError on bad input. */
export function buildContext(cmd: Command, args: string[], io: CliIO): CommandContext {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...SHARED_OPTIONS, ...cmd.options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(argsErrorMessage(err));
  }
  const { values, positionals } = parsed;
  const config = loadConfig(
    io.env,
    {
      dataDir: values.data as string | undefined,
      knowledgeDir: values.knowledge as string | undefined,
      lawsDir: values.laws as string | undefined,
    },
    io.cwd,
  );
  const { logger, fileLogger, logFile } = operatorLoggers(config, io);
  return { io, config, logger, fileLogger, logFile, positionals, values: values as CommandContext['values'], app: createApp(config, logger) };
}

/**
 * The command's loggers: the file in the data directory takes LOG_LEVEL; the terminal takes warnings and
 * errors only (debug, when asked for, everywhere), so chats and command output stay readable.
 */
function operatorLoggers(config: Config, io: CliIO): { logger: Logger; fileLogger: Logger; logFile?: string } {
  const terminal: LogSink = {
    level: config.logLevel === 'debug' ? 'debug' : atLeast(config.logLevel, 'warn'),
    write: (line) => void io.stderr.write(line),
  };
  if (config.logFileMaxBytes === 0 || config.logLevel === 'silent') {
    return { logger: createSinkLogger([terminal]), fileLogger: createSinkLogger([{ level: 'silent' as LogLevel, write: () => {} }]) };
  }
  const logFile = join(config.dataDir, LOG_FILE);
  const file = logFileSink(logFile, {
    maxBytes: config.logFileMaxBytes,
    level: config.logLevel,
    onFailure: (err) => void io.stderr.write(`注意：无法写入日志文件 ${logFile}（${(err as NodeJS.ErrnoException).code ?? err.message}），日志只显示在终端。\n`),
  });
  return { logger: createSinkLogger([file, terminal]), fileLogger: createSinkLogger([file]), logFile };
}
