import { beforeAll, describe, expect, it } from 'vitest';
import type { LawCatalog } from '../../src/knowledge/catalog.ts';
import { loadChecklist } from '../../src/knowledge/checklist.ts';
import type { QuestionBank } from '../../src/quiz/bank.ts';
import { openQuestionBank } from '../../src/quiz/bank-file.ts';
import { MAX_JUDGE_SHARE, planWeeklyQuiz, type PlanInput } from '../../src/quiz/plan.ts';
import { createReviewScheduler, type ReviewCard } from '../../src/quiz/review.ts';
import { lawVersionAt, quizScope, type ScopeLaw } from '../../src/quiz/scope.ts';
import { articleKey } from '../../src/quiz/types.ts';
import { quizWeekFromKey, shiftWeek } from '../../src/quiz/week.ts';
import { corpus, KNOWLEDGE_DIR } from './corpus.ts';

const SH = 'Asia/Shanghai';
let catalog: LawCatalog;
let bank: QuestionBank;
let staffScope: ScopeLaw[];
const scheduler = createReviewScheduler();

beforeAll(async () => {
  catalog = (await corpus()).catalog;
  bank = await openQuestionBank({ catalog, knowledgeDir: KNOWLEDGE_DIR });
  staffScope = quizScope(await loadChecklist(KNOWLEDGE_DIR), ['全体干部'], catalog).laws;
});

const plan = (over: Partial<PlanInput> = {}) =>
  planWeeklyQuiz({ staffId: 'S0017', week: quizWeekFromKey('2026-W48', SH), scope: staffScope, catalog, bank, cards: [], scheduler, size: 10, ...over });

describe('the weekly plan', () => {
  it('gives the same quiz for the same user and week, and another user another draw', () => {
    const a = plan();
    expect(a.questions).toHaveLength(10);
    expect(plan().questions.map((q) => q.id)).toEqual(a.questions.map((q) => q.id));
    expect(plan({ staffId: 'S0018' }).questions.map((q) => q.id)).not.toEqual(a.questions.map((q) => q.id));
    expect(new Set(a.questions.map((q) => articleKey(q.law, q.articleNumber, q.articleSuffix))).size).toBe(10);
    expect(new Set(a.questions.map((q) => q.type)).size).toBeGreaterThanOrEqual(2);
  });

  it('brings every must-know law and every key article up within 52 weeks, across the year boundary', () => {
    const seenLaws = new Set<string>();
    const seenKeys = new Set<string>();
    let week = quizWeekFromKey('2026-W40', SH);
    const keys = staffScope.flatMap((s) => s.keyArticles.map((n) => `${s.title}#${n}`));
    expect(keys.length).toBeGreaterThan(0);
    let weeksToAllLaws = 0;
    for (let i = 0; i < 52; i++) {
      for (const q of plan({ week }).questions) {
        seenLaws.add(q.law);
        seenKeys.add(`${q.law}#${q.articleNumber}`);
      }
      if (!weeksToAllLaws && seenLaws.size === staffScope.length) weeksToAllLaws = i + 1;
      week = shiftWeek(week, 1, SH);
    }
    expect(week.key).toBe('2027-W39'); // 2026 has 53 ISO weeks
    expect([...seenLaws].sort()).toEqual(staffScope.map((s) => s.title).sort());
    // Within three weeks: the bank holds fewer organ questions since quiz-bank-15, so the rotation's first weeks vary more.
    expect(weeksToAllLaws).toBeLessThanOrEqual(3);
    expect(keys.filter((k) => !seenKeys.has(k))).toEqual([]);
  });

  it('moves on from week to week instead of repeating the same questions', () => {
    // As in production, what the user answered one week is known the next.
    const seen = new Set<string>();
    const ids = ['2026-W52', '2026-W53', '2027-W01'].map((key) => {
      const q = plan({ week: quizWeekFromKey(key, SH), seen: new Set(seen) }).questions.map((x) => x.id);
      q.forEach((id) => seen.add(id));
      return q;
    });
    expect(ids[0]!.filter((id) => ids[1]!.includes(id))).toEqual([]);
    expect(ids[1]!.filter((id) => ids[2]!.includes(id))).toEqual([]);
  });

  it('swaps in the new version’s questions when a law is amended mid-year', () => {
    const accounting: ScopeLaw[] = [{ title: '中华人民共和国会计法', keyArticles: [] }];
    // The 2024 amendment of the accounting law is dated 2024-06-28.
    const before = plan({ scope: accounting, week: quizWeekFromKey('2024-W20', SH) });
    const after = plan({ scope: accounting, week: quizWeekFromKey('2024-W30', SH) });
    expect(new Set(before.questions.map((q) => q.version))).toEqual(new Set(['2017-11-04']));
    expect(new Set(after.questions.map((q) => q.version))).toEqual(new Set(['2024-06-28']));
    // A past week's plan does not change now that the amendment is in the catalog.
    expect(plan({ scope: accounting, week: quizWeekFromKey('2024-W20', SH) }).questions).toEqual(before.questions);
  });

  it('adds review questions on articles the user got wrong, when their cards are due', () => {
    const week = quizWeekFromKey('2026-W48', SH);
    const lastWeek = shiftWeek(week, -1, SH);
    const wrongAt = new Date(lastWeek.start.getTime() + 2 * 86_400_000);
    const card = scheduler.record(undefined, { staffId: 'S0017', law: '中华人民共和国预算法', articleNumber: 40, correct: false, at: wrongAt })!;
    const withCard = plan({ cards: [card] });
    const review = withCard.questions.filter((q) => q.reason === 'review');
    expect(review.map((q) => q.article)).toEqual(['第四十条']);
    expect(withCard.questions).toHaveLength(10);
    // A card not yet due (a right answer pushed it weeks ahead) adds nothing.
    const later: ReviewCard = { ...card, due: shiftWeek(week, 3, SH).start.toISOString() };
    expect(plan({ cards: [later] }).questions.filter((q) => q.reason === 'review')).toEqual([]);
  });

  it('gives a retry in the same week other questions: none asked before, nor the same fact in another form', () => {
    const first = plan();
    const second = plan({ attempt: 2, earlier: first.questions });
    const third = plan({ attempt: 3, earlier: [...first.questions, ...second.questions] });
    for (const [retry, before] of [[second, first.questions], [third, [...first.questions, ...second.questions]]] as const) {
      expect(retry.questions).toHaveLength(10);
      expect(retry.questions.filter((q) => before.some((b) => b.id === q.id || b.fact === q.fact))).toEqual([]);
      // Still this week's laws: another question on the same article, or another article of the same law.
      const laws = new Set(before.map((q) => q.law));
      expect(retry.questions.filter((q) => laws.has(q.law)).length).toBeGreaterThanOrEqual(8);
    }
  });

  it('keeps 判断题 within four in ten in every quiz, key articles and reviews included', () => {
    // A card on every key article of the budget law: reviews fill their slots as well.
    const week = quizWeekFromKey('2026-W48', SH);
    const wrongAt = new Date(shiftWeek(week, -1, SH).start.getTime() + 86_400_000);
    const cards = [12, 14, 18, 32, 69, 93, 13, 40, 42].map(
      (n) => scheduler.record(undefined, { staffId: 'S0017', law: '中华人民共和国预算法', articleNumber: n, correct: false, at: wrongAt })!,
    );
    for (let i = 0; i < 26; i++) {
      const w = shiftWeek(week, i, SH);
      for (const staffId of ['S0017', 'S0018', 'S0019']) {
        const quiz = plan({ week: w, staffId, cards: i < 2 ? cards : [] });
        const judges = quiz.questions.filter((q) => q.type === 'judge').length;
        expect(judges, `${staffId} ${w.key}`).toBeLessThanOrEqual(Math.floor(quiz.questions.length * MAX_JUDGE_SHARE));
      }
    }
  });

  it('asks a weak article in a new way: a review question the user has not been asked before', () => {
    const week = quizWeekFromKey('2026-W48', SH);
    const budget = lawVersionAt(catalog, '中华人民共和国预算法')!;
    const asked = bank.forArticle(budget, 14);
    expect(asked.length).toBeGreaterThanOrEqual(2);
    const wrongAt = new Date(shiftWeek(week, -1, SH).start.getTime() + 86_400_000);
    const card = scheduler.record(undefined, { staffId: 'S0017', law: budget.title, articleNumber: 14, correct: false, at: wrongAt })!;
    const review = plan({ cards: [card], seen: new Set([asked[0]!.id]) }).questions.find((q) => q.reason === 'review')!;
    expect(review.articleNumber).toBe(14);
    expect(review.id).not.toBe(asked[0]!.id);
    expect(review.fact).not.toBe(asked[0]!.fact);
  });
});
