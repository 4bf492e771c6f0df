/**
 * LLM scenario questions: a chat model writes a situational question from one article (prompt
 * prompts/quiz-scenario.vN.md); the reply is validated by a zod schema and accepted only when the article
 * supports the answer — the basis is quoted verbatim and the key's wording or numbers are in the article.
 */
import { z } from 'zod';
import { extractJson, type ChatModel } from '../llm/chat-model.ts';
import { renderPrompt, type Prompt } from '../llm/prompts.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import { citationLabel } from '../knowledge/citation-label.ts';
import type { Article, LawVersion } from '../knowledge/types.ts';
import { compact } from './generate/text.ts';
import { factKey, JUDGE_OPTIONS, QUESTION_TYPE_NAMES, questionId, type Question, type QuestionType } from './types.ts';

export const scenarioReplySchema = z.object({
  type: z.enum(['single', 'multiple', 'judge']),
  stem: z.string().trim().min(10, '题干太短'),
  options: z.array(z.string().trim().min(1)).min(2).max(6),
  answer: z.array(z.number().int().min(0)).min(1),
  basis: z.string().trim().min(4, '缺少条文依据'),
  explanation: z.string().trim().optional(),
});

export type ScenarioReply = z.infer<typeof scenarioReplySchema>;

export type ScenarioResult = { ok: true; question: Question; promptId: string } | { ok: false; reason: string; promptId: string };

/** Normalize for comparison: no white space or punctuation. */
function bare(s: string): string {
  return compact(s).replace(/[，。；：、“”‘’「」《》（）()…,.;:!?！？"']/g, '');
}

const NUMBER_TOKEN = /[零〇一二三四五六七八九十百千万亿两0-9]+(?:个工作日|个月|日|天|年|小时|元|倍|%)?|百分之[零一二三四五六七八九十百]+/g;

function longestCommonRun(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let len = best + 1; i + len <= a.length; len++) {
      if (b.includes(a.slice(i, i + len))) best = len;
      else break;
    }
  }
  return best;
}

/** The article supports an option when its words, its numbers, or most of it appear in the article. */
export function optionSupported(option: string, articleText: string): boolean {
  const o = bare(option);
  const t = bare(articleText);
  if (o.length === 0) return false;
  if (t.includes(o)) return true;
  const numbers = option.match(NUMBER_TOKEN)?.filter((n) => /[一二三四五六七八九十百千万两0-9]/.test(n)) ?? [];
  if (numbers.length && numbers.every((n) => compact(articleText).includes(n))) return true;
  return longestCommonRun(o, t) >= Math.max(4, Math.ceil(o.length * 0.6));
}

/** Check a parsed reply against the article; a reason string when it must be rejected. */
export function reviewScenarioReply(reply: ScenarioReply, article: Article): string | undefined {
  const n = reply.options.length;
  if (reply.answer.some((i) => i >= n)) return '答案序号超出选项范围';
  if (new Set(reply.options.map(bare)).size !== n) return '选项重复';
  if (reply.type === 'single' && (n !== 4 || reply.answer.length !== 1)) return '单选题应为 4 个选项、1 个答案';
  if (reply.type === 'multiple' && (n < 4 || reply.answer.length < 2)) return '多选题应至少 4 个选项、2 个答案';
  if (reply.type === 'judge' && (n !== 2 || reply.answer.length !== 1 || reply.answer[0]! > 1)) return '判断题应为「正确 / 错误」二选一';
  if (!bare(article.text).includes(bare(reply.basis))) return '所引依据不是条文原文';
  if (reply.type !== 'judge') {
    for (const i of reply.answer) if (!optionSupported(reply.options[i]!, article.text)) return `答案「${reply.options[i]}」在条文中找不到依据`;
    if (!reply.answer.some((i) => bare(reply.basis).includes(bare(reply.options[i]!)) || optionSupported(reply.options[i]!, reply.basis))) {
      return '所引依据与答案无关';
    }
    for (let i = 0; i < n; i++) {
      if (!reply.answer.includes(i) && bare(reply.options[i]!).length >= 4 && bare(article.text).includes(bare(reply.options[i]!))) {
        return `干扰项「${reply.options[i]}」是条文原话，可能也是正确答案`;
      }
    }
  }
  return undefined;
}

export interface ScenarioGeneratorDeps {
  model: ChatModel;
  /** loadPrompt('quiz-scenario'). */
  prompt: Prompt;
  logger?: Logger;
}

export interface ScenarioGenerator {
  generate(law: LawVersion, article: Article, type?: QuestionType): Promise<ScenarioResult>;
}

/**
 * @example const gen = createScenarioGenerator({ model: createChatModel(config.llm!), prompt: await loadPrompt('quiz-scenario') })
 */
export function createScenarioGenerator(deps: ScenarioGeneratorDeps): ScenarioGenerator {
  const log = deps.logger ?? silentLogger;
  const { prompt } = deps;
  return {
    async generate(law, article, type = 'single') {
      const user = renderPrompt(prompt.user, {
        law: law.title,
        version: law.version,
        article: article.label,
        text: article.text,
        type: QUESTION_TYPE_NAMES[type],
      });
      const raw = await deps.model.complete([
        { role: 'system', content: prompt.system },
        { role: 'user', content: user },
      ]);
      const reject = (reason: string): ScenarioResult => {
        log.info('scenario question rejected', { law: law.title, article: article.label, reason, prompt: prompt.id });
        return { ok: false, reason, promptId: prompt.id };
      };
      let data: unknown;
      try {
        data = extractJson(raw);
      } catch (err) {
        return reject(`回复不是合法的 JSON：${(err as Error).message}`);
      }
      const parsed = scenarioReplySchema.safeParse(data);
      if (!parsed.success) return reject(`回复格式不符：${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('；')}`);
      const reply = parsed.data;
      if (reply.type === 'judge') reply.options = [...JUDGE_OPTIONS];
      const problem = reviewScenarioReply(reply, article);
      if (problem) return reject(problem);
      const question: Question = {
        id: questionId(law.title, law.version, article.label, reply.type, compact(reply.stem), 'llm'),
        type: reply.type,
        stem: reply.stem,
        options: reply.options,
        answer: [...new Set(reply.answer)].sort((a, b) => a - b),
        law: law.title,
        article: article.label,
        articleNumber: article.number,
        articleSuffix: article.suffix,
        version: law.version,
        explanation: `依据${citationLabel({ law: law.title, articleLabel: article.label })}：${compact(article.text)}${reply.explanation ? ` ${reply.explanation}` : ''}`,
        kind: 'scenario',
        source: 'llm',
        fact: factKey(law.title, law.version, article.label, compact(reply.stem)),
      };
      return { ok: true, question, promptId: prompt.id };
    },
  };
}
