/**
 * Splits the bureau's own reports along their headings: 一、 (part), （一） (subsection) and the
 * 一是… 二是… items inside a paragraph; （1）（2） stay inside their item. Every character of the
 * report's text ends up in exactly one section, in order, so a quoted sentence is always found whole.
 */
import type { DocumentSection, KnowledgeDocument } from './types.ts';

const CN = '一二三四五六七八九十';
const PART = new RegExp(`^([${CN}]{1,3})、`);
const SUBSECTION = new RegExp(`^[（(]([${CN}]{1,3})[)）]`);
/** 一是 / 二是 … after the start of a paragraph or a punctuation mark. */
const ITEM = new RegExp(`(^|[。；;：:，,！？])([${CN}]{1,3})是`, 'g');
const HAS_ITEM = new RegExp(`(?:^|[。；;：:，,！？])[${CN}]{1,3}是`);
const MAX_LABEL_HEADING = 24;

const CN_VALUE: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
function cnValue(s: string): number {
  if (s.length === 1) return CN_VALUE[s]!;
  if (s.startsWith('十')) return 10 + (CN_VALUE[s[1]!] ?? 0);
  return CN_VALUE[s[0]!]! * 10 + (s[2] ? CN_VALUE[s[2]]! : 0);
}

export interface ReportMeta {
  sourcePath: string;
  fileStem: string;
  category?: string;
}

/** The heading a piece of text opens with: its first sentence (without the closing 。). */
function firstSentence(s: string): string {
  const m = s.match(/^[^。！？]*/);
  return (m ? m[0] : s).replace(/[，,；;：:]$/, '');
}

/** A short label text: the heading cut at a comma when long. */
function shortHeading(s: string): string {
  if (s.length <= MAX_LABEL_HEADING) return s;
  const comma = s.search(/[，,；;]/);
  if (comma > 0 && comma <= MAX_LABEL_HEADING) return s.slice(0, comma);
  return s.slice(0, MAX_LABEL_HEADING) + '…';
}

/** 「一、（五）」 + heading → 「一、（五） 进一步规范…」; after 「二、」 no space, as printed. */
function joinLabel(label: string, heading: string): string {
  if (!heading) return label;
  return label.endsWith('、') ? `${label}${heading}` : `${label} ${heading}`;
}

/** Split a paragraph at its 一是/二是 items, in sequence (a repeated number, as reports have, still counts). */
function splitItems(paragraph: string): { lead: string; items: { numeral: string; text: string }[] } {
  const cuts: { at: number; numeral: string }[] = [];
  let expected = 1;
  for (const m of paragraph.matchAll(ITEM)) {
    const n = cnValue(m[2]!);
    if (n === expected || (n === expected - 1 && n > 0)) {
      cuts.push({ at: m.index! + m[1]!.length, numeral: m[2]! });
      expected = n + 1;
    }
  }
  if (cuts.length === 0) return { lead: paragraph, items: [] };
  const items = cuts.map((c, i) => ({ numeral: c.numeral, text: paragraph.slice(c.at, cuts[i + 1]?.at ?? paragraph.length) }));
  return { lead: paragraph.slice(0, cuts[0]!.at), items };
}

/**
 * Parse a report's cleaned text into sections with heading paths and citation labels.
 * @example parseReportText('某局报告\n一、工作情况\n（一）加强学习。一是学法。二是用法。', { sourcePath: 'reports/a.txt', fileStem: 'a' })
 *   // sections labelled 「一、（一） 加强学习」「一、（一）一是 学法」「一、（一）二是 用法」
 */
export function parseReportText(text: string, meta: ReportMeta): KnowledgeDocument {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  let title = meta.fileStem;
  if (paragraphs.length > 1 && paragraphs[0]!.length <= 60 && !/。/.test(paragraphs[0]!.slice(0, -1))) {
    title = paragraphs.shift()!.replace(/^#+\s*/, '');
  }

  const sections: DocumentSection[] = [];
  let part: { numeral: string; heading: string } | undefined;
  let sub: { numeral: string; heading: string } | undefined;
  /** Text waiting for the next section (a heading line on its own). */
  let pending = '';
  /** The section that plain follow-up paragraphs continue. */
  let open: DocumentSection | undefined;

  const basePath = () => [...(part ? [`${part.numeral}、${part.heading}`] : []), ...(sub ? [`（${sub.numeral}）${sub.heading}`] : [])];
  const baseLabel = () => `${part ? `${part.numeral}、` : ''}${sub ? `（${sub.numeral}）` : ''}`;
  const push = (s: DocumentSection) => {
    s.text = pending ? `${pending}\n${s.text}` : s.text;
    pending = '';
    sections.push(s);
    open = s;
  };

  for (const raw of paragraphs) {
    const p = raw.replace(/^#+\s*/, '');
    const partMatch = p.match(PART);
    const subMatch = p.match(SUBSECTION);
    if (partMatch) {
      part = { numeral: partMatch[1]!, heading: firstSentence(p.slice(partMatch[0].length)) };
      sub = undefined;
      open = undefined;
    } else if (subMatch) {
      sub = { numeral: subMatch[1]!, heading: firstSentence(p.slice(subMatch[0].length)) };
      open = undefined;
    } else if (open && !HAS_ITEM.test(p)) {
      // A plain paragraph continues the section before it.
      open.text += `\n${p}`;
      continue;
    }
    const { lead, items } = splitItems(p);
    // A heading is the opening sentence before the first item: 「（二）加强法治工作机制建设，一是…」.
    const marker = partMatch?.[0] ?? subMatch?.[0];
    if (marker && items.length > 0 && lead.length > marker.length) {
      const heading = firstSentence(lead.slice(marker.length));
      if (partMatch) part!.heading = heading;
      else sub!.heading = heading;
    }
    const isHeadingOnly = (partMatch || subMatch) && items.length === 0 && !/。./.test(p) && p.length <= 60;
    if (isHeadingOnly) {
      // A heading on its own line joins the first section under it, so no text is lost.
      pending = pending ? `${pending}\n${p}` : p;
      open = undefined;
      continue;
    }
    const label = baseLabel();
    if (lead.trim()) {
      const heading = sub?.heading ?? part?.heading;
      push({ path: basePath(), label: label ? joinLabel(label, shortHeading(heading ?? '')) : '前言', text: lead });
    }
    for (const item of items) {
      const heading = firstSentence(item.text.slice(item.numeral.length + 1));
      push({
        path: [...basePath(), `${item.numeral}是${shortHeading(heading)}`],
        label: `${label}${item.numeral}是 ${shortHeading(heading)}`,
        text: item.text,
      });
    }
  }
  if (pending) sections.push({ path: basePath(), label: joinLabel(baseLabel(), shortHeading(sub?.heading ?? part?.heading ?? '')) || '前言', text: pending });

  return {
    id: meta.sourcePath,
    kind: 'report',
    title,
    category: meta.category ?? '',
    sections,
    sources: [meta.sourcePath],
  };
}
