/**
 * Turns the text of one law file into its structure: title, info block, 编/章/节 headings and articles.
 * Works on LawRefBook Markdown and on the plain text that TXT, DOCX (national law database) and PDF
 * loaders produce: title line, info in parentheses, then 「第一章　总则」 and 「第一条　…」 paragraphs.
 */
import { ARTICLE_NUMERAL, articleLabelSource, articleNumberOf } from './article-reference.ts';
import type { Article, KnowledgeDocument, ParsedFile } from './types.ts';

/** 第十八条 / 第十条之一, followed by white space (or the end of the line) as the law texts print them. */
export const ARTICLE_START = new RegExp(`^${articleLabelSource()}(?=[\\s\\u3000]|$)`);
/** The same label glued to its text (PDF extraction loses the space); accepted only in sequence. */
const ARTICLE_GLUED = new RegExp(`^${articleLabelSource()}`);
/** What follows 「第X条」 when a paragraph cites an article instead of starting one: 第十条规定的… */
const CITING = /^(?:规定|的)/;
const CITING_GLUED = /^(?:规定|的|所(?:规定|称|列)|中的|中规定|[和或及至到]第|[、，,。]|第|款|项|以上|以下|之规定|修改为|删去|删除|增加|后增加)/;
const HEADING = new RegExp(`^第(${ARTICLE_NUMERAL})(编|分编|章|节)(?:[\\s\\u3000]|$)`);
const HEADING_RANK: Record<string, number> = { 编: 0, 分编: 1, 章: 2, 节: 3 };
const INFO_END = '<!-- INFO END -->';
const DATE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g;
/** Words that date a version (adopted, amended, revised, published); 施行 alone does not. */
const VERSION_EVENT = /通过|修正|修订|公布|发布|批准|颁布/;
const DATE_ONCE = /\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日/;

export interface LawFileMeta {
  /** Path relative to its root, used for citing sources and stable ids. */
  sourcePath: string;
  /** Category from the folder (经济法…), '' when unknown. */
  category: string;
  /** File name without extension, e.g. 预算法(2018-12-29); its date is the version. */
  fileStem: string;
}

/** Collapse the white space that law texts scatter through headings (「第四章  肖 像 权」). */
export function normalizeSpaces(s: string): string {
  return s.replace(/[\s\u200b]+/g, ' ').trim();
}

/** A heading's label and name, with letter-spacing inside the name removed: 第四章 肖 像 权 → 第四章 肖像权. */
function normalizeHeading(s: string): string {
  const t = normalizeSpaces(s);
  const i = t.indexOf(' ');
  return i < 0 ? t : t.slice(0, i + 1) + t.slice(i + 1).replace(/(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])/g, '');
}

const pad = (m: RegExpMatchArray | string[], i: number) => m[i]!.padStart(2, '0');

/**
 * The version date in a file name: LawRefBook's 预算法(2018-12-29), and the forms people save downloads
 * under (预算法_20181229, 预算法（2018年12月29日修正）). A year alone (宪法修正案（2018年）) is no version.
 */
export function versionFromFileName(stem: string): string | undefined {
  const s = stem.trim();
  let m = s.match(/[（(](\d{4})-(\d{1,2})-(\d{1,2})[）)]$/) ?? s.match(/[_\-\s（(](\d{4})-(\d{1,2})-(\d{1,2})[）)]?$/);
  if (m) return `${m[1]}-${pad(m, 2)}-${pad(m, 3)}`;
  m = s.match(/[_\-\s（(](\d{4})(\d{2})(\d{2})[）)]?$/);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = s.match(/[_\-\s（(](\d{4})年(\d{1,2})月(\d{1,2})日[^（()）]{0,6}[）)]?$/);
  if (m) return `${m[1]}-${pad(m, 2)}-${pad(m, 3)}`;
  return undefined;
}

/**
 * The version date from the info block: the latest date whose own clause says the text was adopted,
 * amended or published (「2018年12月29日…第二次修正」); 施行 dates only when nothing else is dated.
 * @example versionFromInfo(['2019年4月3日国务院令第711号公布 自2019年5月15日起施行']) // '2019-04-03'
 */
export function versionFromInfo(info: string[]): string | undefined {
  let best: string | undefined;
  let anyDate: string | undefined;
  for (const line of info) {
    const dates = [...line.matchAll(DATE)];
    dates.forEach((m, i) => {
      const d = `${m[1]}-${pad(m, 2)}-${pad(m, 3)}`;
      if (!anyDate || d > anyDate) anyDate = d;
      // The clause describing a date runs from it to the next date.
      const clause = line.slice(m.index! + m[0].length, dates[i + 1]?.index ?? line.length);
      if (VERSION_EVENT.test(clause) && (!best || d > best)) best = d;
    });
  }
  return best ?? anyDate;
}

function isHeadingLine(line: string): { level: number; text: string } | undefined {
  const md = line.match(/^(#{1,6})\s+(.*)$/);
  const text = normalizeHeading(md ? md[2]! : line);
  const h = text.match(HEADING);
  if (h) return { level: HEADING_RANK[h[2]!]!, text };
  return undefined;
}

/** Lines that belong to the info block of a plain-text law (no INFO END marker): dates of adoption, orders. */
function looksLikeInfo(line: string): boolean {
  if (line.length > 400) return false;
  if (/^[（(]/.test(line) && (DATE_ONCE.test(line) || /令|公布|通过|施行|法释/.test(line))) return true;
  const dated = DATE_ONCE.test(line);
  if (dated && /通过|修正|修订|公布|发布|施行|批准|颁布|决定/.test(line) && !/。.+。/.test(line)) return true;
  return /^[（(]?(?:[^\s，。]{0,20}令\s*)?第\s*[\d〇零一二三四五六七八九十百千]+\s*号[）)]?$/.test(line) || /^法释[〔[［(（]\d{4}/.test(line);
}

/** Drop a trailing version note from a printed title: 中华人民共和国预算法（2018年修正） → 中华人民共和国预算法. */
function cleanTitle(title: string): string {
  return normalizeSpaces(title.replace(/[（(][^（()）]*\d{4}年[^（()）]*(?:修正|修订|版|文本)[^（()）]*[）)]$/, ''));
}

/** What the parser has read so far: title, books, info block, the 编/章/节 path and the articles. */
interface ParseState {
  title: string;
  books: string[];
  info: string[];
  articles: Article[];
  /** Paragraphs outside any article: the text of a file that turns out to be a document. */
  loose: string[];
  path: string[];
  pathLevels: number[];
  current: Article | undefined;
  hasInfoEnd: boolean;
  inInfo: boolean;
  /** Inside a parenthesised info block that spans several lines. */
  openParen: boolean;
}

function closeArticle(st: ParseState): void {
  if (!st.current) return;
  st.current.text = st.current.paragraphs.join('\n');
  st.articles.push(st.current);
  st.current = undefined;
}

const lastArticle = (st: ParseState) => st.current ?? st.articles[st.articles.length - 1];

/**
 * The article label a line starts with, if it starts an article: 「第十条　…」, or the label glued to its
 * text (PDF) when it is the next in sequence. 「第十条 规定的…」 inside an article cites it instead.
 */
function articleStart(line: string, prev: Article | undefined): RegExpMatchArray | null {
  const spaced = line.match(ARTICLE_START);
  if (spaced && !(CITING.test(line.slice(spaced[0].length).trim()) && prev)) return spaced;
  const glued = line.match(ARTICLE_GLUED);
  if (!glued || CITING_GLUED.test(line.slice(glued[0].length))) return null;
  const a = articleNumberOf(glued[1]!, glued[2]);
  if (!a) return null;
  const expected = prev ? (a.suffix === 0 ? a.number === prev.number + 1 : a.number === prev.number && a.suffix === prev.suffix + 1) : a.number === 1;
  return expected ? glued : null;
}

/** Takes a line into the info block when it belongs there; false when the body has begun. */
function takeInfoLine(st: ParseState, line: string): boolean {
  const text = normalizeSpaces(line.replace(/^[（(]|[)）]$/g, ''));
  if (st.hasInfoEnd) {
    st.info.push(text);
    return true;
  }
  // Without an INFO END marker the info block is the dated lines before the first heading or article.
  if (st.articles.length > 0 || !(st.openParen || looksLikeInfo(line))) return false;
  if (/^[（(]/.test(line) && !/[)）]$/.test(line)) st.openParen = true;
  else if (st.openParen && /[)）]$/.test(line)) st.openParen = false;
  st.info.push(text);
  return true;
}

/** A 编/章/节 heading closes the article before it and replaces the path from its level down. */
function enterHeading(st: ParseState, heading: { level: number; text: string }): void {
  closeArticle(st);
  while (st.pathLevels.length && st.pathLevels[st.pathLevels.length - 1]! >= heading.level) {
    st.pathLevels.pop();
    st.path.pop();
  }
  st.pathLevels.push(heading.level);
  st.path.push(heading.text);
}

function startArticle(st: ParseState, label: RegExpMatchArray, line: string): boolean {
  const a = articleNumberOf(label[1]!, label[2]);
  if (!a) return false;
  closeArticle(st);
  const rest = normalizeSpaces(line.slice(label[0].length));
  st.current = {
    number: a.number,
    suffix: a.suffix,
    label: label[0],
    path: st.books.length ? [st.books[st.books.length - 1]!, ...st.path] : [...st.path],
    paragraphs: rest ? [rest] : [],
    text: '',
  };
  return true;
}

/** One line of the file, in the order that decides what it is: title, book, info, preamble, heading, article, text. */
function readLine(st: ParseState, line: string): void {
  if (line === '') return;
  if (line === INFO_END) {
    st.inInfo = false;
    return;
  }
  const mdTitle = line.match(/^#\s+(.*)$/);
  const heading = isHeadingLine(line);
  const art = articleStart(line, lastArticle(st));
  if (!st.title) {
    st.title = cleanTitle(mdTitle ? mdTitle[1]! : line);
    return;
  }
  if (mdTitle && !heading && st.articles.length === 0 && !st.current) {
    // A second top-level heading before any article names a book of a code (民法典 → 总则 / 合同编).
    st.books.push(normalizeSpaces(mdTitle[1]!));
    return;
  }
  if (st.inInfo && !art && !heading && takeInfoLine(st, line)) return;
  if (art || heading) st.inInfo = false;
  if (/^(?:#+\s*)?序\s*言$/.test(line) && st.articles.length === 0 && !st.current) {
    // A preamble (宪法, 基本法) is kept as article 0 labelled 序言, so its text can be found and cited.
    st.inInfo = false;
    st.current = { number: 0, suffix: 0, label: '序言', path: [...st.path], paragraphs: [], text: '' };
    return;
  }
  if (heading) return enterHeading(st, heading);
  if (art && startArticle(st, art, line)) return;
  const plain = line.replace(/^#+\s+/, '');
  if (st.current) st.current.paragraphs.push(plain);
  else st.loose.push(plain);
}

/** A law when articles were found, else a document of the file's paragraphs. */
function toParsedFile(st: ParseState, meta: LawFileMeta): ParsedFile {
  const title = st.title || meta.fileStem;
  if (st.articles.length === 0) {
    // Without an INFO END marker, a document's dated opening lines are part of its text too.
    const paragraphs = st.hasInfoEnd ? st.loose : [...st.info, ...st.loose];
    const doc: KnowledgeDocument = {
      id: meta.sourcePath,
      kind: 'document',
      title,
      category: meta.category,
      sections: paragraphs.map((p, i) => ({ path: [], label: `第${i + 1}段`, text: p })),
      sources: [meta.sourcePath],
    };
    return { kind: 'document', document: doc };
  }
  return {
    kind: 'law',
    law: {
      title,
      category: meta.category,
      version: versionFromFileName(meta.fileStem) ?? versionFromInfo(st.info) ?? '',
      info: st.info,
      books: st.books,
      articles: st.articles,
      sources: [meta.sourcePath],
    },
  };
}

/**
 * Parse a law file's text. Returns a law when articles are found, else a document split by paragraph.
 * @example parseLawText('# 中华人民共和国预算法\n<!-- INFO END -->\n第一条 为了…', { sourcePath: '经济法/预算法(2018-12-29).md', category: '经济法', fileStem: '预算法(2018-12-29)' })
 */
export function parseLawText(text: string, meta: LawFileMeta): ParsedFile {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const st: ParseState = {
    title: '',
    books: [],
    info: [],
    articles: [],
    loose: [],
    path: [],
    pathLevels: [],
    current: undefined,
    hasInfoEnd: lines.some((l) => l.trim() === INFO_END),
    inInfo: true,
    openParen: false,
  };
  for (const raw of lines) readLine(st, normalizeSpaces(raw));
  closeArticle(st);
  return toParsedFile(st, meta);
}
