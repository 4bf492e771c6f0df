/**
 * Article labels and references, in one place: the 第X条 pattern (第十八条, 第18条, 第１８条, 第十条之一) that
 * law texts, questions, cross-references and model replies share; the label as the texts print it
 * (articleLabel); a reference as the knowledge files write it (parseArticleRef: 18, "第十条之一"); and the
 * references in a question (parseArticleReferences: 「预算法第十八条」, 「《政府采购法》第26条」,
 * 「会计法2017年版第四十二条」, 「预算法第十八条至第二十条」, 「第十八、十九条」), tied to the laws a mention
 * finder names.
 */
import { CHINESE_NUMERAL_CHARS, parseChineseNumber, toChineseNumber } from './chinese-numerals.ts';
import type { LawMention } from './law-names.ts';

/** A numeral as article labels write it: Chinese (十八, 一百零三), Arabic (18) or full-width (１８). */
export const ARTICLE_NUMERAL = `[${CHINESE_NUMERAL_CHARS}0-9０-９]+`;

/**
 * The source of the one 第X条 pattern: the number and the 之X suffix are capture groups (numbered, or named
 * by `groups`). With `spaced`, white space may stand inside the label as people type it (第 18 条 之 一); law
 * texts and replies never need that. `optionalDi` accepts the label without 第, as the end of a range writes
 * it (第十八条至二十条).
 */
export function articleLabelSource(opts: { spaced?: boolean; groups?: [string, string]; optionalDi?: boolean } = {}): string {
  const s = opts.spaced ? '\\s*' : '';
  const [n, x] = opts.groups ? opts.groups.map((g) => `?<${g}>`) : ['', ''];
  return `第${opts.optionalDi ? '?' : ''}${s}(${n}${ARTICLE_NUMERAL})${s}条(?:${s}之${s}(${x}${ARTICLE_NUMERAL}))?`;
}

/** The 第X条 pattern as a RegExp (flags 'g' to find every label in a text). */
export function articleLabelPattern(flags = 'g'): RegExp {
  return new RegExp(articleLabelSource(), flags);
}

/** The article number of a label's two groups (number, optional suffix); undefined when not a numeral. */
export function articleNumberOf(number: string, suffix?: string): ArticleNumber | undefined {
  const n = parseChineseNumber(number.replace(/\s/g, ''));
  const s = suffix === undefined ? 0 : parseChineseNumber(suffix.replace(/\s/g, ''));
  return n === undefined || s === undefined ? undefined : { number: n, suffix: s };
}

/** Label of an article number: (18) → 第十八条, (10, 1) → 第十条之一. */
export function articleLabel(number: number, suffix = 0): string {
  return `第${toChineseNumber(number)}条${suffix ? '之' + toChineseNumber(suffix) : ''}`;
}

const FILE_REF = new RegExp(`^第?(${ARTICLE_NUMERAL})条?(?:之(${ARTICLE_NUMERAL}))?$`);

/**
 * An article reference as people write it in the knowledge files (FAQ, curated quizzes, colleagues'
 * questions): 18, "18", "第十八条", "第十条之一" (white space ignored); undefined when it is not one.
 * @example parseArticleRef('第十条之一') // { number: 10, suffix: 1 }
 */
export function parseArticleRef(ref: number | string): ArticleNumber | undefined {
  if (typeof ref === 'number') return Number.isInteger(ref) && ref > 0 ? { number: ref, suffix: 0 } : undefined;
  const m = ref.replace(/\s/g, '').match(FILE_REF);
  return m ? articleNumberOf(m[1]!, m[2]) : undefined;
}

export interface ArticleNumber {
  number: number;
  suffix: number;
}

/** Which version of a law the question asks for. */
export type VersionRequest =
  | { kind: 'current' }
  | { kind: 'year'; year: string }
  | { kind: 'date'; date: string }
  /** 旧版 / 修订前: the version before the current one. */
  | { kind: 'previous' };

export interface ArticleReference {
  /** Full title of the law named, or undefined when only an article is named (「第二十条呢？」). */
  lawTitle?: string;
  version: VersionRequest;
  articles: ArticleNumber[];
  /** Offsets of the whole reference in the question (law name through the last article). */
  start: number;
  end: number;
}

const N = ARTICLE_NUMERAL;
const ONE = articleLabelSource({ spaced: true });
/** One article, a range (第十八条至第二十条, 第18-20条, 第十八至二十条) or a list (第十八、十九条). */
const REF = new RegExp(
  [
    `${articleLabelSource({ spaced: true, groups: ['a', 'as'] })}(?:\\s*(?:至|到|—|-|～|~)\\s*${articleLabelSource({ spaced: true, groups: ['b', 'bs'], optionalDi: true })})?`,
    `第\\s*(?<ra>${N})\\s*(?:至|到|—|-|～|~)\\s*(?<rb>${N})\\s*条`,
    `第\\s*(?<la>${N}(?:\\s*[、，,]\\s*${N})+)\\s*条`,
  ].join('|'),
  'g',
);
const LIST_SEP = /^[\s、，,和及与跟以及还有]*$/;
const MAX_RANGE = 30;

/** What may stand between a law name and its article: quotes, 的/中, a version (2017年版, (2017-11-04), 旧版). */
function readGap(gap: string): VersionRequest | undefined {
  let rest = gap;
  let version: VersionRequest = { kind: 'current' };
  const date = rest.match(/[（(]?\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?\s*(?:修正|修订|修改|公布)?\s*(?:版本|版|文本)?\s*[)）]?/);
  const year = rest.match(/[（(]?\s*(\d{4})\s*年?\s*(?:修正|修订|修改|公布)?\s*(?:版本|版|文本)?\s*[)）]?/);
  if (date) {
    version = { kind: 'date', date: `${date[1]}-${date[2]!.padStart(2, '0')}-${date[3]!.padStart(2, '0')}` };
    rest = rest.replace(date[0], '');
  } else if (year) {
    version = { kind: 'year', year: year[1]! };
    rest = rest.replace(year[0], '');
  } else if (/旧版|修订前|修正前|修改前|原版|上一版/.test(rest)) {
    version = { kind: 'previous' };
    rest = rest.replace(/旧版|修订前|修正前|修改前|原版|上一版/, '');
  }
  rest = rest.replace(/[\s\u3000《》〈〉“”"'‘’「」『』()（）·]|的|中|里|之|规定/g, '');
  return rest === '' ? version : undefined;
}

/** A version written before the law name: 「2017年版会计法」. */
function versionBefore(text: string): VersionRequest | undefined {
  const m = text.match(/(\d{4})\s*年\s*(?:修正|修订|修改)?\s*(?:版本|版)\s*(?:的)?[\s《“「]*$/);
  return m ? { kind: 'year', year: m[1]! } : undefined;
}

function num(s: string | undefined): number | undefined {
  return s === undefined ? undefined : articleNumberOf(s)?.number;
}

interface RawRef {
  start: number;
  end: number;
  articles: ArticleNumber[];
}

function expand(from: ArticleNumber, to: ArticleNumber): ArticleNumber[] {
  if (to.number < from.number || to.number - from.number > MAX_RANGE) return [from, to];
  const out: ArticleNumber[] = [from];
  for (let n = from.number + 1; n < to.number; n++) out.push({ number: n, suffix: 0 });
  if (to.number !== from.number || to.suffix !== from.suffix) out.push(to);
  return out;
}

function findRawRefs(text: string): RawRef[] {
  const out: RawRef[] = [];
  for (const m of text.matchAll(REF)) {
    const g = m.groups!;
    let articles: ArticleNumber[] = [];
    if (g.a !== undefined) {
      const a = { number: num(g.a)!, suffix: num(g.as) ?? 0 };
      const b = g.b !== undefined ? { number: num(g.b)!, suffix: num(g.bs) ?? 0 } : undefined;
      articles = b ? expand(a, b) : [a];
    } else if (g.ra !== undefined) {
      articles = expand({ number: num(g.ra)!, suffix: 0 }, { number: num(g.rb)!, suffix: 0 });
    } else if (g.la !== undefined) {
      articles = g.la.split(/[、，,]/).map((s) => ({ number: num(s)!, suffix: 0 }));
    }
    if (articles.some((a) => a.number === undefined || Number.isNaN(a.number))) continue;
    out.push({ start: m.index!, end: m.index! + m[0].length, articles });
  }
  return out;
}

/**
 * The article references in a question, each tied to the law named right before it (if any); `mentions` are
 * the law mentions found in the same text (catalog.findLawMentions).
 * @example parseArticleReferences('会计法2017年版第四十二条', catalog.findLawMentions('会计法2017年版第四十二条')) // [{ lawTitle: '中华人民共和国会计法', version: {kind:'year',year:'2017'}, articles: [{number:42,suffix:0}] }]
 */
export function parseArticleReferences(question: string, mentions: LawMention[]): ArticleReference[] {
  const text = question.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  // An article label inside a law's own title (…关于适用刑法第十二条几个问题的解释) is not a reference.
  const raws = findRawRefs(text).filter((r) => !mentions.some((m) => r.start >= m.start && r.start < m.end));
  const out: ArticleReference[] = [];
  let i = 0;
  while (i < raws.length) {
    const first = raws[i]!;
    const articles = [...first.articles];
    let end = first.end;
    let j = i + 1;
    // 第十八条和第二十条: chain references joined by list separators.
    while (j < raws.length && LIST_SEP.test(text.slice(end, raws[j]!.start))) {
      articles.push(...raws[j]!.articles);
      end = raws[j]!.end;
      j++;
    }
    const mention = [...mentions].reverse().find((m) => m.end <= first.start);
    let ref: ArticleReference = { version: { kind: 'current' }, articles, start: first.start, end };
    if (mention) {
      const prevRefEnd = out.length ? out[out.length - 1]!.end : 0;
      const gap = text.slice(mention.end, first.start);
      const version = mention.start >= prevRefEnd ? readGap(gap) : undefined;
      if (version) {
        const before = version.kind === 'current' ? versionBefore(text.slice(0, mention.start)) : undefined;
        ref = { lawTitle: mention.title, version: before ?? version, articles, start: mention.start, end };
      }
    }
    out.push(ref);
    i = j;
  }
  return out;
}

/** A law name written before an article that the catalog does not know: 「《刑法》第二十条」 on a finance-only index. */
export function unknownLawBeforeArticle(question: string): string | undefined {
  const m = question.match(
    new RegExp(`(?:《([^《》]{2,60})》|([\\u4e00-\\u9fff]{1,30}?(?:法典|法|条例|办法|规定|细则|解释|决定|规则)))\\s*(?:的)?\\s*${ONE}`),
  );
  if (!m) return undefined;
  return (m[1] ?? m[2])!.replace(/^(?:请问|查询|查一下|查下|看看|我想知道|关于)/, '');
}
