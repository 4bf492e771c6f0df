/** The seam between answering and its users (CLI, chat core): a question in, a checked answer out. */

export type AnswerMode = 'lookup' | 'extractive' | 'llm' | 'faq' | 'none';

export interface AnswerCitation {
  doc: 'law' | 'report' | 'document';
  /** Law full title (doc === 'law') or document title. */
  law?: string;
  article?: number;
  articleSuffix?: number;
  /** 第十八条 / 第十条之一. */
  articleLabel?: string;
  version?: string;
  status?: 'current' | 'superseded';
  /** Report / document section label. */
  section?: string;
  /** The cited text, always from the index, never from a model. */
  text: string;
}

export interface Answer {
  question: string;
  /** The text the user sees. */
  answer: string;
  mode: AnswerMode;
  /** Cited sources, most relevant first. The first is the answer's main citation. */
  citations: AnswerCitation[];
  /** Related articles (also listed in citations after the main one); with mode 'none', the nearest articles offered as 「可能相关」, never as the answer. */
  related: AnswerCitation[];
  /** A note shown after the answer (e.g. the LLM fell back to the offline answer). */
  note?: string;
  ms: number;
}

export interface AnswerOptions {
  /** Conversation key (chat id): follow-up questions use the previous turn of the same conversation. */
  conversationId?: string;
  /** Streaming: called with the text so far as an LLM writes it (the final answer is still checked). */
  onPartial?: (textSoFar: string) => void;
}

export interface Answerer {
  answer(question: string, opts?: AnswerOptions): Promise<Answer>;
}
