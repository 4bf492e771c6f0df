/**
 * What a file-system (or SQLite) failure means, in the operator's words. Disk full is named as such: it is
 * the one failure an operator fixes by freeing space, and it used to be reported as a permission problem.
 */

const BY_CODE: Record<string, string> = {
  ENOSPC: '磁盘空间不足',
  EDQUOT: '磁盘配额已用完',
  SQLITE_FULL: '磁盘空间不足',
  EACCES: '没有权限',
  EPERM: '没有权限',
  SQLITE_PERM: '没有权限',
  EROFS: '文件系统是只读的',
  SQLITE_READONLY: '文件是只读的',
  ENOENT: '文件或文件夹不存在',
  ELOOP: '符号链接形成了循环',
  ENOTDIR: '路径中有一段不是文件夹',
  EISDIR: '是文件夹而不是文件',
  EMFILE: '打开的文件太多',
  EIO: '磁盘读写出错',
  SQLITE_IOERR: '磁盘读写出错',
  SQLITE_CORRUPT: '数据库文件已损坏',
  SQLITE_NOTADB: '不是数据库文件（或已损坏）',
};

/** The errno / SQLite code of an error or of its causes. */
export function errorCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/**
 * A short Chinese phrase for a file-system failure, or undefined when the code is not one we know.
 * @example describeFsError(Object.assign(new Error('write'), { code: 'ENOSPC' })) // '磁盘空间不足'
 */
export function describeFsError(err: unknown): string | undefined {
  const code = errorCode(err);
  if (!code) return undefined;
  // better-sqlite3 codes carry extended suffixes: SQLITE_IOERR_WRITE, SQLITE_CANTOPEN_ISDIR.
  return BY_CODE[code] ?? BY_CODE[code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1')];
}

/** Disk full (or a quota) — the failures that freeing space cures. */
export function isDiskFull(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}
