/**
 * The offline answer: from ranked hits, a reply a civil servant can act on — a one-line lead naming the law
 * and article, the article's text (for long articles the most relevant 款/项 first), up to three related
 * articles by citation, and the bureau report's section when the question is about the bureau's own work.
 */
import type { LawCatalog } from '../knowledge/catalog.ts';
import type { Chunk, KnowledgeDocument } from '../knowledge/types.ts';
import type { SearchHit } from '../search/types.ts';
import { citationLabel } from '../knowledge/citation-label.ts';
import { citationLine, citationOfChunk, sameSource } from './citations.ts';
import { OWN_WORK } from '../search/question.ts';
import { reportReply, reportSiblings } from './report-outline.ts';
import { bigrams, coverage } from './text-match.ts';
import type { AnswerCitation } from './types.ts';

export interface RankedCitation {
  citation: AnswerCitation;
  score: number;
  /** The best-scoring chunk of the article or section. */
  chunk: Chunk;
}

/** Hits folded into distinct articles / sections (several parts of one article count once, best score kept). */
export function citationsOfHits(hits: SearchHit[], catalog: LawCatalog, documents: KnowledgeDocument[]): RankedCitation[] {
  const out: RankedCitation[] = [];
  for (const h of hits) {
    const c = citationOfChunk(h.chunk, catalog, documents);
    if (!c) continue;
    const seen = out.find((x) => sameSource(x.citation, c));
    if (!seen) out.push({ citation: c, score: h.score, chunk: h.chunk });
    else if (h.score > seen.score) Object.assign(seen, { score: h.score, chunk: h.chunk });
  }
  return out;
}

/** Articles longer than this show their most relevant 款/项 first, the full text one tap away. */
const LONG_TEXT = 260;
const EXCERPT_BUDGET = 220;

/**
 * The most relevant paragraphs (款, or 项 inside them) of a long text, in their original order.
 * Returns undefined when the text is short enough to show whole.
 */
export function relevantExcerpt(text: string, question: string): string | undefined {
  if (text.length <= LONG_TEXT) return undefined;
  const units = text.split('\n').map((s) => s.trim()).filter(Boolean);
  if (units.length < 2) return undefined;
  const q = bigrams(question);
  const scored = units.map((u, i) => ({ u, i, s: coverage(q, u) + (i === 0 ? 0.05 : 0) }));
  const best = [...scored].sort((a, b) => b.s - a.s || a.i - b.i);
  const keep = new Set<number>();
  let used = 0;
  for (const x of best) {
    if (keep.size && used + x.u.length > EXCERPT_BUDGET) break;
    keep.add(x.i);
    used += x.u.length;
    // A list item (（三）…) reads only with its lead-in, the 款 that introduces the list.
    if (/^[（(][一二三四五六七八九十]+[)）]/.test(x.u)) {
      for (let j = x.i - 1; j >= 0; j--) {
        if (!/^[（(][一二三四五六七八九十]+[)）]/.test(units[j]!)) {
          if (!keep.has(j)) {
            keep.add(j);
            used += units[j]!.length;
          }
          break;
        }
      }
    }
  }
  if (keep.size === units.length) return undefined;
  const order = [...keep].sort((a, b) => a - b);
  const parts: string[] = [];
  order.forEach((i, k) => {
    if (k > 0 && i - order[k - 1]! > 1) parts.push('……');
    parts.push(units[i]!);
  });
  if (order[0]! > 0) parts.unshift('……');
  if (order[order.length - 1]! < units.length - 1) parts.push('……');
  return parts.join('\n');
}

export interface ExtractiveReply {
  answer: string;
  citations: AnswerCitation[];
  related: AnswerCitation[];
}


/**
 * Compose the offline reply from ranked citations (best first). The first becomes the answer; the next
 * up to three of the same kind become related citations.
 */
export function composeExtractive(question: string, ranked: RankedCitation[], documents: KnowledgeDocument[] = []): ExtractiveReply {
  const main = ranked[0]!.citation;
  if (main.doc === 'report') {
    const reply = composeReport(question, ranked[0]!, documents);
    if (reply) return reply;
  }
  const lines: string[] = [];
  const citations: AnswerCitation[] = [main];
  if (main.doc === 'law') {
    lines.push(`依据${citationLine(main)}：`);
  } else {
    lines.push(`据${citationLine(main)}：`);
  }
  const excerpt = relevantExcerpt(main.text, question);
  lines.push(excerpt ?? main.text);
  if (excerpt) lines.push('（条文较长，以上为相关款项；点「查看全文」看完整条文。）');

  const report = main.doc === 'law' && OWN_WORK.test(question)
    ? ranked.slice(1, 6).find((r) => r.citation.doc === 'report')
    : undefined;
  if (report) {
    citations.push(report.citation);
    lines.push('', `本局情况见${citationLine(report.citation)}：`, relevantExcerpt(report.citation.text, question) ?? report.citation.text);
  }

  const related = ranked
    .slice(1)
    .map((r) => r.citation)
    .filter((c) => c.doc === 'law' && !citations.some((x) => sameSource(x, c)))
    .slice(0, 3);
  if (related.length) {
    lines.push('', '相关条文：', ...related.map((c) => `· ${citationLine(c)}`));
  }
  return { answer: lines.join('\n'), citations: [...citations, ...related], related };
}

/** The section index of a report chunk: its id is `${documentId}#${sectionIndex}.${part}`. */
function sectionIndexOf(r: RankedCitation): number | undefined {
  const m = r.chunk.id.match(/#(\d+)\.\d+$/);
  return m ? Number(m[1]) : undefined;
}

/**
 * A reply from the bureau's report: a heading or an intro brings its sub-points (report-outline.ts), and the
 * related items are the other points under the same heading. Undefined when the report is not at hand.
 */
function composeReport(question: string, top: RankedCitation, documents: KnowledgeDocument[]): ExtractiveReply | undefined {
  const doc = documents.find((d) => d.id === top.chunk.sourceId);
  const index = sectionIndexOf(top);
  if (!doc || index === undefined) return undefined;
  const outline = reportReply(question, doc, index);
  const main = top.citation;
  const lines = outline ? [`据${citationLabel({ doc: 'report', law: doc.title, section: outline.label })}：`, ...outline.lines] : [`据${citationLine(main)}：`, relevantExcerpt(main.text, question) ?? main.text];
  const citations = outline ? outline.citations : [main];
  const related = outline ? outline.related : reportSiblings(doc, index);
  if (related.length) lines.push('', '相关段落：', ...related.map((c) => `· ${citationLine(c)}`));
  return { answer: lines.join('\n'), citations: [...citations, ...related], related };
}

/** The no-basis reply: one line, the nearest articles offered as 「可能相关」, never as the answer. */
export function composeNoBasis(ranked: RankedCitation[]): ExtractiveReply {
  const related = ranked.slice(0, 3).map((r) => r.citation);
  const lines = ['知识库中没有找到可作依据的条文，无法回答这个问题。'];
  if (related.length) lines.push('可能相关：', ...related.map((c) => `· ${citationLine(c)}`));
  return { answer: lines.join('\n'), citations: [], related };
}
