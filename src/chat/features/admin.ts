/**
 * Admin commands in chat: /stats [week], /pending (with a remind-all button), /user <name>, /weak,
 * /approve, /broadcast <text>, /export, /web, /link and /unlink. Admins only (the core refuses others with
 * a clear sentence); every use is written to the audit log. The numbers come from src/admin/stats.ts, the
 * same read model as the dashboard and the exports.
 *
 * Messages to other people (reminders, broadcasts) go out through the outbox: over whichever running
 * transport each person has an identity on.
 */
import { buildExportFile } from '../../admin/export.ts';
import { articleCitation, change, localTime, minutes, pct, score, weekStatusLabel, WEEK_STATUS_LABEL, zoneLabel } from '../../admin/labels.ts';
import { createAdminStats, type AdminReadPorts, type GroupWithChange } from '../../admin/stats.ts';
import { ADMIN_REMINDER_KIND, reachable, remindPeople } from '../../admin/remind.ts';
import { issueLoginTicket } from '../../admin/tickets.ts';
import type { Config } from '../../config.ts';
import type { Organization } from '../../knowledge/organization.ts';
import { formatIdentity, parseIdentity } from '../../records/identities.ts';
import type { Identity, UserRecord } from '../../records/types.ts';
import type { Records } from '../../records/ports.ts';
import { channelLabel, identitiesLabel } from '../channels.ts';
import { bold, para, textMessage } from '../format.ts';
import type { Block, Button, ChatContext, ChatFeature, CommandDef } from '../types.ts';

export interface AdminFeatureDeps {
  /** The records ports the admin commands read (any adapter). */
  records: AdminReadPorts & Pick<Records, 'reminders'>;
  config: Pick<Config, 'quiz' | 'adminWeb'>;
  now?: () => Date;
  /** The bureau's rank and department order (knowledge/organization.yaml). */
  organization?: () => Promise<Organization>;
}

const MAX_LISTED = 60;
/** The terminal chat reaches only its operator: messages to other people would just print locally. */
const CANNOT_REACH_OTHERS = '终端对话只能与本机用户交流，无法向其他人员发送消息。请在 Telegram 中使用此功能。';
const reachesOthers = (ctx: ChatContext) => ctx.out.abilities.reachesOthers;
const IDENTITY_FORMAT = '「渠道:账号」，如 wecom:zhangsan、telegram:123456（渠道：telegram、wecom、web、dingtalk、feishu）';
/** '企业微信账号 zhangsan' */
const accountLabel = (i: Identity) => `${channelLabel(i.channel)}账号 ${i.id}`;
export const personLine = (u: Pick<UserRecord, 'name' | 'department' | 'staffId'>) => `${u.name || '（未填写姓名）'}（${u.department || '未填写科室'}，学员编号 ${u.staffId}）`;

/** The one person `who` (a staff id or a name) means; otherwise says why not and returns undefined. */
export async function pickPerson(ctx: ChatContext, who: string): Promise<UserRecord | undefined> {
  const found = await ctx.deps.records.users.search(who);
  const exact = found.filter((u) => u.name === who || u.staffId === who.toUpperCase());
  if (exact.length === 1) return exact[0];
  if (found.length === 1 && !exact.length) return found[0];
  if (!found.length) return void (await ctx.reply(`没有找到「${who}」。`));
  await ctx.reply(`找到 ${found.length} 人，请改用学员编号：\n${found.slice(0, 10).map(personLine).join('\n')}`);
  return undefined;
}

const groupLine = (g: GroupWithChange) =>
  `${g.key || '（未填写）'}：完成 ${pct(g.completionRate)}（${g.finished}/${g.eligible}），通过率 ${pct(g.passRate)}，平均分 ${score(g.avgScore)}（完成率较上周 ${change(g.change.completionRate, 'rate')}）`;


export function createAdminFeature(deps: AdminFeatureDeps): ChatFeature {
  const stats = createAdminStats(deps.records, { timezone: deps.config.quiz.timezone, now: deps.now, organization: deps.organization });
  const reminders = deps.records.reminders;

  const audit = (ctx: ChatContext, action: string, detail: Record<string, unknown> = {}, targetUserId: number | null = null) =>
    ctx.deps.records.audit.add({ actorUserId: ctx.user!.id, action, targetUserId, detail: { via: ctx.event.from.identity.channel, ...detail } });

  const admin = (c: Omit<CommandDef, 'access' | 'personal'>): CommandDef => ({ ...c, access: 'admin', personal: true });

  async function showHistory(ctx: ChatContext, userId: number) {
    const h = await stats.history(userId);
    if (!h) return void (await ctx.reply('没有这个人员。'));
    await audit(ctx, 'admin.view_user', {}, userId);
    const u = h.user;
    const recent = h.weeks.slice(0, 12);
    const blocks: Block[] = [
      para(bold(`${u.name}（${u.department || '未填写科室'} · ${u.rank || '未填写职级'}）`)),
      para(`岗位角色：${u.roles.join('、') || '（未选择）'}\n学员编号：${u.staffId}\n聊天账号：${identitiesLabel(u.identities)}\n通过 ${h.weeksPassed} 周，累计学时 ${h.totalHours}`),
      para(
        recent.length
          ? recent
              .map((w) => `${w.week}　${w.recorded ? weekStatusLabel(w.status, w.closed) : w.closed ? '未参加（无记录）' : WEEK_STATUS_LABEL.not_started}${w.score === null ? '' : `　${score(w.score)} 分`}${w.attempts > 1 ? `（${w.attempts} 次）` : ''}${w.durationMs ? `　${minutes(w.durationMs)} 分钟` : ''}`)
              .join('\n')
          : '还没有考试记录。',
      ),
    ];
    if (h.weakArticles.length) {
      blocks.push(para('最常答错：', h.weakArticles.map((a) => `${articleCitation(a.law, a.article, a.articleSuffix)}（${a.wrong} 次）`).join('；')));
    }
    await ctx.reply({ blocks });
  }

  return {
    name: 'admin',
    commands: [
      admin({
        name: 'stats',
        description: '（管理员）本周完成率、通过率与平均分',
        usage: '/stats [2026-W48]',
        async run(ctx, args) {
          const s = await stats.weekStats(args || undefined);
          await audit(ctx, 'admin.stats', { week: s.week });
          const o = s.overall;
          await ctx.reply({
            blocks: [
              para(bold(`${s.week} 学法考试统计（${s.monday} 至 ${s.sunday}）`)),
              para(
                [
                  `完成率：${pct(o.completionRate)}（${o.finished}/${o.eligible} 人），较上周 ${change(o.change.completionRate, 'rate')}`,
                  `通过率：${pct(o.passRate)}（通过 ${o.passed} 人），较上周 ${change(o.change.passRate, 'rate')}`,
                  `平均分：${score(o.avgScore)}，较上周 ${change(o.change.avgScore, 'score')}`,
                ].join('\n'),
              ),
              para(bold('各科室'), '\n', s.departments.map(groupLine).join('\n') || '（无）'),
              para(bold('各职级'), '\n', s.ranks.map(groupLine).join('\n') || '（无）'),
              para(
                `完成率 = 完成人数 ÷ 应参加人数；通过率 = 通过人数 ÷ 完成人数。${s.partialChange ? '本周尚未结束，「较上周」是截至目前与上周全周相比的部分数据。' : ''}发送 /pending 查看未完成名单。`,
              ),
            ],
          });
        },
      }),
      admin({
        name: 'pending',
        description: '（管理员）本周未完成考试的人员，可一键提醒',
        async run(ctx) {
          const week = stats.currentWeek();
          const list = await stats.pending(week);
          await audit(ctx, 'admin.pending', { week, count: list.length });
          if (!list.length) return void (await ctx.reply(`本周（${week}）应参加的人员都已完成考试。`));
          const done = await reminders.remindersSent(week, ADMIN_REMINDER_KIND);
          const lines = list
            .slice(0, MAX_LISTED)
            .map((p) => `${p.name}（${p.department || '未填写科室'}）${p.status === 'in_progress' ? '　进行中' : '　未开始'}${done.has(p.userId) ? '　已提醒' : ''}`);
          if (list.length > MAX_LISTED) lines.push(`……共 ${list.length} 人，完整名单见管理后台或 /export。`);
          const waiting = list.filter((p) => !done.has(p.userId) && reachable(p.identities).length).length;
          const buttons: Button[][] = waiting ? [[{ text: `🔔 提醒全部未完成人员（${waiting} 人）`, data: `adm:remind:${week}` }]] : [];
          await ctx.reply({ blocks: [para(bold(`本周（${week}）未完成：${list.length} 人`)), para(lines.join('\n'))], buttons });
        },
      }),
      admin({
        name: 'user',
        description: '（管理员）查看某人的考试记录',
        usage: '/user 姓名',
        async run(ctx, args) {
          if (!args) return void (await ctx.reply('用法：/user 姓名（或学员编号）'));
          const found = await stats.findUsers(args);
          if (!found.length) return void (await ctx.reply(`没有找到「${args}」。`));
          const exact = found.filter((u) => u.name === args || u.staffId === args.toUpperCase());
          if (found.length === 1 || exact.length === 1) return showHistory(ctx, (exact[0] ?? found[0]!).id);
          await ctx.reply({
            blocks: [para(`找到 ${found.length} 人，请选择：`)],
            buttons: found.slice(0, 10).map((u) => [{ text: `${u.name}（${u.department || '未填写科室'}）`, data: `adm:user:${u.id}` }]),
          });
        },
      }),
      admin({
        name: 'weak',
        description: '（管理员）本月最常答错的条文',
        async run(ctx) {
          const month = stats.thisMonth();
          const rows = await stats.weakArticles(month, 10);
          await audit(ctx, 'admin.weak', { month: month.label });
          if (!rows.length) return void (await ctx.reply(`${month.label}还没有答错记录。`));
          await ctx.reply({
            blocks: [
              para(bold(`${month.label}最常答错的条文`)),
              para(rows.map((a, i) => `${i + 1}. ${articleCitation(a.law, a.article, a.articleSuffix)}：答错 ${a.wrong}/${a.answers} 次（${pct(a.wrongRate)}），${a.people} 人`).join('\n')),
              para('可作为下一期普法学习的重点。'),
            ],
          });
        },
      }),
      admin({
        name: 'approve',
        description: '（管理员）待审核的注册申请',
        async run(ctx) {
          const pending = await ctx.deps.records.users.list({ status: 'pending' });
          await audit(ctx, 'admin.approve_list', { count: pending.length });
          if (!pending.length) return void (await ctx.reply('没有待审核的注册申请。'));
          for (const u of pending.slice(0, 20)) {
            // The registration feature's own buttons (reg:ok / reg:no) decide, once, and notify the applicant.
            await ctx.reply({
              blocks: [para(bold(u.name || '（未填写姓名）'), `\n科室：${u.department}\n职级：${u.rank}\n岗位角色：${u.roles.join('、') || '（未选择）'}\n申请时间：${localTime(u.createdAt, deps.config.quiz.timezone)}（${zoneLabel(deps.config.quiz.timezone)}）`)],
              buttons: [
                [
                  { text: '✅ 通过', data: `reg:ok:${u.id}` },
                  { text: '❌ 拒绝', data: `reg:no:${u.id}` },
                ],
              ],
            });
          }
          if (pending.length > 20) await ctx.reply(`另有 ${pending.length - 20} 个申请，处理完以上申请后再次发送 /approve。`);
        },
      }),
      admin({
        name: 'broadcast',
        description: '（管理员）向全体已开通人员发送通知',
        usage: '/broadcast 通知内容',
        async run(ctx, args) {
          if (!args) return void (await ctx.reply('用法：/broadcast 通知内容'));
          if (args.length > 3000) return void (await ctx.reply('通知过长（最多 3000 字）。'));
          if (!reachesOthers(ctx)) return void (await ctx.reply(CANNOT_REACH_OTHERS));
          const users = (await ctx.deps.records.users.list({ status: 'active' })).filter((u) => reachable(u.identities).length);
          let sent = 0;
          const failed: string[] = [];
          for (const u of users) {
            try {
              if (await ctx.deps.outbox.sendTo(reachable(u.identities), { blocks: [para(bold('📢 通知')), para(args)] })) sent++;
              else failed.push(u.name);
            } catch (err) {
              failed.push(u.name);
              ctx.deps.logger.warn('broadcast to a user failed', { userId: u.id, error: err as Error });
            }
          }
          await audit(ctx, 'admin.broadcast', { text: args, recipients: users.length, sent, failed: failed.length });
          await ctx.reply(`通知已发送给 ${sent} 人${failed.length ? `，${failed.length} 人发送失败（${failed.slice(0, 10).join('、')}）` : ''}。`);
        },
      }),
      admin({
        name: 'export',
        description: '（管理员）导出近 12 周的考试记录（Excel）',
        usage: '/export [起始周] [结束周]',
        async run(ctx, args) {
          const [from, to] = args.split(/\s+/).filter(Boolean);
          const file = await buildExportFile({ stats }, { format: 'xlsx', fromWeek: from, toWeek: to });
          await audit(ctx, 'admin.export', { format: 'xlsx', file: file.filename });
          if (!ctx.out.sendDocument) {
            return void (await ctx.reply('当前对话方式不支持发送文件，请在命令行运行 npx pufa export，或在管理后台下载。'));
          }
          const target = ctx.isGroup ? ctx.event.from.privateChatId : ctx.event.chatId;
          await ctx.out.sendDocument(target, { filename: file.filename, data: file.data, caption: '学法考试记录（人员成绩、科室汇总、易错条文）' });
        },
      }),
      admin({
        name: 'link',
        description: '（管理员）把某人在另一渠道的账号绑定到其资料',
        usage: '/link 学员编号或姓名 渠道:账号',
        async run(ctx, args) {
          const parts = args.split(/\s+/).filter(Boolean);
          const identityText = parts.pop();
          const who = parts.join(' ');
          if (!identityText || !who) return void (await ctx.reply(`用法：/link 学员编号或姓名 渠道:账号，例如 /link 张三 wecom:zhangsan`));
          const identity = parseIdentity(identityText);
          if (!identity) return void (await ctx.reply(`无法识别的账号「${identityText}」：请写成${IDENTITY_FORMAT}。`));
          if (identity.channel === 'local') return void (await ctx.reply('本机终端账户不属于任何人员，不能绑定。'));
          const person = await pickPerson(ctx, who);
          if (!person) return;
          const outcome = await ctx.deps.records.identities.attach(person.id, identity);
          const label = accountLabel(identity);
          await audit(ctx, 'admin.link_identity', { identity: formatIdentity(identity), outcome: outcome.kind, ...(outcome.kind === 'merged' ? { mergedUserId: outcome.mergedUserId } : {}) }, person.id);
          if (outcome.kind === 'attached') return void (await ctx.reply(`已将${label} 绑定到 ${personLine(person)}。`));
          if (outcome.kind === 'merged') {
            return void (await ctx.reply(`已将${label} 绑定到 ${personLine(person)}；该账号原先的空白记录（#${outcome.mergedUserId}）已并入。`));
          }
          if (outcome.kind === 'already') return void (await ctx.reply(`${label} 已属于 ${personLine(person)}，无需重复绑定。`));
          if (outcome.kind === 'taken') {
            return void (await ctx.reply(`${label} 已属于另一位学员 ${personLine(outcome.owner)}，且其已有学习或问答记录，不能改绑。如确属绑定错误，请先发送 /unlink ${formatIdentity(identity)} 解除（该账号须不是其唯一账号）。`));
          }
          await ctx.reply('没有这个人员。');
        },
      }),
      admin({
        name: 'unlink',
        description: '（管理员）解除某个渠道账号与人员的绑定',
        usage: '/unlink 渠道:账号',
        async run(ctx, args) {
          const identity = parseIdentity(args);
          if (!identity) return void (await ctx.reply(`用法：/unlink 渠道:账号，账号写成${IDENTITY_FORMAT}。`));
          const owner = await ctx.deps.records.users.findByIdentity(identity);
          const outcome = await ctx.deps.records.identities.detach(identity);
          await audit(ctx, 'admin.unlink_identity', { identity: formatIdentity(identity), outcome }, owner?.id ?? null);
          const label = accountLabel(identity);
          if (outcome === 'unknown') return void (await ctx.reply(`${label} 没有绑定任何人员。`));
          if (outcome === 'last') return void (await ctx.reply(`${label} 是 ${personLine(owner!)} 唯一的聊天账号，不能解除（否则此人将无法使用普法助手）。`));
          await ctx.reply(`已解除${label} 与 ${personLine(owner!)} 的绑定。`);
        },
      }),
      admin({
        name: 'web',
        description: '（管理员）获取管理后台的一次性登录链接',
        async run(ctx) {
          const web = deps.config.adminWeb;
          if (web.port === undefined) {
            return void (await ctx.reply('管理后台未启用：请设置 ADMIN_WEB_PORT 后运行 npm start，或运行 npx pufa admin。'));
          }
          const ticket = await issueLoginTicket(ctx.deps.records.sessions, ctx.user!.id, ctx.deps.now());
          await audit(ctx, 'admin.web_link');
          const host = web.host.includes(':') ? `[${web.host}]` : web.host;
          await ctx.reply(`管理后台一次性登录链接（10 分钟内有效，仅能使用一次，请在运行后台的电脑上打开）：\nhttp://${host}:${web.port}/login/link?t=${ticket}`);
        },
      }),
    ],
    callbacks: [
      {
        prefix: 'adm',
        access: 'admin',
        async run(ctx, payload) {
          const [action, arg] = payload.split(':');
          if (action === 'user' && arg) {
            await ctx.answerCallback();
            return showHistory(ctx, Number(arg));
          }
          if (action === 'remind' && arg) {
            const week = arg;
            if (week !== stats.currentWeek()) return void (await ctx.answerCallback('只能提醒本周的考试，请重新发送 /pending。', true));
            if (!reachesOthers(ctx)) return void (await ctx.answerCallback(CANNOT_REACH_OTHERS, true));
            const messenger = { sendTo: (ids: Identity[], text: string) => ctx.deps.outbox.sendTo(ids, textMessage(text)) };
            const { sent, skipped } = await remindPeople({ reminders, messenger, logger: ctx.deps.logger }, week, await stats.pending(week), ctx.deps.now());
            await audit(ctx, 'admin.remind', { week, sent, skipped });
            const text = sent ? `已提醒 ${sent} 人${skipped ? `（${skipped} 人此前已提醒）` : ''}。` : '这些人员都已提醒过，不再重复发送。';
            await ctx.answerCallback(text);
            if (ctx.event.kind === 'callback' && ctx.event.message) {
              await ctx.edit(ctx.event.message, { blocks: [para(bold(`本周（${week}）未完成人员`)), para(text)] });
            } else {
              await ctx.reply(text);
            }
            return;
          }
          await ctx.answerCallback('该按钮已失效，请重新操作。');
        },
      },
    ],
  };
}
