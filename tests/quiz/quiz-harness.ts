/**
 * The weekly quiz wired as in production (records on disk, the quiz service over the shared test index's
 * catalog, the chat core with the quiz feature, the real grammY bot against the local Bot API server), with
 * an injected clock. A bot can be stopped and started again on the same database, like a restart.
 */
import { join } from 'node:path';
import { createApp } from '../../src/app/app.ts';
import type { ChatCore } from '../../src/chat/core.ts';
import { createTelegramBot, type RunningBot } from '../../src/chat/telegram/bot.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { loadChecklist, type Checklist } from '../../src/knowledge/checklist.ts';
import type { LawCatalog } from '../../src/knowledge/catalog.ts';
import { silentLogger } from '../../src/log.ts';
import type { QuestionBank } from '../../src/quiz/bank.ts';
import { openQuestionBank } from '../../src/quiz/bank-file.ts';
import type { QuizService } from '../../src/quiz/session.ts';
import type { SqliteRecords, TrainingRepository } from '../../src/records/index.ts';
import type { BotApiServer, TgUser } from '../helpers/bot-api-server.ts';
import { getChecklistIndex } from '../helpers/test-index.ts';
import { scriptedAnswerer } from '../chat/harness.ts';

/** Wednesday 2026-11-25 10:00 in Shanghai: week 2026-W48. */
export const WEDNESDAY = new Date('2026-11-25T02:00:00Z');

export interface QuizKnowledge {
  catalog: LawCatalog;
  checklist: Checklist;
  bank: QuestionBank;
  knowledgeDir: string;
}

let knowledge: Promise<QuizKnowledge> | undefined;
/** The shared index's catalog and checklist, and its question bank (built at ingest), once per test file. */
export function quizKnowledge(): Promise<QuizKnowledge> {
  knowledge ??= (async () => {
    const { config, index } = await getChecklistIndex();
    const bank = await openQuestionBank({ catalog: index.catalog, dir: index.dir, knowledgeDir: config.knowledgeDir });
    return { catalog: index.catalog, checklist: await loadChecklist(config.knowledgeDir), bank, knowledgeDir: config.knowledgeDir };
  })();
  return knowledge;
}

/** A config with its own data directory in `dir` and the shared index's knowledge folder (checklist, quizzes). */
export async function quizConfig(dir: string, env: Record<string, string> = {}, api?: BotApiServer): Promise<Config> {
  const { knowledgeDir } = await quizKnowledge();
  return loadConfig(
    { LOG_LEVEL: 'silent', ...(api ? { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot } : {}), ...env },
    { dataDir: join(dir, 'data'), knowledgeDir },
    dir,
  );
}

export interface QuizStack {
  records: SqliteRecords;
  training: TrainingRepository;
  quiz: QuizService;
  core: ChatCore;
  config: Config;
  close(): Promise<void>;
}

/** Records, quiz service and chat core on the database in `dir`. */
export async function openQuizStack(dir: string, opts: { now?: () => Date; env?: Record<string, string>; api?: BotApiServer } = {}): Promise<QuizStack> {
  const k = await quizKnowledge();
  const config = await quizConfig(dir, opts.env, opts.api);
  const { index } = await getChecklistIndex();
  // The production wiring (src/app/) over the shared index, with a scripted answerer, this file's bank and the clock.
  const app = createApp(config, silentLogger, { index, answerer: scriptedAnswerer(), quizBank: k.bank, now: opts.now ?? (() => WEDNESDAY) });
  const core = await app.chat();
  const parts = await app.quiz();
  if (!parts) throw new Error('the weekly quiz did not start over the shared index');
  const records = app.records();
  const { training, service: quiz } = parts;
  return {
    records,
    training,
    quiz,
    core,
    config,
    close: () => app.close(),
  };
}

export interface QuizBot extends QuizStack {
  running: RunningBot;
  stop(): Promise<void>;
}

/** The stack plus the real Telegram bot polling the local Bot API server. */
export async function startQuizBot(dir: string, api: BotApiServer, opts: { now?: () => Date; env?: Record<string, string> } = {}): Promise<QuizBot> {
  const stack = await openQuizStack(dir, { ...opts, api });
  const telegram = createTelegramBot(api.token, {
    core: stack.core,
    config: stack.config,
    logger: silentLogger,
    // Telegram's pacing would only slow the tests down; the throttler stays in the path.
    throttle: { out: { minTime: 0 }, group: { minTime: 0 }, global: {} },
  });
  const running = await telegram.start();
  return {
    ...stack,
    running,
    async stop() {
      await running.stop();
      await stack.close();
    },
  };
}

/** A registered, active staff member with Telegram. */
export function activeStaff(records: SqliteRecords, who: TgUser, roles = ['全体干部']) {
  return records.users.create({
    identity: { channel: 'telegram', id: String(who.id) },
    name: who.first_name,
    department: '预算科',
    rank: '一级科员',
    roles,
    status: 'active',
  });
}
