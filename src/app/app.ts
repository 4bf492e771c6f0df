/**
 * The composition root: the one place that builds pufa's parts from a config — the knowledge index, the
 * records, the answerer, the weekly quiz, the chat core with its features and the dashboard's wiring — for
 * every entry point (CLI commands, `npm start`, benchmarks, test harnesses). Each part is built on first
 * use and only once; close() waits for replies in flight and closes what was opened.
 *
 * Tests and benchmarks inject parts (an index already open, a scripted answerer, a clock) through
 * AppOverrides; the wiring between the parts is the production wiring either way. Heavy modules (the
 * index, the answerer, the chat features) are imported when first needed, so `pufa search` does not load
 * the dashboard's spreadsheet library.
 */
import type { Answerer } from '../answer/types.ts';
import type { ChatCore } from '../chat/core.ts';
import type { ChatFeature } from '../chat/types.ts';
import type { Config } from '../config.ts';
import type { ChatModel } from '../llm/chat-model.ts';
import type { Logger } from '../log.ts';
import type { QuestionBank } from '../quiz/bank.ts';
import { openRecords, type SqliteRecords } from '../records/index.ts';
import type { OpenedIndex } from '../search/index.ts';
import type { QuizParts } from './features.ts';
import { createIngestJob, type IngestJob } from './ingest-job.ts';
import { createOutbox, type AppOutbox } from './outbox.ts';

/** How long Telegram may redeliver an update: older dedupe claims only take space. */
const UPDATE_CLAIMS_KEPT_MS = 7 * 24 * 3600_000;

/** Parts to use instead of the ones the config describes (tests, benchmarks). */
export interface AppOverrides {
  /** An index already open (the shared test index), instead of the one in the data directory. */
  index?: OpenedIndex;
  /** An answerer instead of one over the index (a scripted stand-in, or one with an injected model). */
  answerer?: Answerer;
  /** The chat model the answerer uses instead of the one config.llm describes. */
  chatModel?: ChatModel;
  /** The clock of the chat core, the quiz and the admin read models. */
  now?: () => Date;
  /** Role names offered at registration, instead of reading the checklist. */
  roles?: string[];
  /** A question bank to share between apps over one catalog (test files build it once). */
  quizBank?: QuestionBank;
  /** `false`: no weekly quiz even when the index has laws. */
  quiz?: false;
  /** Chat features added after the standard ones. */
  features?: ChatFeature[];
}

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Reaches people over whichever transports are running; transports attach to it when they start. */
  readonly outbox: AppOutbox;
  /**
   * The knowledge index being served (opened on first use). Throws the index's own Chinese message when there
   * is none. After `switchIndex` it is the new one.
   */
  index(): Promise<OpenedIndex>;
  /**
   * Open the build published last and switch to it: the index, the answerer and the quiz's catalog are built
   * over it first, then swapped in at once; questions in flight finish on the old one.
   */
  switchIndex(): Promise<void>;
  /** An ingest started while serving (the dashboard's 建立索引): builds, then switches. */
  readonly ingest: IngestJob;
  /** The records database (opened, migrated and pruned once). */
  records(): SqliteRecords;
  answerer(): Promise<Answerer>;
  /** The weekly quiz; undefined without an index or when it cannot be set up (logged). */
  quiz(): Promise<QuizParts | undefined>;
  /** Checklist role names for registration (an unreadable checklist means none, with a warning). */
  roles(): Promise<string[]>;
  /** The conversation core with every feature, for all transports at once. */
  chat(): Promise<ChatCore>;
  /** Wait for the replies in flight, then close the database. */
  close(): Promise<void>;
}

/** An object that forwards every property to whatever `current()` is now (a service swapped underneath its users). */
function forwarding<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const target = current();
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Build a value once, on first use; a failure is not cached, so the next caller tries again. */
function once<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= build().catch((err: unknown) => {
    value = undefined;
    throw err;
  }));
}

/**
 * @example
 * const app = createApp(config, logger);
 * const core = await app.chat();           // opens the index, records and quiz as needed
 * await app.close();
 */
export function createApp(config: Config, logger: Logger, overrides: AppOverrides = {}): App {
  const now = overrides.now ?? (() => new Date());
  const outbox = createOutbox(logger.child('outbox'));
  let records: SqliteRecords | undefined;
  let core: ChatCore | undefined;

  const getRecords = () => {
    if (!records) {
      records = openRecords(config);
      // Pruning is housekeeping: a failure must not keep the bot from starting.
      records.updates.prune(new Date(now().getTime() - UPDATE_CLAIMS_KEPT_MS)).catch((err: unknown) =>
        logger.warn('pruning handled updates failed', { error: err as Error }),
      );
      records.inbox.prune(new Date(now().getTime() - UPDATE_CLAIMS_KEPT_MS)).catch((err: unknown) =>
        logger.warn('pruning the inbox failed', { error: err as Error }),
      );
    }
    return records;
  };

  // The served index and what is built over it; switchIndex replaces all three at once.
  const openIndexNow = async () => overrides.index ?? (await (await import('../search/index.ts')).openIndex(config));
  let index = once<OpenedIndex>(openIndexNow);
  const answererOver = async (opened: OpenedIndex): Promise<Answerer> => {
    const { createAnswerer } = await import('../answer/answerer.ts');
    return createAnswerer({ index: opened, config, logger, chatModel: overrides.chatModel, now });
  };
  let answering = once<Answerer>(async () => overrides.answerer ?? answererOver(await index()));
  // What the chat core holds: it always asks the answerer of the index served now. The first one is built
  // before it is handed out, so a transport starts only once questions can be answered.
  const answerer = once<Answerer>(async () => {
    if (overrides.answerer) return overrides.answerer;
    await answering();
    return { answer: async (q, o) => (await answering()).answer(q, o) };
  });
  const roles = once<string[]>(async () => {
    if (overrides.roles) return overrides.roles;
    try {
      const { loadChecklist } = await import('../knowledge/checklist.ts');
      return (await loadChecklist(config.knowledgeDir)).roles.map((r) => r.name);
    } catch (err) {
      logger.warn('checklist roles unavailable', { error: err as Error });
      return [];
    }
  });
  let quizService: Awaited<ReturnType<typeof quizOver>> | undefined;
  // The question bank built at ingest sits in the index's build dir, so the quiz is built over the whole index.
  async function quizOver(opened: Pick<OpenedIndex, 'catalog' | 'dir'>, bank?: QuestionBank) {
    const training = getRecords().training;
    const { loadQuizService } = await import('../quiz/session.ts');
    return loadQuizService({ config, catalog: opened.catalog, indexDir: opened.dir, training, logger: logger.child('quiz'), now, bank });
  }
  const quiz = once<QuizParts | undefined>(async () => {
    if (overrides.quiz === false) return undefined;
    let opened: OpenedIndex;
    try {
      opened = await index();
    } catch (err) {
      logger.warn('weekly quiz unavailable: no index', { error: err as Error });
      return undefined;
    }
    try {
      quizService = await quizOver(opened, overrides.quizBank);
      // The quiz feature keeps this object; it forwards to the service over the index served now.
      return { service: forwarding(() => quizService!), training: getRecords().training };
    } catch (err) {
      // A broken checklist leaves the chat running without the quiz.
      logger.error('weekly quiz unavailable', { error: err as Error });
      return undefined;
    }
  });
  let quizBuilt: Promise<QuizParts | undefined> | undefined;

  async function switchIndex() {
    const next = await (await import('../search/index.ts')).openIndex(config);
    // Everything over the new index is built before anything is switched: until then the old one answers.
    const nextAnswerer = overrides.answerer ? undefined : await answererOver(next);
    const nextQuiz = quizBuilt && (await quizBuilt) ? await quizOver(next) : undefined;
    index = async () => next;
    if (nextAnswerer) answering = async () => nextAnswerer;
    if (nextQuiz) quizService = nextQuiz;
    logger.info('switched to the new index', { dir: next.dir, laws: next.manifest.counts.laws });
  }
  const ingest = createIngestJob({
    config,
    logger,
    now,
    checklistOnly: async () => {
      try {
        return (await index()).manifest.checklistOnly === true;
      } catch {
        return false;
      }
    },
    switchIndex,
  });

  const chat = once<ChatCore>(async () => {
    const [answering, quizParts, roleNames, { createChatCore }, { chatFeatures }] = await Promise.all([
      answerer(),
      (quizBuilt ??= quiz()),
      roles(),
      import('../chat/core.ts'),
      import('./features.ts'),
    ]);
    core = createChatCore({
      records: getRecords(),
      inbox: getRecords().inbox,
      outbox,
      answerer: answering,
      config,
      logger: logger.child('chat'),
      now,
      roles: () => roleNames,
      features: [...chatFeatures({ config, records: getRecords(), quiz: quizParts, now }), ...(overrides.features ?? [])],
    });
    return core;
  });

  return {
    config,
    logger,
    now,
    outbox,
    index: () => index(),
    switchIndex,
    ingest,
    records: getRecords,
    answerer,
    quiz: () => (quizBuilt ??= quiz()),
    roles,
    chat,
    async close() {
      await ingest.settled();
      await core?.drain();
      await records?.close();
    },
  };
}
