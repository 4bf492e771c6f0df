/**
 * Test harness for WeCom: the production wiring (createApp) with the real WeCom transport — its callback
 * server on 127.0.0.1 and its API client — against the local WeCom stand-in, records on disk in a temp dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type AppOverrides } from '../../src/app/app.ts';
import type { ChatCore } from '../../src/chat/core.ts';
import { createWeComTransport, type RunningWeCom, type WeComTransport } from '../../src/chat/wecom/transport.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import type { SqliteRecords } from '../../src/records/index.ts';
import type { Identity } from '../../src/records/types.ts';
import { startWeComServer, type SeenMessage, type WeComCall, type WeComServer } from '../helpers/wecom-server.ts';
import { ROLES, scriptedAnswerer } from './harness.ts';

export interface WeComHarness {
  app: App;
  wecom: WeComServer;
  records: SqliteRecords;
  core: ChatCore;
  transport: WeComTransport;
  running: RunningWeCom;
  config: Config;
  /** A registered, active colleague with this WeCom userid. */
  staff(userid: string, name?: string): Promise<void>;
  stop(): Promise<void>;
}

export interface WeComHarnessOptions extends AppOverrides {
  env?: Record<string, string>;
  /** The data directory's parent (default: a new temp dir, removed at stop). */
  dir?: string;
  /** Lift WeCom's 30-a-minute pacing (a quiz driven at machine speed). */
  unpaced?: boolean;
  /** The knowledge folder (checklist, curated quizzes) instead of ./knowledge under the temp dir. */
  knowledgeDir?: string;
}

export const wecomIdentity = (userid: string): Identity => ({ channel: 'wecom', id: userid });

export async function startWeComHarness(opts: WeComHarnessOptions = {}): Promise<WeComHarness> {
  const own = !opts.dir;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'pufa-wecom-')));
  const wecom = await startWeComServer();
  const { env, dir: _dir, unpaced, knowledgeDir, ...overrides } = opts;
  const config = loadConfig({ LOG_LEVEL: 'silent', ...wecom.env, ...env }, { dataDir: join(dir, 'data'), knowledgeDir }, dir);
  // Without an index: a scripted answerer and no quiz; with one, the real answerer and the weekly quiz over it.
  const app = createApp(config, silentLogger, overrides.index ? { roles: ROLES, ...overrides } : { answerer: scriptedAnswerer(), roles: ROLES, quiz: false, ...overrides });
  const records = app.records();
  const core = await app.chat();
  // Backoff shortened so a rate-limit retry takes milliseconds; the retry logic is the production one.
  const transport = createWeComTransport({ core, config: config.wecom!, logger: silentLogger, retry: { attempts: 3, baseDelayMs: 5 }, perMemberPerMinute: unpaced ? Infinity : undefined });
  const running = await transport.start();
  wecom.callbackUrl = running.url;
  const detach = app.outbox.attach('wecom', { output: transport.output, privateChat: (id) => id });
  const harness: WeComHarness = {
    app,
    wecom,
    records,
    core,
    transport,
    running,
    config,
    async staff(userid, name = userid) {
      await records.users.create({ identity: wecomIdentity(userid), name, department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
    },
    async stop() {
      detach();
      // The running server of now: a test may have restarted the transport.
      await harness.running.stop();
      await app.close();
      await wecom.close();
      if (own) await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

export const isSendTo = (userid: string) => (c: WeComCall) => c.path === '/cgi-bin/message/send' && c.body.touser === userid && c.errcode === 0;
export const isCardTo = (userid: string) => (c: WeComCall) => isSendTo(userid)(c) && c.body.msgtype === 'template_card';

/** The last card in a member's chat. */
export function lastCard(wecom: WeComServer, userid: string): SeenMessage {
  const card = wecom.screen(userid).filter((m) => m.kind === 'card').at(-1);
  if (!card) throw new Error(`no card in ${userid}'s chat`);
  return card;
}
