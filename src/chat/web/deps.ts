/** What the web chat's routes are built from (the chat core, its output and hub, records, sessions, sign-in), shared by app.ts and signin-routes.ts. */
import type { Logger } from '../../log.ts';
import type { Records } from '../../records/ports.ts';
import type { ChatCore } from '../core.ts';
import type { ChatOutput } from '../types.ts';
import type { ChatHub } from './hub.ts';
import type { WebPeople } from './people.ts';
import type { WebSession, WebSessions } from './sessions.ts';
import type { SignInGrants } from './signin.ts';
import type { WecomSignIn } from './wecom-oauth.ts';

export interface WebChatDeps {
  core: ChatCore;
  output: ChatOutput;
  hub: ChatHub;
  records: Pick<Records, 'users' | 'audit'>;
  people: WebPeople;
  sessions: WebSessions;
  grants: SignInGrants;
  /** Visitors may start a session and register (the registration policy is not 'allowlist'). */
  visitors: boolean;
  /** Sign-in through WeCom's OAuth, when WeCom is configured. */
  wecom?: WecomSignIn;
  /** The address people open (WEB_CHAT_URL); else the request's own origin. */
  publicUrl?: string;
  /** How long the session cookie is kept (the session's longest life). */
  cookieMaxAgeMs: number;
  logger: Logger;
  now: () => Date;
}

/** The session of a request that passed the guard. */
export type WebChatEnv = { Variables: { session: WebSession } };
