/**
 * Checks a question against the law it cites: the key fills the blank with the article's own words, no
 * distractor does (nor makes a sentence found anywhere in the law), and the explanation quotes the article.
 * Used by scripts/check-quiz.ts and the tests; the generator is built to pass it.
 */
import { citationLabel } from '../knowledge/citation-label.ts';
import type { Article, LawVersion } from '../knowledge/types.ts';
import { BLANK, ELLIPSIS, NOTE_OPEN, compact } from './generate/text.ts';
import { caseSentences } from './generate/units.ts';
import type { QuestionJson } from './types.ts';

/** Curated and LLM questions are written freely; only their citation and shape are checked. */
const FREE_KINDS = new Set(['curated', 'scenario', 'case']);

/** Compare texts the way they are printed: no white space, one kind of colon, no trailing stop. */
function norm(s: string): string {
  return compact(s).replace(/:/g, '：').replace(/,/g, '，').replace(/;/g, '；');
}

function trimStop(s: string): string {
  return s.replace(/[。；，：？]+$/, '');
}

/** The stem without its 「根据《…》，」 (or 「根据《…》关于…合同的规定，」) preface and without the note that shows a referenced paragraph. */
export function stemBody(q: Pick<QuestionJson, 'stem' | 'law'>): string {
  const prefix = `根据《${q.law}》`;
  const scoped = q.stem.startsWith(prefix) ? q.stem.slice(prefix.length).match(/^(?:关于[^，。]{1,20}?的规定)?，/) : null;
  const body = scoped ? q.stem.slice(prefix.length + scoped[0].length) : q.stem;
  const note = body.lastIndexOf(NOTE_OPEN);
  return note > 0 && body.endsWith('）') ? body.slice(0, note) : body;
}

/** The note of a stem (the referenced paragraphs it quotes), '' when there is none. */
export function stemNote(q: Pick<QuestionJson, 'stem'>): string {
  const note = q.stem.lastIndexOf(NOTE_OPEN);
  return note > 0 && q.stem.endsWith('）') ? q.stem.slice(note + NOTE_OPEN.length, -1) : '';
}

/** True when every ……-separated piece of a statement is in the text. */
function statementIn(statement: string, text: string): boolean {
  return norm(statement)
    .split(ELLIPSIS)
    .map(trimStop)
    .every((piece) => piece.length > 0 && text.includes(piece));
}

/** Problems found with one question (empty when it is sound). */
export function checkQuestion(q: QuestionJson & { kind?: string }, law: LawVersion, article: Article | undefined): string[] {
  const problems: string[] = [];
  if (!article) return [`${q.law}${q.article}（${q.version}）在法规库中找不到`];
  // The article as written, and its lists' cases read as sentences (units.ts caseSentence).
  const articleText = [norm(article.text), ...caseSentences(article).map(norm)].join('\n');
  const lawText = law.articles.map((a) => norm(a.text)).join('\n');
  const n = q.options.length;
  if (new Set(q.options).size !== n) problems.push('选项重复');
  if (q.answer.length === 0 || q.answer.some((i) => i < 0 || i >= n)) problems.push('答案序号无效');
  const quotePrefix = `依据${citationLabel({ law: q.law, articleLabel: q.article })}：`;
  if (!q.explanation.startsWith(quotePrefix)) problems.push('解析未以条文出处开头');
  else {
    // The quote runs to the first space (article texts are compared without white space); a remark may follow.
    const quoted = q.explanation.slice(quotePrefix.length).split(' ')[0]!;
    if (!statementIn(quoted, articleText)) problems.push('解析引用的文字不在条文中');
  }
  const body = stemBody(q);
  for (const part of stemNote(q).split('；').filter(Boolean)) {
    const quoted = part.slice(part.indexOf('：') + 1);
    if (!statementIn(quoted, lawText)) problems.push(`题干注释引用的「${quoted.slice(0, 20)}」不在法规中`);
  }
  if (q.type === 'single') {
    if (n !== 4) problems.push(`单选题应有 4 个选项（现有 ${n} 个）`);
    if (q.answer.length !== 1) problems.push('单选题应只有一个答案');
    const blanks = body.split(BLANK).length - 1;
    if (FREE_KINDS.has(q.kind ?? '')) {
      // Written freely (curated, LLM) or computed (case): only the shape and the citation are checked.
    } else if ((q.kind === 'item' || q.kind === 'principle') && /不属于|不包括/.test(body)) {
      // 「下列各项中，不属于……的是」: every option is listed in the article except the key.
      q.options.forEach((opt, i) => {
        const inArticle = articleText.includes(trimStop(norm(opt)));
        if (q.answer.includes(i) && inArticle) problems.push(`答案「${opt}」却在条文所列之中`);
        if (!q.answer.includes(i) && !inArticle) problems.push(`选项「${opt}」不在条文中`);
      });
    } else if (blanks === 1) {
      q.options.forEach((opt, i) => {
        const filled = body.replace(BLANK, opt);
        const right = q.answer.includes(i);
        if (right && !statementIn(filled, articleText)) problems.push(`答案「${opt}」填入后与条文不符`);
        if (!right && statementIn(filled, lawText)) problems.push(`干扰项「${opt}」填入后也是法条原文`);
      });
    } else {
      problems.push(`题干应有一个空（现有 ${blanks} 个）`);
    }
  } else if (q.type === 'judge') {
    if (n !== 2 || q.answer.length !== 1) problems.push('判断题应为「正确 / 错误」二选一');
    if (!FREE_KINDS.has(q.kind ?? '')) {
      const isTrue = q.answer[0] === 0;
      if (isTrue && !statementIn(body, articleText)) problems.push('判为「正确」的题干与条文不符');
      if (!isTrue && statementIn(body, lawText)) problems.push('判为「错误」的题干却是法条原文');
    }
  } else {
    if (q.answer.length < 2) problems.push('多选题应至少有两个正确答案');
    if (!FREE_KINDS.has(q.kind ?? '')) {
      q.options.forEach((opt, i) => {
        const inArticle = articleText.includes(trimStop(norm(opt)));
        if (q.answer.includes(i) && !inArticle) problems.push(`答案「${opt}」不在条文中`);
        if (!q.answer.includes(i) && inArticle) problems.push(`干扰项「${opt}」也在条文中`);
      });
    }
  }
  return problems;
}
