/**
 * An ingest started while the app serves (from the dashboard): builds a new index with runIngest — the old
 * one keeps answering meanwhile — then has the app open the published build and switch to it (index,
 * answerer, quiz catalog). One at a time; its state (progress, summary, the Chinese reason of a failure) is
 * what the dashboard shows.
 */
import type { IngestControl, IngestJobState } from '../admin/web/types.ts';
import type { Config } from '../config.ts';
import { userMessageOf } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { IngestOptions, IngestSummary } from '../search/ingest.ts';

export interface IngestJobDeps {
  config: Config;
  logger: Logger;
  now: () => Date;
  /** Build and publish (runIngest; tests may pass a slower or failing one). */
  ingest?: (config: Config, opts: IngestOptions) => Promise<IngestSummary>;
  /** Whether the serving index was built from the checklist laws only (the new one then is too). */
  checklistOnly: () => Promise<boolean>;
  /** Open the published build and switch the app to it. */
  switchIndex: () => Promise<void>;
}

export interface IngestJob extends IngestControl {
  /** Resolves when the running ingest (if any) has finished, switched or failed. */
  settled(): Promise<void>;
}

export function createIngestJob(deps: IngestJobDeps): IngestJob {
  let state: IngestJobState = { state: 'idle' };
  let running: Promise<void> = Promise.resolve();
  const log = deps.logger.child('ingest-job');

  async function run(replace: boolean) {
    try {
      const ingest = deps.ingest ?? (await import('../search/ingest.ts')).runIngest;
      // The quiz's question bank is built into the new index, as `pufa ingest` does.
      const { questionBankArtefact } = await import('../quiz/bank-file.ts');
      const summary = await ingest(deps.config, {
        replace,
        checklistOnly: await deps.checklistOnly(),
        artefacts: [questionBankArtefact(deps.config.knowledgeDir)],
        logger: deps.logger,
        onProgress: (p) => {
          state = { ...state, progress: p };
        },
      });
      state = { ...state, step: 'switching' };
      await deps.switchIndex();
      state = {
        ...state,
        state: 'done',
        finishedAt: deps.now().toISOString(),
        summary: {
          files: summary.files,
          laws: summary.laws,
          versions: summary.versions,
          articles: summary.articles,
          documents: summary.documents,
          chunks: summary.chunks,
          seconds: summary.seconds,
          skipped: summary.skipped,
        },
      };
      log.info('ingest from the dashboard done', { by: state.by, laws: summary.laws, seconds: summary.seconds });
    } catch (err) {
      state = { ...state, state: 'failed', finishedAt: deps.now().toISOString(), error: userMessageOf(err) };
      log.error('ingest from the dashboard failed', { by: state.by, error: err as Error });
    }
  }

  return {
    state: () => state,
    start({ replace, by }) {
      if (state.state === 'running') return false;
      state = { state: 'running', by, startedAt: deps.now().toISOString(), step: 'building' };
      running = run(replace);
      return true;
    },
    settled: () => running,
  };
}
