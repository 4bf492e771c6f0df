/**
 * The one way a source is named to a user, in answers, chat, the dashboard, exports, the CLI and quiz
 * explanations: 《中华人民共和国预算法》第十八条 for an article, 《报告》「一、（一）」 for a report section (the
 * brackets keep a section label such as 「一、」 apart from the sentence around it).
 */
import { articleLabel } from './article-reference.ts';

export interface CitationLabelParts {
  /** 'law' (the default) or the kind of document (report…). */
  doc?: string;
  /** The law's or document's full title. */
  law?: string;
  /** The label as printed (第十八条, 第十八条至第二十条); else written from article and articleSuffix. */
  articleLabel?: string;
  article?: number;
  articleSuffix?: number;
  /** Section label of a document (doc !== 'law'). */
  section?: string;
}

/**
 * @example citationLabel({ law: '中华人民共和国预算法', article: 18 }) // '《中华人民共和国预算法》第十八条'
 * @example citationLabel({ doc: 'report', law: '报告', section: '一、（一）' }) // '《报告》「一、（一）」'
 */
export function citationLabel(c: CitationLabelParts): string {
  if (c.doc !== undefined && c.doc !== 'law') return `《${c.law ?? ''}》${c.section ? `「${c.section}」` : ''}`;
  const label = c.articleLabel ?? (c.article ? articleLabel(c.article, c.articleSuffix ?? 0) : '');
  return `《${c.law ?? ''}》${label}`;
}
