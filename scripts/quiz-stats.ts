/**
 * Figures of the weekly quiz over simulated colleagues, from the real bank and planner:
 *   - retries: the share of a 2nd / 3rd attempt's questions that repeat a question (or the same fact in
 *     another form) of an earlier attempt of the same week;
 *   - 判断题 share of every quiz (the cap is 40%), and the type mix;
 *   - coverage: the share of the checklist's current articles that can yield a question (any, and one that
 *     tests a fact rather than a 不得/可以 word).
 * People answer each question right with a fixed probability (seeded), so wrong answers make FSRS cards and
 * later weeks get review slots, as in production.
 *
 *   node bin/pufa-script.js scripts/quiz-stats.ts [--people 10] [--weeks 8] [--attempts 3] [--from 2026-W10]
 *        [--right 0.7] [--laws DIR] [--knowledge DIR] [--data DIR] [--json]
 * Reads the bank from the built index when there is one (pufa ingest), else generates it.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { loadChecklist } from '../src/knowledge/checklist.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import type { LawCatalog } from '../src/knowledge/catalog.ts';
import { openQuestionBank } from '../src/quiz/bank-file.ts';
import { isCorrect } from '../src/quiz/grading.ts';
import { MAX_JUDGE_SHARE, planWeeklyQuiz, type PlannedQuestion } from '../src/quiz/plan.ts';
import { createRandom } from '../src/quiz/random.ts';
import { createReviewScheduler, type ReviewCard } from '../src/quiz/review.ts';
import { lawVersionAt, quizScope, scopeArticles } from '../src/quiz/scope.ts';
import { articleKey } from '../src/quiz/types.ts';
import { quizWeekFromKey, shiftWeek } from '../src/quiz/week.ts';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '10' },
    weeks: { type: 'string', default: '8' },
    attempts: { type: 'string', default: '3' },
    from: { type: 'string', default: '2026-W10' },
    right: { type: 'string', default: '0.7' },
    size: { type: 'string', default: '10' },
    laws: { type: 'string' },
    knowledge: { type: 'string' },
    data: { type: 'string' },
    json: { type: 'boolean' },
  },
});
const config = loadConfig(process.env, { lawsDir: values.laws, knowledgeDir: values.knowledge, dataDir: values.data });
const tz = config.quiz.timezone;

async function catalogAndBuild(): Promise<{ catalog: LawCatalog; dir?: string }> {
  try {
    const { openIndex } = await import('../src/search/index.ts');
    const index = await openIndex(config);
    return { catalog: index.catalog, dir: index.dir };
  } catch {
    return { catalog: (await loadKnowledge({ lawsDir: config.lawsDir, knowledgeDir: config.knowledgeDir })).catalog };
  }
}

const { catalog, dir } = await catalogAndBuild();
const checklist = await loadChecklist(config.knowledgeDir);
const bank = await openQuestionBank({ catalog, dir, knowledgeDir: config.knowledgeDir });
const scheduler = createReviewScheduler();
const roles = checklist.roles.map((r) => r.name);
const people = Number(values.people);
const weeks = Number(values.weeks);
const attempts = Number(values.attempts);
const size = Number(values.size);
const rightShare = Number(values.right);

const retry = { questions: 0, sameId: 0, sameFact: 0 };
const judgeShares: number[] = [];
const types: Record<string, number> = {};
let quizzes = 0;
let overCap = 0;
let short = 0;
let reviewSlots = 0;
let reviewNewWay = 0;
for (let p = 0; p < people; p++) {
  const staffId = `SIM${String(p + 1).padStart(3, '0')}`;
  const role = roles[p % roles.length];
  const scope = quizScope(checklist, role ? [role] : undefined, catalog).laws;
  const answer = createRandom(`answers|${staffId}`);
  let cards: ReviewCard[] = [];
  const seen = new Set<string>();
  let week = quizWeekFromKey(values.from!, tz);
  for (let w = 0; w < weeks; w++, week = shiftWeek(week, 1, tz)) {
    const earlier: PlannedQuestion[] = [];
    for (let k = 1; k <= attempts; k++) {
      const quiz = planWeeklyQuiz({ staffId, week, scope, catalog, bank, cards, scheduler, size, seen, attempt: k, earlier });
      quizzes++;
      const judges = quiz.questions.filter((q) => q.type === 'judge').length;
      judgeShares.push(judges / Math.max(1, quiz.questions.length));
      if (judges > Math.floor(quiz.questions.length * MAX_JUDGE_SHARE)) overCap++;
      if (quiz.questions.length < size) short++;
      for (const q of quiz.questions) types[q.type] = (types[q.type] ?? 0) + 1;
      if (k > 1) {
        retry.questions += quiz.questions.length;
        retry.sameId += quiz.questions.filter((q) => earlier.some((e) => e.id === q.id)).length;
        retry.sameFact += quiz.questions.filter((q) => earlier.some((e) => e.fact === q.fact)).length;
      }
      for (const q of quiz.questions.filter((x) => x.reason === 'review')) {
        reviewSlots++;
        if (!seen.has(q.id)) reviewNewWay++;
      }
      // Answer: right with the given probability; wrong answers make or lapse cards, as in the service.
      const at = new Date(week.start.getTime() + (k * 24 + 10) * 3600_000);
      for (const q of quiz.questions) {
        const correct = answer.next() < rightShare;
        isCorrect(q, correct ? q.answer : []);
        const key = articleKey(q.law, q.articleNumber, q.articleSuffix);
        const card = cards.find((c) => c.article === key);
        const next = scheduler.record(card, { staffId, law: q.law, articleNumber: q.articleNumber, articleSuffix: q.articleSuffix, correct, at });
        if (next) cards = [...cards.filter((c) => c.article !== key), next];
        seen.add(q.id);
      }
      earlier.push(...quiz.questions);
    }
  }
}

// Coverage: the checklist's current articles (in the listed books) with at least one question in the bank.
const scope = quizScope(checklist, undefined, catalog).laws;
let articles = 0;
let any = 0;
let facts = 0;
for (const s of scope) {
  const law = lawVersionAt(catalog, s.title);
  if (!law) continue;
  for (const a of scopeArticles(law, s)) {
    articles++;
    const qs = bank.forArticle(law, a.number, a.suffix).filter((q) => q.source === 'generated');
    if (qs.length) any++;
    if (qs.some((q) => q.kind !== 'modal')) facts++;
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const result = {
  people,
  weeks,
  attempts,
  quizzes,
  retries: { questions: retry.questions, repeatedQuestions: retry.sameId, repeatedFacts: retry.sameFact },
  judgeShare: { max: Math.max(...judgeShares), mean: judgeShares.reduce((a, b) => a + b, 0) / judgeShares.length, quizzesOverCap: overCap },
  shortQuizzes: short,
  types,
  reviews: { slots: reviewSlots, askedNewWay: reviewNewWay },
  coverage: { articles, anyQuestion: any, factQuestion: facts },
};
if (values.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`quiz-stats — ${people} people × ${weeks} weeks × ${attempts} attempts = ${quizzes} quizzes of ${size} (from ${values.from}, ${pct(rightShare)} answered right)`);
  console.log(`retries: ${retry.sameId} of ${retry.questions} questions repeat an earlier attempt of the week (${pct(retry.sameId / Math.max(1, retry.questions))}); same fact in another form ${retry.sameFact} (${pct(retry.sameFact / Math.max(1, retry.questions))}) — bar ≤ 10%`);
  console.log(`判断题: at most ${pct(result.judgeShare.max)} of a quiz, ${pct(result.judgeShare.mean)} on average; quizzes over the 40% cap: ${overCap} — bar: none`);
  console.log(`quizzes the bank could not fill to ${size}: ${short}`);
  console.log(`types: ${Object.entries(types).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  console.log(`review slots: ${reviewSlots}, asked with a question the person had not seen: ${reviewNewWay}`);
  console.log(`coverage: ${any} of ${articles} current checklist articles can yield a question (${pct(any / articles)}), ${facts} a fact question (${pct(facts / articles)}) — bar ≥ 40%`);
}
