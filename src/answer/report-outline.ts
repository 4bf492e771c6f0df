/**
 * Answers from the bureau's report with their content. The report is a tree: parts (一、), subsections
 * (（一）) and items (一是、二是…); a part or subsection opens with a heading or an intro that ends in 「：」 and
 * says nothing by itself (「（七）深入推进预算绩效管理。」, 「主要体现为以下三点：」). A hit on such a section, or a
 * question that matches a heading above the hit better than the hit's own, is answered with that node's
 * sub-points: their text when they are items, their headings when they have items of their own. The cited
 * sections are all of them, so 「查看全文」 shows the whole node; related items are the node's siblings.
 */
import type { DocumentSection, KnowledgeDocument } from '../knowledge/types.ts';
import { questionContent } from '../search/question.ts';
import { bigrams, coverage } from './text-match.ts';
import type { AnswerCitation } from './types.ts';

/** Sub-points shown in full up to this many characters together; beyond it, each by its first sentence. */
const FULL_TEXT_BUDGET = 700;
/** Siblings offered as related items. */
const RELATED = 3;
/** A heading above the hit is the question's topic only when it covers this much more of the question. */
const ABOVE_MARGIN = 0.15;
/** Questions asking what was done or planned under a heading: they want its points. */
const ENUMERATION = /怎么|如何|怎样|哪些|哪几|哪方面|几个方面|几方面|几大|做了什么|做了啥|做了哪|都做|干了什么|采取了|措施|怎么做|如何做|怎样做|开展了|安排|打算|情况如何|情况怎么样|有哪|包括|举措|不足|问题|部分/;
/** Questions after one fact (a number, a date, whether): the hit itself answers them. */
const ONE_FACT = /多少|几个|几次|几名|几家|几位|几件|哪一|哪个|什么时候|何时|哪天|哪年|是否|有没有|是不是/;

interface Node {
  path: string[];
  heading: string;
  /** Sections whose path is exactly this node's, in order (the first is its heading or intro). */
  own: { index: number; section: DocumentSection }[];
  children: Node[];
}

const key = (path: string[]) => path.join('\u0000');

/** The report's tree by heading paths; the root is the document (its heading the title). */
function treeOf(doc: KnowledgeDocument): Map<string, Node> {
  const nodes = new Map<string, Node>();
  const node = (path: string[]): Node => {
    const k = key(path);
    let n = nodes.get(k);
    if (!n) {
      n = { path, heading: path.length ? path[path.length - 1]! : doc.title, own: [], children: [] };
      nodes.set(k, n);
      if (path.length) node(path.slice(0, -1)).children.push(n);
    }
    return n;
  };
  doc.sections.forEach((section, index) => node(section.path).own.push({ index, section }));
  return nodes;
}

function citationOf(doc: KnowledgeDocument, s: DocumentSection): AnswerCitation {
  return { doc: 'report', law: doc.title, section: s.label, text: s.text };
}

/** A node's first section: its own, else (a heading printed with its first child, 一、 before （一）) its first descendant's. */
function firstSection(n: Node): DocumentSection | undefined {
  return n.own[0]?.section ?? (n.children[0] ? firstSection(n.children[0]) : undefined);
}

/** The text of a node for its parent's answer: an item's own text, or the heading of a node with items. */
function pointOf(n: Node): { text: string; sections: DocumentSection[] } {
  const sections = n.own.length ? n.own.map((o) => o.section) : [firstSection(n)].filter((s): s is DocumentSection => s !== undefined);
  if (n.children.length) return { text: n.heading, sections };
  return { text: sections.map((s) => s.text).join('\n'), sections };
}

const firstSentence = (s: string) => (s.match(/^[^。；]*[。；]?/)?.[0] ?? s).trim();

export interface ReportReply {
  /** What the lead line names: the node's citation label. */
  label: string;
  /** The answer's body lines. */
  lines: string[];
  /** The sub-points first, then the node's own sections: every section the answer draws on. */
  citations: AnswerCitation[];
  related: AnswerCitation[];
}

/**
 * The reply for a hit on section `index` of a report: the node the question asks about (the hit's, or one
 * above it whose heading the question matches better) with its sub-points; undefined when that node has
 * none (the hit answers by itself).
 * @example reportReply('局里在预算绩效管理方面做了什么？', report, 26)?.lines // ['一是继续开展事前绩效评估、评审。…', '二是…', '三是…']
 */
export function reportReply(question: string, doc: KnowledgeDocument, index: number): ReportReply | undefined {
  const section = doc.sections[index];
  if (!section) return undefined;
  const nodes = treeOf(doc);
  const q = bigrams(questionContent(question));
  // The hit's node and every node above it, deepest first. A question asking for one fact (多少, 哪个时间)
  // stays with the hit; one asking what was done may be about a heading above it, which must then match
  // the question clearly better than the hit's own heading does.
  const chain: Node[] = [];
  for (let len = section.path.length; len >= 0; len--) chain.push(nodes.get(key(section.path.slice(0, len)))!);
  let best = chain[0]!;
  // The hit's own node is judged by its text too: an item that holds the question's words answers it.
  let bestScore = Math.max(coverage(q, best.heading), coverage(q, section.text));
  if (!ONE_FACT.test(question)) {
    for (const n of chain.slice(1)) {
      const s = coverage(q, n.heading);
      if (s >= bestScore + ABOVE_MARGIN) {
        best = n;
        bestScore = s;
      }
    }
  }
  // A hit on an item's own text answers by itself, unless the question is about a heading above it.
  const onLead = best === chain[0] && best.own[0]?.index === index;
  if (!best.children.length || (best === chain[0] && !onLead)) return undefined;
  // The intro without the heading lines printed in it (「一、2023年度…」「（一）深入学习…。」).
  const bare = (t: string) => t.replace(/[\s\p{P}一二三四五六七八九十]/gu, '');
  const headings = section.path.map(bare);
  const intro = best.own
    .map((o) => o.section.text)
    .join('\n')
    .split('\n')
    .filter((l) => !headings.includes(bare(l)))
    .join('\n')
    .trim();
  const hasIntro = intro !== '';
  // An intro with content of its own (「按照“锁定总额、消化存量、严控增量”的原则……」) answers a question about that
  // content by itself; its points are what a question asking what was done wants, as is a bare heading or a
  // lead-in (「主要体现为以下三点：」).
  if (hasIntro && !/[：:]$/.test(intro) && !ENUMERATION.test(question)) return undefined;

  const points = best.children.map(pointOf);
  const full = points.reduce((n, p) => n + p.text.length, 0) <= FULL_TEXT_BUDGET;
  const lines: string[] = [];
  if (hasIntro) lines.push(intro);
  for (const p of points) lines.push(full ? p.text : firstSentence(p.text));
  if (!full) lines.push('（各项的全文在「查看全文」里。）');

  // Cited in the report's order, the points before the heading: they are what the answer says.
  const cited = [...points.flatMap((p) => p.sections), ...best.own.map((o) => o.section)];
  const citations = cited.filter((s, i) => cited.indexOf(s) === i).map((s) => citationOf(doc, s));
  const parent = best.path.length ? nodes.get(key(best.path.slice(0, -1))) : undefined;
  const related = (parent?.children ?? [])
    .filter((n) => n !== best)
    .map(firstSection)
    .filter((s): s is DocumentSection => s !== undefined && !cited.includes(s))
    .slice(0, RELATED)
    .map((s) => citationOf(doc, s));
  const label = best.own[0]?.section.label ?? best.heading;
  return { label, lines, citations, related };
}

/** Related items for a hit that answers by itself: the other points under the same heading. */
export function reportSiblings(doc: KnowledgeDocument, index: number): AnswerCitation[] {
  const section = doc.sections[index];
  if (!section || !section.path.length) return [];
  const parent = treeOf(doc).get(key(section.path.slice(0, -1)));
  return (parent?.children ?? [])
    .filter((n) => n.own.length && n.own[0]!.index !== index)
    .slice(0, RELATED)
    .map((n) => citationOf(doc, n.own[0]!.section));
}
