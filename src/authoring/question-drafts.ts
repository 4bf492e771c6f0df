/**
 * Drafts of 常见问法 (knowledge/questions/*.yaml) written by the chat model, for a law the repository ships
 * no question file for (a local regulation the bureau added). Articles go to the model in batches (prompt
 * prompts/article-questions.vN.md); every reply is validated, and questions that are too short or too long,
 * that cite an article number or that repeat another are dropped. A batch that fails (bad JSON, the model
 * unreachable) is reported and the others are kept: the draft is for an admin to review, never used unread.
 */
import { stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { extractJson, type ChatModel } from '../llm/chat-model.ts';
import { renderPrompt, type Prompt } from '../llm/prompts.ts';
import { silentLogger, type Logger } from '../log.ts';
import { DRAFT_SUFFIX } from '../knowledge/article-questions.ts';
import { articleLabelSource, parseArticleRef } from '../knowledge/article-reference.ts';
import { normalizeLawName } from '../knowledge/catalog.ts';
import type { Article, LawVersion } from '../knowledge/types.ts';

/** The prompt's name in prompts/ (article-questions.v1.md…). */
export const DRAFT_PROMPT = 'article-questions';
/** Articles per request by default. */
export const DEFAULT_BATCH_SIZE = 10;
/** A batch also ends before its article texts pass this many characters (one long article still goes alone). */
export const MAX_BATCH_CHARS = 6000;
/** Length of a kept question, in characters. */
export const QUESTION_LENGTH = { min: 6, max: 40 } as const;
/** After this many batches in a row fail to reach the model, the rest are not sent (the service is down or refuses the key). */
export const MAX_CONSECUTIVE_LLM_FAILURES = 3;

const replySchema = z.object({
  articles: z.array(
    z.object({
      article: z.union([z.string(), z.number()]),
      questions: z.array(z.unknown()),
    }),
  ),
});

/** A question the screening dropped, with the reason in Chinese (太短, 引用了条号, 重复…). */
export interface DroppedQuestion {
  article: string;
  question: string;
  reason: string;
}

/** A batch whose reply could not be used at all. */
export interface FailedBatch {
  /** 1-based batch number. */
  batch: number;
  /** Labels of its articles. */
  articles: string[];
  reason: string;
}

export interface QuestionDraft {
  law: LawVersion;
  promptId: string;
  /** Articles with at least one kept question, in article order. */
  drafted: { article: Article; questions: string[] }[];
  /** Labels of the articles asked about that got no question (failed batch, left out of the reply, all dropped). */
  missing: string[];
  failed: FailedBatch[];
  dropped: DroppedQuestion[];
  batches: number;
}

export interface DraftOptions {
  law: LawVersion;
  /** The articles to draft for (a subset of law.articles). */
  articles: Article[];
  model: ChatModel;
  /** loadPrompt(DRAFT_PROMPT). */
  prompt: Prompt;
  batchSize?: number;
  logger?: Logger;
  /** Called after each batch: for a progress line. */
  onBatch?: (e: { batch: number; of: number; articles: string[]; questions: number; failed?: string }) => void;
}

/**
 * Which article numbers a `--articles` spec selects: `1-30`, `5`, `1-10,15,20-25`; undefined when it is not
 * such a list. 第十条之一 goes with 第十条.
 * @example parseArticleRange('1-3,7')?.(2) // true
 */
export function parseArticleRange(spec: string): ((n: number) => boolean) | undefined {
  const ranges: [number, number][] = [];
  for (const part of spec.split(/[,，、]/).map((s) => s.trim())) {
    const m = part.match(/^(\d+)(?:\s*[-－—~～]\s*(\d+))?$/);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to < from) return undefined;
    ranges.push([from, to]);
  }
  return ranges.length ? (n) => ranges.some(([a, b]) => n >= a && n <= b) : undefined;
}

/** Split articles into batches of at most `size` articles and about MAX_BATCH_CHARS characters of text. */
export function batchArticles(articles: Article[], size: number = DEFAULT_BATCH_SIZE): Article[][] {
  const out: Article[][] = [];
  let current: Article[] = [];
  let chars = 0;
  for (const a of articles) {
    if (current.length && (current.length >= size || chars + a.text.length > MAX_BATCH_CHARS)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(a);
    chars += a.text.length;
  }
  if (current.length) out.push(current);
  return out;
}

/** An article number in a question: 第五条, 第 12 条, 第十条之一 (the one 第X条 pattern, as people type it). */
const ARTICLE_NUMBER = new RegExp(articleLabelSource({ spaced: true }));

/** The key duplicates are compared by: no white space or punctuation, one letter case. */
function questionKey(q: string): string {
  return q.replace(/[\s\u3000，。；：、？！?!,.;:“”‘’"'「」《》（）()…—-]/g, '').toLowerCase();
}

/**
 * Why a question must be dropped, or undefined to keep it. `seen` holds the keys of the questions kept so far
 * (across the whole law: one question on two articles would pull both); a kept question's key is added.
 */
export function screenQuestion(question: string, seen: Set<string>): string | undefined {
  const length = [...question].length;
  if (length < QUESTION_LENGTH.min) return `太短（少于 ${QUESTION_LENGTH.min} 个字）`;
  if (length > QUESTION_LENGTH.max) return `太长（超过 ${QUESTION_LENGTH.max} 个字）`;
  if (ARTICLE_NUMBER.test(question)) return '引用了条号';
  const key = questionKey(question);
  if (seen.has(key)) return '重复';
  seen.add(key);
  return undefined;
}

function labelRange(articles: Article[]): string {
  const first = articles[0]!.label;
  const last = articles[articles.length - 1]!.label;
  return first === last ? first : `${first}至${last}`;
}

/** The user message for one batch. */
function batchMessage(prompt: Prompt, law: LawVersion, batch: Article[]): string {
  return renderPrompt(prompt.user, {
    law: law.title,
    version: law.version || '未标注',
    count: String(batch.length),
    range: labelRange(batch),
    articles: batch.map((a) => `【${a.label}】${a.text}`).join('\n\n'),
  });
}

/**
 * Draft questions for the given articles of a law, batch by batch. Never throws for a bad or failed reply:
 * the batch is logged and reported, and the other batches still count.
 * @example const draft = await draftArticleQuestions({ law, articles: law.articles, model: createChatModel(config.llm!), prompt: await loadPrompt(DRAFT_PROMPT) })
 */
export async function draftArticleQuestions(opts: DraftOptions): Promise<QuestionDraft> {
  const { law, model, prompt } = opts;
  const log = opts.logger ?? silentLogger;
  const batches = batchArticles(opts.articles, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const byArticle = new Map<Article, string[]>();
  const failed: FailedBatch[] = [];
  const dropped: DroppedQuestion[] = [];
  const seen = new Set<string>();
  let llmFailures = 0;

  for (const [i, batch] of batches.entries()) {
    // The rest go unsent as one failed "batch", so a dead service costs neither time nor a screen of log lines.
    const labels = (llmFailures >= MAX_CONSECUTIVE_LLM_FAILURES ? batches.slice(i).flat() : batch).map((a) => a.label);
    const fail = (reason: string) => {
      failed.push({ batch: i + 1, articles: labels, reason });
      log.warn('question draft batch failed', {
        law: law.title,
        batch: `${i + 1}/${batches.length}`,
        articles: formatArticleList(labels, law.articles),
        reason,
        prompt: prompt.id,
      });
      opts.onBatch?.({ batch: i + 1, of: batches.length, articles: labels, questions: 0, failed: reason });
    };
    if (llmFailures >= MAX_CONSECUTIVE_LLM_FAILURES) {
      fail(`未发送：此前连续 ${MAX_CONSECUTIVE_LLM_FAILURES} 批请求大模型失败，其余 ${batches.length - i} 批不再发送`);
      break;
    }
    let raw: string;
    try {
      raw = await model.complete([
        { role: 'system', content: prompt.system },
        { role: 'user', content: batchMessage(prompt, law, batch) },
      ]);
      llmFailures = 0;
    } catch (err) {
      llmFailures++;
      const cause = err instanceof Error && err.cause instanceof Error ? `：${err.cause.message}` : '';
      fail(`请求大模型失败${cause}`);
      continue;
    }
    let data: unknown;
    try {
      data = extractJson(raw);
    } catch (err) {
      fail(`回复不是合法的 JSON：${(err as Error).message}`);
      continue;
    }
    const parsed = replySchema.safeParse(data);
    if (!parsed.success) {
      fail(`回复格式不符：${parsed.error.issues.slice(0, 3).map((x) => `${x.path.join('.') || '(root)'} ${x.message}`).join('；')}`);
      continue;
    }
    let kept = 0;
    for (const item of parsed.data.articles) {
      const ref = parseArticleRef(item.article);
      const article = ref && batch.find((a) => a.number === ref.number && a.suffix === ref.suffix);
      if (!article) {
        log.debug('question draft reply names an article outside its batch', { law: law.title, article: String(item.article) });
        continue;
      }
      const list = byArticle.get(article) ?? [];
      const before = list.length;
      for (const q of item.questions) {
        if (typeof q !== 'string') continue;
        const question = q.trim();
        const reason = screenQuestion(question, seen);
        if (reason) dropped.push({ article: article.label, question, reason });
        else list.push(question);
      }
      kept += list.length - before;
      byArticle.set(article, list);
    }
    opts.onBatch?.({ batch: i + 1, of: batches.length, articles: labels, questions: kept });
  }

  const drafted = opts.articles.flatMap((article) => {
    const questions = byArticle.get(article) ?? [];
    return questions.length ? [{ article, questions }] : [];
  });
  const missing = opts.articles.filter((a) => !byArticle.get(a)?.length).map((a) => a.label);
  const failedLabels = new Set(failed.flatMap((f) => f.articles));
  const unanswered = missing.filter((l) => !failedLabels.has(l));
  if (unanswered.length) log.info('question draft: articles without questions', { law: law.title, articles: unanswered.join('、') });
  return { law, promptId: prompt.id, drafted, missing, failed, dropped, batches: batches.length };
}

/**
 * Article labels as a short list, runs of consecutive articles (in `order`) joined: 第一条至第十条、第十五条.
 * @example formatArticleList(['第一条', '第二条', '第三条', '第五条'], law.articles) // 第一条至第三条、第五条
 */
export function formatArticleList(labels: string[], order: Article[]): string {
  const wanted = new Set(labels);
  const runs: string[][] = [];
  let run: string[] = [];
  for (const a of order) {
    if (wanted.has(a.label)) run.push(a.label);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  const listed = new Set(runs.flat());
  const parts = runs.map((r) => (r.length > 2 ? `${r[0]}至${r[r.length - 1]}` : r.join('、')));
  return [...parts, ...labels.filter((l) => !listed.has(l))].join('、');
}

/** The file name a law's question file gets: its short title (会计法.yaml), safe for any file system. */
export function questionFileName(title: string): string {
  return `${normalizeLawName(title).replace(/[\\/:*?"<>|]/g, '_')}.yaml`;
}

/** Where a draft goes by default: beside the files in use, named so that ingest leaves it out until reviewed. */
export function draftFileName(title: string): string {
  return questionFileName(title).replace(/\.yaml$/, DRAFT_SUFFIX);
}

/**
 * The draft as a question file (the format parseQuestionFile reads), headed by a comment that says who drafted
 * it, with which prompt, when, and that it must be reviewed.
 */
export function renderQuestionDraft(draft: QuestionDraft, meta: { model: string; date: string }): string {
  const { law } = draft;
  const version = /^\d{4}-\d{2}-\d{2}$/.test(law.version) ? law.version : undefined;
  const header = [
    `# 常见问法：同事们会怎么问《${law.title}》${version ? `（${version} 版）` : ''}的条文。`,
    '# 只用于检索（让口语提问找到条文），不作为答案显示；答案引用的永远是条文原文。',
    `# 【草稿】由大模型 ${meta.model} 按提示词 ${draft.promptId} 于 ${meta.date} 草拟，未经审阅，不得直接使用。`,
    '# 【草稿】请逐条审阅：删去答非所问、不像同事口吻的问法，补上漏掉的说法；审阅完成后删去标有【草稿】的各行，再运行 npx pufa ingest。',
  ];
  if (draft.missing.length) header.push(`# 【草稿】以下条文没有草拟出问法：${formatArticleList(draft.missing, law.articles)}`);
  const body = {
    law: law.title,
    ...(version ? { version } : {}),
    articles: Object.fromEntries(draft.drafted.map((d) => [d.article.label, d.questions])),
  };
  return `${header.join('\n')}\n${stringifyYaml(body, { lineWidth: 0 })}`;
}
