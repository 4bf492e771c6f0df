/** The quiz module's public surface: what the chat, records and admin code may use. */
export type { Question, QuestionJson, QuestionType, QuestionSource, SpanKind } from './types.ts';
export { toQuestionJson, articleKey, questionId, JUDGE_OPTIONS, OPTION_LETTERS, QUESTION_TYPE_NAMES } from './types.ts';
export { generateLawQuestions } from './generator.ts';
export { BLANK } from './generate/text.ts';
export { createQuestionBank, pickQuestion, type QuestionBank } from './bank.ts';
export { checkQuestion } from './check.ts';
export { loadCuratedQuestions, parseCuratedFile, type CuratedLoad, type RetiredCurated } from './curated.ts';
export { createScenarioGenerator, type ScenarioGenerator, type ScenarioResult } from './scenario.ts';
export { quizScope, lawVersionAt, scopeArticles, type QuizScope, type ScopeLaw } from './scope.ts';
export { sampleQuestions, formatQuestion } from './preview.ts';
export { quizWeekOf, quizWeekFromKey, shiftWeek, weekSchedule, type QuizWeek, type WeekSchedule } from './week.ts';
export { planWeeklyQuiz, buildRotation, rotationForWeek, type PlanInput, type PlannedQuestion, type WeeklyQuiz } from './plan.ts';
export { createReviewScheduler, type ReviewCard, type ReviewScheduler, type AnswerOutcome } from './review.ts';
export { isCorrect, scoreAttempt, isPassing, weekGrade, attemptsLeft, creditedHours, type FinishedAttempt, type WeekGrade } from './grading.ts';
export { buildAttemptStatement, uuidV5, isoDuration, type XapiStatement, type AttemptStatementInput } from './xapi.ts';
export { createRandom, type Random } from './random.ts';
