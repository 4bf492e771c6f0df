/**
 * Taking the weekly quiz: start or resume this week's attempt (its questions planned once and stored with
 * it), answer one question at a time exactly once, finish with a score, the week's grade by the configured
 * rule, 学时 for a pass, FSRS cards for the articles and an xAPI statement. Transport-neutral: the chat
 * feature renders what this returns. All state is in the training repository, none in memory.
 */
import type { Config } from '../config.ts';
import { PufaError } from '../errors.ts';
import { loadChecklist, type Checklist } from '../knowledge/checklist.ts';
import type { LawCatalog } from '../knowledge/catalog.ts';
import type { Logger } from '../log.ts';
import type { AttemptQuestion, QuizAttempt, TrainingRepository, WeeklyResult, WeekStatus } from '../records/training.ts';
import type { QuestionBank } from './bank.ts';
import { openQuestionBank } from './bank-file.ts';
import { loadCuratedQuestions } from './curated.ts';
import { creditedHours, isCorrect, isPassing, weekGrade } from './grading.ts';
import { planWeeklyQuiz, type PlannedQuestion } from './plan.ts';
import { createReviewScheduler, type ReviewCard, type ReviewScheduler } from './review.ts';
import { lawVersionAt, quizScope, type ScopeLaw } from './scope.ts';
import { buildAttemptStatement } from './xapi.ts';
import { quizWeekOf, shiftWeek, type QuizWeek } from './week.ts';

export type QuizSettings = Config['quiz'];

/** The person taking a quiz (a UserRecord is one). */
export interface QuizUser {
  id: number;
  /** Opaque staff id: seeds the plan and is the xAPI actor. */
  staffId: string;
  roles: string[];
}

export interface QuizServiceDeps {
  training: TrainingRepository;
  catalog: LawCatalog;
  checklist: Checklist;
  bank: QuestionBank;
  settings: QuizSettings;
  scheduler?: ReviewScheduler;
  now?: () => Date;
  /** Where xAPI actors' ids are issued and the quiz activities live. */
  logger?: Logger;
}

export type OpenResult =
  /** The attempt to show (its current question); `started` when it was created now. */
  | { kind: 'attempt'; attempt: QuizAttempt; started: boolean }
  /** The week's quiz is finished: its result, and how many attempts are left. */
  | { kind: 'finished'; result: WeeklyResult; last: QuizAttempt; attemptsLeft: number }
  /** The user's roles have no law with questions. */
  /** Nothing to ask: the index has no laws at all, or none of the user's roles' laws. */
  | { kind: 'empty'; reason: 'no-laws' | 'no-role-laws' };

export type AnswerResult =
  | { kind: 'recorded'; attempt: QuizAttempt; correct: boolean; chosen: number[]; finished: boolean }
  | { kind: 'duplicate'; attempt: QuizAttempt; correct: boolean; chosen: number[] }
  | { kind: 'not_current'; attempt: QuizAttempt }
  | { kind: 'closed'; attempt: QuizAttempt }
  /** The attempt belongs to a week that is over. */
  | { kind: 'expired'; attempt: QuizAttempt }
  /** 「提交」 on a 多选题 with nothing ticked. */
  | { kind: 'no_selection'; attempt: QuizAttempt }
  | { kind: 'missing' };

export type ToggleResult = { kind: 'toggled'; attempt: QuizAttempt } | Extract<AnswerResult, { kind: 'not_current' | 'closed' | 'expired' | 'missing' }>;

export interface AttemptSummary {
  attempt: QuizAttempt;
  correct: number;
  total: number;
  score: number;
  passed: boolean;
  durationMs: number;
  /** The articles answered wrong, in question order (one per article). */
  review: AttemptQuestion[];
  /** The week's result by the grading rule. */
  week: WeeklyResult | undefined;
  attemptsLeft: number;
}

export interface QuizProfile {
  week: QuizWeek;
  status: WeekStatus;
  result: WeeklyResult | undefined;
  /** The attempt in progress. */
  open: QuizAttempt | undefined;
  attemptsUsed: number;
  year: { year: number; weeksPassed: number; hours: number };
  /** Consecutive passed weeks up to this week (this week counts once passed; not yet passing it does not break the run). */
  streak: number;
  /** Laws with wrong answers, most wrong first (at most 3). */
  weakLaws: { law: string; answers: number; wrong: number }[];
}

export interface QuizService {
  readonly settings: QuizSettings;
  /** The quiz week of an instant (now by default). */
  weekOf(at?: Date): QuizWeek;
  attempt(id: number): Promise<QuizAttempt | undefined>;
  /** Start or resume this week's quiz; `retry` starts the next attempt after a finished one. */
  open(user: QuizUser, opts?: { retry?: boolean }): Promise<OpenResult>;
  setMessage(attemptId: number, ref: { chatId: string; messageId: string }): Promise<void>;
  /** Tick or untick an option of the current 多选题; the attempt after, or a refusal. */
  toggle(attemptId: number, index: number, option: number, on: boolean): Promise<ToggleResult>;
  /** Answer question `index` (a 多选题 with `chosen` undefined submits its ticks). */
  answer(user: QuizUser, attemptId: number, index: number, chosen?: number[]): Promise<AnswerResult>;
  summary(attempt: QuizAttempt): Promise<AttemptSummary>;
  /** The full text of a question's article, in the version the question was made from. */
  articleText(q: Pick<AttemptQuestion, 'law' | 'article' | 'articleNumber' | 'articleSuffix' | 'version'>): { law: string; label: string; version: string; text: string } | undefined;
  profile(user: QuizUser): Promise<QuizProfile>;
  /**
   * What a person gets in a week's attempts 1…n: the attempts already started as they were stored, the
   * others as they would be planned now (each after the ones before it; answers not yet given are not
   * foreseen, so review slots come from the cards as they stand).
   */
  planAttempts(user: QuizUser, week: QuizWeek, attempts: number): Promise<PlannedAttempt[]>;
}

export interface PlannedAttempt {
  attempt: number;
  /** 'stored': started or finished (its questions as asked); 'planned': not started yet. */
  status: 'stored' | 'planned';
  questions: (AttemptQuestion & { reason?: PlannedQuestion['reason'] })[];
}

/**
 * @example const quiz = createQuizService({ training: records.training, catalog, checklist, bank, settings: config.quiz })
 */
export function createQuizService(deps: QuizServiceDeps): QuizService {
  const { training, catalog, checklist, bank, settings } = deps;
  const scheduler = deps.scheduler ?? createReviewScheduler();
  const now = deps.now ?? (() => new Date());
  const xapi = { homePage: settings.xapiHomePage, activityBase: `${settings.xapiHomePage}/xapi` };
  const tz = settings.timezone;
  const scopes = new Map<string, ScopeLaw[]>();
  const scopeOf = (roles: string[]) => {
    const key = roles.join('\u0001');
    let s = scopes.get(key);
    if (!s) {
      s = quizScope(checklist, roles.length ? roles : undefined, catalog).laws;
      scopes.set(key, s);
    }
    return s;
  };
  const weekOf = (at: Date = now()) => quizWeekOf(at, tz);

  async function plan(user: QuizUser, week: QuizWeek, earlier: readonly { questions: AttemptQuestion[] }[]): Promise<PlannedQuestion[]> {
    const cards = (await training.cards(user.id)).map((c) => c.card as ReviewCard);
    const seen = await training.seenQuestionIds(user.id);
    // A retry asks none of the week's earlier questions again (their answers were shown after each one).
    const quiz = planWeeklyQuiz({
      staffId: user.staffId,
      week,
      scope: scopeOf(user.roles),
      catalog,
      bank,
      cards,
      scheduler,
      size: settings.size,
      seen,
      attempt: earlier.length + 1,
      earlier: earlier.flatMap((a) => a.questions),
    });
    return quiz.questions;
  }

  async function finish(user: QuizUser, attempt: QuizAttempt): Promise<void> {
    const answers = await training.answers(attempt.id);
    const correct = answers.filter((a) => a.correct).length;
    const score = attempt.total === 0 ? 0 : Math.round((100 * correct) / attempt.total);
    const at = now();
    const finishedNow = await training.finishAttempt({ attemptId: attempt.id, score, passed: isPassing(score, attempt.passMark), at }, (finished) => {
      const grade = weekGrade(
        finished.map((a) => ({ attempt: a.attemptNo, score: a.score ?? 0, finishedAt: a.finishedAt ?? '', durationMs: a.durationMs ?? 0 })),
        settings.grading,
        attempt.passMark,
      );
      const self = finished.find((a) => a.id === attempt.id)!;
      return {
        weekly: {
          status: grade?.passed ? 'passed' : 'completed',
          score: grade?.score ?? null,
          passMark: attempt.passMark,
          attempts: finished.length,
          durationMs: finished.reduce((n, a) => n + (a.durationMs ?? 0), 0),
          hours: creditedHours(grade, settings.hoursPerPass),
        },
        statement: (() => {
          const s = buildAttemptStatement({
            staffId: user.staffId,
            ...xapi,
            weekKey: attempt.week,
            attempt: attempt.attemptNo,
            score,
            passMark: attempt.passMark,
            correct,
            total: attempt.total,
            durationMs: self.durationMs ?? 0,
            finishedAt: at,
          });
          return { id: s.id, json: s };
        })(),
      };
    });
    if (finishedNow) deps.logger?.info('quiz finished', { attempt: attempt.id, week: attempt.week, score });
  }

  async function attemptsLeft(userId: number, week: string): Promise<number> {
    return Math.max(0, settings.attemptsPerWeek - (await training.attempts(userId, week)).length);
  }

  const service: QuizService = {
    async planAttempts(user, week, n) {
      const stored = await training.attempts(user.id, week.key);
      const out: PlannedAttempt[] = [];
      for (let k = 1; k <= n; k++) {
        const taken = stored.find((a) => a.attemptNo === k);
        out.push(taken ? { attempt: k, status: 'stored', questions: taken.questions } : { attempt: k, status: 'planned', questions: await plan(user, week, out) });
      }
      return out;
    },
    settings,
    weekOf,
    attempt: (id) => training.getAttempt(id),
    async open(user, opts = {}) {
      const week = weekOf();
      let open = await training.openAttempt(user.id, week.key);
      // Every question answered but not finished (a crash in between): finish it now.
      if (open && open.currentIndex >= open.total) {
        await finish(user, open);
        open = undefined;
      }
      if (open) return { kind: 'attempt', attempt: open, started: false };
      const attempts = await training.attempts(user.id, week.key);
      const finished = attempts.filter((a) => a.status === 'completed');
      if (finished.length && (!opts.retry || attempts.length >= settings.attemptsPerWeek)) {
        const result = await training.weeklyResult(user.id, week.key);
        if (result) return { kind: 'finished', result, last: finished.at(-1)!, attemptsLeft: Math.max(0, settings.attemptsPerWeek - attempts.length) };
      }
      const questions = await plan(user, week, attempts);
      if (questions.length === 0) return { kind: 'empty', reason: catalog.versions.length ? 'no-role-laws' : 'no-laws' };
      const outcome = await training.startAttempt({
        userId: user.id,
        week: week.key,
        questions,
        passMark: settings.passMark,
        maxAttempts: settings.attemptsPerWeek,
        at: now(),
      });
      if (outcome.kind === 'exhausted') {
        const result = await training.weeklyResult(user.id, week.key);
        const last = (await training.attempts(user.id, week.key)).at(-1);
        if (!result || !last) throw new PufaError('本周的作答次数已用完。');
        return { kind: 'finished', result, last, attemptsLeft: 0 };
      }
      return { kind: 'attempt', attempt: outcome.attempt, started: outcome.kind === 'started' };
    },
    setMessage: (attemptId, ref) => training.setMessage(attemptId, ref),
    async toggle(attemptId, index, option, on) {
      const attempt = await training.getAttempt(attemptId);
      if (!attempt) return { kind: 'missing' };
      if (attempt.week !== weekOf().key && attempt.status === 'in_progress') return { kind: 'expired', attempt };
      if (attempt.status !== 'in_progress') return { kind: 'closed', attempt };
      const q = attempt.questions[index];
      if (index !== attempt.currentIndex || !q || option < 0 || option >= q.options.length) return { kind: 'not_current', attempt };
      const selection = on ? [...new Set([...attempt.selection, option])] : attempt.selection.filter((o) => o !== option);
      if (!(await training.setSelection(attemptId, index, selection))) return { kind: 'not_current', attempt };
      return { kind: 'toggled', attempt: (await training.getAttempt(attemptId))! };
    },
    async answer(user, attemptId, index, chosen) {
      const attempt = await training.getAttempt(attemptId);
      if (!attempt) return { kind: 'missing' };
      if (attempt.status === 'in_progress' && attempt.week !== weekOf().key) return { kind: 'expired', attempt };
      const q = attempt.questions[index];
      const picked = [...new Set(chosen ?? (index === attempt.currentIndex ? attempt.selection : []))]
        .filter((o) => q && o >= 0 && o < q.options.length)
        .sort((a, b) => a - b);
      if (picked.length === 0 && attempt.status === 'in_progress' && index === attempt.currentIndex) return { kind: 'no_selection', attempt };
      const at = now();
      const correct = q ? isCorrect(q, picked) : false;
      const outcome = await training.recordAnswer({ attemptId, index, chosen: picked, correct, at }, (current) => {
        const card = scheduler.record(current?.card as ReviewCard | undefined, {
          staffId: user.staffId,
          law: q!.law,
          articleNumber: q!.articleNumber,
          articleSuffix: q!.articleSuffix,
          correct,
          at,
        });
        return card && { card, dueAt: card.due, lapses: card.lapses };
      });
      switch (outcome.kind) {
        case 'recorded': {
          let after = outcome.attempt;
          const done = after.currentIndex >= after.total;
          if (done) {
            await finish(user, after);
            after = (await training.getAttempt(attemptId))!;
          }
          return { kind: 'recorded', attempt: after, correct, chosen: picked, finished: done };
        }
        case 'duplicate':
          return { kind: 'duplicate', attempt: outcome.attempt, correct: outcome.answer.correct, chosen: outcome.answer.chosen };
        default:
          return outcome;
      }
    },
    async summary(attempt) {
      const answers = await training.answers(attempt.id);
      const correct = answers.filter((a) => a.correct).length;
      const wrong = new Set(answers.filter((a) => !a.correct).map((a) => a.questionIndex));
      const seenArticles = new Set<string>();
      const review = attempt.questions.filter((q, i) => {
        const key = `${q.law}#${q.articleNumber}-${q.articleSuffix}`;
        if (!wrong.has(i) || seenArticles.has(key)) return false;
        seenArticles.add(key);
        return true;
      });
      const score = attempt.score ?? (attempt.total ? Math.round((100 * correct) / attempt.total) : 0);
      return {
        attempt,
        correct,
        total: attempt.total,
        score,
        passed: attempt.passed ?? isPassing(score, attempt.passMark),
        durationMs: attempt.durationMs ?? 0,
        review,
        week: await training.weeklyResult(attempt.userId, attempt.week),
        attemptsLeft: await attemptsLeft(attempt.userId, attempt.week),
      };
    },
    articleText(q) {
      const law = catalog.byId(`${q.law}@${q.version}`) ?? lawVersionAt(catalog, q.law);
      const article = law?.articles.find((a) => a.number === q.articleNumber && a.suffix === (q.articleSuffix ?? 0));
      if (!law || !article) return undefined;
      return { law: law.title, label: article.label, version: law.version, text: article.text };
    },
    async profile(user) {
      const week = weekOf();
      const [result, attempts, all, stats] = await Promise.all([
        training.weeklyResult(user.id, week.key),
        training.attempts(user.id, week.key),
        training.weeklyResults(user.id),
        training.lawStats(user.id),
      ]);
      const open = attempts.find((a) => a.status === 'in_progress');
      const yearPrefix = `${week.isoYear}-W`;
      const thisYear = all.filter((r) => r.week.startsWith(yearPrefix));
      const passed = new Set(all.filter((r) => r.status === 'passed').map((r) => r.week));
      let streak = 0;
      let w = passed.has(week.key) ? week : shiftWeek(week, -1, tz);
      while (passed.has(w.key)) {
        streak++;
        w = shiftWeek(w, -1, tz);
      }
      return {
        week,
        status: result?.status ?? (open ? 'in_progress' : 'not_started'),
        result,
        open,
        attemptsUsed: attempts.length,
        year: {
          year: week.isoYear,
          weeksPassed: thisYear.filter((r) => r.status === 'passed').length,
          hours: thisYear.reduce((n, r) => n + r.hours, 0),
        },
        streak,
        weakLaws: stats.filter((s) => s.wrong > 0).slice(0, 3),
      };
    },
  };
  return service;
}

/**
 * The quiz service of a deployment: the checklist and curated questions from the knowledge folder, the
 * laws from the index's catalog and the question bank from the index build (generated at ingest; an index
 * without one generates on demand, all laws up front so the first /quiz does not wait).
 * @example const quiz = await loadQuizService({ config, catalog: index.catalog, indexDir: index.dir, training, logger })
 */
export async function loadQuizService(opts: {
  config: Pick<Config, 'knowledgeDir' | 'quiz'>;
  catalog: LawCatalog;
  /** The index build the catalog came from: its quiz-bank.json is read when present. */
  indexDir?: string;
  training: TrainingRepository;
  logger?: Logger;
  now?: () => Date;
  /** A bank already built over this catalog (shared between apps; the curated questions are then its own). */
  bank?: QuestionBank;
}): Promise<QuizService> {
  const { config, catalog, logger } = opts;
  if (opts.bank) {
    const checklist = await loadChecklist(config.knowledgeDir);
    return createQuizService({ training: opts.training, catalog, checklist, bank: opts.bank, settings: config.quiz, logger, now: opts.now });
  }
  const checklist = await loadChecklist(config.knowledgeDir);
  // Without any law files every curated question would be reported as naming an unknown law.
  const curated = catalog.versions.length === 0 ? undefined : await loadCuratedQuestions(config.knowledgeDir, catalog);
  // A broken curated file is skipped and named; the other files and the generated questions still work.
  for (const f of curated?.skipped ?? []) logger?.error('curated question file skipped', { file: f.file, reason: f.reason });
  const bank = await openQuestionBank({ catalog, dir: opts.indexDir, knowledgeDir: config.knowledgeDir, extra: curated?.questions });
  for (const law of quizScope(checklist, undefined, catalog).laws) {
    const v = lawVersionAt(catalog, law.title);
    if (v) bank.forLaw(v);
  }
  return createQuizService({ training: opts.training, catalog, checklist, bank, settings: config.quiz, logger, now: opts.now });
}
