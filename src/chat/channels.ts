/** How channels and identities are named to people (Chinese labels), and who among configured people a sender is. */
import { formatIdentity, sameIdentity } from '../records/identities.ts';
import type { ChannelId, Identity, KnownChannel } from '../records/types.ts';

const CHANNEL_LABEL: Record<KnownChannel, string> = {
  telegram: 'Telegram',
  local: '本机终端',
  wecom: '企业微信',
  web: '网页聊天',
  dingtalk: '钉钉',
  feishu: '飞书',
};

/** 'wecom' → '企业微信'; an unknown channel is shown by its id. */
export const channelLabel = (channel: ChannelId): string => CHANNEL_LABEL[channel as KnownChannel] ?? channel;

/** 'Telegram 123456', '企业微信 zhangsan'. */
export const identityLabel = (i: Identity): string => `${channelLabel(i.channel)} ${i.id}`;

/** A person's chat accounts for a card or a profile: 'Telegram 2001、企业微信 zhangsan' (the terminal left out). */
export const identitiesLabel = (identities: readonly Identity[]): string =>
  identities.filter((i) => i.channel !== 'local').map(identityLabel).join('、') || '—';

/** Is the sender one of these configured identities (ADMIN_IDS, ALLOWLIST_IDS, …)? */
export const listed = (list: readonly Identity[], identity: Identity): boolean => list.some((i) => sameIdentity(i, identity));

/** How a sender names themselves to an admin who keeps a list of ids: 'Telegram ID（123）' or '企业微信账号（wecom:zhangsan）'. */
export const ownIdText = (identity: Identity): string =>
  identity.channel === 'telegram' ? `Telegram ID（${identity.id}）` : `${channelLabel(identity.channel)}账号（${formatIdentity(identity)}）`;
