/**
 * The shapes quizzes are made of. Questions are plain data: the chat stores them, the records keep their
 * ids, the admin exports them. Nothing here knows how a question is shown or answered.
 */

import type { AttemptQuestion } from '../records/training.ts';
import { shortHash } from './random.ts';

export type QuestionType = 'single' | 'multiple' | 'judge';

/** Chinese names of the three types, as law exams print them. */
export const QUESTION_TYPE_NAMES: Record<QuestionType, string> = {
  single: '单选题',
  multiple: '多选题',
  judge: '判断题',
};

/** What a blank or an altered span holds: the kinds of facts staff must remember. */
export type SpanKind =
  | 'time' // 二十日, 三个月, 十五个工作日
  | 'date' // 一月一日
  | 'amount' // 五万元, 一万元以上十万元以下
  | 'ratio' // 百分之五, 百分之一至百分之三, 二倍以上五倍以下
  | 'count' // 三人以上, 五名
  | 'organ' // 本级政府财政部门, 县级以上人民政府
  | 'party' // 出卖人, 承租人: who bears a duty or holds a right in a civil relation
  | 'effect' // 无效 / 可撤销 / 效力待定; 连带责任 / 按份责任
  | 'modal' // 应当 ↔ 可以, 不得 ↔ 可以
  | 'item' // one enumerated 项 or list item
  | 'tally' // how many 项 an enumeration lists (政务处分的种类共有（　）)
  | 'definition' // 本法所称（　），是指……
  | 'principle' // 应当遵循……原则
  | 'case' // a computed case: a deadline's last day, a fine range applied to a sum
  | 'curated'
  | 'scenario';

export type QuestionSource = 'generated' | 'curated' | 'llm';

/** A generated or curated question: the stored shape of a question (records) plus how it was made. */
export interface Question extends AttemptQuestion {
  type: QuestionType;
  kind: SpanKind;
  source: QuestionSource;
  /**
   * The fact the question tests (an article's sentence and span, a list, a definition): questions on one
   * fact in different forms share it, so that a retry asks another fact rather than the same one again.
   */
  fact: string;
  /** The options are in no meaningful order (organs, terms; not numbers or dates in ascending order): a quiz may rotate them. */
  freeOrder?: boolean;
}

/** The JSON shape `pufa quiz preview --json` prints for each question. */
export interface QuestionJson {
  type: QuestionType;
  stem: string;
  options: string[];
  answer: number[];
  law: string;
  article: string;
  version: string;
  explanation: string;
  /** How the question was made (SpanKind): 'time', 'organ', 'case', 'definition', 'curated'… */
  kind: SpanKind;
}

export function toQuestionJson(q: Question): QuestionJson {
  return {
    type: q.type,
    stem: q.stem,
    options: q.options,
    answer: q.answer,
    law: q.law,
    article: q.article,
    version: q.version,
    explanation: q.explanation,
    kind: q.kind,
  };
}

/** Option letters as exams print them. */
export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

export const JUDGE_OPTIONS = ['正确', '错误'];

/** A stable key for an article across versions: the unit spaced repetition and rotation work on. */
export function articleKey(law: string, articleNumber: number, articleSuffix = 0): string {
  return `${law}#${articleNumber}${articleSuffix ? `-${articleSuffix}` : ''}`;
}

/**
 * Deterministic question id: law title + version + article + type + the blanked span (and variant).
 * An amended law has a new version, so its questions get new ids and the old ones retire.
 */
export function questionId(law: string, version: string, article: string, type: QuestionType, span: string, variant = ''): string {
  return `q-${shortHash(law, version, article, type, span, variant)}`;
}

/** The fact key of questions on one span, list or definition of an article (Question.fact). */
export function factKey(law: string, version: string, article: string, span: string): string {
  return `f-${shortHash(law, version, article, span)}`;
}
