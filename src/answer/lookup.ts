/**
 * Direct article lookup: a question that names an article is answered from the catalog, never from search.
 * The reply is a one-line lead and the article's full text; a missing article says so with the nearest ones.
 */
import { articleLabel } from '../knowledge/article-reference.ts';
import { toChineseNumber } from '../knowledge/chinese-numerals.ts';
import type { LawCatalog } from '../knowledge/catalog.ts';
import { citationLabel } from '../knowledge/citation-label.ts';
import type { Article, LawVersion } from '../knowledge/types.ts';
import type { ArticleNumber, ArticleReference, VersionRequest } from '../knowledge/article-reference.ts';
import { citationLine, citationOfArticle, shortTitle, versionNote } from './citations.ts';
import type { AnswerCitation, AnswerMode } from './types.ts';

export interface LookupReply {
  mode: AnswerMode;
  answer: string;
  citations: AnswerCitation[];
  related: AnswerCitation[];
  /** The law version answered from, for the conversation's next turn. */
  law: LawVersion;
}

/** The version a reference asks for; `note` explains a substitution (no version of that year). */
export function pickVersion(versions: LawVersion[], req: VersionRequest): { law: LawVersion; note?: string } | undefined {
  const sorted = [...versions].sort((a, b) => b.version.localeCompare(a.version));
  const current = sorted.find((v) => v.status === 'current') ?? sorted[0];
  if (!current) return undefined;
  if (req.kind === 'current') return { law: current };
  if (req.kind === 'previous') {
    const prev = sorted.find((v) => v.version < current.version);
    return prev ? { law: prev } : { law: current, note: `知识库中只有《${current.title}》的 ${current.version} 版。` };
  }
  const target = req.kind === 'year' ? req.year : req.date;
  const exact = sorted.find((v) => v.version.startsWith(target));
  if (exact) return { law: exact };
  // The version in force at that time: the newest one adopted on or before it.
  const limit = req.kind === 'year' ? `${req.year}-12-31` : req.date;
  const inForce = sorted.find((v) => v.version !== '' && v.version <= limit);
  const have = sorted.map((v) => v.version || '未注明日期').join('、');
  if (inForce) return { law: inForce, note: `知识库中没有 ${target} 版，以下为当时有效的 ${inForce.version} 版（现有版本：${have}）。` };
  return { law: current, note: `知识库中没有 ${target} 版，以下为现行 ${current.version} 版（现有版本：${have}）。` };
}

function findArticle(law: LawVersion, a: ArticleNumber): Article | undefined {
  return law.articles.find((x) => x.number === a.number && x.suffix === a.suffix);
}

/** Existing articles closest to a missing one: same number (other 之N), else the neighbours. */
function nearestArticles(law: LawVersion, a: ArticleNumber): Article[] {
  const same = law.articles.filter((x) => x.number === a.number);
  if (same.length) return same.slice(0, 3);
  const byDistance = [...law.articles].sort(
    (x, y) => Math.abs(x.number - a.number) - Math.abs(y.number - a.number) || x.number - y.number,
  );
  return byDistance.slice(0, 2).sort((x, y) => x.number - y.number || x.suffix - y.suffix);
}

function lawName(law: LawVersion): string {
  return `《${shortTitle(law)}》`;
}

/**
 * Answer an article reference from the catalog.
 * @example lookupArticles(catalog, catalog.resolve('预算法'), ref) // 《中华人民共和国预算法》第十八条（2018-12-29 版）\n预算年度自公历一月一日起…
 */
export function lookupArticles(catalog: LawCatalog, versions: LawVersion[], ref: ArticleReference): LookupReply | undefined {
  const picked = pickVersion(versions, ref.version);
  if (!picked) return undefined;
  const { law } = picked;
  const found: Article[] = [];
  const missing: ArticleNumber[] = [];
  for (const a of ref.articles) {
    const art = findArticle(law, a);
    if (art) {
      if (!found.includes(art)) found.push(art);
    } else missing.push(a);
  }
  const lines: string[] = [];
  if (picked.note) lines.push(picked.note);
  const citations = found.map((a) => citationOfArticle(law, a));
  const related: AnswerCitation[] = [];

  if (missing.length) {
    const max = law.articles.reduce((m, a) => Math.max(m, a.number), 0);
    const labels = missing.map((a) => articleLabel(a.number, a.suffix)).join('、');
    lines.push(`${lawName(law)}共${toChineseNumber(max)}条，没有${labels}。`);
    const elsewhere = catalog.versions.filter(
      (v) => v.title === law.title && v !== law && missing.some((a) => findArticle(v, a)),
    );
    if (elsewhere.length) lines.push(`该条见于${elsewhere.map((v) => ` ${v.version} 版`).join('、')}（查询时可写明版本，如「${shortTitle(law)}${v0(elsewhere)}年版${labels.split('、')[0]}」）。`);
    for (const a of missing) for (const near of nearestArticles(law, a)) {
      const c = citationOfArticle(law, near);
      if (!related.some((r) => r.article === c.article && r.articleSuffix === c.articleSuffix) && !found.includes(near)) related.push(c);
    }
    if (related.length) lines.push(`最接近的条文：${related.map((r) => r.articleLabel).join('、')}。`);
    if (!found.length) {
      return { mode: 'none', answer: lines.join('\n'), citations: [], related, law };
    }
  }

  if (found.length === 1) {
    const c = citations[0]!;
    lines.push(`${citationLine(c)}：`, c.text);
  } else {
    const first = found[0]!;
    const last = found[found.length - 1]!;
    const contiguous = found.every((a, i) => i === 0 || a.number - found[i - 1]!.number <= 1);
    const span = contiguous && found.length > 2 ? `${first.label}至${last.label}` : found.map((a) => a.label).join('、');
    lines.push(`${citationLabel({ law: law.title, articleLabel: span })}${versionNote(citations[0]!)}：`);
    for (const a of found) lines.push(`${a.label} ${a.text}`);
  }
  return { mode: 'lookup', answer: lines.join('\n'), citations, related, law };
}

function v0(vs: LawVersion[]): string {
  return vs[0]!.version.slice(0, 4);
}
