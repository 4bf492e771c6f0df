/**
 * Why the records database would not open, in words that point at the fix. A full disk used to be reported
 * as a permission problem; it is checked first (by the error code, and by the free space left).
 */
import { accessSync, constants, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { PufaError } from '../errors.ts';
import { describeFsError, errorCode, isDiskFull } from '../fs-errors.ts';

/** Less than this much free space beside the database counts as a full disk. */
const LOW_SPACE_BYTES = 1024 * 1024;

function lowOnSpace(dir: string): boolean {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize < LOW_SPACE_BYTES;
  } catch {
    return false;
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** @example throw databaseOpenError(err, '/srv/pufa/data/pufa.sqlite') */
export function databaseOpenError(err: unknown, file: string): PufaError {
  if (err instanceof PufaError) return err;
  const dir = dirname(file);
  const detail = `open ${file}`;
  if (isDiskFull(err) || lowOnSpace(dir)) {
    return new PufaError(`磁盘空间不足，无法打开数据库 ${file}：请清理数据目录所在的磁盘后重试。`, { cause: err, detail });
  }
  const code = errorCode(err) ?? '';
  if (/^(EACCES|EPERM|EROFS|SQLITE_PERM|SQLITE_READONLY)/.test(code) || (/^SQLITE_CANTOPEN/.test(code) && !writable(dir))) {
    return new PufaError(`无法打开数据库 ${file}：没有写入权限，请检查数据目录的权限。`, { cause: err, detail });
  }
  if (/^(SQLITE_CORRUPT|SQLITE_NOTADB)/.test(code)) {
    return new PufaError(`数据库文件 ${file} 已损坏：请停止程序，从备份恢复（见 README「数据与备份」）。`, { cause: err, detail });
  }
  const why = describeFsError(err) ?? (err as Error).message;
  return new PufaError(`无法打开数据库 ${file}（${why}）。`, { cause: err, detail });
}
