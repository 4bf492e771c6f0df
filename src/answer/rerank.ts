/**
 * Answer-level ordering of the retrieved articles. What the question asks for (a time limit, a penalty, a
 * definition, who is responsible) is weighed by the search itself (src/search/article-rerank.ts, weights by
 * cross-validation); adding intent bonuses again here double-counted it and cost answers (dev accuracy@1
 * 0.671 with them, 0.700 without). What stays is the choice of document: questions about the bureau's own
 * work (局里, 去年) prefer the bureau's report; others prefer the law. A question that names the report
 * (这份报告, 报告里说) is about it, as one that names a law is about that law.
 */
import { OWN_WORK } from '../search/question.ts';
import type { RankedCitation } from './extractive.ts';

/** The question speaks of the report itself. */
const NAMES_REPORT = /这份[^，。？?]{0,12}报告|报告(?:里|中|说|提到|一共|有哪|写了|讲了)|法治政府建设(?:情况)?报告/;
/** Added to the report's sections when the question names the report: as much as a named law's bonus. */
const NAMED_REPORT_BONUS = 0.15;

/** The ranked citations reordered by the kind of document the question wants (stable for equal scores). */
export function rerankByIntent(question: string, ranked: RankedCitation[]): RankedCitation[] {
  const ownWork = OWN_WORK.test(question);
  const named = NAMES_REPORT.test(question);
  const scored = ranked.map((r, i) => {
    let bonus = 0;
    const c = r.citation;
    if (c.doc === 'law') {
      if (ownWork) bonus -= 0.03;
    } else if (c.doc === 'report') {
      bonus += (ownWork ? 0.05 : -0.03) + (named ? NAMED_REPORT_BONUS : 0);
    }
    return { r, i, s: r.score + bonus };
  });
  scored.sort((a, b) => b.s - a.s || a.i - b.i);
  return scored.map((x) => x.r);
}
