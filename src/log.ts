/** A small leveled logger for operators: one line per event on stderr, with the module and cause. */
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

/** @example createLogger('info', process.stderr).child('ingest').warn('skipped file', { path, reason }) */
export function createLogger(level: LogLevel = 'info', out: Pick<Writable, 'write'> = process.stderr, scope = 'pufa'): Logger {
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] < RANK[level]) return;
    out.write(`${new Date().toISOString()} ${lvl.toUpperCase()} ${scope}: ${msg}${formatFields(fields)}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (s) => createLogger(level, out, `${scope}:${s}`),
  };
}

export const silentLogger: Logger = createLogger('silent');
