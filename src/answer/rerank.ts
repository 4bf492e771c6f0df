/**
 * Answer-level ordering of the retrieved articles. What the question asks for (a time limit, a penalty, a
 * definition, who is responsible) is weighed by the search itself (src/search/article-rerank.ts, weights by
 * cross-validation); adding intent bonuses again here double-counted it and cost answers (dev accuracy@1
 * 0.671 with them, 0.700 without). What stays is the choice of document: questions about the bureau's own
 * work (局里, 去年) prefer the bureau's report; others prefer the law.
 */
import type { RankedCitation } from './extractive.ts';

const OWN_WORK = /局里|我局|本局|我们局|区财政局|财政局(?:对|的|在|去年|今年)|去年|今年|明年|20\d\d年|本区|我区/;

/** The ranked citations reordered by the kind of document the question wants (stable for equal scores). */
export function rerankByIntent(question: string, ranked: RankedCitation[]): RankedCitation[] {
  const ownWork = OWN_WORK.test(question);
  const scored = ranked.map((r, i) => {
    let bonus = 0;
    const c = r.citation;
    if (c.doc === 'law') {
      if (ownWork) bonus -= 0.03;
    } else if (c.doc === 'report') {
      bonus += ownWork ? 0.05 : -0.03;
    }
    return { r, i, s: r.score + bonus };
  });
  scored.sort((a, b) => b.s - a.s || a.i - b.i);
  return scored.map((x) => x.r);
}
