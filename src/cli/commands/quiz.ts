/** `pufa quiz`: weekly law quizzes. `preview` prints generated questions with their keys and citations. */
import type { LawCatalog } from '../../knowledge/catalog.ts';
import { loadChecklist } from '../../knowledge/checklist.ts';
import { loadKnowledge } from '../../knowledge/load.ts';
import { PufaError } from '../../errors.ts';
import { createQuestionBank } from '../../quiz/bank.ts';
import { loadCuratedQuestions } from '../../quiz/curated.ts';
import { formatQuestion, sampleQuestions, type PreviewLaw } from '../../quiz/preview.ts';
import { lawVersionAt, quizScope, type ScopeLaw } from '../../quiz/scope.ts';
import { toQuestionJson } from '../../quiz/types.ts';
import { intFlag, type CommandContext, type Command } from '../context.ts';

const USAGE = [
  'pufa quiz preview [--law <法规名>] [--role <角色>] [--n N] [--seed S] [--curated] [--json]',
  '',
  '  preview     按必学清单生成考题并打印题干、选项、答案、解析与出处',
  '  --law       只出这部法规的题（可写简称，如 预算法；可重复）',
  '  --role      只出这个角色清单内法规的题（如 全体干部、政府采购岗）',
  '  --n         题数（默认 10）',
  '  --seed      随机种子（默认 preview）；同一种子、同一法规文本出同样的题',
  '  --curated   同时列出 knowledge/quizzes/ 中管理员编写的题',
  '  --json      输出一个 JSON 数组，每题 {"type","stem","options","answer","law","article","version","explanation"}；',
  '              type 为 single|multiple|judge，answer 为从 0 开始的正确选项序号',
].join('\n');

/** The laws from the built index when there is one, else straight from the law files. */
async function loadCatalog(ctx: CommandContext): Promise<LawCatalog> {
  try {
    return (await ctx.app.index()).catalog;
  } catch (err) {
    ctx.logger.debug('no usable index, reading the law files', { reason: err instanceof Error ? err : String(err) });
    return (await loadKnowledge({ lawsDir: ctx.config.lawsDir, knowledgeDir: ctx.config.knowledgeDir, logger: ctx.logger })).catalog;
  }
}

async function preview(ctx: CommandContext): Promise<number> {
  const n = intFlag(ctx.values.n, 'n', 10, 10_000);
  const seed = typeof ctx.values.seed === 'string' ? ctx.values.seed : 'preview';
  const catalog = await loadCatalog(ctx);
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
  const curated = ctx.values.curated ? await loadCuratedQuestions(ctx.config.knowledgeDir, catalog) : undefined;
  for (const r of curated?.retired ?? []) ctx.logger.info('curated question retired', { ...r });
  const bank = createQuestionBank({ extra: curated?.questions });
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

export const command: Command = {
  name: 'quiz',
  summary: '学法考试：预览按必学清单从法条生成的考题。',
  usage: USAGE,
  options: {
    law: { type: 'string', multiple: true },
    role: { type: 'string', multiple: true },
    n: { type: 'string' },
    seed: { type: 'string' },
    curated: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const [sub] = ctx.positionals;
    if (sub === 'preview') return preview(ctx);
    ctx.io.stderr.write(`${sub ? `未知的子命令：${sub}\n` : ''}用法：${USAGE}\n`);
    return 2;
  },
};
