/**
 * The names people write for laws, mapped to catalog titles: full and short titles, with or without
 * 中华人民共和国, in 《》 or quotes, behind a category as law-database menus print them (「经济法·预算法」),
 * with 条例/办法/规定 swapped where only one law fits, and the books of a code (民法典合同编 → 民法典).
 * `findMentions` scans free text with a character trie: longest match wins, category names block.
 * Amendments are laws of their own: 宪法修正案（2004年）, written 宪法修正案2004年 or 2004年宪法修正案 too
 * (canonicalAmendments), and 宪法修正案 alone names the whole family (its articles are numbered across all
 * amendments, so the article picks the amendment). `resolveLoose` reads shortened names people write for
 * long titles (反诈法, 人身损害赔偿司法解释) when nothing matches exactly.
 */
import { parseChineseNumber, toChineseNumber } from './chinese-numerals.ts';

const PRC = /^(?:中华人民共和国|中国)/;
/** Characters that never belong to a name's key: quotes, brackets around titles, white space, 「·」. */
const DROP = /[《》〈〉<>“”"'‘’「」『』\s\u3000·・•]/g;

/** Categories of the law database's menus and LawRefBook's folders; they may stand in front of a name. */
export const LAW_CATEGORIES = [
  '宪法相关法', '民法商法', '诉讼与非诉讼程序法', '行政法规', '监察法规', '地方性法规', '部门规章', '司法解释',
  '行政法', '经济法', '社会法', '刑法', '宪法', '民法典', '法律', '案例', '其他',
];
/** What separates a category from a name: 「行政法规 优化营商环境条例」「经济法·预算法」「法律/预算法」. */
const CATEGORY_SEPARATOR = /[\s\u3000·・•/／|｜:：>＞»\-—–_]+/;
/** Endings that people swap when they misremember a regulation's kind: 条例 ↔ 办法 ↔ 规定. */
const KIND_SUFFIX = /(?:条例|办法|规定|规则|细则)$/;

/** Fold the two widths of brackets so that 修正案(2018年) and 修正案（2018年） compare equal. */
function fold(ch: string): string {
  if (ch === '(') return '（';
  if (ch === ')') return '）';
  return ch;
}

/** The key a name is compared by: no quotes or spaces, one bracket width, no 中华人民共和国 prefix. */
export function lawNameKey(name: string): string {
  return [...name.replace(DROP, '')].map(fold).join('').replace(PRC, '');
}

function kindStem(key: string): string | undefined {
  return KIND_SUFFIX.test(key) ? key.replace(KIND_SUFFIX, '') : undefined;
}

/** A name key without its kind: 信访工作条例 / 信访工作办法 → 信访工作 (names without a kind stay). */
export function lawNameStem(key: string): string {
  return key.replace(KIND_SUFFIX, '');
}

/** The name part of a menu path: 「经济法·预算法」「行政法规 优化营商环境条例」 → the last segment. */
export function lastNameSegment(name: string): string {
  return name.split(CATEGORY_SEPARATOR).filter(Boolean).pop() ?? name;
}

/** A book's key without 编, so 总则, 总则编 and 《总则编》 compare equal. */
export function bookKey(book: string): string {
  return lawNameKey(book).replace(/编$/, '');
}

/** Characters after a short name that show it is part of a longer word (预算法律, 会计法规, 宪法学), unlike 预算法规定, 宪法学习. */
const WORD_CONTINUES = /^(?:律|规(?!定|范)|学(?!习)|理(?!解)|治|制(?!定)|院|官(?!方)|庭|人|务|定|系)/;
const SHORT_NAME = 3;
/** Characters a name's key drops (see DROP) that may stand inside a written name. */
const INNER_SKIP = /[\s\u3000·・•《》〈〉<>“”"'‘’「」『』]/;

const AMENDMENT_AFTER = /([\u4e00-\u9fff]{1,12}?修正案)\s*(?:[（(]\s*(\d{4})\s*年?\s*[)）]|(\d{4})\s*年|[（(]\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]|([一二三四五六七八九十]{1,3}|\d{1,2})(?=\s|第|的|讲|说|规定|条|[，。？?、]|$))/g;
const AMENDMENT_YEAR_BEFORE = /(\d{4})\s*年\s*(?:的|通过的|那个|那次|那版)?\s*([\u4e00-\u9fff]{1,12}?修正案)(?![（(])/g;

/**
 * Amendments written the ways people write them, as their titles spell them: 宪法修正案2004年 / 2004年宪法修正案 /
 * 宪法修正案(2004) → 宪法修正案（2004年）; 刑法修正案九 / 刑法修正案(9) → 刑法修正案（九）. The first 刑法修正案 has no
 * number: 刑法修正案（一） is written 刑法修正案. A numeral counts only where a name or an article follows
 * (「宪法修正案一共有几次」 is left alone).
 * @example canonicalAmendments('2004年宪法修正案第22条') // '宪法修正案（2004年）第22条'
 */
export function canonicalAmendments(text: string): string {
  if (!text.includes('修正案')) return text;
  const out = text.replace(AMENDMENT_AFTER, (all, stem: string, y1?: string, y2?: string, n1?: string, n2?: string) => {
    const year = y1 ?? y2;
    if (year) return `${stem}（${year}年）`;
    const raw = n1 ?? n2!;
    const n = /^\d+$/.test(raw) ? Number(raw) : parseChineseNumber(raw);
    if (n === undefined || n < 1) return all;
    return n === 1 ? stem : `${stem}（${toChineseNumber(n)}）`;
  });
  return out.replace(AMENDMENT_YEAR_BEFORE, (_all, year: string, stem: string) => `${stem}（${year}年）`);
}

/** 宪法修正案（2004年） → 宪法修正案: the family an amendment belongs to. */
const AMENDMENT_FAMILY = /^(.+修正案)（[^（）]+）$/;

/** Words of long titles that tell nothing apart (最高人民法院关于审理…案件适用法律若干问题的解释). */
const BOILERPLATE = /最高人民法院|最高人民检察院|最高法院|最高法|最高院|最高检|两高|中华人民共和国|关于|审理|办理|具体应用法律|适用法律|若干问题|问题|案件|的|、|，/g;
/** A name that says it is a judicial interpretation without its title: 人身损害赔偿司法解释. */
const INTERPRETATION = /司法解释|解释$/;
/** Below this share of a title's distinctive characters a loose name does not name it. */
const LOOSE_MIN_SCORE = 0.25;
/** The best loose match must lead the next title by this much. */
const LOOSE_MARGIN = 0.08;
/** Loose-name score: less per gap between the name's pieces in the title, more when it is one piece (at the end). */
const LOOSE_GAP = 0.05;
const LOOSE_INFIX = 0.15;
const LOOSE_SUFFIX = 0.3;

/** Positions of `name`'s characters in order inside `title` (earliest match), or undefined. */
function subsequence(name: string, title: string): number[] | undefined {
  const at: number[] = [];
  let j = 0;
  for (const ch of name) {
    j = title.indexOf(ch, j);
    if (j < 0) return undefined;
    at.push(j++);
  }
  return at;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** Title this key names, or null when the key is a category that blocks shorter matches inside it. */
  title?: string | null;
  depth: number;
}

export interface LawMention {
  title: string;
  start: number;
  end: number;
}

export interface LawNameEntry {
  title: string;
  /** Other names: short title, books of a code (民法典合同编, 合同编). */
  aliases: string[];
  /** Books of a code, as named in its files (总则, 合同编). */
  books: string[];
}

export interface LawNameIndex {
  /** Titles a written name refers to ([] when none); an amendment family (宪法修正案) gives all its members. */
  resolveTitles(name: string): string[];
  findMentions(text: string): LawMention[];
  /**
   * The one title a shortened name stands for, when its characters appear in that title in order and it
   * clearly fits that title best: 反诈法 → 中华人民共和国反电信网络诈骗法, 人身损害赔偿司法解释 → 最高人民法院
   * 关于审理人身损害赔偿案件适用法律若干问题的解释. Undefined when no title or several fit.
   */
  resolveLoose(name: string): string | undefined;
}

/** Build the name index over the catalog's titles (one entry per title). */
export function createLawNameIndex(entries: LawNameEntry[]): LawNameIndex {
  const byKey = new Map<string, Set<string>>();
  const byStem = new Map<string, Set<string>>();
  const codes: { key: string; title: string }[] = [];
  const addKey = (map: Map<string, Set<string>>, key: string, title: string) => {
    if (!key) return;
    const set = map.get(key) ?? new Set<string>();
    set.add(title);
    map.set(key, set);
  };
  for (const e of entries) {
    const names = [e.title, ...e.aliases];
    for (const b of e.books) {
      const book = b.endsWith('编') ? b : `${b}编`;
      names.push(book);
    }
    for (const n of names) {
      const key = lawNameKey(n);
      addKey(byKey, key, e.title);
      const stem = kindStem(key);
      if (stem) addKey(byStem, stem, e.title);
    }
    if (e.books.length) codes.push({ key: lawNameKey(e.title), title: e.title });
  }
  // 宪法修正案 alone: every amendment of the family (unless a law has that very name: 刑法修正案).
  const families = new Map<string, string[]>();
  for (const e of entries) {
    const m = lawNameKey(e.title).match(AMENDMENT_FAMILY);
    if (m && !byKey.has(m[1]!)) families.set(m[1]!, [...(families.get(m[1]!) ?? []), e.title]);
  }
  codes.sort((a, b) => b.key.length - a.key.length);
  const categories = [...LAW_CATEGORIES].sort((a, b) => b.length - a.length);

  const lookup = (key: string): string[] => {
    const direct = byKey.get(key);
    if (direct) return [...direct];
    const family = families.get(key);
    if (family) return [...family];
    // A book of a code: 民法典合同编, 民法典第三编合同 → 民法典.
    const code = codes.find((c) => key.startsWith(c.key) && key.length > c.key.length && /编/.test(key.slice(c.key.length)));
    if (code) return [code.title];
    // The kind swapped (信访工作办法 → 信访工作条例) or left out, when only one law fits.
    const stem = kindStem(key) ?? key;
    const candidates = byStem.get(stem);
    if (candidates && candidates.size === 1) return [...candidates];
    return [];
  };

  const resolveTitles = (name: string): string[] => {
    const key = lawNameKey(name);
    if (!key) return [];
    const found = lookup(key);
    if (found.length) return found;
    // A category in front: 「经济法·预算法」「行政法规 优化营商环境条例」「行政法规优化营商环境条例」.
    const parts = name.split(CATEGORY_SEPARATOR).filter(Boolean);
    if (parts.length > 1) {
      const last = lookup(lawNameKey(parts[parts.length - 1]!));
      if (last.length) return last;
      const rest = lookup(lawNameKey(parts.slice(1).join('')));
      if (rest.length) return rest;
    }
    for (const c of categories) {
      if (key.startsWith(c) && key.length > c.length) {
        const rest = lookup(lawNameKey(key.slice(c.length)));
        if (rest.length) return rest;
      }
    }
    return [];
  };

  // The trie for free text, built on first use: every title and alias, plus categories as blockers.
  let root: TrieNode | undefined;
  let modifiers: Set<string> | undefined;
  const build = () => {
    root = { next: new Map(), depth: 0 };
    const insert = (key: string, title: string | null) => {
      let node = root!;
      for (const ch of key) {
        let child = node.next.get(ch);
        if (!child) {
          child = { next: new Map(), depth: node.depth + 1 };
          node.next.set(ch, child);
        }
        node = child;
      }
      // A law always wins over a category of the same name (宪法, 刑法, 民法典).
      if (node.title === undefined || node.title === null) node.title = title;
    };
    const allKeys = new Map<string, string>();
    for (const e of entries) {
      const names = [e.title, ...e.aliases, ...e.books.filter((b) => b.endsWith('编') && b.length >= 3)];
      for (const n of names) {
        const visible = [...n.replace(DROP, '')].map(fold).join('');
        if (visible.length < 2) continue;
        insert(visible, e.title);
        allKeys.set(visible, e.title);
      }
    }
    // A family's mention carries its key; resolveTitles gives the members.
    for (const key of families.keys()) insert(key, key);
    for (const c of LAW_CATEGORIES) insert(c, null);
    // Characters that, in this catalog, turn a short name into a longer one (社会保险法, 职业教育法).
    modifiers = new Set<string>();
    for (const k of allKeys.keys()) {
      if (k.length > SHORT_NAME) continue;
      for (const other of allKeys.keys()) {
        const ch = other[other.length - k.length - 1];
        if (other.length > k.length && other.endsWith(k) && ch && /[\u4e00-\u9fff]/.test(ch)) modifiers.add(ch);
      }
    }
  };

  const findMentions = (text: string): LawMention[] => {
    if (!root) build();
    const out: LawMention[] = [];
    let i = 0;
    while (i < text.length) {
      let node = root!.next.get(fold(text[i]!));
      if (!node) {
        i++;
        continue;
      }
      let best: { end: number; title: string | null; depth: number } | undefined;
      let j = i;
      while (node) {
        if (node.title !== undefined) best = { end: j + 1, title: node.title, depth: node.depth };
        j++;
        // Spaces, 「·」 and quotes inside a written name (民法典·合同编, …实施《执业医师法》办法) do not break it.
        while (j < text.length && INNER_SKIP.test(text[j]!) && node.next.size) j++;
        if (j >= text.length) break;
        node = node.next.get(fold(text[j]!));
      }
      if (!best) {
        i++;
        continue;
      }
      if (best.title === null) {
        i = best.end; // a category name: nothing inside it is a law (宪法相关法)
        continue;
      }
      if (best.depth <= SHORT_NAME) {
        const after = text.slice(best.end, best.end + 2);
        const before = i > 0 ? text[i - 1]! : '';
        if (WORD_CONTINUES.test(after) || (before && modifiers!.has(before))) {
          i++;
          continue;
        }
      }
      out.push({ title: best.title, start: i, end: best.end });
      i = best.end;
    }
    return out;
  };

  // Titles without boilerplate, computed on first use of a loose name.
  let distinctive: { title: string; text: string; interpretation: boolean }[] | undefined;
  const resolveLoose = (name: string): string | undefined => {
    const key = lawNameKey(name);
    const wantsInterpretation = INTERPRETATION.test(key);
    // 司法解释 says only that the title is an interpretation; a 规定 or 解释 written out must match.
    const core = key.replace(/司法解释$/, '').replace(BOILERPLATE, '');
    if (core.length < 3) return undefined;
    distinctive ??= entries.map((e) => {
      const k = lawNameKey(e.title);
      return { title: e.title, text: k.replace(BOILERPLATE, ''), interpretation: /^(?:最高人民法院|最高人民检察院)/.test(k) };
    });
    const scored: { title: string; score: number; suffix: boolean }[] = [];
    for (const d of distinctive) {
      if (wantsInterpretation && !d.interpretation) continue;
      const at = subsequence(core, d.text);
      if (!at) continue;
      let blocks = 1;
      for (let i = 1; i < at.length; i++) if (at[i] !== at[i - 1]! + 1) blocks++;
      // The share of the title's distinctive characters the name holds, less a little for each gap; a name
      // written as the title's ending (选举法, 营商环境条例) or as one piece of it is the usual abbreviation.
      const suffix = blocks === 1 && at[at.length - 1] === d.text.length - 1;
      const contiguous = suffix ? LOOSE_SUFFIX : blocks === 1 ? LOOSE_INFIX : 0;
      scored.push({ title: d.title, score: core.length / d.text.length - LOOSE_GAP * (blocks - 1) + contiguous, suffix });
    }
    // Several titles ending in the name (驻军法: 香港… and 澳门…) leave it open which one is meant.
    if (scored.filter((x) => x.suffix).length > 1) return undefined;
    scored.sort((a, b) => b.score - a.score);
    const [best, next] = scored;
    if (!best || best.score < LOOSE_MIN_SCORE) return undefined;
    if (next && best.score - next.score < LOOSE_MARGIN) return undefined;
    return best.title;
  };

  return { resolveTitles, findMentions, resolveLoose };
}
