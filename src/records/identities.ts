/** Small pure helpers over identities (no storage): parsing 'wecom:zhangsan', finding a person's id on a channel. */
import { KNOWN_CHANNELS, type ChannelId, type Identity } from './types.ts';

/** 'wecom:zhangsan' (the form of settings, /link and logs). */
export const formatIdentity = (i: Identity): string => `${i.channel}:${i.id}`;

/** The channel names a setting or command accepts. */
export const isKnownChannel = (channel: string): channel is ChannelId => (KNOWN_CHANNELS as readonly string[]).includes(channel);

/**
 * Parse 'channel:id' (the id may itself contain ':'); undefined unless the channel is a known one and the id
 * is 1–128 visible characters.
 * @example parseIdentity('wecom:zhangsan') // { channel: 'wecom', id: 'zhangsan' }
 */
export function parseIdentity(text: string): Identity | undefined {
  const m = /^([a-z]+):(\S{1,128})$/.exec(text.trim());
  if (!m || !isKnownChannel(m[1]!)) return undefined;
  return { channel: m[1]!, id: m[2]! };
}

/** The person's id on a channel (their chat there), if they have one. */
export function identityOn(identities: readonly Identity[], channel: ChannelId): string | undefined {
  return identities.find((i) => i.channel === channel)?.id;
}

export const sameIdentity = (a: Identity, b: Identity): boolean => a.channel === b.channel && a.id === b.id;
