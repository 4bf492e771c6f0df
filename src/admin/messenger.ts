/**
 * How the admin's actions reach a person (a reminder, a registration result): a plain text over whichever
 * running transport the person has an identity on. The composition root and the chat features hand in one
 * over the app's outbox, so nothing here depends on the chat layer.
 */
import type { Identity } from '../records/types.ts';

export interface Messenger {
  /** Send `text` to the first of these identities whose transport is running; false when none is. Throws when sending failed. */
  sendTo(identities: Identity[], text: string): Promise<boolean>;
  /** Whether any transport that reaches people runs now (a dashboard started alone has none); assumed when absent. */
  reaches?(): boolean;
}

/** Where a person can be messaged: every identity but the operator's terminal. */
export const reachable = (identities: readonly Identity[]) => identities.filter((i) => i.channel !== 'local');
