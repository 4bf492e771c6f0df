/**
 * Serving the web chat: the hub, the output port, sessions, sign-in grants and the routes over the
 * app's chat core and records, on their own listener (WEB_CHAT_HOST:WEB_CHAT_PORT, by default on every
 * address of the machine, so staff reach it over the intranet).
 */
import type { AddressInfo } from 'node:net';
import type { Config } from '../../config.ts';
import { closeHttp, listenHttp } from '../../http-server.ts';
import type { Logger } from '../../log.ts';
import type { Records } from '../../records/ports.ts';
import type { ChatCore } from '../core.ts';
import type { ChatOutput } from '../types.ts';
import { createWebChatApp, WEB_SOURCE } from './app.ts';
import { createChatHub, type ChatHub } from './hub.ts';
import { webOutput } from './output.ts';
import { createWebPeople } from './people.ts';
import { createWebSessions } from './sessions.ts';
import { createSignInGrants } from './signin.ts';
import type { WecomSignIn } from './wecom-oauth.ts';

export interface WebChatServerOptions {
  core: ChatCore;
  records: Pick<Records, 'users' | 'identities' | 'audit' | 'sessions'>;
  config: Pick<Config, 'webChat' | 'chat'>;
  logger: Logger;
  now?: () => Date;
  /** Port to listen on (default WEB_CHAT_PORT; 0 picks a free one). */
  port?: number;
  /** WeCom's OAuth, when WeCom is configured. */
  wecom?: WecomSignIn;
}

export interface RunningWebChat {
  /** Where the server listens (http://host:port). */
  url: string;
  /** Every route, as 'METHOD path' (the tests check each is guarded). */
  routes: string[];
  output: ChatOutput;
  hub: ChatHub;
  /** Close the listener and the open pages' streams, then wait for the messages being handled. */
  stop(): Promise<void>;
}

export async function startWebChatServer(opts: WebChatServerOptions): Promise<RunningWebChat> {
  const { core, records, config, logger } = opts;
  const now = opts.now ?? (() => new Date());
  const web = config.webChat;
  const hub = createChatHub({ store: records.sessions, logger, now });
  const output = webOutput(hub);
  const app = createWebChatApp({
    core,
    output,
    hub,
    records,
    people: createWebPeople(records),
    sessions: createWebSessions(records.sessions, now, { maxAgeMs: web.sessionMaxAgeMs }),
    grants: createSignInGrants(records.sessions, now, logger),
    visitors: config.chat.registrationPolicy !== 'allowlist',
    wecom: opts.wecom,
    publicUrl: web.publicUrl,
    cookieMaxAgeMs: web.sessionMaxAgeMs,
    logger,
    now,
  });
  const server = await listenHttp(app.fetch, { host: web.host, port: opts.port ?? web.port ?? 0, setting: 'WEB_CHAT_PORT' });
  // Messages accepted before a restart and never answered are answered now.
  void core.resume(WEB_SOURCE, output).catch((err) => logger.error('web chat: resuming pending messages failed', { error: err as Error }));
  const address = server.address() as AddressInfo;
  const host = web.host.includes(':') ? `[${web.host}]` : web.host;
  return {
    url: `http://${host}:${address.port}`,
    routes: app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    output,
    hub,
    async stop() {
      // Open pages hold their event streams forever: they are closed too, or this would wait for them.
      await closeHttp(server, { all: true });
      await core.drain();
    },
  };
}
