/**
 * `pufa ask "<question>" [--json]`: answer one question; without a question, answer each line of standard
 * input in turn in one process (one JSON object per line with --json).
 */
import { createInterface } from 'node:readline';
import type { Answer, Answerer } from '../../answer/types.ts';
import { citationLine } from '../../answer/citations.ts';
import { userMessageOf } from '../../errors.ts';
import type { Command, CommandContext } from '../context.ts';

/** The JSON line of the command-line contract. */
export function answerJson(a: Answer): string {
  return JSON.stringify({
    question: a.question,
    answer: a.note ? `${a.note}\n${a.answer}` : a.answer,
    mode: a.mode,
    citations: a.citations.map((c) => ({
      doc: c.doc,
      law: c.law,
      ...(c.doc === 'law' ? { article: c.article, ...(c.articleSuffix ? { articleSuffix: c.articleSuffix } : {}), version: c.version } : { section: c.section }),
      text: c.text,
    })),
    ms: a.ms,
  });
}

/** The reply as a person reads it in a terminal. */
export function answerText(a: Answer): string {
  const lines: string[] = [];
  if (a.note) lines.push(`（${a.note}）`);
  lines.push(a.answer);
  if (a.mode === 'faq') lines.push('', '（以上为管理员整理的常见问答）');
  if (a.mode === 'llm' || a.mode === 'extractive') {
    const main = a.citations[0];
    if (main) lines.push('', `主要依据：${citationLine(main)}`);
  }
  return lines.join('\n');
}

async function answerOne(ctx: CommandContext, answerer: Answerer, question: string, json: boolean): Promise<boolean> {
  try {
    const a = await answerer.answer(question);
    ctx.io.stdout.write((json ? answerJson(a) : `${answerText(a)}\n`) + '\n');
    return true;
  } catch (err) {
    ctx.logger.error('answer failed', { question, error: err instanceof Error ? err : String(err) });
    const message = userMessageOf(err);
    ctx.io.stdout.write((json ? JSON.stringify({ question, error: message }) : message) + '\n');
    return false;
  }
}

export const command: Command = {
  name: 'ask',
  summary: '提问：按知识库回答法律法规问题并注明出处；不带问题时从标准输入逐行读取问题。',
  usage: 'pufa ask "<问题>" [--json]    或    pufa ask [--json] < questions.txt',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const json = Boolean(ctx.values.json);
    const answerer = await ctx.app.answerer();
    const question = ctx.positionals.join(' ').trim();
    if (question) return (await answerOne(ctx, answerer, question, json)) ? 0 : 1;

    if (ctx.io.stdin.isTTY) ctx.io.stderr.write('请输入问题，每行一个（Ctrl-D 结束）：\n');
    let failed = 0;
    const lines = createInterface({ input: ctx.io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      const q = line.trim();
      if (!q) continue;
      if (!(await answerOne(ctx, answerer, q, json))) failed++;
    }
    return failed ? 1 : 0;
  },
};
