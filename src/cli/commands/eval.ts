/** `pufa eval`: retrieval quality (Recall@1/5/10, MRR, per kind) and search latency over question files. */
import { evaluate, readQuestions, type EvalReport, type Metrics } from '../../search/evaluate.ts';
import { intFlag, type Command } from '../context.ts';

const KIND_NAMES: Record<string, string> = {
  keyword: '关键词',
  paraphrase: '口语改写',
  scenario: '情景',
  citation: '点名法规',
  report: '报告',
};

function row(name: string, m: Metrics): string {
  const f = (x: number) => x.toFixed(3);
  return `${name.padEnd(12)} ${String(m.n).padStart(4)}  ${f(m['recall@1'])}  ${f(m['recall@5'])}  ${f(m['recall@10'])}  ${f(m.mrr)}`;
}

/** The report as printed for people. */
export function formatEvalReport(r: EvalReport): string {
  return [
    `${'类别'.padEnd(11)} 题数  R@1    R@5    R@10   MRR`,
    row('全部', r),
    ...Object.entries(r.by_kind).map(([k, m]) => row(KIND_NAMES[k] ? `${KIND_NAMES[k]}(${k})` : k, m)),
    `检索耗时：p50 ${r.p50_ms.toFixed(1)} ms，p95 ${r.p95_ms.toFixed(1)} ms（共 ${r.questions.length} 道有标准答案的题；无标准答案的题只计耗时）`,
  ].join('\n');
}

export const command: Command = {
  name: 'eval',
  summary: '评测检索：按问题文件（jsonl）计算 Recall@1/5/10、MRR（总体与分类）和检索耗时。',
  usage: 'pufa eval <questions.jsonl>… [--k N] [--json] [--answers]',
  options: { k: { type: 'string' }, json: { type: 'boolean' }, answers: { type: 'boolean' } },
  async run(ctx) {
    if (ctx.positionals.length === 0) {
      ctx.io.stderr.write(`请给出问题文件。\n用法：${this.usage}\n`);
      return 2;
    }
    const k = intFlag(ctx.values.k, 'k', 10, 100);
    const questions = await readQuestions(ctx.positionals);
    const index = await ctx.app.index();
    if (ctx.values.answers) {
      // Answer quality instead of retrieval: accuracy@1 of the first citation and the no-basis share.
      const { runAnswerEval } = await import('../../answer/evaluate.ts');
      ctx.io.stdout.write((await runAnswerEval(index, ctx.config, questions, Boolean(ctx.values.json), ctx.logger)) + '\n');
      return 0;
    }
    const report = await evaluate(index, questions, { k });
    if (ctx.values.json) {
      const { questions: _per, ...summary } = report;
      ctx.io.stdout.write(JSON.stringify(summary) + '\n');
    } else {
      ctx.io.stdout.write(formatEvalReport(report) + '\n');
    }
    return 0;
  },
};
