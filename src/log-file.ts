/**
 * The operator's log file (<data>/logs/pufa.log): appended line by line, rotated at a size cap
 * (pufa.log → pufa.log.1 → … → pufa.log.3, the oldest dropped), so a bot running for months never fills
 * the disk. A log that cannot be written (full disk, read-only folder) turns itself off and says so once on
 * the terminal: logging must never stop the service.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LogLevel, LogSink } from './log.ts';

export const LOG_FILE = join('logs', 'pufa.log');
const KEEP = 3;

export interface LogFileOptions {
  /** Rotate when the file would grow past this many bytes. */
  maxBytes: number;
  level: LogLevel;
  /** Told once when the file cannot be written. */
  onFailure?: (err: Error) => void;
}

/**
 * Each line is appended with its own open and close: no descriptor is held between lines (a log line is rare
 * next to the work it describes), so nothing leaks and a rotated or deleted file is simply recreated.
 * @example const sink = logFileSink(join(config.dataDir, LOG_FILE), { maxBytes: 10 << 20, level: 'info' })
 */
export function logFileSink(path: string, opts: LogFileOptions): LogSink {
  let size: number | undefined;
  let broken = false;

  const rotate = () => {
    rmSync(`${path}.${KEEP}`, { force: true });
    for (let i = KEEP - 1; i >= 1; i--) {
      try {
        renameSync(`${path}.${i}`, `${path}.${i + 1}`);
      } catch {
        // not there yet
      }
    }
    renameSync(path, `${path}.1`);
    size = 0;
  };

  return {
    level: opts.level,
    write(line) {
      if (broken) return;
      try {
        if (size === undefined) {
          mkdirSync(dirname(path), { recursive: true });
          size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
        }
        const bytes = Buffer.byteLength(line);
        if (size > 0 && size + bytes > opts.maxBytes) rotate();
        appendFileSync(path, line);
        size += bytes;
      } catch (err) {
        broken = true;
        opts.onFailure?.(err as Error);
      }
    },
  };
}
