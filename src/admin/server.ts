/**
 * Serving the dashboard: bind the hono app to config.adminWeb.host (127.0.0.1 by default) and a port,
 * over the records and index the composition root (src/app/) hands in.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { closeHttp, listenHttp } from '../http-server.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { organizationSource } from '../knowledge/organization.ts';
import type { Records } from '../records/ports.ts';
import type { Messenger } from './messenger.ts';
import { createAdminStats } from './stats.ts';
import { createAdminApp, type IngestControl, type KnowledgeView } from './web/app.ts';

export interface RunningAdminServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Listen on host:port (port 0 picks a free one). */
export async function serveAdminApp(app: { fetch: (req: Request, env?: unknown) => Response | Promise<Response> }, host: string, port: number): Promise<RunningAdminServer> {
  const server = await listenHttp(app.fetch, { host, port, setting: 'ADMIN_WEB_PORT' });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    stop: () => closeHttp(server),
  };
}

export interface AdminWebOptions {
  config: Config;
  logger: Logger;
  /** The records the dashboard reads (the app's, shared with the bot when both run in one process). */
  records: Records;
  /** The knowledge index, loaded on the first page that needs it (so the dashboard works before any ingest). */
  knowledge: () => Promise<KnowledgeView>;
  now?: () => Date;
  /** Port to listen on (default ADMIN_WEB_PORT, else 8080; 0 picks a free one). */
  port?: number;
  /** The login token (default ADMIN_WEB_TOKEN). */
  token?: string;
  /** Starting an ingest from the dashboard (the app's; absent in a dashboard without an app). */
  ingest?: IngestControl;
  /** Reaching people over the running chat transports (reminders, registration results). */
  messenger?: Messenger;
}

/**
 * Build the app and serve it. A failing index load is logged and retried on the next request (an ingest
 * may have finished meanwhile); the pages that need it say the index is unavailable.
 */
export async function startAdminWeb(opts: AdminWebOptions): Promise<RunningAdminServer> {
  const { config, logger } = opts;
  const loadKnowledge = async (): Promise<KnowledgeView | undefined> => {
    try {
      return await opts.knowledge();
    } catch (err) {
      logger.warn('admin: knowledge index unavailable', { error: err as Error });
      return undefined;
    }
  };
  const app = createAdminApp({
    records: opts.records,
    stats: createAdminStats(opts.records, { timezone: config.quiz.timezone, now: opts.now, organization: organizationSource(config.knowledgeDir) }),
    token: opts.token ?? config.adminWeb.token,
    knowledge: loadKnowledge,
    faqDir: join(config.knowledgeDir, 'faq'),
    folders: { lawsDir: config.lawsDir, knowledgeDir: config.knowledgeDir, maxFileBytes: config.ingest.maxFileBytes },
    ingest: opts.ingest,
    messenger: opts.messenger,
    logger: logger.child('admin-web'),
    now: opts.now,
  });
  return serveAdminApp(app, config.adminWeb.host, opts.port ?? config.adminWeb.port ?? 8080);
}
