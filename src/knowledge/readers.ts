/**
 * Reads a file of any supported format into plain text (one paragraph per line).
 * The format is chosen by extension; the text encoding of .txt is detected, not configured.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

export const SUPPORTED_EXTENSIONS = ['.md', '.markdown', '.txt'] as const;

export class UnreadableFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${reason}`, options);
    this.name = 'UnreadableFileError';
  }
}

export function isSupported(path: string): boolean {
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/** Read a file as text. Throws UnreadableFileError with a Chinese reason when it cannot be read. */
export async function readFileText(path: string): Promise<string> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (cause) {
    throw new UnreadableFileError(path, '无法读取文件', { cause });
  }
  const text = buf.toString('utf8');
  if (text.includes('\ufffd')) throw new UnreadableFileError(path, '不是 UTF-8 编码的文本');
  return text.replace(/^\ufeff/, '');
}
