/**
 * Makes exam questions from a law's own articles: 单选题 (a blank on a time limit, amount, ratio, date or
 * organ), 多选题 (which items does the article list) and 判断题 (the statement, or a precisely altered one).
 * The steps live in ./generate/: units (what may be asked), spans (what to blank), distractors, alteration,
 * assembly. Every distractor is checked against the whole law so that it never makes a true statement there.
 */
import type { LawVersion } from '../knowledge/types.ts';
import { caseFromSpan, definitionQuestions, judgeFromModal, judgeFromSpan, multipleFromEnumeration, principleQuestions, singleFromSpan } from './generate/assembly.ts';
import { buildLawContext, type LawContext, type Neighbourhood } from './generate/law-context.ts';
import { findParties } from './generate/parties.ts';
import { findSpans } from './generate/spans.ts';
import { articleUnits, isAskableArticle } from './generate/units.ts';
import type { Question, QuestionType } from './types.ts';


export interface GenerateOptions {
  /** Which types to make (all three by default). */
  types?: QuestionType[];
  /** Only these article numbers (a checklist's key articles); all eligible ones when omitted. */
  articles?: number[];
  /** Terms and principles of the laws asked together (the bank's): wrong options of definition and principle questions. */
  neighbourhood?: Neighbourhood;
}

/**
 * All questions the generator can make from one law version, in article order. Deterministic: the same
 * law text always gives the same questions, options and option order.
 * @example generateLawQuestions(catalog.resolve('预算法')[0]!, { types: ['single'] })
 */
export function generateLawQuestions(law: LawVersion, opts: GenerateOptions = {}, ctx: LawContext = buildLawContext(law, opts.neighbourhood)): Question[] {
  const types = new Set(opts.types ?? ['single', 'multiple', 'judge']);
  const only = opts.articles ? new Set(opts.articles) : undefined;
  const out: Question[] = [];
  const seen = new Set<string>();
  const push = (q: Question | undefined) => {
    // Two spans of one sentence both left unaltered make the same true-or-false question: keep one.
    const key = q ? `${q.type}|${q.stem}` : '';
    if (q && !seen.has(q.id) && !seen.has(key)) {
      seen.add(q.id);
      seen.add(key);
      out.push(q);
    }
  };
  for (const a of law.articles) {
    if (only && !only.has(a.number)) continue;
    if (!isAskableArticle(a)) continue;
    const lists = [...multipleFromEnumeration(ctx, a), ...principleQuestions(ctx, a)];
    lists.filter((q) => types.has(q.type)).forEach(push);
    if (types.has('single')) definitionQuestions(ctx, a).forEach(push);
    for (const unit of articleUnits(a, law)) {
      const spans = [...findSpans(unit.text), ...findParties(unit.text)].filter((s) => s.start >= unit.from && s.end <= (unit.to ?? unit.text.length)).sort((x, y) => x.start - y.start);
      let asked = false;
      for (const span of spans) {
        const made = [
          types.has('single') ? singleFromSpan(ctx, a, unit, span) : undefined,
          types.has('single') ? caseFromSpan(ctx, a, unit, span) : undefined,
          types.has('judge') ? judgeFromSpan(ctx, a, unit, span) : undefined,
        ].filter((q): q is Question => q !== undefined);
        made.forEach(push);
        asked ||= made.length > 0;
      }
      // A unit none of whose spans could be asked (a generic organ, the law's own department) may still be
      // asked by its 应当 / 不得 / 可以.
      if (types.has('judge') && !asked) push(judgeFromModal(ctx, a, unit));
    }
  }
  return out;
}
