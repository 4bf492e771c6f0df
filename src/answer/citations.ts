/** Turning index entries into citations, and citations into the lines a user reads. */
import type { LawCatalog } from '../knowledge/catalog.ts';
import { citationLabel } from '../knowledge/citation-label.ts';
import type { Article, Chunk, KnowledgeDocument, LawVersion } from '../knowledge/types.ts';
import type { AnswerCitation } from './types.ts';

export function citationOfArticle(law: LawVersion, article: Article): AnswerCitation {
  return {
    doc: 'law',
    law: law.title,
    article: article.number,
    articleSuffix: article.suffix,
    articleLabel: article.label,
    version: law.version,
    status: law.status,
    text: article.text,
  };
}

/** The full article (or report section) a hit points at; undefined when the index no longer has it. */
export function citationOfChunk(chunk: Chunk, catalog: LawCatalog, documents: KnowledgeDocument[]): AnswerCitation | undefined {
  if (chunk.doc === 'law') {
    const law = catalog.byId(chunk.sourceId);
    const article = law?.articles.find((a) => a.number === chunk.article && a.suffix === (chunk.articleSuffix ?? 0));
    if (law && article) return citationOfArticle(law, article);
    return undefined;
  }
  const doc = documents.find((d) => d.id === chunk.sourceId);
  const section = doc?.sections.find((s) => s.label === chunk.section) ?? sectionOfChunkId(doc, chunk.id);
  return {
    doc: chunk.doc,
    law: chunk.title,
    section: chunk.section ?? section?.label,
    text: section?.text ?? chunk.text,
  };
}

function sectionOfChunkId(doc: KnowledgeDocument | undefined, id: string) {
  const m = id.match(/#(\d+)\.\d+$/);
  return doc && m ? doc.sections[Number(m[1])] : undefined;
}

/** Same article or section (any part of it). */
export function sameSource(a: AnswerCitation, b: AnswerCitation): boolean {
  return a.doc === b.doc && a.law === b.law && a.article === b.article && (a.articleSuffix ?? 0) === (b.articleSuffix ?? 0) && a.version === b.version && a.section === b.section;
}


/** 「（2018-12-29 版）」, with a warning for a superseded version. */
export function versionNote(c: AnswerCitation): string {
  if (c.doc !== 'law' || !c.version) return '';
  return c.status === 'superseded' ? `（${c.version} 版，已被新版本取代）` : `（${c.version} 版）`;
}

/** One line naming a citation with its version date: 《中华人民共和国预算法》第十八条（2018-12-29 版）. */
export function citationLine(c: AnswerCitation): string {
  return citationLabel(c) + versionNote(c);
}

/** The short name people use: 预算法 for 中华人民共和国预算法. */
export function shortTitle(law: LawVersion): string {
  return law.title.startsWith('中华人民共和国') ? law.title.slice('中华人民共和国'.length) : law.title;
}
