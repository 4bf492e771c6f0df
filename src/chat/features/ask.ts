/**
 * Plain text is a question: answered by the Answerer, logged in the Q&A log, shown with its
 * citations and the 👍/👎 · 查看全文 · 相关条文 buttons (which refer to the log entry by id).
 */
import type { Answer, AnswerCitation } from '../../answer/types.ts';
import { PufaError } from '../../errors.ts';
import { citationLabel } from '../../knowledge/citation-label.ts';
import type { QaCitation, QaEntry } from '../../records/types.ts';
import { bold, italic, para } from '../format.ts';
import { inputHint } from '../input-hints.ts';
import { MSG } from '../messages.ts';
import type { Block, ChatContext, ChatFeature, MessageRef, OutMessage } from '../types.ts';

/** One citation as a block that is never split away from its label. */
export function citationBlock(c: QaCitation): Block {
  const label = citationLabel(c);
  const version = c.status === 'superseded' && c.version ? `（${c.version} 版，已失效）` : '';
  return { spans: [bold(label + version), '\n', c.text], keep: label };
}

const toQaCitation = (c: AnswerCitation): QaCitation => ({ ...c });

export function answerMessage(answer: Answer, entry: QaEntry): OutMessage {
  const blocks: Block[] = [para(answer.answer)];
  // Name the sources the answer text does not already name (offline answers quote their articles).
  const unnamed = [...new Set(answer.citations.map(citationLabel))].filter((label) => !answer.answer.includes(label));
  if (unnamed.length) blocks.push(para(bold('依据：'), unnamed.join('、')));
  if (answer.note) blocks.push(para(italic(answer.note)));
  return {
    blocks,
    buttons: [
      [
        { text: '👍 有帮助', data: `qa:up:${entry.id}` },
        { text: '👎 没帮助', data: `qa:down:${entry.id}` },
      ],
      [
        { text: '📖 查看全文', data: `qa:full:${entry.id}` },
        { text: '🔗 相关条文', data: `qa:rel:${entry.id}` },
      ],
    ],
  };
}

/** Ask the answerer, translating its failures into a sentence for the user. */
export async function askAnswerer(ctx: ChatContext, question: string, onPartial?: (text: string) => void): Promise<Answer> {
  const conversationId = `${ctx.event.chatId}:${ctx.event.from.identity.id}`;
  try {
    return await ctx.withTyping(() => ctx.deps.answerer.answer(question, { conversationId, onPartial }));
  } catch (err) {
    if (err instanceof PufaError) throw err;
    throw new PufaError('抱歉，回答问题时出错了，请稍后再试。', { cause: err });
  }
}

/** Edits at most this often while a model streams, unless the transport says otherwise (Telegram rate-limits edits like messages). */
const STREAM_EDIT_MS = 1_500;

/**
 * A streamed answer shows up as one message edited as the text grows; the final, checked answer then
 * replaces it. Without streaming nothing is sent until the answer is done.
 */
function streamer(ctx: ChatContext) {
  let ref: MessageRef | undefined;
  let last = 0;
  let latest = '';
  let chain: Promise<void> = Promise.resolve();
  return {
    onPartial(text: string) {
      latest = text;
      if (!ctx.out.abilities.editsInPlace) return;
      const now = ctx.deps.now().getTime();
      if (now - last < (ctx.out.abilities.editIntervalMs ?? STREAM_EDIT_MS) || !text.trim()) return;
      last = now;
      chain = chain
        .then(async () => {
          const msg = { blocks: [para(latest.slice(0, 3_900) + ' …')] };
          if (ref) await ctx.edit(ref, msg);
          else ref = (await ctx.reply(msg))[0];
        })
        .catch((err) => ctx.deps.logger.debug('stream update failed', { error: err as Error }));
    },
    /** Show the final message: in place of the streamed one when there is one. */
    async finish(msg: OutMessage) {
      await chain;
      if (ref) await ctx.edit(ref, msg);
      else await ctx.reply(msg);
    },
  };
}

async function ask(ctx: ChatContext, question: string) {
  const started = ctx.deps.now().getTime();
  const stream = streamer(ctx);
  const answer = await askAnswerer(ctx, question, (t) => stream.onPartial(t));
  const entry = await ctx.deps.records.qa.add({
    userId: ctx.user!.id,
    chatId: ctx.event.chatId,
    question,
    answer: answer.answer,
    mode: answer.mode,
    citations: answer.citations.map(toQaCitation),
    related: answer.related.map(toQaCitation),
    latencyMs: answer.ms ?? ctx.deps.now().getTime() - started,
  });
  await stream.finish(answerMessage(answer, entry));
}

export const askFeature: ChatFeature = {
  name: 'ask',
  callbacks: [
    {
      prefix: 'qa',
      access: 'active',
      async run(ctx, payload) {
        const [action, idText] = payload.split(':');
        const entry = await ctx.deps.records.qa.get(Number(idText));
        if (!entry) return void (await ctx.answerCallback(MSG.expired));
        // Feedback belongs to the asker; nobody learns anything about another user's log entry.
        if (entry.userId !== ctx.user!.id) return void (await ctx.answerCallback(MSG.notYours, true));
        if (action === 'up' || action === 'down') {
          await ctx.deps.records.qa.setFeedback(entry.id, entry.userId, action === 'up' ? 1 : -1);
          await ctx.answerCallback(action === 'up' ? '感谢反馈！' : '感谢反馈，我们会改进这个回答。');
          return;
        }
        if (action === 'full') {
          if (!entry.citations.length) return void (await ctx.answerCallback('这个回答没有引用条文。', true));
          await ctx.answerCallback();
          await ctx.reply({ blocks: entry.citations.map(citationBlock) });
          return;
        }
        if (action === 'rel') {
          const related = entry.related.length ? entry.related : entry.citations.slice(1);
          if (!related.length) return void (await ctx.answerCallback('暂无更多相关条文。', true));
          await ctx.answerCallback();
          await ctx.reply({ blocks: [para(bold('相关条文')), ...related.map(citationBlock)] });
          return;
        }
        await ctx.answerCallback(MSG.expired);
      },
    },
  ],
  async onText(ctx, text) {
    if (!(await ctx.require('active'))) return true;
    const hint = inputHint(text);
    if (hint) {
      await ctx.reply(hint);
      return true;
    }
    await ask(ctx, text);
    return true;
  },
};
