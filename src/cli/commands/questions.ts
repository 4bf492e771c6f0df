/**
 * `pufa questions draft`: the chat model drafts the 常见问法 file (knowledge/questions/*.yaml) of one law, for
 * an admin to review before the next ingest. Never overwrites an existing file; writes what it got even when
 * some batches failed, and names the articles left without questions.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { DRAFT_SUFFIX, loadArticleQuestions, QUESTIONS_DIR } from '../../knowledge/article-questions.ts';
import {
  DEFAULT_BATCH_SIZE,
  DRAFT_PROMPT,
  draftArticleQuestions,
  formatArticleList,
  parseArticleRange,
  draftFileName,
  renderQuestionDraft,
  type QuestionDraft,
} from '../../authoring/question-drafts.ts';
import type { LawVersion } from '../../knowledge/types.ts';
import { createChatModel } from '../../llm/chat-model.ts';
import { loadPrompt } from '../../llm/prompts.ts';
import { intFlag, UsageError, type Command, type CommandContext } from '../context.ts';

const USAGE = [
  'pufa questions draft <法规名> [--out FILE] [--articles 1-30] [--batch N] [--data DIR] [--laws DIR] [--knowledge DIR]',
  '',
  '  draft       用大模型为一部法规（现行版本）草拟常见问法文件，管理员审阅并改名后才使用',
  '  --out       写到这个文件（默认 knowledge/questions/<简称>.draft.yaml，审阅并改名前不会被使用；已存在的文件一律不覆盖）',
  '  --articles  只为这些条草拟，如 1-30、5、1-10,15',
  `  --batch     每次请求发送的条数（默认 ${DEFAULT_BATCH_SIZE}）`,
  '  需要配置大模型：.env 中的 OPENAI_API_KEY，或本地服务（Ollama、vLLM）的 OPENAI_BASE_URL。',
].join('\n');

/** Dropped questions listed in the summary; the rest are counted. */
const DROPPED_SHOWN = 20;

/** Today as YYYY-MM-DD in the bureau's time zone. */
function today(timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Question files that already hold questions for this law (under any file name). */
async function existingQuestionFiles(ctx: CommandContext, law: LawVersion, resolveLaw: (name: string) => LawVersion[]): Promise<string[]> {
  const { sets } = await loadArticleQuestions(ctx.config.knowledgeDir);
  return sets.filter((s) => s.kind === 'law' && resolveLaw(s.law)[0]?.title === law.title).map((s) => s.source);
}

/** Write without ever replacing a file; if one appeared meanwhile, next to it under a new name. */
async function writeNew(path: string, text: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, text, { flag: 'wx' });
    return path;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const other = path.replace(/(\.ya?ml)?$/i, `.${Date.now()}$1`);
    await writeFile(other, text, { flag: 'wx' });
    return other;
  }
}

function formatSummary(draft: QuestionDraft, path: string, inQuestionsDir: boolean): string {
  const { law } = draft;
  const asked = draft.drafted.length + draft.missing.length;
  const questions = draft.drafted.reduce((n, d) => n + d.questions.length, 0);
  const lines = [
    `草拟完成：《${law.title}》${law.version ? `（${law.version} 版）` : ''}${asked} 条条文中 ${draft.drafted.length} 条有问法，共写入 ${questions} 个问法。`,
  ];
  if (draft.missing.length) lines.push(`没有问法的条文 ${draft.missing.length} 条：${formatArticleList(draft.missing, law.articles)}`);
  if (draft.failed.length) {
    lines.push(`失败的批次 ${draft.failed.length} 个（其中的条文没有问法，可用 --articles 只为它们重新草拟到另一个文件）：`);
    for (const f of draft.failed) lines.push(`  第 ${f.batch} 批（${formatArticleList(f.articles, law.articles)}）：${f.reason}`);
  }
  if (draft.dropped.length) {
    lines.push(`丢弃的问法 ${draft.dropped.length} 个：`);
    for (const d of draft.dropped.slice(0, DROPPED_SHOWN)) lines.push(`  ${d.article}「${d.question}」：${d.reason}`);
    if (draft.dropped.length > DROPPED_SHOWN) lines.push(`  …另有 ${draft.dropped.length - DROPPED_SHOWN} 个`);
  }
  lines.push(`已写入：${path}`);
  const review = '下一步：逐条审阅该文件（删去答非所问的问法，补上漏掉的说法，删去【草稿】说明行），';
  lines.push(
    path.toLowerCase().endsWith(DRAFT_SUFFIX)
      ? `${review}然后把文件名中的 .draft 去掉（${basename(path).slice(0, -DRAFT_SUFFIX.length)}.yaml）${inQuestionsDir ? '' : `、放入 knowledge/${QUESTIONS_DIR}/，`}再运行 npx pufa ingest。改名之前，草稿不会被使用。`
      : inQuestionsDir
        ? `${review}审阅后运行 npx pufa ingest。\n注意：该文件已在常见问法目录中，下次运行 npx pufa ingest 时就会生效，请先审阅。`
        : `${review}放入 knowledge/${QUESTIONS_DIR}/ 后运行 npx pufa ingest。`,
  );
  return lines.join('\n');
}

async function draft(ctx: CommandContext): Promise<number> {
  const { config, io } = ctx;
  const name = ctx.positionals.slice(1).join(' ').trim();
  if (!name) {
    io.stderr.write(`请给出法规名称，如 npx pufa questions draft 会计法。\n用法：${USAGE}\n`);
    return 2;
  }
  const batchSize = intFlag(ctx.values.batch, 'batch', DEFAULT_BATCH_SIZE, 50);
  const spec = ctx.values.articles as string | undefined;
  const inRange = spec === undefined ? () => true : parseArticleRange(spec);
  if (!inRange) throw new UsageError('--articles 应写成条号或条号范围，如 1-30、5、1-10,15');
  if (!config.llm) {
    io.stderr.write(
      '草拟常见问法需要大模型，但没有配置：请在 .env 或环境变量中设置 OPENAI_API_KEY（以及需要时的 OPENAI_BASE_URL、OPENAI_MODEL），' +
        '或为无需密钥的本地服务（Ollama、vLLM）设置 OPENAI_BASE_URL。参见 .env.example 的「大模型」一节。\n',
    );
    return 2;
  }

  const { catalog } = await ctx.app.index();
  const versions = catalog.resolve(name);
  const law = versions.find((v) => v.status === 'current') ?? versions[0];
  if (!law) {
    io.stderr.write(`索引中没有法规「${name}」。请检查名称；新增的法规要先把文件放入 ${config.lawsDir} 并运行 npx pufa ingest。\n`);
    return 2;
  }
  const articles = law.articles.filter((a) => inRange(a.number));
  if (articles.length === 0) {
    io.stderr.write(
      law.articles.length
        ? `《${law.title}》（${law.version} 版）中没有 --articles ${spec} 范围内的条文（共 ${law.articles.length} 条）。\n`
        : `《${law.title}》没有分条的条文，无法草拟常见问法。\n`,
    );
    return 2;
  }

  const questionsDir = join(config.knowledgeDir, QUESTIONS_DIR);
  const out = ctx.values.out as string | undefined;
  const path = out ? resolve(io.cwd, out) : join(questionsDir, draftFileName(law.title));
  if (existsSync(path)) {
    io.stderr.write(
      out
        ? `文件已存在：${path}。为免覆盖已有内容，请换一个文件名。\n`
        : `已有这部法规的草稿：${path}，不会覆盖（可能正在审阅）。如需另起草稿，请用 --out 指定一个新文件。\n`,
    );
    return 2;
  }
  const rel = relative(questionsDir, path);
  const inQuestionsDir = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  for (const other of await existingQuestionFiles(ctx, law, (n) => catalog.resolve(n))) {
    io.stdout.write(`注意：${other} 已有这部法规的常见问法，草稿审阅时请与它合并，避免重复。\n`);
  }

  const prompt = await loadPrompt(DRAFT_PROMPT);
  const model = createChatModel(config.llm);
  io.stdout.write(`用大模型 ${config.llm.model} 为《${law.title}》（${law.version} 版）的 ${articles.length} 条条文草拟常见问法（提示词 ${prompt.id}）……\n`);
  const result = await draftArticleQuestions({
    law,
    articles,
    model,
    prompt,
    batchSize,
    logger: ctx.logger.child('questions'),
    onBatch: (e) => {
      const which = formatArticleList(e.articles, law.articles);
      io.stdout.write(`  第 ${e.batch}/${e.of} 批（${which}）：${e.failed ? `失败，${e.failed}` : `${e.questions} 个问法`}\n`);
    },
  });
  if (result.drafted.length === 0) {
    io.stderr.write('没有得到任何可用的问法，未写入文件。请检查大模型设置（OPENAI_BASE_URL、OPENAI_MODEL）与上面的失败原因后重试。\n');
    return 1;
  }
  const written = await writeNew(path, renderQuestionDraft(result, { model: config.llm.model, date: today(config.quiz.timezone) }));
  io.stdout.write(formatSummary(result, written, inQuestionsDir) + '\n');
  return result.failed.length ? 1 : 0;
}

export const command: Command = {
  name: 'questions',
  summary: '常见问法：用大模型为一部法规草拟常见问法（draft），管理员审阅并去掉文件名中的 .draft 后才使用。',
  usage: USAGE,
  options: {
    out: { type: 'string', short: 'o' },
    articles: { type: 'string' },
    batch: { type: 'string' },
  },
  async run(ctx) {
    const [sub] = ctx.positionals;
    if (sub === 'draft') return draft(ctx);
    ctx.io.stderr.write(`${sub ? `未知的子命令：${sub}\n` : ''}用法：${USAGE}\n`);
    return 2;
  },
};
