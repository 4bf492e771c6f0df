/** `pufa eval`: retrieval quality (Hit@k beside Recall@k, MRR, per kind) and search latency over question files. */
import { PufaError } from '../../errors.ts';
import { evaluate, readQuestions, type EvalReport, type Metrics } from '../../search/evaluate.ts';
import { intFlag, type Command } from '../context.ts';

/** Chinese names of the question kinds of the dev sets and of the lay sets' legal areas. */
const KIND_NAMES: Record<string, string> = {
  keyword: '关键词',
  paraphrase: '口语改写',
  scenario: '情景',
  citation: '点名法规',
  report: '报告',
  criminal: '刑事',
  criminal_procedure: '刑事诉讼',
  civil_procedure: '民事诉讼',
  labour: '劳动社保',
  land_property: '土地房产',
  traffic: '交通',
  family_inheritance: '婚姻继承',
  consumer: '消费',
  contract_tort: '合同侵权',
  administrative: '行政',
  company_business: '公司商事',
  minors_education: '未成年人',
};

/** Display width in a terminal: CJK characters take two columns. */
const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(1, w - width(s)));
const NAME_WIDTH = 32;

const f = (x: number) => x.toFixed(3);
const cells = (m: Metrics) => [m['hit@1'], m['recall@1'], m['hit@5'], m['recall@5'], m['hit@10'], m['recall@10'], m.mrr].map(f).join('  ');
const HEADER = 'Hit@1  R@1    Hit@5  R@5    Hit@10 R@10   MRR';

const kindName = (k: string) => (KIND_NAMES[k] ? `${KIND_NAMES[k]}(${k})` : k);

/** The report as printed for people: Hit@k (any gold article found) beside Recall@k (share of gold articles found). */
export function formatEvalReport(r: EvalReport): string {
  return [
    `${pad('类别', NAME_WIDTH)}${'题数'}  ${HEADER}`,
    `${pad('全部', NAME_WIDTH)}${String(r.n).padStart(4)}  ${cells(r)}`,
    ...Object.entries(r.by_kind).map(([k, m]) => `${pad(kindName(k), NAME_WIDTH)}${String(m.n).padStart(4)}  ${cells(m)}`),
    `检索耗时：p50 ${r.p50_ms.toFixed(1)} ms，p95 ${r.p95_ms.toFixed(1)} ms（共 ${r.questions.length} 道有标准答案的题；无标准答案的题只计耗时）`,
  ].join('\n');
}

/** Two configurations side by side: Hit@5 / Recall@5 / MRR of each, overall and per kind. */
export function formatComparison(names: [string, string], a: EvalReport, b: EvalReport): string {
  const trio = (m?: Metrics) => (m ? [m['hit@5'], m['recall@5'], m.mrr].map(f).join('  ') : '  -      -      -  ');
  const lines = [
    `${pad('', NAME_WIDTH + 6)}${pad(names[0], 23)}${names[1]}`,
    `${pad('类别', NAME_WIDTH)}题数  Hit@5  R@5    MRR    Hit@5  R@5    MRR`,
    `${pad('全部', NAME_WIDTH)}${String(a.n).padStart(4)}  ${trio(a)}  ${trio(b)}`,
  ];
  for (const k of Object.keys(a.by_kind)) lines.push(`${pad(kindName(k), NAME_WIDTH)}${String(a.by_kind[k]!.n).padStart(4)}  ${trio(a.by_kind[k])}  ${trio(b.by_kind[k])}`);
  lines.push(`检索耗时 p95：${names[0]} ${a.p95_ms.toFixed(1)} ms，${names[1]} ${b.p95_ms.toFixed(1)} ms`);
  return lines.join('\n');
}

const summary = (r: EvalReport) => {
  const { questions: _per, ...rest } = r;
  return rest;
};

export const command: Command = {
  name: 'eval',
  summary: '评测检索：按问题文件（jsonl）计算 Hit@k 与 Recall@k（k = 1/5/10）、MRR（总体与分类）和检索耗时。',
  usage: 'pufa eval <questions.jsonl>… [--k N] [--json] [--answers] [--compare]',
  options: { k: { type: 'string' }, json: { type: 'boolean' }, answers: { type: 'boolean' }, compare: { type: 'boolean' } },
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
    if (ctx.values.compare) {
      // The same index with and without its semantic vectors: lexical only is exactly what the offline default ranks by.
      if (index.manifest.embedder.id.startsWith('local')) {
        throw new PufaError('--compare 需要用语义向量模型建立的索引：请设置 EMBEDDER=openai 与 EMBEDDING_BASE_URL 后重新运行 pufa ingest');
      }
      const offline = await evaluate(index.hybrid({ lexicalWeight: 1 }), questions, { k });
      const semantic = await evaluate(index, questions, { k });
      if (ctx.values.json) ctx.io.stdout.write(JSON.stringify({ offline: summary(offline), semantic: summary(semantic) }) + '\n');
      else ctx.io.stdout.write(formatComparison(['离线（仅词法）', `语义混合（${index.manifest.embedder.id}）`], offline, semantic) + '\n');
      return 0;
    }
    const report = await evaluate(index, questions, { k });
    if (ctx.values.json) ctx.io.stdout.write(JSON.stringify(summary(report)) + '\n');
    else ctx.io.stdout.write(formatEvalReport(report) + '\n');
    return 0;
  },
};
