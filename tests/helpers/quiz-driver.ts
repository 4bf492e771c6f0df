/**
 * Plays staff taking the weekly quiz against the local Bot API server: /quiz, then for every question an
 * answer (多选: tick, then 提交) and 下一题, until the summary. One dispatcher scans the server's calls for
 * all players (no per-player scans), so hundreds can play at once. Latency is measured on the server's
 * clock: from the press being handed to the bot (getUpdates) to the bot's edit of the quiz message.
 *
 * @example const result = await takeQuiz(api, dispatcher, { id: 2001, first_name: '张三' });
 */
import type { BotApiServer, RecordedCall, TgUser } from './bot-api-server.ts';

export interface QuizPlay {
  user: TgUser;
  /** Milliseconds from each press (answer, 提交, 下一题) being served to the bot's edit. */
  latencies: { kind: 'start' | 'answer' | 'next' | 'toggle'; ms: number }[];
  /** Attempt ids seen in this player's buttons (must be exactly one). */
  attemptIds: Set<string>;
  questions: number;
  summary: string;
}

type Waiter = { chatId: number; pred: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void };

/** One scanner of the server's calls, handing each new call to the waiters of its chat. */
export function callDispatcher(api: BotApiServer, pollMs = 2) {
  let seen = api.calls.length;
  const waiters = new Map<number, Waiter[]>();
  const timer = setInterval(() => {
    for (; seen < api.calls.length; seen++) {
      const c = api.calls[seen]!;
      const chatId = Number(c.payload.chat_id);
      const list = waiters.get(chatId);
      if (!list?.length) continue;
      const i = list.findIndex((w) => w.pred(c));
      if (i >= 0) list.splice(i, 1)[0]!.resolve(c);
    }
  }, pollMs);
  return {
    /** The next call (from now on) to `chatId` that matches. */
    next(chatId: number, pred: (c: RecordedCall) => boolean, timeoutMs = 60_000): Promise<RecordedCall> {
      return new Promise((resolve, reject) => {
        const w: Waiter = {
          chatId,
          pred,
          resolve: (c) => {
            clearTimeout(t);
            resolve(c);
          },
        };
        const t = setTimeout(() => {
          const list = waiters.get(chatId) ?? [];
          list.splice(list.indexOf(w), 1);
          reject(new Error(`chat ${chatId}: no matching call within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(chatId, [...(waiters.get(chatId) ?? []), w]);
      });
    },
    stop() {
      clearInterval(timer);
    },
  };
}
export type CallDispatcher = ReturnType<typeof callDispatcher>;

export const buttonsOf = (c: RecordedCall): { text: string; data: string }[] =>
  ((c.payload.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data: string }[][]).flat().map((b) => ({ text: b.text, data: b.callback_data }));

const hasQuizButtons = (c: RecordedCall) => buttonsOf(c).some((b) => /^qz:[atmn]:/.test(b.data));
const isEdit = (c: RecordedCall) => c.method === 'editMessageText';

export interface PlayOptions {
  /** Which option to choose for question i of n options (default: the first). */
  choose?: (i: number, options: number) => number;
  /** Pause before each press, like a person reading (ms). */
  think?: () => number;
  timeoutMs?: number;
}

/** Take this week's quiz from /quiz to the summary. */
export async function takeQuiz(api: BotApiServer, d: CallDispatcher, user: TgUser, opts: PlayOptions = {}): Promise<QuizPlay> {
  const play: QuizPlay = { user, latencies: [], attemptIds: new Set(), questions: 0, summary: '' };
  const timeout = opts.timeoutMs ?? 60_000;
  const pause = async () => {
    const ms = opts.think?.() ?? 0;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  };
  const started = d.next(user.id, (c) => c.method === 'sendMessage' && hasQuizButtons(c), timeout);
  const asked = api.text(user, '/quiz');
  let current = await started;
  play.latencies.push({ kind: 'start', ms: current.at - api.servedAt.get(asked.update_id)! });
  const message = { chatId: user.id, messageId: Number(current.result.message_id) };
  const press = async (data: string, kind: QuizPlay['latencies'][number]['kind']) => {
    await pause();
    const edited = d.next(user.id, (c) => isEdit(c) && Number(c.payload.message_id) === message.messageId, timeout);
    const update = api.press(user, message, data);
    const c = await edited;
    play.latencies.push({ kind, ms: c.at - api.servedAt.get(update.update_id)! });
    return c;
  };
  for (;;) {
    const buttons = buttonsOf(current);
    for (const b of buttons) {
      const m = /^qz:[a-z]:(\d+):/.exec(b.data);
      if (m) play.attemptIds.add(m[1]!);
    }
    const answers = buttons.filter((b) => b.data.startsWith('qz:a:'));
    const toggles = buttons.filter((b) => b.data.startsWith('qz:t:'));
    const next = buttons.find((b) => b.data.startsWith('qz:n:'));
    if (answers.length) {
      current = await press(answers[opts.choose?.(play.questions, answers.length) ?? 0]!.data, 'answer');
      play.questions++;
    } else if (toggles.length) {
      const k = opts.choose?.(play.questions, toggles.length) ?? 0;
      const ticked = await press(toggles[k]!.data, 'toggle');
      current = await press(buttonsOf(ticked).find((b) => b.data.startsWith('qz:m:'))!.data, 'answer');
      play.questions++;
    } else if (next) {
      current = await press(next.data, 'next');
    } else {
      play.summary = String(current.payload.text);
      return play;
    }
  }
}
