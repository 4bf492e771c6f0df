/**
 * A small leveled logger for operators: one line per event, with the module and cause. Lines go to one or
 * more sinks, each with its own level (the log file in the data directory gets everything at LOG_LEVEL; the
 * terminal only warnings, so a chat in the terminal is not interleaved with operator notes).
 */
import type { Writable } from 'node:stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

/** Where log lines go, and the least severe level it takes. */
export interface LogSink {
  level: LogLevel;
  write(line: string): void;
}

/** The more severe of two levels: `atLeast('info', 'warn')` is 'warn'. */
export function atLeast(a: LogLevel, b: LogLevel): LogLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

function formatFields(fields?: Record<string, unknown>): string {
  if (!fields) return '';
  const parts = Object.entries(fields).map(([k, v]) => {
    if (v instanceof Error) {
      const cause = v.cause instanceof Error ? ` (cause: ${v.cause.message})` : '';
      return `${k}=${JSON.stringify(v.message + cause)}`;
    }
    return `${k}=${typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v ?? null)}`;
  });
  return parts.length ? ' ' + parts.join(' ') : '';
}

/** @example createSinkLogger([{ level: 'info', write: (l) => file.write(l) }, { level: 'warn', write: (l) => process.stderr.write(l) }]) */
export function createSinkLogger(sinks: LogSink[], scope = 'pufa'): Logger {
  const lowest = Math.min(...sinks.map((s) => RANK[s.level]), RANK.silent);
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] < lowest) return;
    const line = `${new Date().toISOString()} ${lvl.toUpperCase()} ${scope}: ${msg}${formatFields(fields)}\n`;
    for (const s of sinks) if (RANK[lvl] >= RANK[s.level]) s.write(line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (s) => createSinkLogger(sinks, `${scope}:${s}`),
  };
}

/** @example createLogger('info', process.stderr).child('ingest').warn('skipped file', { path, reason }) */
export function createLogger(level: LogLevel = 'info', out: Pick<Writable, 'write'> = process.stderr, scope = 'pufa'): Logger {
  return createSinkLogger([{ level, write: (line) => void out.write(line) }], scope);
}

export const silentLogger: Logger = createLogger('silent');
