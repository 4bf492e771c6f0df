/**
 * 我的账号: an admin sets or changes their own dashboard password (a session opened by a chat link or by the
 * password; the shared token has no person to set one for), and sees which admins have one.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { localTime, zoneLabel } from '../../labels.ts';
import { CSRF_FIELD } from '../auth.ts';
import { table } from '../layout.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, passwordWeakness, verifyPassword } from '../passwords.ts';
import type { AdminContext, AdminEnv, PageDeps } from '../types.ts';

export function registerAccountPages(app: Hono<AdminEnv>, deps: PageDeps) {
  const { records, stats } = deps;
  const tz = stats.timezone;

  async function accountPage(c: AdminContext, opts: { flash?: string; error?: string; status?: 200 | 400 } = {}) {
    const s = c.get('session');
    const me = s.actorUserId === null ? undefined : await records.users.get(s.actorUserId);
    const mine = me && (await records.adminCredentials.get(me.id));
    const [admins, credentials] = await Promise.all([records.users.list({ isAdmin: true }), records.adminCredentials.list()]);
    const withPassword = new Map(credentials.map((cr) => [cr.userId, cr]));
    const form = me
      ? html`<h2>${mine ? '修改密码' : '设置密码'}</h2>
        <p class="muted">设置后可用学员编号（${me.staffId}）或姓名加密码登录。密码至少 ${MIN_PASSWORD_LENGTH} 个字符、至少 6 个不同的字符，不能只有数字，不能包含姓名或学员编号；只保存其 scrypt 摘要。</p>
        <form method="post" action="/account/password" data-testid="password-form">
          <input type="hidden" name="${CSRF_FIELD}" value="${s.csrf}" />
          <input type="text" name="username" value="${me.staffId}" autocomplete="username" hidden />
          ${mine ? html`<label class="block">当前密码<input type="password" name="current" autocomplete="current-password" required /></label>` : ''}
          <label class="block">新密码<input type="password" name="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required /></label>
          <label class="block">再输入一次<input type="password" name="confirm" autocomplete="new-password" required /></label>
          <button type="submit">保存密码</button>
        </form>`
      : html`<p class="warn">您是用共用口令（ADMIN_WEB_TOKEN）登录的，操作日志里不会记下您的姓名。请在与普法助手的私聊中发送 /web，用一次性链接登录后在这里设置自己的密码；第一位管理员设置密码后，共用口令即停用。</p>`;
    const body = html`${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}<p>当前登录：<b>${me ? `${me.name}（学员编号 ${me.staffId}）` : '共用口令（未具名）'}</b></p>
      ${form}
      <h2>管理员</h2>
      ${table(
        [
          { header: '姓名', cell: (u: (typeof admins)[number]) => u.name || '（未填写）' },
          { header: '学员编号', cell: (u) => u.staffId },
          { header: '后台密码', field: 'password', cell: (u) => (withPassword.has(u.id) ? `已设置（${localTime(withPassword.get(u.id)!.updatedAt, tz)}）` : '未设置') },
        ],
        admins,
        { testid: 'admins', rowData: (u) => ({ user: u.id }) },
      )}
      <p class="muted">时间为${zoneLabel(tz)}。</p>`;
    return deps.render(c, '我的账号', '/account', body, { flash: opts.flash, status: opts.status });
  }

  app.get('/account', (c) => accountPage(c));

  app.post('/account/password', async (c) => {
    const s = c.get('session');
    const me = s.actorUserId === null ? undefined : await records.users.get(s.actorUserId);
    if (!me) return accountPage(c, { error: '共用口令登录没有个人账号，无法设置密码。', status: 400 });
    const form = await c.req.parseBody();
    const field = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
    const existing = await records.adminCredentials.get(me.id);
    if (existing && !(await verifyPassword(field('current'), existing.hash))) return accountPage(c, { error: '当前密码不正确。', status: 400 });
    if (field('password') !== field('confirm')) return accountPage(c, { error: '两次输入的新密码不一致。', status: 400 });
    const weakness = passwordWeakness(field('password'), me);
    if (weakness) return accountPage(c, { error: weakness, status: 400 });
    await records.adminCredentials.set(me.id, await hashPassword(field('password')));
    await deps.audit(c, 'admin.web.password', { changed: Boolean(existing) }, me.id);
    return accountPage(c, { flash: existing ? '密码已修改。' : '密码已设置：以后可用学员编号或姓名加密码登录。' });
  });
}
