/**
 * Reads a file of any supported format into plain text (one paragraph per line).
 * The format is chosen by extension; the text encoding of .txt is detected (UTF-8, GBK/GB18030), not configured.
 * A file that cannot be read throws UnreadableFileError with a Chinese reason the user can act on.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { PAGE_BREAK, type SourceFormat } from './cleaners.ts';

export const SUPPORTED_EXTENSIONS = ['.md', '.markdown', '.txt', '.docx', '.pdf'] as const;

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

/** Formats people keep law files in that pufa cannot read, with what to do instead. */
const UNSUPPORTED_REASONS: Record<string, string> = {
  '.doc': '不支持旧版 Word（.doc）格式，请在 Word 或 WPS 中另存为 .docx 后再放入',
  '.wps': '不支持 WPS（.wps）格式，请另存为 .docx 后再放入',
  '.rtf': '不支持 RTF 格式，请另存为 .docx 或 .txt 后再放入',
  '.xls': '不支持表格文件，请把正文另存为 .docx 或 .txt',
  '.xlsx': '不支持表格文件，请把正文另存为 .docx 或 .txt',
  '.ppt': '不支持演示文稿，请把正文另存为 .docx 或 .txt',
  '.pptx': '不支持演示文稿，请把正文另存为 .docx 或 .txt',
  '.jpg': '图片没有文字层，请提供文字版（DOCX、TXT 或带文字的 PDF）',
  '.jpeg': '图片没有文字层，请提供文字版（DOCX、TXT 或带文字的 PDF）',
  '.png': '图片没有文字层，请提供文字版（DOCX、TXT 或带文字的 PDF）',
  '.tif': '图片没有文字层，请提供文字版（DOCX、TXT 或带文字的 PDF）',
  '.tiff': '图片没有文字层，请提供文字版（DOCX、TXT 或带文字的 PDF）',
  '.ofd': '不支持 OFD 版式文件，请另存为 PDF（带文字层）或 .docx',
  '.zip': '不支持压缩包，请解压后放入',
  '.rar': '不支持压缩包，请解压后放入',
  '.7z': '不支持压缩包，请解压后放入',
  '.html': '不支持网页文件，请另存为 .txt 或 .docx',
  '.htm': '不支持网页文件，请另存为 .txt 或 .docx',
};

export function isSupported(path: string): boolean {
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/** Why a file is not read, or undefined when its format is supported. */
export function unsupportedReason(path: string): string | undefined {
  const ext = extname(path).toLowerCase();
  if (isSupported(path)) return undefined;
  return UNSUPPORTED_REASONS[ext] ?? `不支持的文件格式（${ext || '无扩展名'}），请使用 .md、.txt、.docx 或 .pdf`;
}

export function formatOf(path: string): SourceFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.docx') return 'docx';
  if (ext === '.pdf') return 'pdf';
  if (ext === '.txt') return 'text';
  return 'markdown';
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function controlCharShare(s: string): number {
  let bad = 0;
  const n = Math.min(s.length, 20_000);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) bad++;
  }
  return n ? bad / n : 0;
}

/**
 * Decode text bytes: BOM first, then strict UTF-8, then what chardet finds, then GB18030 (a superset of
 * GBK and GB2312). Throws a plain Error with a Chinese reason when none gives clean text.
 */
export function decodeText(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), 'utf-16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), 'utf-16be');
  if (buf.subarray(0, 8192).includes(0)) throw new Error('不是文本文件（含有二进制数据）');
  try {
    return utf8Strict.decode(buf);
  } catch {
    // A UTF-8 file with a stray broken byte reads better as UTF-8 than as GBK mojibake.
    const loose = buf.toString('utf8');
    const broken = loose.split('\ufffd').length - 1;
    if (broken <= Math.max(2, loose.length / 2000) && /[\u4e00-\u9fff]/.test(loose)) return loose;
  }
  const candidates: string[] = [];
  for (const m of chardet.analyse(buf)) {
    // Short GBK texts are often taken for Big5 or EUC-*: only trust a confident guess.
    if (m.confidence >= 50 && iconv.encodingExists(m.name)) candidates.push(m.name);
  }
  candidates.push('gb18030');
  for (const enc of candidates) {
    const text = iconv.decode(buf, enc);
    if (!text.includes('\ufffd') && controlCharShare(text) < 0.01) return text;
  }
  throw new Error('无法识别文本编码（不是 UTF-8 或 GBK/GB18030 编码的文本）');
}

async function readDocx(buf: Buffer): Promise<string> {
  const mammoth = (await import('mammoth')).default;
  const { value } = await mammoth.extractRawText({ buffer: buf });
  return value;
}

async function readPdf(buf: Buffer): Promise<string> {
  const { PDFParse } = await import('pdf-parse');
  const parser = new PDFParse({ data: new Uint8Array(buf), verbosity: 0 });
  try {
    const result = await parser.getText();
    return result.pages.map((p) => p.text).join(`\n${PAGE_BREAK}\n`);
  } finally {
    await parser.destroy();
  }
}

/** Letters that make a text layer worth reading (page-number-only output does not count). */
function meaningfulChars(text: string): number {
  return (text.match(/[\u3400-\u9fffA-Za-z]/g) ?? []).length;
}

export interface ReadResult {
  text: string;
  format: SourceFormat;
}

/** Read any supported file. Throws UnreadableFileError naming the reason when it cannot be read. */
export async function readKnowledgeFile(path: string): Promise<ReadResult> {
  const reason = unsupportedReason(path);
  if (reason) throw new UnreadableFileError(path, reason);
  const format = formatOf(path);
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (cause) {
    throw new UnreadableFileError(path, '无法读取文件（权限不足或文件不存在）', { cause });
  }
  if (buf.length === 0) throw new UnreadableFileError(path, '文件是空的');

  if (format === 'docx') {
    if (buf[0] !== 0x50 || buf[1] !== 0x4b) throw new UnreadableFileError(path, '不是有效的 DOCX 文件（可能已损坏，或是改了扩展名的 .doc）');
    let text: string;
    try {
      text = await readDocx(buf);
    } catch (cause) {
      throw new UnreadableFileError(path, 'DOCX 文件已损坏，无法解析', { cause });
    }
    if (meaningfulChars(text) === 0) throw new UnreadableFileError(path, 'DOCX 中没有文字（可能只有图片）');
    return { text, format };
  }

  if (format === 'pdf') {
    if (buf.subarray(0, 1024).indexOf('%PDF-') < 0) throw new UnreadableFileError(path, '不是有效的 PDF 文件');
    let text: string;
    try {
      text = await readPdf(buf);
    } catch (cause) {
      const name = (cause as { name?: string }).name ?? '';
      if (/password/i.test(name)) throw new UnreadableFileError(path, 'PDF 已加密，无法读取', { cause });
      throw new UnreadableFileError(path, 'PDF 文件已损坏，无法解析', { cause });
    }
    const pages = text.split(PAGE_BREAK).length;
    // A scanned page yields at most a stray page number; real text layers carry sentences.
    if (meaningfulChars(text) < Math.max(10, pages * 5)) {
      throw new UnreadableFileError(path, 'PDF 没有文字层（可能是扫描件），请提供文字版或先做文字识别（OCR）');
    }
    return { text, format };
  }

  try {
    return { text: decodeText(buf), format };
  } catch (cause) {
    throw new UnreadableFileError(path, (cause as Error).message, { cause });
  }
}
