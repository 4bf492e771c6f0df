/**
 * LLM answers: the model sees numbered, delimited sources and must cite them as [n]; its reply is checked
 * (verify.ts) before it is used, and the article text shown with it always comes from the index.
 */
import type { Logger } from '../log.ts';
import { citationLine } from './citations.ts';
import { relevantExcerpt, type RankedCitation } from './extractive.ts';
import type { ChatModel } from '../llm/chat-model.ts';
import { renderPrompt, type Prompt } from '../llm/prompts.ts';
import type { AnswerCitation } from './types.ts';
import { checkReply, type ReplyCheck } from './verify.ts';

/** How many sources the model sees. */
export const LLM_SOURCES = 6;

/** Sources are data: angle brackets are made full-width so no text can close or open a <source> tag. */
function asData(text: string): string {
  return text.replace(/</g, '＜').replace(/>/g, '＞');
}

export function formatSources(sources: AnswerCitation[]): string {
  return sources
    .map((c, i) => `<source id="${i + 1}" cite="${asData(citationLine(c)).replace(/"/g, '＂')}">\n${asData(c.text)}\n</source>`)
    .join('\n');
}

export type LlmOutcome =
  | { ok: true; answer: string; citations: AnswerCitation[]; check: ReplyCheck }
  | { ok: false; check: ReplyCheck };

export async function answerWithModel(args: {
  question: string;
  ranked: RankedCitation[];
  model: ChatModel;
  prompt: Prompt;
  logger: Logger;
  onPartial?: (textSoFar: string) => void;
}): Promise<LlmOutcome> {
  const sources = args.ranked.slice(0, LLM_SOURCES).map((r) => r.citation);
  const user = renderPrompt(args.prompt.user, {
    question: asData(args.question),
    count: String(sources.length),
    sources: formatSources(sources),
  });
  const reply = await args.model.complete(
    [
      { role: 'system', content: args.prompt.system },
      { role: 'user', content: user },
    ],
    { onText: args.onPartial },
  );
  const check = checkReply(
    reply,
    sources.map((c, i) => ({ n: i + 1, text: `${citationLine(c)}\n${c.text}` })),
    args.question,
  );
  args.logger.info('llm reply checked', {
    prompt: args.prompt.id,
    ok: check.ok,
    reason: check.reason ?? null,
    cited: check.cited,
    removedCitations: check.removed,
    unsupported: check.unsupported,
  });
  if (!check.ok) return { ok: false, check };
  const cited = check.cited.map((n) => ({ n, c: sources[n - 1]! }));
  const lines = [check.text, '', '引用条文（原文取自知识库）：'];
  for (const { n, c } of cited) {
    const excerpt = relevantExcerpt(c.text, args.question);
    lines.push(`[${n}] ${citationLine(c)}`, excerpt ?? c.text);
  }
  return { ok: true, answer: lines.join('\n'), citations: cited.map((x) => x.c), check };
}
