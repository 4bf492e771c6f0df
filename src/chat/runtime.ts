/**
 * Wiring for the chat entry points (pufa chat / bot / start): the index, the answerer, the records and
 * the checklist's roles, assembled into one core. Opened on call, closed by close().
 */
import type { Answerer } from '../answer/types.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Migration, SqliteRecords } from '../records/index.ts';
import type { Records } from '../records/types.ts';
import { createChatCore, type ChatCore } from './core.ts';
import type { ChatFeature } from './types.ts';

export interface ChatRuntime {
  core: ChatCore;
  records: Records;
  answerer: Answerer;
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
  const answerer =
    opts.answerer ??
    (await (async () => {
      const [{ openIndex }, { createAnswerer }] = await Promise.all([
        import('../search/index.ts'),
        import('../answer/index.ts'),
      ]);
      const index = await openIndex(config);
      return createAnswerer({ index, config, logger });
    })());
  const records = (await import('../records/index.ts')).openRecords(config, { migrations: opts.migrations });
  const roles = await loadRoleNames(config.knowledgeDir, logger);
  const core = createChatCore({
    records,
    answerer,
    config,
    logger: logger.child('chat'),
    roles: () => roles,
    features: opts.features?.(records),
  });
  // Telegram redelivers for about a day: older claims only take space.
  await records.updates.prune(new Date(Date.now() - 7 * 24 * 3600_000));
  return {
    core,
    records,
    answerer,
    async close() {
      await core.drain();
      await records.close();
    },
  };
}
