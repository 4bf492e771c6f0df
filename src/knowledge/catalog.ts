/**
 * Groups parsed law files into laws and versions: merges the books of a code (民法典), drops the same
 * law present twice under different paths, marks the newest version current, and resolves the names
 * people write (预算法, 《中华人民共和国预算法》, 财政部门规章 政府采购法实施条例…) to laws.
 */
import { createLawNameIndex, lawNameKey, type LawMention } from './law-names.ts';
import type { LawVersion } from './types.ts';

export type { LawMention } from './law-names.ts';

export type ParsedLaw = Omit<LawVersion, 'id' | 'status' | 'aliases'>;

export interface DuplicateFile {
  kept: string;
  dropped: string;
}

export interface LawCatalog {
  /** Every version of every law, newest version of each title first. */
  versions: LawVersion[];
  /** Current versions only. */
  current: LawVersion[];
  /** Source files dropped because the same law version came from another path. */
  duplicates: DuplicateFile[];
  /**
   * All versions of the law a name refers to (newest first); [] when no law matches. Accepts the names
   * people write: 预算法, 《中华人民共和国预算法》, 经济法·预算法, 行政法规 优化营商环境条例, 民法典合同编.
   */
  resolve(name: string): LawVersion[];
  byId(id: string): LawVersion | undefined;
  /**
   * Law names mentioned in free text, in order, longest match first (预算法实施条例 before 预算法).
   * @example catalog.findLawMentions('《预算法》第十八条') // [{ title: '中华人民共和国预算法', start: 1, end: 4 }]
   */
  findLawMentions(text: string): LawMention[];
  /**
   * The title a shortened name stands for when nothing matches it exactly (反诈法, 人身损害赔偿司法解释).
   * @example catalog.resolveLoose('反诈法') // '中华人民共和国反电信网络诈骗法'
   */
  resolveLoose(name: string): string | undefined;
}

const PRC = '中华人民共和国';

/** Strip quotes, brackets, white space and the 中华人民共和国 prefix: the key names are compared by. */
export function normalizeLawName(name: string): string {
  return lawNameKey(name);
}

/** Short names people use for a title. */
export function aliasesOf(title: string, books: string[] = []): string[] {
  const out = new Set<string>();
  if (title.startsWith(PRC)) out.add(title.slice(PRC.length));
  for (const b of books) {
    const book = b.endsWith('编') ? b : `${b}编`;
    out.add(`${normalizeLawName(title)}${book}`);
    out.add(`${normalizeLawName(title)}·${book}`);
  }
  out.delete(title);
  return [...out];
}

function sameContent(a: ParsedLaw, b: ParsedLaw): boolean {
  if (a.articles.length !== b.articles.length) return false;
  return a.articles.every((x, i) => x.number === b.articles[i]!.number && x.text === b.articles[i]!.text);
}

/** Build the catalog from parsed law files. Deterministic for the same input. */
export function buildCatalog(parts: ParsedLaw[]): LawCatalog {
  const duplicates: DuplicateFile[] = [];
  // title → version → the distinct parts (books or whole laws) of that version
  const groups = new Map<string, Map<string, ParsedLaw[]>>();
  const sorted = [...parts].sort((a, b) => a.sources[0]!.localeCompare(b.sources[0]!));
  for (const part of sorted) {
    const byVersion = groups.get(part.title) ?? new Map<string, ParsedLaw[]>();
    groups.set(part.title, byVersion);
    const list = byVersion.get(part.version) ?? [];
    byVersion.set(part.version, list);
    const dup = list.find((p) => sameContent(p, part) || (p.books.join() === part.books.join() && p.books.length > 0));
    if (dup) {
      duplicates.push({ kept: dup.sources[0]!, dropped: part.sources[0]! });
      continue;
    }
    list.push(part);
  }

  const versions: LawVersion[] = [];
  for (const [title, byVersion] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const order = [...byVersion.keys()].sort((a, b) => b.localeCompare(a));
    order.forEach((version, i) => {
      const list = byVersion.get(version)!;
      const books = list.flatMap((p) => p.books);
      const articles = list
        .flatMap((p) => p.articles)
        .sort((a, b) => a.number - b.number || a.suffix - b.suffix);
      const first = list[0]!;
      versions.push({
        id: `${title}@${version}`,
        title,
        aliases: aliasesOf(title, books),
        category: first.category,
        version,
        status: i === 0 ? 'current' : 'superseded',
        info: first.info,
        books,
        articles,
        sources: list.flatMap((p) => p.sources),
      });
    });
  }

  const byTitle = new Map<string, LawVersion[]>();
  for (const v of versions) byTitle.set(v.title, [...(byTitle.get(v.title) ?? []), v]);
  const names = createLawNameIndex(
    [...byTitle].map(([title, list]) => ({
      title,
      aliases: [...new Set(list.flatMap((v) => v.aliases))],
      books: [...new Set(list.flatMap((v) => v.books))],
    })),
  );
  const ids = new Map(versions.map((v) => [v.id, v]));
  return {
    versions,
    current: versions.filter((v) => v.status === 'current'),
    duplicates,
    resolve(name: string) {
      const list = names.resolveTitles(name).flatMap((t) => byTitle.get(t) ?? []);
      return list.sort((a, b) => b.version.localeCompare(a.version));
    },
    byId: (id) => ids.get(id),
    findLawMentions: (text) => names.findMentions(text),
    resolveLoose: (name) => names.resolveLoose(name),
  };
}
