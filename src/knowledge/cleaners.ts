/**
 * Removes the noise that files pick up on their way to the bureau: web-site residue (##paidbegin##),
 * page numbers, repeated PDF headers and footers, zero-width and stray full-width spaces, and the
 * 目录 (table of contents) block of national-law-database downloads. Text is never reworded.
 */
import { ARTICLE_NUMERAL, articleLabelSource } from './article-reference.ts';

export type SourceFormat = 'markdown' | 'text' | 'docx' | 'pdf';

/** Page break marker the PDF reader puts between pages, so headers and footers can be found. */
export const PAGE_BREAK = '\f';

/** A line that starts with an article label (第十八条, 第18条): the body has begun. */
const ARTICLE_AT_START = new RegExp(`^${articleLabelSource()}`);
const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const PAID_MARKER = /##paid(?:begin|end)##/gi;
/** Structural labels after which a space separates the label from its text: 第一条　为了…, 第一章　总则. */
const LABEL_BEFORE = new RegExp(
  `(?:第${ARTICLE_NUMERAL}(?:条|章|节|编|分编|款|项)(?:之${ARTICLE_NUMERAL})?|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[)）])$`,
);

/** Lines that are only a page number: 「- 3 -」「— 3 —」「第 3 页」「第3页 共20页」「3/20」「Page 3 of 20」. */
const PAGE_NUMBER_LINES = [
  /^[-－—–~～\s]*\d{1,4}[-－—–~～\s]*$/,
  /^第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?$/,
  /^共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页$/,
  /^\d{1,4}\s*[/／]\s*\d{1,4}$/,
  /^page\s*\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$/i,
];

export function isPageNumberLine(line: string): boolean {
  const t = line.trim();
  return t !== '' && PAGE_NUMBER_LINES.some((re) => re.test(t));
}

/** The report's `##paidbegin##` / `##paidend##` markers, wherever they sit (also mid-sentence). */
export function removePaidMarkers(text: string): string {
  return text.replace(PAID_MARKER, '');
}

/**
 * Zero-width characters go; full-width spaces between two Chinese characters go unless they separate a
 * label from its text (第一条　为了 → 第一条 为了; 总　　则 → 总则); other full-width or no-break spaces
 * become one ordinary space; lines are trimmed.
 */
export function normalizeLineSpaces(line: string): string {
  const s = line.replace(ZERO_WIDTH, '').replace(/\u00a0/g, ' ');
  const out = s.replace(new RegExp(`(?<=[${CJK}）)、])[\\u3000]+(?=[${CJK}（(])`, 'g'), (m, offset: number) =>
    LABEL_BEFORE.test(s.slice(Math.max(0, offset - 16), offset)) ? ' ' : '',
  );
  return out.replace(/[\u3000]+/g, ' ').replace(/[ \t]+$|^[ \t]+/g, '');
}

function normalizeTocEntry(line: string): string {
  return line
    .replace(/[.．。·…\-—_\s\u3000]{2,}\s*\d+\s*$/, '')
    .replace(/\s+\d+$/, '')
    .replace(/[\s\u3000]+/g, '');
}

const TOC_TITLE = /^目\s*录$/;
const TOC_ENTRY = /^(?:第[〇零一二三四五六七八九十百千0-9]+(?:编|分编|章|节)|序\s*言|附\s*则|附\s*件|附\s*录)/;

/**
 * Drop the 目录 block the national law database puts before the body. The block is the 目录 line and the
 * entries after it; it ends where its first entry appears again as the real heading.
 */
export function removeTableOfContents(lines: string[]): string[] {
  const at = lines.findIndex((l, i) => i < 80 && TOC_TITLE.test(l.trim()));
  if (at < 0) return lines;
  let i = at + 1;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const first = lines[i] ? normalizeTocEntry(lines[i]!.trim()) : '';
  if (!first || !TOC_ENTRY.test(first)) return [...lines.slice(0, at), ...lines.slice(at + 1)];
  let j = i + 1;
  for (; j < lines.length; j++) {
    const t = lines[j]!.trim();
    if (t === '') continue;
    const n = normalizeTocEntry(t);
    if (n === first) break; // the body starts with the first entry again
    // An article or a long line means the block ended without repeating its first entry.
    if (ARTICLE_AT_START.test(n) || n.length > 40) break;
  }
  return [...lines.slice(0, at), ...lines.slice(j)];
}

/**
 * Lines that repeat at the top or bottom of most PDF pages (running headers, footers, document numbers).
 * Digits are ignored when comparing, so 「第 3 页」 and 「第 4 页」 count as the same line.
 */
export function findRepeatedPageLines(pages: string[][]): Set<string> {
  const repeated = new Set<string>();
  if (pages.length < 3) return repeated;
  const key = (l: string) => l.replace(/\d+/g, '#').replace(/\s+/g, '');
  const counts = new Map<string, number>();
  for (const page of pages) {
    const lines = page.map((l) => l.trim()).filter(Boolean);
    const edge = new Set([...lines.slice(0, 2), ...lines.slice(-2)].filter((l) => l.length <= 60).map(key));
    for (const k of edge) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const [k, n] of counts) if (n >= Math.max(3, Math.ceil(pages.length * 0.5))) repeated.add(k);
  return repeated;
}

const SENTENCE_END = /[。！？；：”’」』）)》】!?;:]$/;
const BLOCK_START = new RegExp(
  `^(?:#|第${ARTICLE_NUMERAL}(?:条|章|节|编|分编)|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[)）]|\\d+[.、．]|目\\s*录|附\\s*[件则录])`,
);

/**
 * Join the hard line wraps of PDF text: a line that does not end a sentence continues on the next line
 * unless that line starts a new article, heading or item.
 */
export function joinWrappedLines(lines: string[]): string[] {
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') {
      out.push('');
      continue;
    }
    const prev = out[out.length - 1];
    if (prev && !SENTENCE_END.test(prev) && !BLOCK_START.test(line) && prev.length >= 15) {
      out[out.length - 1] = prev + line;
    } else {
      out.push(line);
    }
  }
  return out;
}

/**
 * Clean one file's text before parsing. Safe on every format; PDF text also loses repeated headers and
 * footers and has its line wraps joined.
 * @example cleanText('切实##paidbegin##加强\n- 3 -\n', 'text') // '切实加强\n'
 */
export function cleanText(text: string, format: SourceFormat): string {
  const unified = removePaidMarkers(text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n'));
  let pages = unified.split(PAGE_BREAK).map((p) => p.split('\n').map(normalizeLineSpaces));
  if (format === 'pdf') {
    const repeated = findRepeatedPageLines(pages);
    const key = (l: string) => l.replace(/\d+/g, '#').replace(/\s+/g, '');
    pages = pages.map((p) => p.filter((l) => !repeated.has(key(l))));
  }
  let lines = pages.flat().filter((l) => !isPageNumberLine(l));
  lines = removeTableOfContents(lines);
  if (format === 'pdf') lines = joinWrappedLines(lines);
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}
