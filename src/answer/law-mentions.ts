/**
 * Finds the law names a question mentions (longest match), as people write them: full or short title,
 * with or without 中华人民共和国, quoted or not, half- or full-width brackets. Combines the catalog's own
 * `findLawMentions` with a matcher over the catalog's titles and aliases.
 */
import { normalizeLawName, type LawCatalog } from '../knowledge/catalog.ts';

export interface LawMention {
  /** Full title of the law mentioned. */
  title: string;
  /** Character offsets into the text given. */
  start: number;
  end: number;
}

export type FindLawMentions = (text: string) => LawMention[];

/** Characters dropped before comparing (quotes, spaces, list marks inside titles). */
const DROP = /[《》〈〉<>“”"'‘’「」『』\s\u3000、·・]/;

function foldChar(ch: string): string {
  if (ch === '（') return '(';
  if (ch === '）') return ')';
  return ch;
}

/** The comparison key of a name: quotes and spaces dropped, brackets folded, 中华人民共和国 removed. */
export function lawNameKey(name: string): string {
  let out = '';
  for (const ch of normalizeLawName(name)) if (!DROP.test(ch)) out += foldChar(ch);
  return out;
}

/** A mention finder over the catalog's titles and aliases. Built once per catalog (≈10 ms for the corpus). */
export function createLawMentionFinder(catalog: LawCatalog): FindLawMentions {
  const own = titleMentionFinder(catalog);
  const native = (catalog as LawCatalog & { findLawMentions?: FindLawMentions }).findLawMentions;
  if (typeof native !== 'function') return own;
  // Both, longest span winning where they overlap: the catalog's finder knows more nicknames, this one
  // also matches titles that contain quoted law names (…实施《中华人民共和国执业医师法》办法).
  return (text) => {
    const all = [...own(text), ...native.call(catalog, text)].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
    const out: LawMention[] = [];
    for (const m of all) if (!out.some((o) => m.start < o.end && o.start < m.end)) out.push(m);
    return out.sort((a, b) => a.start - b.start);
  };
}

function titleMentionFinder(catalog: LawCatalog): FindLawMentions {

  // Folded key → the titles it may name (two titles can differ only in a separator: 「、」 vs a space).
  const keys = new Map<string, { title: string; name: string }[]>();
  let maxLen = 0;
  // Current versions first so a key shared by several versions names the same title either way.
  for (const v of [...catalog.current, ...catalog.versions]) {
    for (const name of [v.title, ...v.aliases]) {
      const key = lawNameKey(name);
      if (key.length < 2) continue;
      const list = keys.get(key) ?? [];
      if (!list.some((x) => x.title === v.title)) list.push({ title: v.title, name: normalizeLawName(name) });
      keys.set(key, list);
      maxLen = Math.max(maxLen, key.length);
    }
  }
  const pick = (list: { title: string; name: string }[], written: string) => {
    if (list.length === 1) return list[0]!.title;
    const w = normalizeLawName(written);
    return (list.find((x) => x.name === w) ?? list[0]!).title;
  };

  return (text: string) => {
    // Folded characters with their offsets in the original text.
    const chars: string[] = [];
    const offsets: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (DROP.test(ch)) continue;
      chars.push(foldChar(ch));
      offsets.push(i);
    }
    const folded = chars.join('');
    const out: LawMention[] = [];
    let i = 0;
    while (i < folded.length) {
      let found: { len: number; title: string } | undefined;
      for (let len = Math.min(maxLen, folded.length - i); len >= 2; len--) {
        const list = keys.get(folded.slice(i, i + len));
        if (list) {
          found = { len, title: pick(list, text.slice(offsets[i]!, offsets[i + len - 1]! + 1)) };
          break;
        }
      }
      if (!found) {
        i++;
        continue;
      }
      let start = offsets[i]!;
      const end = offsets[i + found.len - 1]! + 1;
      // Keep a written 中华人民共和国 / 中国 prefix and an opening quote inside the mention.
      const prefix = text.slice(0, start).match(/(?:中华人民共和国|中国)[\s\u3000]*$/);
      if (prefix) start -= prefix[0].length;
      out.push({ title: found.title, start, end });
      i += found.len;
    }
    return out;
  };
}
