/**
 * Who is on the web chat: a web identity ('web', random id) per person, attached to their record the first
 * time they sign in on the web (a link, a code, or WeCom). A visitor who registers on the page gets a
 * fresh web identity, which their new record then carries.
 */
import { identityOn } from '../../records/identities.ts';
import type { Records } from '../../records/ports.ts';
import type { Identity, UserRecord } from '../../records/types.ts';
import { newWebId, webIdentity } from './sessions.ts';

export interface WebPeople {
  /** The person using this web identity; undefined for a visitor who has not registered yet. */
  find(webId: string): Promise<UserRecord | undefined>;
  /** The person's web identity, attaching a new one at their first web sign-in. */
  webIdOf(user: UserRecord): Promise<string>;
  /** The person with this identity on another channel (WeCom's userid after OAuth). */
  byIdentity(identity: Identity): Promise<UserRecord | undefined>;
}

export function createWebPeople(records: Pick<Records, 'users' | 'identities'>): WebPeople {
  return {
    find: (webId) => records.users.findByIdentity(webIdentity(webId)),
    async webIdOf(user) {
      const existing = identityOn(user.identities, 'web');
      if (existing) return existing;
      const outcome = await records.identities.attach(user.id, webIdentity(newWebId()));
      if (outcome.kind !== 'attached' && outcome.kind !== 'already') throw new Error(`attaching a web identity failed: ${outcome.kind}`);
      return identityOn(outcome.user.identities, 'web')!;
    },
    byIdentity: (identity) => records.users.findByIdentity(identity),
  };
}
