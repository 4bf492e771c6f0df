/**
 * /weblink <姓名或学员编号>: an admin gives a colleague a way into the intranet web chat without any third
 * party: a one-time sign-in link and, for when a link cannot be opened, a code of 8 characters. Without a
 * name, the admin gets their own. Every use is audited; the grant itself (stored hashed) is made by the
 * web chat's sign-in module, handed in by the composition root.
 */
import { bold, para } from '../format.ts';
import type { ChatFeature } from '../types.ts';
import { personLine, pickPerson } from './admin.ts';

export interface WebLinkFeatureDeps {
  /** The address staff open (WEB_CHAT_URL, else http://host:port); undefined while the web chat is off. */
  baseUrl(): string | undefined;
  /** A link secret and a code for this person, valid for `ttlMs`. */
  issue(userId: number, ttlMs: number): Promise<{ token: string; code: string; expiresAt: Date }>;
  ttlMs: number;
}

export function createWebLinkFeature(deps: WebLinkFeatureDeps): ChatFeature {
  return {
    name: 'weblink',
    commands: [
      {
        name: 'weblink',
        description: '（管理员）为同事生成网页聊天的一次性登录链接和登录码',
        usage: '/weblink 姓名或学员编号',
        access: 'admin',
        personal: true,
        async run(ctx, args) {
          const base = deps.baseUrl();
          if (!base) return void (await ctx.reply('网页聊天未启用：请设置 WEB_CHAT_PORT（以及同事访问用的地址 WEB_CHAT_URL）后运行 npm start。'));
          const person = args ? await pickPerson(ctx, args) : ctx.user!;
          if (!person) return;
          if (person.status === 'disabled') return void (await ctx.reply(`${personLine(person)} 的账号已停用，不能登录。`));
          const grant = await deps.issue(person.id, deps.ttlMs);
          await ctx.deps.records.audit.add({ actorUserId: ctx.user!.id, action: 'admin.weblink', targetUserId: person.id, detail: { via: ctx.event.from.identity.channel } });
          const hours = Math.round(deps.ttlMs / 3600_000);
          await ctx.reply({
            blocks: [
              para(bold(`网页聊天登录方式：${personLine(person)}`)),
              para(`登录链接：${base}/signin/link?t=${grant.token}`),
              para(`登录码：`, bold(grant.code), `（在 ${base}/signin 输入）`),
              para(`${hours} 小时内有效，链接和登录码只能使用其中一个、只能用一次。请当面或通过内部渠道交给本人：打开链接或输入登录码的人将以其身份登录。`),
            ],
          });
        },
      },
    ],
  };
}
