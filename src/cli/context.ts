/**
 * What every command gets: its arguments, injected I/O, and a config built once from the environment
 * plus the shared flags (--data, --knowledge, --laws).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { createApp, type App } from '../app/app.ts';
import { loadConfig, type Config } from '../config.ts';
import { PufaError } from '../errors.ts';
import { createLogger, type Logger } from '../log.ts';

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
  logger: Logger;
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

/** Parse a command's arguments and build its context. Throws ConfigError / TypeError on bad input. */
export function buildContext(cmd: Command, args: string[], io: CliIO): CommandContext {
  const { values, positionals } = parseArgs({
    args,
    options: { ...SHARED_OPTIONS, ...cmd.options },
    allowPositionals: true,
    strict: true,
  });
  const config = loadConfig(
    io.env,
    {
      dataDir: values.data as string | undefined,
      knowledgeDir: values.knowledge as string | undefined,
      lawsDir: values.laws as string | undefined,
    },
    io.cwd,
  );
  const logger = createLogger(config.logLevel, io.stderr);
  return { io, config, logger, positionals, values: values as CommandContext['values'], app: createApp(config, logger) };
}
