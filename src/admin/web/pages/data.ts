/** Overview, people, one person's history, weak articles and the article text. */
import type { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { citationLabel } from '../../../knowledge/citation-label.ts';
import { shiftWeek } from '../../../quiz/week.ts';
import { articleCitation, articleLabel, change, localTime, minutes, pct, score, weekStatusLabel, WEEK_STATUS_LABEL, zoneLabel } from '../../labels.ts';
import { WEEK_STATUSES, type GroupWithChange, type PersonWeek, type WeekStatus } from '../../stats.ts';
import { icon, jsonForScript, table, type Column } from '../layout.ts';
import type { AdminEnv, PageDeps } from '../types.ts';
import { periodChooser, periodKeyOf } from './period.ts';

const TREND_WEEKS = 12;

export const changeCell = (v: number | null, kind: 'rate' | 'score') => {
  const text = change(v, kind);
  if (v === null || text === '持平' || text === '—') return html`<span>${text}</span>`;
  return html`<span class="${v > 0 ? 'up' : 'down'}">${icon(v > 0 ? 'up' : 'down', v > 0 ? '上升' : '下降')}${text.slice(1)}</span>`;
};

function groupTable(title: string, keyHeader: string, groups: GroupWithChange[], testid: string, partial: boolean) {
  const vs = partial ? '（本周未结束）' : '';
  const columns: Column<GroupWithChange>[] = [
    { header: keyHeader, cell: (g) => g.key || '（未填写）' },
    { header: '应参加', num: true, cell: (g) => g.eligible },
    { header: '完成', num: true, cell: (g) => g.finished },
    { header: '完成率', num: true, field: 'completion', cell: (g) => pct(g.completionRate) },
    { header: `完成率较上周${vs}`, num: true, cell: (g) => changeCell(g.change.completionRate, 'rate') },
    { header: '通过', num: true, cell: (g) => g.passed },
    { header: '通过率', num: true, field: 'pass', cell: (g) => pct(g.passRate) },
    { header: '平均分', num: true, field: 'avg', cell: (g) => score(g.avgScore) },
    { header: `平均分较上周${vs}`, num: true, cell: (g) => changeCell(g.change.avgScore, 'score') },
  ];
  return html`<h2>${title}</h2>${table(columns, groups, { testid, rowData: (g) => ({ key: g.key }) })}`;
}

/** The week chooser of the overview and the people list: previous / next week and a week box. */
const weekNav = (action: string, week: { key: string; prev: string; next: string }, extra: Record<string, string> = {}) => {
  const q = (key: string) => `${action}?${new URLSearchParams({ ...extra, week: key }).toString()}`;
  return html`<div class="period-nav" data-testid="week-nav">
    <div class="step"><a href="${q(week.prev)}" rel="prev">上一周</a><b>${week.key}</b><a href="${q(week.next)}" rel="next">下一周</a></div>
    <form class="filters" method="get" action="${action}">
      ${Object.entries(extra).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
      <label>周次<input name="week" value="${week.key}" pattern="\\d{4}-[Ww]\\d{2}" size="9" /></label>
      <button type="submit">查看</button>
    </form>
  </div>`;
};

const PEOPLE_SORTS: Record<string, (a: PersonWeek, b: PersonWeek) => number> = {
  name: (a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN'),
  status: (a, b) => WEEK_STATUSES.indexOf(a.status) - WEEK_STATUSES.indexOf(b.status),
  score: (a, b) => (b.score ?? -1) - (a.score ?? -1),
  attempts: (a, b) => b.attempts - a.attempts,
  duration: (a, b) => b.durationMs - a.durationMs,
  hours: (a, b) => b.hours - a.hours,
};

export function registerDataPages(app: Hono<AdminEnv>, deps: PageDeps) {
  const { stats } = deps;
  const tz = stats.timezone;

  app.get('/', async (c) => {
    const s = await stats.weekStats(c.req.query('week') || undefined);
    const trend = await stats.trend(TREND_WEEKS, s.week);
    const w = stats.week(s.week);
    const o = s.overall;
    const trendData = {
      weeks: trend.map((t) => t.week),
      completion: trend.map((t) => t.completionRate),
      pass: trend.map((t) => t.passRate),
      avg: trend.map((t) => t.avgScore),
    };
    const vs = s.partialChange ? '较上周（本周未结束，为部分数据）' : '较上周';
    const body = html`${weekNav('/', { key: s.week, prev: shiftWeek(w, -1, tz).key, next: shiftWeek(w, 1, tz).key })}
      <p class="muted">${s.week}（${s.monday} 至 ${s.sunday}）${s.closed ? '，已结束' : '，进行中'}。完成率 = 完成人数 ÷ 应参加人数；通过率 = 通过人数 ÷ 完成人数；平均分为完成者的成绩平均。${
        s.partialChange ? '本周尚未结束，与上周全周的比较只是截至目前的部分数据。' : ''
      }</p>
      <div class="cards">
        <div class="card"><div class="label">完成率</div><div class="value" data-stat="completion">${pct(o.completionRate)}</div>
          <div class="sub">完成 <span data-stat="finished">${o.finished}</span> / 应参加 <span data-stat="eligible">${o.eligible}</span> 人 · ${vs} ${changeCell(o.change.completionRate, 'rate')}</div></div>
        <div class="card"><div class="label">通过率</div><div class="value" data-stat="pass">${pct(o.passRate)}</div>
          <div class="sub">通过 <span data-stat="passed">${o.passed}</span> 人 · ${vs} ${changeCell(o.change.passRate, 'rate')}</div></div>
        <div class="card"><div class="label">平均分</div><div class="value" data-stat="avg">${score(o.avgScore)}</div>
          <div class="sub">${vs} ${changeCell(o.change.avgScore, 'score')}</div></div>
        <div class="card"><div class="label">${s.closed ? '未完成（已截止）' : '未完成'}</div><div class="value" data-stat="pending">${o.eligible - o.finished}</div>
          <div class="sub"><a href="/people?week=${s.week}&status=not_started">${s.closed ? '未参加' : '未开始'}</a> · <a href="/people?week=${s.week}&status=in_progress">${s.closed ? '未完成' : '进行中'}</a>${
            s.closed ? '' : html` · <a href="/pending">提醒</a>`
          }</div></div>
      </div>
      <h2>近 ${TREND_WEEKS} 周趋势</h2>
      <div class="chart-box"><canvas id="trend-chart" aria-label="近 ${TREND_WEEKS} 周完成率、通过率与平均分趋势图" role="img"></canvas></div>
      <script type="application/json" id="trend-data">${raw(jsonForScript(trendData))}</script>
      ${groupTable('各科室', '科室', s.departments, 'departments', s.partialChange)}
      ${groupTable('各职级', '职级', s.ranks, 'ranks', s.partialChange)}`;
    return deps.render(c, s.closed ? '每周概览' : '本周概览', '/', body, { scripts: ['chart.umd.min.js', 'overview.js'] });
  });

  app.get('/people', async (c) => {
    const q = c.req.query('q') ?? '';
    const department = c.req.query('department') ?? '';
    const statusParam = c.req.query('status') ?? '';
    const status = (WEEK_STATUSES as string[]).includes(statusParam) ? (statusParam as WeekStatus) : undefined;
    const sort = c.req.query('sort') ?? '';
    const week = stats.week(c.req.query('week') || undefined);
    const closed = stats.closed(week);
    const [rows, departments] = await Promise.all([stats.people({ week: week.key, q, department: department || undefined, status }), stats.departments()]);
    if (PEOPLE_SORTS[sort]) rows.sort((a, b) => PEOPLE_SORTS[sort]!(a, b) || a.userId - b.userId);
    const filters = html`<form class="filters" method="get" action="/people" data-testid="people-filters">
        <label>姓名或学员编号<input name="q" value="${q}" /></label>
        <label>科室<select name="department"><option value="">全部科室</option>
          ${departments.map((d) => html`<option value="${d}" ${d === department ? 'selected' : ''}>${d || '（未填写）'}</option>`)}</select></label>
        <label>本周状态<select name="status"><option value="">全部状态</option>
          ${WEEK_STATUSES.map((st) => html`<option value="${st}" ${st === status ? 'selected' : ''}>${weekStatusLabel(st, closed)}</option>`)}</select></label>
        <label>周次<input name="week" value="${week.key}" size="9" /></label>
        <input type="hidden" name="sort" value="${sort}" />
        <button type="submit">筛选</button>
      </form>`;
    const columns: Column<PersonWeek>[] = [
      { header: '姓名', sort: 'name', cell: (p) => html`<a href="/people/${p.userId}">${p.name || '（未填写）'}</a>${p.accountStatus !== 'active' ? html` <span class="muted">（已停用）</span>` : ''}` },
      { header: '学员编号', cell: (p) => p.staffId },
      { header: '科室', cell: (p) => p.department },
      { header: '职级', cell: (p) => p.rank },
      { header: closed ? '该周状态' : '本周状态', sort: 'status', field: 'status', cell: (p) => weekStatusLabel(p.status, closed) },
      { header: '成绩', num: true, sort: 'score', cell: (p) => score(p.score) },
      { header: '作答次数', num: true, sort: 'attempts', cell: (p) => p.attempts },
      { header: '用时（分钟）', num: true, sort: 'duration', cell: (p) => minutes(p.durationMs) },
      { header: '学时', num: true, sort: 'hours', cell: (p) => p.hours },
    ];
    const base = { week: week.key, q, department, status: statusParam };
    const sortLink = (key: string) => `/people?${new URLSearchParams({ ...base, sort: key }).toString()}`;
    const body = html`${filters}
      <p>共 <span data-testid="people-count">${rows.length}</span> 人${closed ? html`（${week.key} 已结束：未完成的记为未参加或未完成）` : ''}</p>
      ${table(columns, rows, { testid: 'people', rowData: (p) => ({ user: p.userId }), sortLink, sorted: sort })}`;
    return deps.render(c, `人员（${week.key}）`, '/people', body);
  });

  app.get('/people/:id{[0-9]+}', async (c) => {
    const h = await stats.history(Number(c.req.param('id')));
    if (!h) return deps.render(c, '未找到', '/people', html`<p class="error">没有这个人员。</p>`, { status: 404 });
    await deps.audit(c, 'admin.web.view_person', {}, h.user.userId);
    const u = h.user;
    const missed = h.weeks.filter((w) => w.closed && (w.status === 'not_started' || w.status === 'in_progress')).length;
    const columns: Column<(typeof h.weeks)[number]>[] = [
      { header: '周次', cell: (w) => w.week },
      { header: '状态', field: 'status', cell: (w) => (w.recorded ? weekStatusLabel(w.status, w.closed) : w.closed ? '未参加（无记录）' : WEEK_STATUS_LABEL.not_started) },
      { header: '成绩', num: true, cell: (w) => score(w.score) },
      { header: '及格线', num: true, cell: (w) => w.passMark ?? '—' },
      { header: '作答次数', num: true, cell: (w) => w.attempts },
      { header: '用时（分钟）', num: true, cell: (w) => minutes(w.durationMs) },
      { header: '学时', num: true, cell: (w) => w.hours },
    ];
    const body = html`<p>${u.department || '（未填写科室）'} · ${u.rank || '（未填写职级）'} · 岗位角色：${u.roles.join('、') || '（未选择）'} · 学员编号 ${u.staffId}</p>
      <div class="cards">
        <div class="card"><div class="label">通过周数</div><div class="value">${h.weeksPassed}</div></div>
        <div class="card"><div class="label">累计学时</div><div class="value">${h.totalHours}</div></div>
        <div class="card"><div class="label">未参加或未完成</div><div class="value" data-stat="missed">${missed}</div><div class="sub">已截止的周</div></div>
      </div>
      <h2>每周记录</h2>
      <p class="muted">自注册的那一周起（近两年）逐周列出；没有记录的周也列出，记为未参加。</p>
      ${table(columns, h.weeks, { testid: 'history', rowData: (w) => ({ week: w.week }) })}
      <h2>最常答错的条文</h2>
      ${h.weakArticles.length
        ? html`<ol>${h.weakArticles.map((a) => html`<li><a href="${articleHref(a.law, a.article, a.articleSuffix, a.version)}">${articleCitation(a.law, a.article, a.articleSuffix)}</a>：答错 ${a.wrong} 次</li>`)}</ol>`
        : html`<p class="muted">暂无答错记录。</p>`}
      <p class="muted">注册时间：${localTime(u.createdAt ?? '', tz)}（${zoneLabel(tz)}）</p>`;
    return deps.render(c, u.name || `人员 #${u.userId}`, '/people', body);
  });

  app.get('/weak', async (c) => {
    const { period, articles } = await stats.periodWeakArticles(periodKeyOf(c) ?? undefined);
    const columns: Column<(typeof articles)[number]>[] = [
      { header: '排名', num: true, cell: (_a, i) => i + 1 },
      { header: '条文', wide: true, cell: (a) => html`<a href="${articleHref(a.law, a.article, a.articleSuffix, a.version)}">${articleCitation(a.law, a.article, a.articleSuffix)}</a>` },
      { header: '答错次数', num: true, cell: (a) => a.wrong },
      { header: '作答次数', num: true, cell: (a) => a.answers },
      { header: '错误率', num: true, cell: (a) => pct(a.wrongRate) },
      { header: '答错人数', num: true, cell: (a) => a.people },
      { header: '答错的题目', cell: (a) => html`<a href="${questionsHref(period.key, a.law, a.article, a.articleSuffix)}">查看</a>` },
    ];
    const body = html`${periodChooser(stats, '/weak', period)}
      <p class="muted">${period.label}答错次数最多的条文，可作为下一期普法的重点。点「查看」看这一条出过的题，以及大家选错了哪个选项。</p>
      ${table(columns, articles, { testid: 'weak' })}
      ${articles.length ? '' : html`<p class="muted">该时间段没有答错记录。</p>`}`;
    return deps.render(c, '易错条文', '/weak', body);
  });

  app.get('/article', async (c) => {
    const law = c.req.query('law') ?? '';
    const n = Number(c.req.query('n'));
    const suffix = Number(c.req.query('s') ?? 0) || 0;
    const version = c.req.query('v');
    const title = law && n ? articleCitation(law, n, suffix) : '条文';
    const k = deps.knowledge ? await deps.knowledge() : undefined;
    if (!k) return deps.render(c, title, '/weak', html`<p class="error">知识库索引尚未建立，无法显示条文原文（请先在「知识库」页建立索引，或运行 npx pufa ingest）。</p>`);
    const versions = law ? k.catalog.resolve(law) : [];
    const v = versions.find((x) => x.version === version) ?? versions.find((x) => x.status === 'current') ?? versions[0];
    const art = v?.articles.find((a) => a.number === n && a.suffix === suffix);
    if (!v || !art) return deps.render(c, title, '/weak', html`<p class="error">知识库中没有找到${title}。</p><p><a href="/weak">返回易错条文</a></p>`, { status: 404 });
    const body = html`<p class="muted">《${v.title}》${v.version ? `（${v.version} 版${v.status === 'current' ? '，现行' : '，已被修订'}）` : ''}${art.path.length ? ' · ' + art.path.join(' · ') : ''}</p>
      <pre class="article" data-testid="article-text">${art.label}　${art.text}</pre>
      <p><a href="${questionsHref(undefined, v.title, n, suffix)}">这一条出过的题</a> · <a href="/weak">返回易错条文</a></p>`;
    return deps.render(c, citationLabel({ law: v.title, articleLabel: art.label || articleLabel(n, suffix) }), '/weak', body);
  });
}

export function articleHref(law: string, article: number, suffix: number, version?: string): string {
  const p = new URLSearchParams({ law, n: String(article), s: String(suffix) });
  if (version) p.set('v', version);
  return `/article?${p.toString()}`;
}

/** The question statistics of one article in a period. */
export function questionsHref(period: string | undefined, law: string, article: number, suffix: number): string {
  const p = new URLSearchParams({ law, n: String(article), s: String(suffix) });
  if (period) p.set('period', period);
  return `/questions?${p.toString()}`;
}
