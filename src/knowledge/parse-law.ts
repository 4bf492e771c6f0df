/**
 * Turns the text of one law file into its structure: title, info block, 编/章/节 headings and articles.
 * Works on LawRefBook Markdown and on the plain text that TXT, DOCX and PDF loaders produce.
 */
import { CHINESE_NUMERAL_CHARS, parseChineseNumber } from './chinese-numerals.ts';
import type { Article, KnowledgeDocument, ParsedFile } from './types.ts';

const N = `[${CHINESE_NUMERAL_CHARS}0-9０-９]+`;
/** 第十八条 / 第十条之一, followed by white space (or the end of the line) as the law texts print them. */
export const ARTICLE_START = new RegExp(`^第(${N})条(?:之(${N}))?(?=[\\s\\u3000]|$)`);
const HEADING = new RegExp(`^第(${N})(编|分编|章|节)(?:[\\s\\u3000]|$)`);
const HEADING_RANK: Record<string, number> = { 编: 0, 分编: 1, 章: 2, 节: 3 };
const INFO_END = '<!-- INFO END -->';
const DATE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g;

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

/** The version date in a LawRefBook file name: 预算法(2018-12-29) → 2018-12-29. */
export function versionFromFileName(stem: string): string | undefined {
  const m = stem.match(/[（(](\d{4})-(\d{2})-(\d{2})[）)]\s*$/);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** Latest date in the info block among adoption, amendment and publication lines; 施行 only as a fallback. */
export function versionFromInfo(info: string[]): string | undefined {
  const pick = (lines: string[]) => {
    let best: string | undefined;
    for (const line of lines) {
      for (const m of line.matchAll(DATE)) {
        const d = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
        if (!best || d > best) best = d;
      }
    }
    return best;
  };
  return pick(info.filter((l) => /通过|修正|修订|公布|发布|批准|颁布/.test(l))) ?? pick(info);
}

function isHeadingLine(line: string): { level: number; text: string } | undefined {
  const md = line.match(/^(#{1,6})\s+(.*)$/);
  const text = normalizeHeading(md ? md[2]! : line);
  const h = text.match(HEADING);
  if (h) return { level: HEADING_RANK[h[2]!]!, text };
  return undefined;
}

/**
 * Parse a law file's text. Returns a law when articles are found, else a document split by paragraph.
 * @example parseLawText('# 中华人民共和国预算法\n<!-- INFO END -->\n第一条 为了…', { sourcePath: '经济法/预算法(2018-12-29).md', category: '经济法', fileStem: '预算法(2018-12-29)' })
 */
export function parseLawText(text: string, meta: LawFileMeta): ParsedFile {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let title = '';
  const books: string[] = [];
  const info: string[] = [];
  const articles: Article[] = [];
  const loose: string[] = [];
  const path: string[] = [];
  const pathLevels: number[] = [];
  let current: Article | undefined;
  const hasInfoEnd = lines.some((l) => l.trim() === INFO_END);
  let inInfo = true;

  const flush = () => {
    if (current) {
      current.text = current.paragraphs.join('\n');
      articles.push(current);
      current = undefined;
    }
  };

  for (const raw of lines) {
    const line = normalizeSpaces(raw);
    if (line === '') continue;
    if (line === INFO_END) {
      inInfo = false;
      continue;
    }
    const mdTitle = line.match(/^#\s+(.*)$/);
    const heading = isHeadingLine(line);
    const art = normalizeSpaces(line).match(ARTICLE_START);

    if (!title) {
      title = normalizeSpaces(mdTitle ? mdTitle[1]! : line);
      continue;
    }
    if (mdTitle && !heading && articles.length === 0 && !current) {
      // A second top-level heading before any article names a book of a code (民法典 → 总则 / 合同编).
      books.push(normalizeSpaces(mdTitle[1]!));
      continue;
    }
    if (inInfo && !art && !heading) {
      // Without an INFO END marker the info block ends at the first heading or article.
      if (hasInfoEnd || articles.length === 0) {
        info.push(normalizeSpaces(line.replace(/^[（(]|[)）]$/g, '')));
        continue;
      }
    }
    if (art || heading) inInfo = false;
    if (heading) {
      flush();
      while (pathLevels.length && pathLevels[pathLevels.length - 1]! >= heading.level) {
        pathLevels.pop();
        path.pop();
      }
      pathLevels.push(heading.level);
      path.push(heading.text);
      continue;
    }
    if (art) {
      flush();
      const number = parseChineseNumber(art[1]!);
      const suffix = art[2] ? parseChineseNumber(art[2]) ?? 0 : 0;
      if (number === undefined) continue;
      const label = art[0];
      const rest = normalizeSpaces(normalizeSpaces(line).slice(label.length));
      current = {
        number,
        suffix,
        label,
        path: books.length ? [books[books.length - 1]!, ...path] : [...path],
        paragraphs: rest ? [rest] : [],
        text: '',
      };
      continue;
    }
    const plain = line.replace(/^#+\s+/, '');
    if (current) current.paragraphs.push(plain);
    else loose.push(plain);
  }
  flush();

  const category = meta.category;
  if (articles.length === 0) {
    const doc: KnowledgeDocument = {
      id: meta.sourcePath,
      kind: 'document',
      title: title || meta.fileStem,
      category,
      sections: loose.map((p, i) => ({ path: [], label: `第${i + 1}段`, text: p })),
      sources: [meta.sourcePath],
    };
    return { kind: 'document', document: doc };
  }
  return {
    kind: 'law',
    law: {
      title: title || meta.fileStem,
      category,
      version: versionFromFileName(meta.fileStem) ?? versionFromInfo(info) ?? '',
      info,
      books,
      articles,
      sources: [meta.sourcePath],
    },
  };
}
