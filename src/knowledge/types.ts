/**
 * The structured knowledge pufa works on. Loaders turn files into these; the index stores them;
 * answers and quizzes read them. Nothing here depends on how they are searched or shown.
 */

/** One article (条) of one version of a law. */
export interface Article {
  /** Article number as an integer: 第一百零三条 → 103; 第十条之一 → 10 (with suffix 1). */
  number: number;
  /** 0 for an ordinary article, N for 第X条之N. */
  suffix: number;
  /** The article's own label as printed: 第十条之一. */
  label: string;
  /** Heading path inside the law: ['第一编 总则', '第三章 法人', '第一节 一般规定']. */
  path: string[];
  /** The article's paragraphs (款), the first one starting after the label; 项 stay inside their 款. */
  paragraphs: string[];
  /** Full text without the label: paragraphs joined with newlines. */
  text: string;
}

export type LawStatus = 'current' | 'superseded';

/** One version of one law (法律、行政法规、部门规章、司法解释…), as ingested. */
export interface LawVersion {
  /** Stable id: `${title}@${version}`. */
  id: string;
  /** Full title as printed: 中华人民共和国预算法. */
  title: string;
  /** Short names people use: 预算法 (without 中华人民共和国), and any extra configured aliases. */
  aliases: string[];
  /** Category as in the law database's menus (经济法, 行政法规…), from the folder; '' when unknown. */
  category: string;
  /** Version date YYYY-MM-DD (the file name's date, else the latest date of the info block); '' if none. */
  version: string;
  /** The newest version of a title is current; older ones are superseded and never answer by default. */
  status: LawStatus;
  /** Info block lines (通过、修正、施行…). */
  info: string[];
  /** Books of a code that arrive as separate files (民法典: 总则编, 合同编…). Empty for ordinary laws. */
  books: string[];
  articles: Article[];
  /** Source files (relative to their root) this version was built from. */
  sources: string[];
}

/** A section of a document without articles: the bureau's report, a case, a notice. */
export interface DocumentSection {
  /** Heading path: ['一、2023年度法治政府建设情况', '（一）深入学习宣传…']. */
  path: string[];
  /** A short human label for citing: 「一、（一）」 or the heading text. */
  label: string;
  text: string;
}

export type DocumentKind = 'report' | 'document';

export interface KnowledgeDocument {
  /** Stable id derived from the source path. */
  id: string;
  kind: DocumentKind;
  title: string;
  category: string;
  sections: DocumentSection[];
  sources: string[];
}

/** What a loader makes of one file before laws are grouped into versions. */
export type ParsedFile =
  | { kind: 'law'; law: Omit<LawVersion, 'id' | 'status' | 'aliases'> }
  | { kind: 'document'; document: KnowledgeDocument };

/** A file that could not be read: named with its reason, skipped, never fatal for the rest. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** The retrievable unit. A long article may be split into parts, each still citing its article. */
export interface Chunk {
  /** Stable id: `${lawId}#${number}-${suffix}.${part}` or `${documentId}#${sectionIndex}.${part}`. */
  id: string;
  doc: 'law' | 'report' | 'document';
  /** Law version id or document id. */
  sourceId: string;
  /** Law full title or document title. */
  title: string;
  /** Law fields (doc === 'law'). */
  article?: number;
  articleSuffix?: number;
  articleLabel?: string;
  version?: string;
  status?: LawStatus;
  category: string;
  path: string[];
  /** Section label (doc !== 'law'). */
  section?: string;
  /** 0-based part index when an article or section is split. */
  part: number;
  text: string;
}
