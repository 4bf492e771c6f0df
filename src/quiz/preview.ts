/**
 * Samples questions for `pufa quiz preview` (and the checker): spread over the laws in scope, one
 * question per article, cycling through the question types; and prints them for people.
 */
import { citationLabel } from '../knowledge/citation-label.ts';
import type { LawVersion } from '../knowledge/types.ts';
import { pickQuestion, questionWeight, spreadKeys, TYPE_CYCLE, type QuestionBank } from './bank.ts';
import { createRandom } from './random.ts';
import { scopeArticles, type ScopeLaw } from './scope.ts';
import { MAX_JUDGE_SHARE } from './plan.ts';
import { OPTION_LETTERS, QUESTION_TYPE_NAMES, type Question } from './types.ts';

/** How far ahead in a law's queue the sampler looks for an article offering the type a slot wants. */
const LOOKAHEAD = 40;

export interface PreviewLaw {
  law: LawVersion;
  scope: ScopeLaw;
}

export interface SampleOptions {
  n: number;
  seed: string;
  /** Include curated and LLM questions (generated only by default). */
  includeCurated?: boolean;
}

/**
 * n questions round-robin over the laws (in a seeded order), each law's articles in a seeded order, one
 * question per article; deterministic for the same seed and law texts.
 */
export function sampleQuestions(bank: QuestionBank, laws: PreviewLaw[], opts: SampleOptions): Question[] {
  const rng = createRandom(`preview|${opts.seed}`);
  const queues = rng.shuffle(laws).map(({ law, scope }) => {
    const inScope = new Set(scopeArticles(law, scope).map((a) => `${a.number}-${a.suffix}`));
    const articles = law.articles.filter((a) => inScope.has(`${a.number}-${a.suffix}`));
    const keys = new Set(scope.keyArticles);
    // Key articles first, then the rest in a seeded order.
    const ordered = [...articles.filter((a) => keys.has(a.number)), ...rng.shuffle(articles.filter((a) => !keys.has(a.number)))];
    return { law, articles: ordered };
  });
  const out: Question[] = [];
  const candidatesOf = (law: LawVersion, a: { number: number; suffix: number }) =>
    bank.forArticle(law, a.number, a.suffix).filter((x) => opts.includeCurated || x.source === 'generated');
  const judgeCap = Math.floor(opts.n * MAX_JUDGE_SHARE);
  let judges = 0;
  // A 判断题 only while the sample stays within the cap; 应当/可以-style swaps (weight 1) only as a last resort.
  const usable = (c: Question) => questionWeight(c) >= 2 && (c.type !== 'judge' || judges < judgeCap);
  // Look a little ahead in each law's queue for an article that offers the type this slot wants, so the
  // sample mixes types the way exams do.
  while (out.length < opts.n && queues.some((q) => q.articles.length > 0)) {
    for (const q of queues) {
      if (out.length >= opts.n) break;
      const want = TYPE_CYCLE[out.length % TYPE_CYCLE.length]!;
      const window = q.articles.slice(0, LOOKAHEAD).map((a, i) => ({ a, i, qs: candidatesOf(q.law, a) }));
      const good = (x: (typeof window)[number], type?: string) => x.qs.some((c) => (!type || c.type === type) && usable(c));
      const hit = window.find((x) => good(x, want)) ?? window.find((x) => good(x));
      if (!hit) {
        q.articles.splice(0, LOOKAHEAD);
        continue;
      }
      q.articles.splice(hit.i, 1);
      const picked = pickQuestion(hit.qs.filter(usable), rng, want);
      if (!picked) continue;
      if (picked.type === 'judge') judges++;
      out.push(picked);
    }
  }
  return spreadKeys(out);
}

/** A question as people read it in a terminal. */
export function formatQuestion(q: Question, i: number): string {
  const lines = [`${i + 1}. 【${QUESTION_TYPE_NAMES[q.type]}】${q.stem}`];
  q.options.forEach((o, k) => lines.push(`   ${OPTION_LETTERS[k]}. ${o}`));
  lines.push(`   答案：${q.answer.map((k) => OPTION_LETTERS[k]).join('')}`);
  lines.push(`   解析：${q.explanation.replace(/\n/g, ' ')}`);
  lines.push(`   出处：${citationLabel({ law: q.law, articleLabel: q.article })}（${q.version} 版本）`);
  return lines.join('\n');
}
