/**
 * Wiring for the chat entry points (pufa chat / bot / start): the index, the answerer, the records and
 * the checklist's roles, assembled into one core. Opened on call, closed by close().
 */
import type { Answerer } from '../answer/types.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Migration, SqliteRecords } from '../records/index.ts';
import type { Records } from '../records/types.ts';
import type { TrainingRepository } from '../records/training.ts';
import type { QuizService } from '../quiz/session.ts';
import { createChatCore, type ChatCore } from './core.ts';
import type { ChatFeature } from './types.ts';

export interface ChatRuntime {
  core: ChatCore;
  records: Records;
  answerer: Answerer;
  /** The weekly quiz (absent when the runtime opened no index, or the quiz could not be set up). */
  quiz?: { service: QuizService; training: TrainingRepository };
  /** Wait for in-flight replies, then close the database. */
  close(): Promise<void>;
}

export interface ChatRuntimeOptions {
  config: Config;
  logger: Logger;
  /** Feature migrations (quizzes, admin), run after the core's when the database opens. */
  migrations?: Migration[];
  /** Feature modules, built once the database is open (they make their repositories from it). */
  features?: (records: SqliteRecords) => ChatFeature[];
  /** Use this instead of opening the configured index and answerer (tests, benchmarks). */
  answerer?: Answerer;
}

/** Role names of the checklist; an unreadable checklist means no roles, with a warning (registration still works). */
export async function loadRoleNames(knowledgeDir: string, logger: Logger): Promise<string[]> {
  try {
    const { loadChecklist } = await import('../knowledge/checklist.ts');
    return (await loadChecklist(knowledgeDir)).roles.map((r) => r.name);
  } catch (err) {
    logger.warn('checklist roles unavailable', { error: err as Error });
    return [];
  }
}

export async function openChatRuntime(opts: ChatRuntimeOptions): Promise<ChatRuntime> {
  const { config, logger } = opts;
  let catalog: import('../knowledge/catalog.ts').LawCatalog | undefined;
  let indexDir: string | undefined;
  const answerer =
    opts.answerer ??
    (await (async () => {
      const [{ openIndex }, { createAnswerer }] = await Promise.all([
        import('../search/index.ts'),
        import('../answer/index.ts'),
      ]);
      const index = await openIndex(config);
      catalog = index.catalog;
      indexDir = index.dir;
      return createAnswerer({ index, config, logger });
    })());
  const records = (await import('../records/index.ts')).openRecords(config, { migrations: opts.migrations });
  const roles = await loadRoleNames(config.knowledgeDir, logger);
  const quiz = catalog ? await openQuiz(config, catalog, indexDir, records, logger) : undefined;
  const core = createChatCore({
    records,
    answerer,
    config,
    logger: logger.child('chat'),
    roles: () => roles,
    features: [
      ...(quiz ? [(await import('./features/quiz.ts')).createQuizFeature(quiz.service)] : []),
      (await import('./features/admin.ts')).createAdminFeature({ db: records.db, config }),
      ...(opts.features?.(records) ?? []),
    ],
  });
  // Telegram redelivers for about a day: older claims only take space.
  await records.updates.prune(new Date(Date.now() - 7 * 24 * 3600_000));
  return {
    core,
    records,
    answerer,
    quiz,
    async close() {
      await core.drain();
      await records.close();
    },
  };
}

/** The weekly quiz over the index's laws; a broken checklist leaves the chat running without it (logged). */
async function openQuiz(config: Config, catalog: import('../knowledge/catalog.ts').LawCatalog, indexDir: string | undefined, records: SqliteRecords, logger: Logger) {
  try {
    const [{ createSqliteTraining }, { loadQuizService }] = await Promise.all([import('../records/training.ts'), import('../quiz/session.ts')]);
    const training = createSqliteTraining(records.db);
    const service = await loadQuizService({ config, catalog, indexDir, training, logger: logger.child('quiz') });
    return { service, training };
  } catch (err) {
    logger.error('weekly quiz unavailable', { error: err as Error });
    return undefined;
  }
}
