/**
 * Acting from the web: this week's pending people per department with 「提醒」 (over each person's own channel,
 * once per person and week, the same as /pending in chat), registration approvals, and the audit log.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { AuditEntry, UserRecord } from '../../../records/types.ts';
import { localTime, weekStatusLabel, zoneLabel } from '../../labels.ts';
import { decideRegistration } from '../../registrations.ts';
import { ADMIN_REMINDER_KIND, reachable, remindPeople } from '../../remind.ts';
import type { PersonWeek } from '../../stats.ts';
import { CSRF_FIELD } from '../auth.ts';
import { icon, pager, table, type Column } from '../layout.ts';
import type { AdminContext, AdminEnv, PageDeps } from '../types.ts';

const AUDIT_PAGE = 50;

/** What an audit action means, in Chinese (unknown ones are shown as they are). */
export const AUDIT_ACTION_LABEL: Record<string, string> = {
  'admin.web.login': '登录管理后台',
  'admin.web.logout': '退出管理后台',
  'admin.web.view_person': '查看人员记录',
  'admin.web.password': '设置后台密码',
  'admin.export': '导出数据',
  'admin.report.print': '打印总结',
  'admin.remind': '提醒未完成人员',
  'admin.stats': '查看统计（聊天）',
  'admin.pending': '查看未完成名单（聊天）',
  'admin.weak': '查看易错条文（聊天）',
  'admin.approve_list': '查看待审核申请（聊天）',
  'admin.broadcast': '群发通知',
  'admin.view_user': '查看人员记录（聊天）',
  'admin.link_identity': '绑定聊天账号',
  'admin.unlink_identity': '解除聊天账号',
  'admin.web_link': '获取后台登录链接',
  'admin.faq.pin': '收录常见问答',
  'admin.knowledge.upload': '上传知识库文件',
  'admin.knowledge.ingest': '重建知识库索引',
  'admin.knowledge.checklist': '修改必学清单',
  'admin.knowledge.accept_draft': '采用常见问法草稿',
  'admin.knowledge.discard_draft': '删除常见问法草稿',
  'registration.approve': '通过注册申请',
  'registration.reject': '拒绝注册申请',
  'identity.bind': '绑定聊天渠道',
};

const AUDIT_FILTERS: { value: string; label: string }[] = [
  { value: '', label: '全部操作' },
  { value: 'admin.web', label: '管理后台登录与查看' },
  { value: 'admin.export', label: '导出数据' },
  { value: 'admin.remind', label: '提醒' },
  { value: 'registration', label: '注册审核' },
  { value: 'admin.knowledge', label: '知识库' },
  { value: 'admin.faq', label: '常见问答' },
];

/** A short reading of an entry's details (the JSON as written, minus what the columns already show). */
function detailText(e: AuditEntry): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e.detail)) {
    if (k === 'via' || v === undefined || v === null) continue;
    parts.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return parts.join('，').slice(0, 300);
}

export function registerActionPages(app: Hono<AdminEnv>, deps: PageDeps) {
  const { stats, records } = deps;
  const tz = stats.timezone;

  async function pendingPage(c: AdminContext, flash?: string) {
    const week = stats.currentWeek();
    const [list, sent] = await Promise.all([stats.pending(week), records.reminders.remindersSent(week, ADMIN_REMINDER_KIND)]);
    const byDepartment = new Map<string, PersonWeek[]>();
    for (const p of list) byDepartment.set(p.department, [...(byDepartment.get(p.department) ?? []), p]);
    const order = await stats.departments();
    const departments = [...byDepartment.keys()].sort((a, b) => (order.indexOf(a) === -1 ? 1e9 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 1e9 : order.indexOf(b)) || a.localeCompare(b, 'zh-Hans-CN'));
    const csrf = c.get('session').csrf;
    const remindForm = (label: string, fields: Record<string, string>, disabled: boolean) =>
      html`<form method="post" action="/pending/remind" class="inline">
        <input type="hidden" name="${CSRF_FIELD}" value="${csrf}" />
        ${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
        <button type="submit" ${disabled ? 'disabled' : ''}>${icon('bell', '提醒')} ${label}</button>
      </form>`;
    const canSend = Boolean(deps.messenger && (deps.messenger.reaches?.() ?? true));
    const waiting = (people: PersonWeek[]) => people.filter((p) => !sent.has(p.userId) && reachable(p.identities).length).length;
    const columns: Column<PersonWeek>[] = [
      { header: '姓名', cell: (p) => html`<a href="/people/${p.userId}">${p.name || '（未填写）'}</a>` },
      { header: '职级', cell: (p) => p.rank },
      { header: '状态', field: 'status', cell: (p) => weekStatusLabel(p.status, false) },
      {
        header: '提醒',
        field: 'remind',
        cell: (p) =>
          sent.has(p.userId)
            ? html`<span class="tag good">已提醒</span>`
            : !reachable(p.identities).length
              ? html`<span class="muted">没有聊天账号</span>`
              : remindForm('提醒', { user: String(p.userId) }, !canSend),
      },
    ];
    const body = html`<p class="muted">本周（${week}）应参加、尚未完成的人员。「提醒」经本人绑定的聊天渠道发送，每人每周只提醒一次（与聊天中的 /pending 共用记录）。</p>
      ${canSend ? '' : html`<p class="warn">当前没有运行中的聊天渠道，无法发送提醒（请用 npm start 同时运行机器人与管理后台）。</p>`}
      <p>共 <b data-testid="pending-count">${list.length}</b> 人未完成。${list.length && waiting(list) ? remindForm(`提醒全部（${waiting(list)} 人）`, { all: '1' }, !canSend) : ''}</p>
      ${departments.map((d) => {
        const people = byDepartment.get(d)!;
        return html`<h2 data-department="${d}">${d || '（未填写科室）'}（${people.length} 人）${waiting(people) ? html` ${remindForm(`提醒本科室（${waiting(people)} 人）`, { department: d }, !canSend)}` : ''}</h2>
          ${table(columns, people, { testid: 'pending', rowData: (p) => ({ user: p.userId }) })}`;
      })}
      ${list.length ? '' : html`<p class="flash">应参加的人员都已完成本周考试。</p>`}`;
    return deps.render(c, `本周未完成（${week}）`, '/pending', body, { flash });
  }

  app.get('/pending', (c) => pendingPage(c));

  app.post('/pending/remind', async (c) => {
    const form = await c.req.parseBody();
    const week = stats.currentWeek();
    if (!deps.messenger || deps.messenger.reaches?.() === false) return pendingPage(c, '当前没有运行中的聊天渠道，无法发送提醒。');
    const pending = await stats.pending(week);
    const user = Number(form.user);
    const department = typeof form.department === 'string' ? form.department : undefined;
    const targets = form.all ? pending : department !== undefined ? pending.filter((p) => p.department === department) : pending.filter((p) => p.userId === user);
    const outcome = await remindPeople({ reminders: records.reminders, messenger: deps.messenger, logger: deps.logger }, week, targets, deps.now());
    await deps.audit(c, 'admin.remind', { week, sent: outcome.sent, skipped: outcome.skipped, failed: outcome.failed, scope: form.all ? 'all' : department !== undefined ? `department:${department}` : `user:${user}` }, targets.length === 1 ? targets[0]!.userId : null);
    const parts = [`已提醒 ${outcome.sent} 人`];
    if (outcome.skipped) parts.push(`${outcome.skipped} 人本周已提醒过，不再重复发送`);
    if (outcome.failed) parts.push(`${outcome.failed} 人发送失败（其聊天渠道当前未运行），稍后可再试`);
    if (!targets.length) parts.splice(0, parts.length, '这些人员已完成考试或不在名单中。');
    return pendingPage(c, parts.join('；') + '。');
  });

  async function approvalsPage(c: AdminContext, flash?: string, status: 200 | 409 = 200) {
    const pending = await records.users.list({ status: 'pending' });
    const csrf = c.get('session').csrf;
    const decide = (u: UserRecord, action: 'ok' | 'no') =>
      html`<form method="post" action="/approvals/${u.id}" class="inline">
        <input type="hidden" name="${CSRF_FIELD}" value="${csrf}" /><input type="hidden" name="action" value="${action}" />
        <button type="submit" class="${action === 'ok' ? '' : 'danger'}">${icon(action === 'ok' ? 'check' : 'cross', action === 'ok' ? '通过' : '拒绝')} ${action === 'ok' ? '通过' : '拒绝'}</button></form>`;
    const columns: Column<UserRecord>[] = [
      { header: '姓名', cell: (u) => u.name || '（未填写）' },
      { header: '科室', cell: (u) => u.department },
      { header: '职级', cell: (u) => u.rank },
      { header: '岗位角色', cell: (u) => u.roles.join('、') || '（未选择）' },
      { header: `申请时间（${zoneLabel(tz)}）`, cell: (u) => localTime(u.createdAt, tz) },
      { header: '操作', cell: (u) => html`${decide(u, 'ok')} ${decide(u, 'no')}` },
    ];
    const body = html`<p class="muted">与聊天中的「通过 / 拒绝」按钮相同：先处理者生效，结果经申请人的聊天渠道通知本人，并写入操作日志。</p>
      ${table(columns, pending, { testid: 'approvals', rowData: (u) => ({ user: u.id }) })}
      ${pending.length ? '' : html`<p class="muted">没有待审核的注册申请。</p>`}`;
    return deps.render(c, '注册审核', '/approvals', body, { flash, status });
  }

  app.get('/approvals', (c) => approvalsPage(c));

  app.post('/approvals/:id{[0-9]+}', async (c) => {
    const form = await c.req.parseBody();
    const action = form.action === 'ok' ? 'ok' : form.action === 'no' ? 'no' : undefined;
    if (!action) return approvalsPage(c, '无法识别的操作。');
    const s = c.get('session');
    const messenger = deps.messenger ?? { sendTo: async () => false };
    const outcome = await decideRegistration({ records, messenger, logger: deps.logger }, { userId: s.actorUserId, via: 'web' }, action, Number(c.req.param('id')));
    if (outcome.kind === 'missing') return approvalsPage(c, '没有这个申请。');
    if (outcome.kind === 'already') return approvalsPage(c, `${outcome.target.name || '该申请'}已由他人处理。`, 409);
    return approvalsPage(c, `${outcome.target.name || '申请人'}：${outcome.verdict}${outcome.notified ? '，已通知本人' : '（当前无法通知本人：其聊天渠道未运行）'}。`);
  });

  app.get('/audit', async (c) => {
    const action = AUDIT_FILTERS.find((f) => f.value === (c.req.query('action') ?? ''))?.value ?? '';
    const actor = Number(c.req.query('actor')) || undefined;
    const pageNo = Math.max(1, Number(c.req.query('page')) || 1);
    const { entries, total } = await records.audit.page({ action: action || undefined, actorUserId: actor, limit: AUDIT_PAGE, offset: (pageNo - 1) * AUDIT_PAGE });
    const ids = [...new Set(entries.flatMap((e) => [e.actorUserId, e.targetUserId]).filter((x): x is number => x !== null))];
    const people = new Map((await Promise.all(ids.map((id) => records.users.get(id)))).filter((u): u is UserRecord => Boolean(u)).map((u) => [u.id, u]));
    const who = (id: number | null, e?: AuditEntry) =>
      id === null ? (e?.detail.login === 'token' || e?.detail.via === 'token' ? '共用口令登录（未具名）' : '系统') : people.get(id) ? html`<a href="/audit?actor=${id}">${people.get(id)!.name || `#${id}`}</a>` : `#${id}`;
    const admins = await records.users.list({ isAdmin: true });
    const columns: Column<AuditEntry>[] = [
      { header: `时间（${zoneLabel(tz)}）`, cell: (e) => localTime(e.at, tz, { seconds: true }) },
      { header: '操作人', field: 'actor', cell: (e) => who(e.actorUserId, e) },
      { header: '操作', field: 'action', cell: (e) => AUDIT_ACTION_LABEL[e.action] ?? e.action },
      { header: '对象', cell: (e) => (e.targetUserId === null ? '—' : who(e.targetUserId)) },
      { header: '渠道', cell: (e) => String(e.detail.via ?? '') },
      { header: '详情', wide: true, cell: (e) => detailText(e) },
    ];
    const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE));
    const q = (p: number) => `/audit?${new URLSearchParams({ ...(action ? { action } : {}), ...(actor ? { actor: String(actor) } : {}), page: String(p) }).toString()}`;
    const body = html`<form class="filters" method="get" action="/audit">
        <label>操作<select name="action">${AUDIT_FILTERS.map((f) => html`<option value="${f.value}" ${f.value === action ? 'selected' : ''}>${f.label}</option>`)}</select></label>
        <label>操作人<select name="actor"><option value="">全部</option>${admins.map((a) => html`<option value="${a.id}" ${a.id === actor ? 'selected' : ''}>${a.name || a.staffId}</option>`)}</select></label>
        <button type="submit">筛选</button>
      </form>
      <p>共 <span data-testid="audit-count">${total}</span> 条，最新的在前。</p>
      ${table(columns, entries, { testid: 'audit', rowData: (e) => ({ id: e.id, action: e.action }) })}
      ${pager(pageNo, pages, q)}`;
    return deps.render(c, '操作日志', '/audit', body);
  });
}
