/**
 * Test harness: the real chat core and the real grammY bot against the local Bot API server, with the
 * records database on disk in a temp dir. The answerer is injected: the real one (from the shared
 * checklist index) where the answer matters, a scripted stand-in where only the conversation does.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Answer, AnswerCitation, Answerer } from '../../src/answer/types.ts';
import { createApp, type App } from '../../src/app/app.ts';
import type { ChatCore } from '../../src/chat/core.ts';
import { createTelegramBot, type RunningBot, type TelegramBot } from '../../src/chat/telegram/bot.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import type { SqliteRecords } from '../../src/records/index.ts';
import { startBotApiServer, type BotApiServer, type RecordedCall, type TgUser } from '../helpers/bot-api-server.ts';

export const ARTICLE_18 = '预算年度自公历一月一日起，至十二月三十一日止。';

export const budgetYear: AnswerCitation = {
  doc: 'law',
  law: '中华人民共和国预算法',
  article: 18,
  articleLabel: '第十八条',
  version: '2018-12-29',
  status: 'current',
  text: ARTICLE_18,
};

/** A long article with markup-hostile characters, for splitting and escaping. */
export function longCitation(n: number, chars = 1500): AnswerCitation {
  const sentence = `第${n}项：收入<支出>&“结余”不得挪用，详见《中华人民共和国预算法》；`;
  let text = '';
  while (text.length < chars) text += sentence;
  return { doc: 'law', law: '中华人民共和国测试法', article: 100 + n, articleLabel: `第一百零${n}条`, status: 'current', text };
}

/** Stand-in answerer: predictable answers with real citation shapes, and a count of the questions it got. */
export function scriptedAnswerer(): Answerer & { questions: string[] } {
  const questions: string[] = [];
  return {
    questions,
    async answer(question) {
      questions.push(question);
      const base = { question, ms: 3, related: [] as AnswerCitation[] };
      if (question.includes('长篇')) {
        const citations = [1, 2, 3, 4].map((n) => longCitation(n));
        return { ...base, answer: '以下几条与您的问题有关。', mode: 'extractive', citations } satisfies Answer;
      }
      if (question.startsWith('预算法第18条') || question.includes('预算年度')) {
        return {
          ...base,
          answer: `《中华人民共和国预算法》第十八条规定：${ARTICLE_18}`,
          mode: question.includes('预算年度') ? 'extractive' : 'lookup',
          citations: [budgetYear],
          related: [{ ...budgetYear, article: 19, articleLabel: '第十九条', text: '预算收入和预算支出以人民币元为计算单位。' }],
        } satisfies Answer;
      }
      return { ...base, answer: '没有找到可以作为依据的条文。', mode: 'none', citations: [] } satisfies Answer;
    },
  };
}

export interface Harness {
  app: App;
  api: BotApiServer;
  records: SqliteRecords;
  core: ChatCore;
  telegram: TelegramBot;
  running: RunningBot;
  config: Config;
  /** The scripted answerer records the questions it was asked. */
  answerer: Answerer & { questions?: string[] };
  stop(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  answerer?: Answerer;
  roles?: string[];
  /** Webhook mode: the bot serves on a free port of 127.0.0.1. */
  webhook?: boolean;
  webhookAckMs?: number;
  now?: () => Date;
  /** Start from a copy of this records database (upgraded as it opens). */
  database?: string;
}

export const ROLES = ['全体干部', '预算管理岗', '政府采购岗'];

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'pufa-chat-'));
  const api = await startBotApiServer();
  const config = loadConfig(
    {
      LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      ...(opts.webhook ? { WEBHOOK_URL: 'https://pufa.example.org/tg/hook', WEBHOOK_SECRET: 'test-secret_123' } : {}),
      ...opts.env,
    },
    { dataDir: join(dir, 'data') },
    dir,
  );
  if (opts.database) {
    await mkdir(config.dataDir, { recursive: true });
    await copyFile(opts.database, join(config.dataDir, 'pufa.sqlite'));
  }
  const answerer: Answerer & { questions?: string[] } = opts.answerer ?? scriptedAnswerer();
  // The production wiring (src/app/), with the answer, the roles and the clock injected.
  const app = createApp(config, silentLogger, { answerer, roles: opts.roles ?? ROLES, now: opts.now, quiz: false });
  const records = app.records();
  const core = await app.chat();
  const telegram = createTelegramBot(api.token, {
    core,
    config,
    logger: silentLogger,
    webhookListen: { host: '127.0.0.1', port: 0 },
    webhookAckMs: opts.webhookAckMs,
    // Telegram's one-message-per-second pacing per chat would only slow the tests down; the throttler stays in the path.
    throttle: { out: { minTime: 0 }, group: { minTime: 0 } },
  });
  const running = await telegram.start();
  const detach = app.outbox.attach('telegram', { output: telegram.output, privateChat: (id) => id });
  return {
    app,
    api,
    records,
    core,
    telegram,
    running,
    config,
    answerer,
    async stop() {
      detach();
      await running.stop();
      await app.close();
      await api.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const user = (id: number, first_name: string): TgUser => ({ id, first_name });

/** The people of most tests: an admin from ADMIN_TELEGRAM_IDS and a colleague. */
export const ADMIN = user(1001, '王局长');
export const alice = user(2001, '张三');

export const isSend = (chatId: number) => (c: RecordedCall) => c.method === 'sendMessage' && Number(c.payload.chat_id) === chatId;
export const sendContaining = (chatId: number, text: string) => (c: RecordedCall) =>
  isSend(chatId)(c) && String(c.payload.text).includes(text);

/** The buttons under a sent message, as [text, data] pairs. */
export function buttonsOf(call: RecordedCall): { text: string; data: string }[] {
  const rows = (call.payload.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data: string }[][];
  return rows.flat().map((b) => ({ text: b.text, data: b.callback_data }));
}

export function messageOf(call: RecordedCall) {
  return { chatId: Number(call.result.chat.id), messageId: Number(call.result.message_id) };
}

/** Telegram's HTML to the text a user reads. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
