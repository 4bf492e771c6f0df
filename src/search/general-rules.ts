/**
 * General rules and explicit references: the structure of a law that lexical matching cannot see.
 *
 * - A question about a particular contract, injury or crime is often decided by the general rule of its part
 *   of the law (合同编 第一分编 通则: termination 第五百六十三条; 侵权责任编 第一章 一般规定: fault 第一千一百六十五条;
 *   刑法 第一编 总则: self-defence, surrender, age), which shares few words with the question. When the top hits
 *   cluster under one part, the general part beside it (the sibling heading named 一般规定 / 通则 / 总则) is
 *   searched as well and its best articles offered.
 * - An article that says 依照本法第X条 points to the article that holds the rule; an article that others cite
 *   is the rule they apply. Both directions are offered: the cited articles of a hit, and the articles of the
 *   same law citing a hit.
 * Everything here reads headings and article texts only; nothing is tuned to particular questions.
 */
import { articleLabelPattern, articleNumberOf } from '../knowledge/article-reference.ts';
import type { Chunk } from '../knowledge/types.ts';

/** A heading that holds a part's general rules. */
const GENERAL_HEADING = /一般规定|通则|^(?:第[一二三四五六七八九十]+编\s*)?总则$/;

/** An article's citation of another article of the same law: 依照本法第X条, 本法第X条, 适用第X条. */
const SELF_REFERENCE = new RegExp(`(?:本法|本条例|本规定|本办法|本解释)${articleLabelPattern('').source}`, 'g');

/** The article (all its parts) a chunk belongs to. */
const articleKey = (c: Chunk) => `${c.sourceId}#${c.article}-${c.articleSuffix ?? 0}`;

interface SourceStructure {
  /** Chunk ids by heading prefix ("合同编/第一分编 通则"). */
  byPrefix: Map<string, number[]>;
  /** First chunk id of each article by number-suffix. */
  articles: Map<string, number>;
  /** For each article key, the first chunks of the articles citing it. */
  citedBy: Map<string, number[]>;
  /** For each article key, the first chunks of the articles it cites. */
  cites: Map<string, number[]>;
}

export class LawStructure {
  private readonly sources = new Map<string, SourceStructure>();
  private readonly bySource = new Map<string, number[]>();

  constructor(private readonly chunks: Chunk[]) {
    chunks.forEach((c, i) => {
      if (c.doc !== 'law') return;
      const list = this.bySource.get(c.sourceId);
      if (list) list.push(i);
      else this.bySource.set(c.sourceId, [i]);
    });
  }

  private source(id: string): SourceStructure {
    let s = this.sources.get(id);
    if (s) return s;
    s = { byPrefix: new Map(), articles: new Map(), citedBy: new Map(), cites: new Map() };
    const ids = this.bySource.get(id) ?? [];
    for (const i of ids) {
      const c = this.chunks[i]!;
      for (let d = 1; d <= c.path.length; d++) {
        const key = c.path.slice(0, d).join('/');
        const list = s.byPrefix.get(key);
        if (list) list.push(i);
        else s.byPrefix.set(key, [i]);
      }
      const k = `${c.article}-${c.articleSuffix ?? 0}`;
      if (!s.articles.has(k)) s.articles.set(k, i);
    }
    for (const i of ids) {
      const c = this.chunks[i]!;
      for (const m of c.text.matchAll(SELF_REFERENCE)) {
        const ref = articleNumberOf(m[1]!, m[2]);
        const target = ref && s.articles.get(`${ref.number}-${ref.suffix}`);
        if (target === undefined || target === i) continue;
        const from = s.articles.get(`${c.article}-${c.articleSuffix ?? 0}`)!;
        const to = articleKey(this.chunks[target]!);
        push(s.citedBy, to, from);
        push(s.cites, articleKey(c), target);
      }
    }
    this.sources.set(id, s);
    return s;
  }

  /**
   * The general part governing a chunk: the nearest sibling heading (same law, same parent) that holds general
   * rules, as the ids of its chunks; undefined when the chunk is itself in one, or its law has none.
   */
  generalPart(i: number): { key: string; ids: number[] } | undefined {
    const c = this.chunks[i];
    if (!c || c.doc !== 'law' || c.path.length === 0) return undefined;
    if (c.path.some((h) => GENERAL_HEADING.test(h))) return undefined;
    const s = this.source(c.sourceId);
    for (let depth = c.path.length - 1; depth >= 0; depth--) {
      const parent = c.path.slice(0, depth).join('/');
      for (const [key, ids] of s.byPrefix) {
        // A sibling heading: one level below the parent, its last segment a general heading.
        const head = depth === 0 ? key : key.startsWith(parent + '/') ? key.slice(parent.length + 1) : undefined;
        if (head === undefined || head.includes('/') || !GENERAL_HEADING.test(head)) continue;
        return { key: `${c.sourceId}\u0000${key}`, ids };
      }
    }
    return undefined;
  }

  /** The first chunks of the articles a chunk's article cites in its own law, and of those citing it. */
  references(i: number): { cites: number[]; citedBy: number[] } {
    const c = this.chunks[i];
    if (!c || c.doc !== 'law') return { cites: [], citedBy: [] };
    const s = this.source(c.sourceId);
    const k = articleKey(c);
    return { cites: s.cites.get(k) ?? [], citedBy: s.citedBy.get(k) ?? [] };
  }
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const list = m.get(k);
  if (!list) m.set(k, [v]);
  else if (!list.includes(v)) list.push(v);
}
