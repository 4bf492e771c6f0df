/**
 * Turns laws and documents into retrievable chunks. Every law chunk is (part of) one article and cites it;
 * report and case chunks cite their section. Chunks are stored as offsets into the article or section
 * text, so the index keeps each law's text once.
 */
import { createHash } from 'node:crypto';
import type { LawCatalog } from '../knowledge/catalog.ts';
import { articleLabelPattern, articleNumberOf } from '../knowledge/article-reference.ts';
import { generalIdf, searchTerms } from './tokenize.ts';
import type { Chunk, KnowledgeDocument, LawVersion } from '../knowledge/types.ts';

/** Articles longer than this are split for embedding (at 款, then at sentence ends). */
export const MAX_ARTICLE_CHARS = 500;
/** Report sections and case paragraphs are split shorter: their answers are single sentences. */
export const MAX_SECTION_CHARS = 260;

/**
 * Where a chunk's text lives: [kind (0 law, 1 document), source index, item index, part, start, end).
 * Source index is into the versions or documents list; item index is the article or section.
 */
export type ChunkRef = [kind: 0 | 1, source: number, item: number, part: number, start: number, end: number];

/** Split text into [start, end) spans of at most `max` chars, preferring line breaks, then 。；, then any. */
export function splitSpans(text: string, max: number): [number, number][] {
  if (text.length <= max) return [[0, text.length]];
  const spans: [number, number][] = [];
  let start = 0;
  while (text.length - start > max) {
    const window = text.slice(start, start + max);
    let cut = -1;
    for (const re of [/\n/g, /[。；！？]/g, /[，、：]/g]) {
      let m: RegExpExecArray | null;
      let last = -1;
      while ((m = re.exec(window))) if (m.index >= max * 0.4) last = m.index + 1;
      if (last > 0) {
        cut = last;
        break;
      }
    }
    if (cut < 0) cut = max;
    spans.push([start, start + cut]);
    start += cut;
    while (start < text.length && /\s/.test(text[start]!)) start++;
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans.map(([s, e]) => {
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    return [s, e] as [number, number];
  });
}

/** The chunk refs of a set of laws and documents, in a stable order (laws first). */
export function chunkRefs(versions: LawVersion[], documents: KnowledgeDocument[]): ChunkRef[] {
  const refs: ChunkRef[] = [];
  versions.forEach((v, vi) => {
    v.articles.forEach((a, ai) => {
      splitSpans(a.text, MAX_ARTICLE_CHARS).forEach(([s, e], part) => refs.push([0, vi, ai, part, s, e]));
    });
  });
  documents.forEach((d, di) => {
    d.sections.forEach((sec, si) => {
      splitSpans(sec.text, MAX_SECTION_CHARS).forEach(([s, e], part) => refs.push([1, di, si, part, s, e]));
    });
  });
  return refs;
}

/** Materialise a chunk from its ref. */
export function chunkOf(ref: ChunkRef, versions: LawVersion[], documents: KnowledgeDocument[]): Chunk {
  const [kind, src, item, part, start, end] = ref;
  if (kind === 0) {
    const v = versions[src]!;
    const a = v.articles[item]!;
    return {
      id: `${v.id}#${a.number}-${a.suffix}.${part}`,
      doc: 'law',
      sourceId: v.id,
      title: v.title,
      article: a.number,
      articleSuffix: a.suffix,
      articleLabel: a.label,
      version: v.version,
      status: v.status,
      category: v.category,
      path: a.path,
      part,
      text: a.text.slice(start, end),
    };
  }
  const d = documents[src]!;
  const sec = d.sections[item]!;
  return {
    id: `${d.id}#${item}.${part}`,
    doc: d.kind === 'report' ? 'report' : 'document',
    sourceId: d.id,
    title: d.title,
    category: d.category,
    path: sec.path,
    section: sec.label,
    part,
    text: sec.text.slice(start, end),
  };
}

/** Short law name for indexing: the 中华人民共和国 prefix carries no information. */
function shortTitle(title: string): string {
  return title.replace(/^中华人民共和国/, '');
}

/**
 * The text a chunk is indexed and embedded by: its law's short title, heading path and article label, then
 * the text. Law names and chapter headings help questions that name a topic rather than words of the article.
 */
export function indexTextOf(chunk: Chunk, crossReferences = ''): string {
  if (chunk.doc === 'law') {
    const base = `${shortTitle(chunk.title)} ${chunk.path.join(' ')} ${chunk.articleLabel ?? ''}\n${chunk.text}`;
    return crossReferences ? `${base}\n${crossReferences}` : base;
  }
  return `${chunk.title} ${chunk.path.join(' ')}\n${chunk.text}`;
}

/** Content hash of what gets embedded: vectors are reused across builds by this key. */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('base64url').slice(0, 16);
}

/** How much of a referenced article is added to the referring article's indexed text. */
export const CROSS_REFERENCE_CHARS = 120;
/** At most this many referenced articles are added to one article's indexed text. */
export const MAX_CROSS_REFERENCES = 3;
/**
 * Only articles at most this long are expanded: longer ones say enough themselves, and expanding them (tried:
 * all articles, ≤ 150, ≤ 300 chars) made articles that cite a provision compete with the provision itself.
 */
export const CROSS_REFERENCE_MAX_ARTICLE = 80;
/**
 * Key words taken from each referenced article (the rarest by general IDF); 0 takes its opening 120 chars
 * instead, which ranked worse on the held-out sets.
 */
export const CROSS_REFERENCE_WORDS = 8;

/** The rarest words of a text (general IDF), each once. */
function keyWords(text: string, n: number): string[] {
  const idf = generalIdf();
  const words = [...new Set(searchTerms(text))].filter((w) => w.length > 1 && !/^[0-9零〇一二三四五六七八九十百千两第条款项]+$/.test(w));
  return words.sort((a, b) => (idf.get(b) ?? 12) - (idf.get(a) ?? 12)).slice(0, n);
}

const REF = articleLabelPattern('g');
const SELF = /本(?:法|条例|规定|办法|细则|决定)$/;
const LIST_GAP = /^[、，,\s]*(?:和|及|以及|或者|或|与|至|到)?[、\s]*$/;

/**
 * What an article's cross-references point to: for each 本法第十八条 / 《政府采购法》第七十一条 it cites (the
 * same law, or another law in the catalog), the opening of the referenced article. Added to the referring
 * article's indexed text only (never to what is shown), so that a short article such as 「违反政府采购法第七十一
 * 条规定的，处…」 can be found by what it refers to.
 */
export function crossReferenceText(
  version: LawVersion,
  articleIndex: number,
  catalog: Pick<LawCatalog, 'findLawMentions' | 'current'>,
): string {
  const article = version.articles[articleIndex]!;
  const text = article.text;
  if (text.length > CROSS_REFERENCE_MAX_ARTICLE) return '';
  const out: string[] = [];
  const seen = new Set<string>();
  let prev: { law: LawVersion; end: number } | undefined;
  for (const m of text.matchAll(REF)) {
    if (out.length >= MAX_CROSS_REFERENCES) break;
    const start = m.index!;
    const before = text.slice(Math.max(0, start - 40), start);
    let law: LawVersion | undefined;
    if (SELF.test(before)) law = version;
    else if (prev && LIST_GAP.test(text.slice(prev.end, start))) law = prev.law;
    else {
      const mentions = catalog.findLawMentions(before);
      const last = mentions[mentions.length - 1];
      if (last && /^[》>\s]*$/.test(before.slice(last.end))) {
        law = last.title === version.title ? version : catalog.current.find((v) => v.title === last.title);
      }
    }
    prev = law ? { law, end: start + m[0].length } : undefined;
    if (!law) continue;
    const ref = articleNumberOf(m[1]!, m[2]);
    if (!ref) continue;
    const { number, suffix } = ref;
    if (law === version && number === article.number && suffix === article.suffix) continue;
    const target = law.articles.find((a) => a.number === number && a.suffix === suffix);
    const key = `${law.id}#${number}-${suffix}`;
    if (!target || seen.has(key)) continue;
    seen.add(key);
    out.push(CROSS_REFERENCE_WORDS > 0 ? keyWords(target.text, CROSS_REFERENCE_WORDS).join(' ') : target.text.slice(0, CROSS_REFERENCE_CHARS));
  }
  return out.join('\n');
}
