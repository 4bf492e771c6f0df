/**
 * Which laws and articles a quiz may ask about: the checklist's laws for the given roles, resolved through
 * the catalog, limited to the listed books of a code, and the version in force at a given date.
 */
import type { LawCatalog } from '../knowledge/catalog.ts';
import { resolveChecklist, type Checklist } from '../knowledge/checklist.ts';
import type { Article, LawVersion } from '../knowledge/types.ts';

export interface ScopeLaw {
  /** Full title as in the catalog (中华人民共和国预算法). */
  title: string;
  /** Only articles of these books (民法典: 总则编, 合同编); undefined for the whole law. */
  books?: string[];
  /** Articles to stress: every one comes up in the yearly rotation. */
  keyArticles: number[];
}

export interface QuizScope {
  laws: ScopeLaw[];
  /** Checklist titles the catalog does not have. */
  missing: string[];
  /** Requested roles the checklist does not define. */
  unknownRoles: string[];
}

/**
 * The laws of the given roles (all roles when none are given), each once, in checklist order.
 * @example quizScope(checklist, ['政府采购岗'], catalog).laws.map((l) => l.title)
 */
export function quizScope(checklist: Checklist, roles: string[] | undefined, catalog: LawCatalog): QuizScope {
  const known = new Set(checklist.roles.map((r) => r.name));
  const wanted = roles && roles.length ? roles : [...known];
  const { entries, missing } = resolveChecklist(checklist, catalog);
  const laws = new Map<string, ScopeLaw & { whole: boolean }>();
  for (const e of entries) {
    if (!wanted.includes(e.role) || !e.lawId) continue;
    const prev = laws.get(e.title);
    const whole = !e.books || e.books.length === 0;
    if (!prev) {
      laws.set(e.title, { title: e.title, keyArticles: [...e.keyArticles], ...(whole ? {} : { books: [...e.books!] }), whole });
      continue;
    }
    prev.keyArticles = [...new Set([...prev.keyArticles, ...e.keyArticles])].sort((a, b) => a - b);
    prev.whole ||= whole;
    prev.books = prev.whole ? undefined : [...new Set([...(prev.books ?? []), ...(e.books ?? [])])];
  }
  return {
    laws: [...laws.values()].map(({ whole: _whole, ...l }) => (l.books ? l : { title: l.title, keyArticles: l.keyArticles })),
    missing,
    unknownRoles: wanted.filter((r) => !known.has(r)),
  };
}

/**
 * The version of a law in force on a date (YYYY-MM-DD): the newest version dated on or before it; the
 * current version when no date is given or every version is newer.
 */
export function lawVersionAt(catalog: LawCatalog, title: string, date?: string): LawVersion | undefined {
  const versions = catalog.resolve(title).filter((v) => v.title === title);
  const all = versions.length ? versions : catalog.resolve(title);
  const current = all.find((v) => v.status === 'current') ?? all[0];
  if (!date) return current;
  return [...all].sort((a, b) => b.version.localeCompare(a.version)).find((v) => v.version && v.version <= date) ?? current;
}

const bookKey = (b: string) => b.replace(/[\s·]/g, '').replace(/编$/, '');

/** The law's articles inside the scope's books (all of them when the scope names none). */
export function scopeArticles(law: LawVersion, scope: Pick<ScopeLaw, 'books'>): Article[] {
  if (!scope.books || scope.books.length === 0 || law.books.length === 0) return law.articles;
  const allowed = new Set(scope.books.map(bookKey));
  return law.articles.filter((a) => a.path[0] !== undefined && allowed.has(bookKey(a.path[0])));
}
