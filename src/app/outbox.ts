/**
 * The outbox: reaches a person on whichever running transport they have an identity on. Transports attach
 * their output port when they start and detach when they stop, so a reminder or a broadcast goes out over
 * Telegram, WeCom or the web chat alike, whichever transport the admin happens to use.
 */
import type { ChatOutput, OutMessage, Outbox } from '../chat/types.ts';
import type { Logger } from '../log.ts';
import type { Identity } from '../records/types.ts';

export interface Endpoint {
  output: ChatOutput;
  /** The private chat of the person with this external id on the channel (Telegram: the user id itself). */
  privateChat(externalId: string): string;
  /**
   * Is the person there now? A channel that keeps messages for later (the web chat, for a closed page)
   * says no, so a channel where they are now is tried first. Without it, always.
   */
  online?(externalId: string): boolean;
}

export interface AppOutbox extends Outbox {
  /** A transport is up: messages to identities on `channel` go through it. Returns the detach function. */
  attach(channel: string, endpoint: Endpoint): () => void;
  /** Channels with a running transport that reaches other people. */
  channels(): string[];
}

export function createOutbox(logger: Logger): AppOutbox {
  const endpoints = new Map<string, Endpoint>();
  return {
    attach(channel, endpoint) {
      endpoints.set(channel, endpoint);
      return () => {
        if (endpoints.get(channel) === endpoint) endpoints.delete(channel);
      };
    },
    channels: () => [...endpoints.entries()].filter(([, e]) => e.output.abilities.reachesOthers).map(([c]) => c),
    async sendTo(identities: Identity[], msg: OutMessage) {
      let lastError: unknown;
      const reachable = identities.flatMap((identity) => {
        const endpoint = endpoints.get(identity.channel);
        return endpoint ? [{ identity, endpoint, now: endpoint.online?.(identity.id) ?? true }] : [];
      });
      // Where the person is now first; the others (in the given order) keep the message for later.
      for (const { identity, endpoint } of [...reachable.filter((r) => r.now), ...reachable.filter((r) => !r.now)]) {
        try {
          await endpoint.output.send(endpoint.privateChat(identity.id), msg);
          return true;
        } catch (err) {
          // Another channel of the same person may still reach them.
          logger.warn('outbox: send failed', { channel: identity.channel, error: err as Error });
          lastError = err;
        }
      }
      if (lastError) throw lastError;
      return false;
    },
  };
}
