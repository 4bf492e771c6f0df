/**
 * /bind: one person, several channels. In a channel they already use, a registered person sends /bind and
 * gets a one-time 6-digit code; sending `/bind 123456` from another channel attaches that channel's
 * identity to the same person (an empty record there is folded in; one with records is refused).
 *
 * Guessing is bounded, not just slowed: codes live BIND_CODE_TTL_MS and are stored as hashes; one sender
 * may send BIND_FAILURES_PER_SENDER wrong codes per window; and once BIND_FAILURES_OVERALL wrong codes
 * have come from anyone within a window, every live code is voided. So a code meets at most
 * BIND_FAILURES_OVERALL guesses of 1,000,000 in its life (p ≤ 0.002%), however many accounts guess.
 */
import { createHash, randomInt } from 'node:crypto';
import { formatIdentity } from '../../records/identities.ts';
import { channelLabel } from '../channels.ts';
import type { ChatContext, ChatFeature } from '../types.ts';

/** How long a code may be used (and the window the failure limits count in). */
export const BIND_CODE_TTL_MS = 10 * 60_000;
/** Wrong codes one sender may send in a window before being told to wait. */
export const BIND_FAILURES_PER_SENDER = 5;
/** Wrong codes from everyone in a window after which every live code is voided. */
export const BIND_FAILURES_OVERALL = 20;

const CODE = /^\d{6}$/;
const hashOf = (code: string) => createHash('sha256').update(`pufa-bind-code:${code}`).digest('hex');
const drawCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

const INVALID = '绑定码无效、已使用或已过期。请在原来的聊天渠道重新发送 /bind 获取新的绑定码。';

async function issue(ctx: ChatContext) {
  if (!(await ctx.require('active'))) return;
  if (ctx.event.from.identity.channel === 'local') return void (await ctx.reply('本机终端账户无需绑定。请在 Telegram、企业微信等聊天渠道中发送 /bind。'));
  const { linkCodes } = ctx.deps.records;
  const at = ctx.deps.now();
  // A clash with another person's live code is rare (a few codes among a million); draw again.
  for (let tries = 0; tries < 5; tries++) {
    const code = drawCode();
    if (await linkCodes.issue({ userId: ctx.user!.id, codeHash: hashOf(code), expiresAt: new Date(at.getTime() + BIND_CODE_TTL_MS), at })) {
      await ctx.reply(
        `您的绑定码：${code}\n${BIND_CODE_TTL_MS / 60_000} 分钟内有效，只能使用一次。请在要绑定的另一个聊天渠道（如企业微信）中向普法助手发送：\n/bind ${code}\n绑定后两处共用同一份资料和学习记录。请勿把绑定码告诉他人。`,
      );
      return;
    }
  }
  throw new Error('could not draw a free bind code');
}

async function redeem(ctx: ChatContext, code: string) {
  const { identity } = ctx.event.from;
  if (identity.channel === 'local') return void (await ctx.reply('本机终端账户无需绑定。'));
  const { linkCodes, identities, audit } = ctx.deps.records;
  const at = ctx.deps.now();
  const since = new Date(at.getTime() - BIND_CODE_TTL_MS);
  const sender = formatIdentity(identity);
  if ((await linkCodes.failures(since, sender)) >= BIND_FAILURES_PER_SENDER) {
    return void (await ctx.reply(`绑定码输错次数过多，请 ${BIND_CODE_TTL_MS / 60_000} 分钟后再试。`));
  }
  const userId = await linkCodes.redeem(hashOf(code), at);
  const outcome = userId === undefined ? undefined : await identities.attach(userId, identity);
  if (!outcome || outcome.kind === 'missing') {
    await linkCodes.recordFailure(sender, at);
    const overall = await linkCodes.failures(since);
    if (overall >= BIND_FAILURES_OVERALL) {
      const voided = await linkCodes.voidAll();
      ctx.deps.logger.warn('bind: too many wrong codes, every live code voided', { failures: overall, voided, last: sender });
    }
    return void (await ctx.reply(INVALID));
  }
  const here = `此${channelLabel(identity.channel)}账号`;
  if (outcome.kind === 'taken') {
    ctx.deps.logger.info('bind refused: identity belongs to a person with records', { identity: sender, owner: outcome.owner.id, wanted: userId });
    return void (await ctx.reply(`${here}已属于另一位学员（${outcome.owner.name || '未填写姓名'}），且已有学习或问答记录，无法合并。如确为同一人，请联系管理员处理。`));
  }
  if (outcome.kind === 'already') return void (await ctx.reply(`${here}已与您的资料关联，无需再次绑定。`));
  ctx.user = outcome.user;
  await audit.add({
    actorUserId: outcome.user.id,
    action: 'identity.bind',
    targetUserId: outcome.user.id,
    detail: { identity: sender, ...(outcome.kind === 'merged' ? { mergedUserId: outcome.mergedUserId } : {}) },
  });
  await ctx.reply(`绑定成功！${here}已与「${outcome.user.name}」的资料关联（学员编号 ${outcome.user.staffId}），学习记录和每周考试两处共用。`);
}

export const bindFeature: ChatFeature = {
  name: 'bind',
  commands: [
    {
      name: 'bind',
      description: '绑定另一个聊天渠道（如企业微信）的账号',
      usage: '/bind（获取绑定码）或 /bind 123456（在另一渠道输入）',
      access: 'anyone',
      personal: true,
      async run(ctx, args) {
        if (!args) return issue(ctx);
        if (!CODE.test(args)) return void (await ctx.reply('绑定码是 6 位数字，例如 /bind 123456。发送 /bind（不带数字）可获取您的绑定码。'));
        await redeem(ctx, args);
      },
    },
  ],
};
