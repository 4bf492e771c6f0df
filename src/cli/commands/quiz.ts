/**
 * `pufa quiz`: weekly law quizzes. `preview` prints questions from the bank with their keys and citations,
 * or (with --user) the attempts a person gets in a week.
 */
import type { LawCatalog } from '../../knowledge/catalog.ts';
import { loadChecklist } from '../../knowledge/checklist.ts';
import { loadKnowledge } from '../../knowledge/load.ts';
import { PufaError } from '../../errors.ts';
import { openQuestionBank } from '../../quiz/bank-file.ts';
import { loadCuratedQuestions } from '../../quiz/curated.ts';
import { formatQuestion, sampleQuestions, type PreviewLaw } from '../../quiz/preview.ts';
import { lawVersionAt, quizScope, type ScopeLaw } from '../../quiz/scope.ts';
import { loadQuizService, type PlannedAttempt } from '../../quiz/session.ts';
import { toQuestionJson, type Question } from '../../quiz/types.ts';
import { quizWeekFromKey, quizWeekOf } from '../../quiz/week.ts';
import { intFlag, type CommandContext, type Command } from '../context.ts';

const USAGE = [
  'pufa quiz preview [--law <法规名>] [--role <角色>] [--n N] [--seed S] [--curated] [--json]',
  'pufa quiz preview --user <工号> [--week 2026-W48] [--attempts N] [--json]',
  '',
  '  preview     从题库（建立索引时生成）按必学清单抽题，打印题干、选项、答案、解析与出处',
  '  --law       只出这部法规的题（可写简称，如 预算法；可重复）',
  '  --role      只出这个角色清单内法规的题（如 全体干部、政府采购岗）',
  '  --n         题数（默认 10）',
  '  --seed      随机种子（默认 preview）；同一种子、同一法规文本出同样的题',
  '  --curated   同时列出 knowledge/quizzes/ 中管理员编写的题',
  '  --user      按工号列出此人某周各次作答的题目（已开始的按实际题目，其余按当前计划）',
  '  --week      周次（默认本周），如 2026-W48',
  '  --attempts  列出前几次作答（默认为每周可作答次数）',
  '  --json      输出 JSON；每题 {"type","stem","options","answer","law","article","version","explanation","kind"}，',
  '              type 为 single|multiple|judge，answer 为从 0 开始的正确选项序号；--user 时为',
  '              {"staffId","week","attempts":[{"attempt","status","questions":[…每题另有 "reason"]}]}',
].join('\n');

/** The laws from the built index when there is one (with its build, where the bank is), else straight from the law files. */
async function loadCatalog(ctx: CommandContext): Promise<{ catalog: LawCatalog; dir?: string }> {
  try {
    const index = await ctx.app.index();
    return { catalog: index.catalog, dir: index.dir };
  } catch (err) {
    ctx.logger.debug('no usable index, reading the law files', { reason: err instanceof Error ? err : String(err) });
    return { catalog: (await loadKnowledge({ lawsDir: ctx.config.lawsDir, knowledgeDir: ctx.config.knowledgeDir, logger: ctx.logger })).catalog };
  }
}

async function curatedFor(ctx: CommandContext, catalog: LawCatalog, wanted: boolean) {
  if (!wanted) return undefined;
  const curated = await loadCuratedQuestions(ctx.config.knowledgeDir, catalog);
  for (const r of curated.retired) ctx.logger.info('curated question retired', { ...r });
  for (const f of curated.skipped) ctx.io.stderr.write(`已跳过题库文件 ${f.file}（其余文件照常使用）：\n${f.reason}\n`);
  return curated;
}

async function preview(ctx: CommandContext): Promise<number> {
  if (typeof ctx.values.user === 'string') return previewUser(ctx, ctx.values.user);
  const n = intFlag(ctx.values.n, 'n', 10, 10_000);
  const seed = typeof ctx.values.seed === 'string' ? ctx.values.seed : 'preview';
  const { catalog, dir } = await loadCatalog(ctx);
  const checklist = await loadChecklist(ctx.config.knowledgeDir);
  const roles = (ctx.values.role as string[] | undefined) ?? [];
  const lawNames = (ctx.values.law as string[] | undefined) ?? [];
  const scope = quizScope(checklist, roles.length ? roles : undefined, catalog);
  if (scope.unknownRoles.length) {
    throw new PufaError(`必学清单中没有角色「${scope.unknownRoles.join('、')}」。现有角色：${checklist.roles.map((r) => r.name).join('、') || '（无）'}`);
  }
  let laws: ScopeLaw[] = scope.laws;
  if (lawNames.length) {
    laws = lawNames.map((name) => {
      const v = catalog.resolve(name)[0];
      if (!v) throw new PufaError(`法规库中没有「${name}」`);
      // Keep the checklist's books and key articles for a law it names (民法典 → 总则编、合同编).
      return scope.laws.find((s) => s.title === v.title) ?? { title: v.title, keyArticles: [] };
    });
  }
  if (laws.length === 0) throw new PufaError('没有可出题的法规：请用 --law 指定法规，或在 knowledge/checklists/ 中填写必学清单。');
  const curated = await curatedFor(ctx, catalog, Boolean(ctx.values.curated));
  const bank = await openQuestionBank({ catalog, dir, knowledgeDir: ctx.config.knowledgeDir, extra: curated?.questions });
  const targets: PreviewLaw[] = laws.flatMap((s) => {
    const law = lawVersionAt(catalog, s.title);
    return law ? [{ law, scope: s }] : [];
  });
  const questions = sampleQuestions(bank, targets, { n, seed, includeCurated: Boolean(ctx.values.curated) });
  if (ctx.values.json) {
    ctx.io.stdout.write(JSON.stringify(questions.map(toQuestionJson), null, 2) + '\n');
    return 0;
  }
  if (questions.length === 0) {
    ctx.io.stdout.write('这些法规中没有找到可以出题的条文。\n');
    return 0;
  }
  ctx.io.stdout.write(questions.map(formatQuestion).join('\n\n') + '\n');
  if (questions.length < n) ctx.io.stdout.write(`\n（只找到 ${questions.length} 道题）\n`);
  return 0;
}

const REASON_LABEL = { rotation: '轮换', review: '复习' } as const;

/** `--user`: the attempts a person gets in a week, from the records and the bank, as the running quiz plans them. */
async function previewUser(ctx: CommandContext, staffId: string): Promise<number> {
  const settings = ctx.config.quiz;
  const attempts = intFlag(ctx.values.attempts, 'attempts', settings.attemptsPerWeek, 20);
  const week = typeof ctx.values.week === 'string' ? quizWeekFromKey(ctx.values.week, settings.timezone) : quizWeekOf(new Date(), settings.timezone);
  const user = await ctx.app.records().users.findByStaffId(staffId);
  if (!user) throw new PufaError(`没有工号为「${staffId}」的用户（工号见管理后台或导出的名单）`);
  // The running quiz's own service over the index; without an index, the same service over the law files.
  const service =
    (await ctx.app.quiz())?.service ??
    (await loadQuizService({ config: ctx.config, catalog: (await loadCatalog(ctx)).catalog, training: ctx.app.records().training, logger: ctx.logger }));
  const planned = await service.planAttempts(user, week, attempts);
  if (ctx.values.json) {
    const json = {
      staffId: user.staffId,
      week: week.key,
      attempts: planned.map((a) => ({ attempt: a.attempt, status: a.status, questions: a.questions.map((q) => ({ ...toQuestionJson(q as Question), reason: q.reason ?? null })) })),
    };
    ctx.io.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return 0;
  }
  ctx.io.stdout.write(formatAttempts(user.name, user.staffId, week.key, planned) + '\n');
  return 0;
}

function formatAttempts(name: string, staffId: string, weekKey: string, planned: PlannedAttempt[]): string {
  const parts = [`${name}（工号 ${staffId}）${weekKey} 的学法考试`];
  for (const a of planned) {
    parts.push(`\n== 第 ${a.attempt} 次作答（${a.status === 'stored' ? '已开始，按实际题目' : '尚未开始，按当前计划'}）==`);
    if (a.questions.length === 0) parts.push('（没有可出的题）');
    a.questions.forEach((q, i) => parts.push(`${formatQuestion(q as Question, i)}${q.reason ? `\n   来源：${REASON_LABEL[q.reason]}` : ''}`));
  }
  return parts.join('\n\n');
}

export const command: Command = {
  name: 'quiz',
  summary: '学法考试：预览题库中的考题，或某位干部某周各次作答的题目。',
  usage: USAGE,
  options: {
    law: { type: 'string', multiple: true },
    role: { type: 'string', multiple: true },
    n: { type: 'string' },
    seed: { type: 'string' },
    curated: { type: 'boolean' },
    user: { type: 'string' },
    week: { type: 'string' },
    attempts: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const [sub] = ctx.positionals;
    if (sub === 'preview') return preview(ctx);
    ctx.io.stderr.write(`${sub ? `未知的子命令：${sub}\n` : ''}用法：${USAGE}\n`);
    return 2;
  },
};
