/**
 * /start registration (name → department → rank → roles) under the configured policy, and the
 * admins' approve/reject buttons. The form lives in the session store, so a restart keeps it.
 */
import { decideRegistration } from '../../admin/registrations.ts';
import { DEFAULT_RANKS } from '../../knowledge/organization.ts';
import { formatIdentity } from '../../records/identities.ts';
import type { Identity, UserRecord } from '../../records/types.ts';
import { identitiesLabel, listed, ownIdText } from '../channels.ts';
import { bold, para, textMessage } from '../format.ts';
import { MSG } from '../messages.ts';
import type { Block, Button, ChatContext, ChatFeature, OutMessage } from '../types.ts';

/** Common 职级 of a district bureau, offered as buttons; anything else can be typed. */
export const RANKS = DEFAULT_RANKS;

type Step = 'name' | 'department' | 'rank' | 'roles';

interface Draft {
  step: Step;
  /** Last activity (ms since epoch): a form left alone expires, so it cannot swallow a later question. */
  at: number;
  name?: string;
  department?: string;
  rank?: string;
  roles: string[];
}

const STATUS_LABEL: Record<UserRecord['status'], string> = { pending: '待审核', active: '已开通', disabled: '已停用' };
export const statusLabel = (s: UserRecord['status']) => STATUS_LABEL[s];

const sessionKey = (ctx: ChatContext) => `register:${ctx.event.from.identity.channel}:${ctx.event.from.identity.id}`;
const DRAFT_TTL_MS = 30 * 60_000;

/** The form in progress, unless it was abandoned (older than DRAFT_TTL_MS). */
async function loadDraft(ctx: ChatContext): Promise<Draft | undefined> {
  const draft = await ctx.deps.records.sessions.get<Draft>(sessionKey(ctx));
  if (!draft) return undefined;
  if (ctx.deps.now().getTime() - (draft.at ?? 0) > DRAFT_TTL_MS) {
    await ctx.deps.records.sessions.delete(sessionKey(ctx));
    return undefined;
  }
  return draft;
}

async function saveDraft(ctx: ChatContext, draft: Draft) {
  draft.at = ctx.deps.now().getTime();
  await ctx.deps.records.sessions.set(sessionKey(ctx), draft);
}

/** Names and departments do not end in question marks: such a line is a question typed mid-form. */
const looksLikeQuestion = (s: string) => /[？?]/.test(s) || s.length > 40;

const isComplete = (u: UserRecord) => Boolean(u.name && u.department && u.rank);

function rows(buttons: Button[], perRow: number): Button[][] {
  const out: Button[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) out.push(buttons.slice(i, i + perRow));
  return out;
}

function stepsTotal(ctx: ChatContext) {
  return ctx.deps.roles().length ? 4 : 3;
}

function rankPrompt(ctx: ChatContext): OutMessage {
  return {
    blocks: [para(`第 3/${stepsTotal(ctx)} 步：请选择您的职级（也可以直接输入）：`)],
    buttons: rows(
      RANKS.map((r, i) => ({ text: r, data: `reg:rank:${i}` })),
      3,
    ),
  };
}

function rolesPrompt(ctx: ChatContext, draft: Draft): OutMessage {
  const roles = ctx.deps.roles();
  const chosen = new Set(draft.roles);
  return {
    blocks: [
      para(`第 4/4 步：请选择您的岗位角色（可多选），选好后点「完成」。`),
      para('已选：', draft.roles.length ? draft.roles.join('、') : '（尚未选择）'),
    ],
    buttons: [
      ...rows(
        roles.map((r, i) => ({ text: `${chosen.has(r) ? '✅ ' : ''}${r}`, data: `reg:role:${i}` })),
        2,
      ),
      [{ text: '完成', data: 'reg:done' }],
    ],
  };
}

/** The card admins see for a registration request. */
function requestCard(u: UserRecord): Block[] {
  return [
    para(bold('新的注册申请')),
    para(
      `姓名：${u.name}\n科室：${u.department}\n职级：${u.rank}\n岗位角色：${u.roles.join('、') || '（未选择）'}\n` +
        `聊天账号：${identitiesLabel(u.identities)}`,
    ),
  ];
}

/**
 * Everyone who should hear about a request, each as the identities they can be reached on: admin users,
 * and configured admins who have not written yet (so have no record).
 */
async function adminsToTell(ctx: ChatContext): Promise<Identity[][]> {
  const admins = (await ctx.deps.records.users.list({ isAdmin: true, status: 'active' })).map((u) => u.identities.filter((i) => i.channel !== 'local'));
  const known = admins.flat();
  const configured = ctx.deps.config.chat.admins.filter((i) => !listed(known, i)).map((i) => [i]);
  return [...admins, ...configured].filter((ids) => ids.length);
}

async function notifyAdmins(ctx: ChatContext, user: UserRecord) {
  const msg: OutMessage = {
    blocks: requestCard(user),
    buttons: [
      [
        { text: '✅ 通过', data: `reg:ok:${user.id}` },
        { text: '❌ 拒绝', data: `reg:no:${user.id}` },
      ],
    ],
  };
  let told = 0;
  for (const admin of await adminsToTell(ctx)) {
    try {
      if (await ctx.deps.outbox.sendTo(admin, msg)) told++;
    } catch (err) {
      ctx.deps.logger.warn('could not notify admin of a registration', { admin: admin.map(formatIdentity), error: err as Error });
    }
  }
  if (!told) ctx.deps.logger.warn('registration waits for approval but no admin could be told (ADMIN_IDS, ADMIN_TELEGRAM_IDS, or no running transport reaches them)');
}

/** May this sender register at all under the policy? (admins always may) */
function policyAllows(ctx: ChatContext): boolean {
  const c = ctx.deps.config.chat;
  const { identity } = ctx.event.from;
  if (c.registrationPolicy !== 'allowlist' || identity.channel === 'local') return true;
  return listed(c.allowlist, identity) || listed(c.admins, identity);
}

async function begin(ctx: ChatContext) {
  const draft: Draft = { step: 'name', at: 0, roles: ctx.user?.roles ?? [] };
  await saveDraft(ctx, draft);
  const intro = ctx.user ? '请完善您的个人资料。' : '欢迎使用普法助手！注册只需几步，随时可发送 /cancel 取消。';
  await ctx.replyPrivately({ blocks: [para(intro), para(`第 1/${stepsTotal(ctx)} 步：请输入您的姓名。`)] });
}

async function finish(ctx: ChatContext, draft: Draft) {
  const { records, config, logger } = ctx.deps;
  await records.sessions.delete(sessionKey(ctx));
  const profile = { name: draft.name!, department: draft.department!, rank: draft.rank!, roles: draft.roles };
  if (ctx.user) {
    ctx.user = await records.users.update(ctx.user.id, profile);
    await ctx.reply('资料已保存。发送 /me 查看，直接发送问题即可提问。');
    return;
  }
  const approval = config.chat.registrationPolicy === 'approval';
  const user = await records.users.create({
    identity: ctx.event.from.identity,
    ...profile,
    status: approval ? 'pending' : 'active',
  });
  ctx.user = user;
  logger.info('user registered', { userId: user.id, status: user.status });
  if (approval) {
    await ctx.reply('注册申请已提交，请等待管理员审核。审核结果会通过消息通知您。');
    await notifyAdmins(ctx, user);
  } else {
    await ctx.reply('注册成功！现在可以直接发送问题，例如「预算年度是怎么规定的？」。发送 /help 查看全部用法。');
  }
}

/** Take one answer of the form; returns the next prompt. */
async function advance(ctx: ChatContext, draft: Draft, value: string) {
  const save = () => saveDraft(ctx, draft);
  const total = stepsTotal(ctx);
  if ((draft.step === 'name' || draft.step === 'department') && looksLikeQuestion(value)) {
    return ctx.reply('正在注册中：请先完成当前这一步（或发送 /cancel 取消注册），再提问。');
  }
  switch (draft.step) {
    case 'name':
      if (value.length > 30) return ctx.reply('姓名过长，请重新输入（不超过 30 个字）。');
      draft.name = value;
      draft.step = 'department';
      await save();
      return ctx.reply(`第 2/${total} 步：请输入您所在的科室（部门），例如「预算科」。`);
    case 'department':
      if (value.length > 40) return ctx.reply('科室名称过长，请重新输入（不超过 40 个字）。');
      draft.department = value;
      draft.step = 'rank';
      await save();
      return ctx.reply(rankPrompt(ctx));
    case 'rank':
      if (value.length > 20) return ctx.reply('职级过长，请重新输入或点选按钮。');
      draft.rank = value;
      if (!ctx.deps.roles().length) return finish(ctx, draft);
      draft.step = 'roles';
      draft.roles = draft.roles.filter((r) => ctx.deps.roles().includes(r));
      await save();
      return ctx.reply(rolesPrompt(ctx, draft));
    case 'roles':
      return ctx.reply('请点选上方的岗位角色按钮，选好后点「完成」。');
  }
}

export const registrationFeature: ChatFeature = {
  name: 'registration',
  commands: [
    {
      name: 'start',
      description: '注册 / 完善个人资料',
      access: 'anyone',
      personal: true,
      async run(ctx) {
        const u = ctx.user;
        if (u?.status === 'pending') return void (await ctx.reply(MSG.pending));
        if (u?.status === 'disabled') return void (await ctx.reply(MSG.disabled));
        if (u && isComplete(u)) {
          await ctx.reply(`${u.name}，欢迎回来！直接发送问题即可，发送 /help 查看用法，/me 查看个人资料，/profile 修改资料。`);
          return;
        }
        if (!u && !policyAllows(ctx)) {
          await ctx.reply(
            `抱歉，普法助手仅对单位名单内的人员开放。如需使用，请联系管理员将您的${ownIdText(ctx.event.from.identity)}加入名单。`,
          );
          return;
        }
        await begin(ctx);
      },
    },
    {
      name: 'profile',
      description: '修改个人资料',
      access: 'active',
      personal: true,
      run: (ctx) => begin(ctx),
    },
    {
      name: 'cancel',
      description: '取消正在填写的表单',
      access: 'anyone',
      async run(ctx) {
        const had = await loadDraft(ctx);
        await ctx.deps.records.sessions.delete(sessionKey(ctx));
        await ctx.reply(had ? '已取消。需要时再发送 /start。' : '当前没有需要取消的操作。');
      },
    },
  ],
  callbacks: [
    {
      prefix: 'reg',
      access: 'anyone',
      async run(ctx, payload) {
        const [action, arg] = payload.split(':');
        if (action === 'ok' || action === 'no') return decide(ctx, action, Number(arg));
        const draft = await loadDraft(ctx);
        if (!draft) return void (await ctx.answerCallback(MSG.expired));
        if (action === 'rank' && draft.step === 'rank') {
          const rank = RANKS[Number(arg)];
          if (!rank) return void (await ctx.answerCallback(MSG.expired));
          await ctx.answerCallback(`已选择：${rank}`);
          await advance(ctx, draft, rank);
          return;
        }
        if (action === 'role' && draft.step === 'roles') {
          const role = ctx.deps.roles()[Number(arg)];
          if (!role) return void (await ctx.answerCallback(MSG.expired));
          draft.roles = draft.roles.includes(role) ? draft.roles.filter((r) => r !== role) : [...draft.roles, role];
          await saveDraft(ctx, draft);
          await ctx.answerCallback(draft.roles.includes(role) ? `已选：${role}` : `已取消：${role}`);
          if (ctx.event.kind === 'callback' && ctx.event.message) await ctx.edit(ctx.event.message, rolesPrompt(ctx, draft));
          return;
        }
        if (action === 'done' && draft.step === 'roles') {
          if (!draft.roles.length) return void (await ctx.answerCallback('请至少选择一个岗位角色。', true));
          await ctx.answerCallback('已完成');
          if (ctx.event.kind === 'callback' && ctx.event.message) {
            await ctx.edit(ctx.event.message, { blocks: [para('岗位角色：', draft.roles.join('、'))] });
          }
          await finish(ctx, draft);
          return;
        }
        await ctx.answerCallback(MSG.expired);
      },
    },
  ],
  async onText(ctx, text) {
    if (ctx.isGroup) return false;
    const draft = await loadDraft(ctx);
    if (!draft) return false;
    await advance(ctx, draft, text);
    return true;
  },
};

/** An admin approves or rejects a pending request: once, whoever presses first; the rest are told. */
async function decide(ctx: ChatContext, action: 'ok' | 'no', targetId: number) {
  if (!(await ctx.require('admin'))) return;
  const messenger = { sendTo: (ids: Identity[], text: string) => ctx.deps.outbox.sendTo(ids, textMessage(text)) };
  const outcome = await decideRegistration({ records: ctx.deps.records, messenger, logger: ctx.deps.logger }, { userId: ctx.user!.id, via: ctx.event.from.identity.channel }, action, targetId);
  if (outcome.kind === 'missing') return void (await ctx.answerCallback('该用户不存在。', true));
  if (outcome.kind === 'already') {
    await ctx.answerCallback(`该申请已处理（当前状态：${statusLabel(outcome.target.status)}）。`, true);
    return;
  }
  const verdict = action === 'ok' ? '✅ 已通过' : '❌ 已拒绝';
  await ctx.answerCallback(verdict);
  if (ctx.event.kind === 'callback' && ctx.event.message) {
    await ctx.edit(ctx.event.message, { blocks: [...requestCard(outcome.target), para(`${verdict}（${ctx.user!.name}）`)] });
  }
}
