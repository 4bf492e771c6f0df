/**
 * Serving the dashboard: bind the hono app to config.adminWeb.host (127.0.0.1 by default) and a port,
 * and the wiring from a config (records, read models, the index loaded on first use) for `pufa admin`
 * and `pufa start`.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { listenHttp } from '../http-server.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { openRecords } from '../records/index.ts';
import type { Records } from '../records/ports.ts';
import { createAdminStats } from './stats.ts';
import { createAdminApp, type KnowledgeView } from './web/app.ts';

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
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
    },
  };
}

export interface AdminWebRuntime extends RunningAdminServer {
  records: Records;
}

/**
 * Open the records, build the app from the config and serve it. The index is opened on the first page that
 * needs it (knowledge, article text), so the dashboard starts at once and works before any ingest.
 */
export async function startAdminWeb(config: Config, logger: Logger, opts: { port?: number; token?: string } = {}): Promise<AdminWebRuntime> {
  const records = openRecords(config);
  let knowledge: Promise<KnowledgeView | undefined> | undefined;
  const loadKnowledge = () =>
    (knowledge ??= (async () => {
      try {
        const { openIndex } = await import('../search/index.ts');
        return await openIndex(config);
      } catch (err) {
        logger.warn('admin: knowledge index unavailable', { error: err as Error });
        knowledge = undefined; // try again on the next request (an ingest may have finished)
        return undefined;
      }
    })());
  const app = createAdminApp({
    records,
    stats: createAdminStats(records, { timezone: config.quiz.timezone }),
    token: opts.token ?? config.adminWeb.token,
    knowledge: loadKnowledge,
    faqDir: join(config.knowledgeDir, 'faq'),
    logger: logger.child('admin-web'),
  });
  try {
    const running = await serveAdminApp(app, config.adminWeb.host, opts.port ?? config.adminWeb.port ?? 8080);
    return {
      ...running,
      records,
      async stop() {
        await running.stop();
        await records.close();
      },
    };
  } catch (err) {
    await records.close();
    throw err;
  }
}
