/** Overview, people, one person's history, weak articles and the article text. */
import type { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { citationLabel } from '../../../knowledge/citation-label.ts';
import { articleCitation, articleLabel, change, minutes, pct, score, WEEK_STATUS_LABEL } from '../../labels.ts';
import { WEEK_STATUSES, type GroupWithChange, type WeekStatus } from '../../stats.ts';
import type { AdminEnv, PageDeps } from '../types.ts';
import { jsonForScript } from '../layout.ts';

const TREND_WEEKS = 12;

const changeCell = (v: number | null, kind: 'rate' | 'score') =>
  html`<span class="${v === null || Math.abs(v) < 1e-9 ? '' : v > 0 ? 'up' : 'down'}">${change(v, kind)}</span>`;

function groupTable(title: string, keyHeader: string, groups: GroupWithChange[], testid: string) {
  return html`<h2>${title}</h2>
    <table data-testid="${testid}">
      <thead><tr><th>${keyHeader}</th><th class="num">应参加</th><th class="num">完成</th><th class="num">完成率</th><th class="num">较上周</th><th class="num">通过</th><th class="num">通过率</th><th class="num">平均分</th><th class="num">较上周</th></tr></thead>
      <tbody>
        ${groups.map(
          (g) => html`<tr data-key="${g.key}">
            <td>${g.key || '（未填写）'}</td><td class="num">${g.eligible}</td><td class="num">${g.finished}</td>
            <td class="num" data-field="completion">${pct(g.completionRate)}</td><td class="num">${changeCell(g.change.completionRate, 'rate')}</td>
            <td class="num">${g.passed}</td><td class="num" data-field="pass">${pct(g.passRate)}</td>
            <td class="num" data-field="avg">${score(g.avgScore)}</td><td class="num">${changeCell(g.change.avgScore, 'score')}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}

const weekForm = (action: string, week: string, extra: ReturnType<typeof html> | string = '') =>
  html`<form class="filters" method="get" action="${action}">
    <label>周次<input name="week" value="${week}" pattern="\\d{4}-W\\d{2}" size="9" /></label>${extra}
    <button type="submit">查看</button>
  </form>`;

export function registerDataPages(app: Hono<AdminEnv>, deps: PageDeps) {
  const { stats } = deps;

  app.get('/', async (c) => {
    const s = await stats.weekStats(c.req.query('week') || undefined);
    const trend = await stats.trend(TREND_WEEKS, s.week);
    const o = s.overall;
    const trendData = {
      weeks: trend.map((t) => t.week),
      completion: trend.map((t) => t.completionRate),
      pass: trend.map((t) => t.passRate),
      avg: trend.map((t) => t.avgScore),
    };
    const body = html`${weekForm('/', s.week)}
      <p class="muted">${s.week}（${s.monday} 至 ${s.sunday}）。完成率 = 完成人数 ÷ 应参加人数；通过率 = 通过人数 ÷ 完成人数；平均分为完成者的成绩平均。</p>
      <div class="cards">
        <div class="card"><div class="label">完成率</div><div class="value" data-stat="completion">${pct(o.completionRate)}</div>
          <div class="sub">完成 <span data-stat="finished">${o.finished}</span> / 应参加 <span data-stat="eligible">${o.eligible}</span> 人 · 较上周 ${changeCell(o.change.completionRate, 'rate')}</div></div>
        <div class="card"><div class="label">通过率</div><div class="value" data-stat="pass">${pct(o.passRate)}</div>
          <div class="sub">通过 <span data-stat="passed">${o.passed}</span> 人 · 较上周 ${changeCell(o.change.passRate, 'rate')}</div></div>
        <div class="card"><div class="label">平均分</div><div class="value" data-stat="avg">${score(o.avgScore)}</div>
          <div class="sub">较上周 ${changeCell(o.change.avgScore, 'score')}</div></div>
        <div class="card"><div class="label">未完成</div><div class="value" data-stat="pending">${o.eligible - o.finished}</div>
          <div class="sub"><a href="/people?week=${s.week}&status=not_started">未开始</a> · <a href="/people?week=${s.week}&status=in_progress">进行中</a></div></div>
      </div>
      <h2>近 ${TREND_WEEKS} 周趋势</h2>
      <div class="chart-box"><canvas id="trend-chart" aria-label="近 ${TREND_WEEKS} 周完成率、通过率与平均分趋势图" role="img"></canvas></div>
      <script type="application/json" id="trend-data">${raw(jsonForScript(trendData))}</script>
      ${groupTable('各科室', '科室', s.departments, 'departments')}
      ${groupTable('各职级', '职级', s.ranks, 'ranks')}`;
    return deps.render(c, '本周概览', '/', body, { scripts: ['/assets/chart.umd.min.js', '/assets/overview.js'] });
  });

  app.get('/people', async (c) => {
    const q = c.req.query('q') ?? '';
    const department = c.req.query('department') ?? '';
    const statusParam = c.req.query('status') ?? '';
    const status = (WEEK_STATUSES as string[]).includes(statusParam) ? (statusParam as WeekStatus) : undefined;
    const week = stats.week(c.req.query('week') || undefined).key;
    const [rows, departments] = await Promise.all([stats.people({ week, q, department: department || undefined, status }), stats.departments()]);
    const filters = html`<form class="filters" method="get" action="/people" data-testid="people-filters">
        <label>姓名或学员编号<input name="q" value="${q}" /></label>
        <label>科室<select name="department"><option value="">全部科室</option>
          ${departments.map((d) => html`<option value="${d}" ${d === department ? 'selected' : ''}>${d || '（未填写）'}</option>`)}</select></label>
        <label>本周状态<select name="status"><option value="">全部状态</option>
          ${WEEK_STATUSES.map((st) => html`<option value="${st}" ${st === status ? 'selected' : ''}>${WEEK_STATUS_LABEL[st]}</option>`)}</select></label>
        <label>周次<input name="week" value="${week}" size="9" /></label>
        <button type="submit">筛选</button>
      </form>`;
    const body = html`${filters}
      <p>共 <span data-testid="people-count">${rows.length}</span> 人</p>
      <table data-testid="people">
        <thead><tr><th>姓名</th><th>学员编号</th><th>科室</th><th>职级</th><th>本周状态</th><th class="num">成绩</th><th class="num">作答次数</th><th class="num">用时（分钟）</th><th class="num">学时</th></tr></thead>
        <tbody>${rows.map(
          (p) => html`<tr data-user="${p.userId}">
            <td><a href="/people/${p.userId}">${p.name}</a>${p.accountStatus !== 'active' ? html` <span class="muted">（已停用）</span>` : ''}</td>
            <td>${p.staffId}</td><td>${p.department}</td><td>${p.rank}</td><td data-field="status">${WEEK_STATUS_LABEL[p.status]}</td>
            <td class="num">${score(p.score)}</td><td class="num">${p.attempts}</td><td class="num">${minutes(p.durationMs)}</td><td class="num">${p.hours}</td>
          </tr>`,
        )}</tbody>
      </table>`;
    return deps.render(c, `人员（${week}）`, '/people', body);
  });

  app.get('/people/:id{[0-9]+}', async (c) => {
    const h = await stats.history(Number(c.req.param('id')));
    if (!h) return deps.render(c, '未找到', '/people', html`<p class="error">没有这个人员。</p>`, { status: 404 });
    await deps.audit(c, 'admin.web.view_person', {}, h.user.userId);
    const u = h.user;
    const body = html`<p>${u.department} · ${u.rank} · 岗位角色：${u.roles.join('、') || '（未选择）'} · 学员编号 ${u.staffId}</p>
      <div class="cards">
        <div class="card"><div class="label">通过周数</div><div class="value">${h.weeksPassed}</div></div>
        <div class="card"><div class="label">累计学时</div><div class="value">${h.totalHours}</div></div>
      </div>
      <h2>每周记录</h2>
      <table data-testid="history"><thead><tr><th>周次</th><th>状态</th><th class="num">成绩</th><th class="num">及格线</th><th class="num">作答次数</th><th class="num">用时（分钟）</th><th class="num">学时</th></tr></thead>
      <tbody>${h.weeks.map(
        (w) => html`<tr><td>${w.week}</td><td>${WEEK_STATUS_LABEL[w.status]}</td><td class="num">${score(w.score)}</td><td class="num">${w.passMark}</td>
          <td class="num">${w.attempts}</td><td class="num">${minutes(w.durationMs)}</td><td class="num">${w.hours}</td></tr>`,
      )}</tbody></table>
      <h2>最常答错的条文</h2>
      ${h.weakArticles.length
        ? html`<ol>${h.weakArticles.map((a) => html`<li><a href="${articleHref(a.law, a.article, a.articleSuffix, a.version)}">${articleCitation(a.law, a.article, a.articleSuffix)}</a>：答错 ${a.wrong} 次</li>`)}</ol>`
        : html`<p class="muted">暂无答错记录。</p>`}`;
    return deps.render(c, u.name || `人员 #${u.userId}`, '/people', body);
  });

  app.get('/weak', async (c) => {
    const from = c.req.query('from');
    const to = c.req.query('to');
    const month = stats.thisMonth();
    const range = from && to ? { fromWeek: stats.week(from).key, toWeek: stats.week(to).key } : undefined;
    const rows = await stats.weakArticles(range ?? month, 50);
    const label = range ? `${range.fromWeek} 至 ${range.toWeek}` : `本月（${month.label}）`;
    const body = html`<form class="filters" method="get" action="/weak">
        <label>起始周<input name="from" value="${from ?? ''}" placeholder="2026-W37" size="9" /></label>
        <label>结束周<input name="to" value="${to ?? ''}" placeholder="2026-W48" size="9" /></label>
        <button type="submit">查看</button> <a href="/weak">本月</a>
      </form>
      <p class="muted">${label}答错次数最多的条文，可作为下一期普法的重点。</p>
      <table data-testid="weak"><thead><tr><th class="num">排名</th><th>条文</th><th class="num">答错次数</th><th class="num">作答次数</th><th class="num">错误率</th><th class="num">答错人数</th></tr></thead>
      <tbody>${rows.map(
        (a, i) => html`<tr><td class="num">${i + 1}</td><td><a href="${articleHref(a.law, a.article, a.articleSuffix, a.version)}">${articleCitation(a.law, a.article, a.articleSuffix)}</a></td>
          <td class="num">${a.wrong}</td><td class="num">${a.answers}</td><td class="num">${pct(a.wrongRate)}</td><td class="num">${a.people}</td></tr>`,
      )}</tbody></table>
      ${rows.length ? '' : html`<p class="muted">该时间段没有答错记录。</p>`}`;
    return deps.render(c, '易错条文', '/weak', body);
  });

  app.get('/article', async (c) => {
    const law = c.req.query('law') ?? '';
    const n = Number(c.req.query('n'));
    const suffix = Number(c.req.query('s') ?? 0) || 0;
    const version = c.req.query('v');
    const title = law && n ? articleCitation(law, n, suffix) : '条文';
    const k = deps.knowledge ? await deps.knowledge() : undefined;
    if (!k) return deps.render(c, title, '/weak', html`<p class="error">知识库索引尚未建立，无法显示条文原文（请先运行 npx pufa ingest）。</p>`);
    const versions = law ? k.catalog.resolve(law) : [];
    const v = versions.find((x) => x.version === version) ?? versions.find((x) => x.status === 'current') ?? versions[0];
    const art = v?.articles.find((a) => a.number === n && a.suffix === suffix);
    if (!v || !art) return deps.render(c, title, '/weak', html`<p class="error">知识库中没有找到${title}。</p>`, { status: 404 });
    const body = html`<p class="muted">《${v.title}》${v.version ? `（${v.version} 版${v.status === 'current' ? '，现行' : '，已被修订'}）` : ''}${art.path.length ? ' · ' + art.path.join(' · ') : ''}</p>
      <pre class="article" data-testid="article-text">${art.label}　${art.text}</pre>
      <p><a href="/weak">返回易错条文</a></p>`;
    return deps.render(c, citationLabel({ law: v.title, articleLabel: art.label || articleLabel(n, suffix) }), '/weak', body);
  });
}

export function articleHref(law: string, article: number, suffix: number, version?: string): string {
  const p = new URLSearchParams({ law, n: String(article), s: String(suffix) });
  if (version) p.set('v', version);
  return `/article?${p.toString()}`;
}
