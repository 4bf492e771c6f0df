/**
 * Period reports (week, month, quarter, year, any date range: totals per person, department and rank) and the
 * annual summary for the 法治政府建设 report — as a page, a printable page and an XLSX workbook.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { PeriodGroup, PersonPeriod } from '../../stats.ts';
import { binLabels, hoursText, summaryFacts, summarySentence, toSummaryXlsx } from '../../summary.ts';
import { articleCitation, localTime, pct, score, zoneLabel } from '../../labels.ts';
import { barChart, page, table, type Column } from '../layout.ts';
import type { AdminEnv, PageDeps } from '../types.ts';
import { articleHref, questionsHref } from './data.ts';
import { attachment } from './export.ts';
import { periodChooser, periodKeyOf } from './period.ts';

const groupColumns = (keyHeader: string): Column<PeriodGroup>[] => [
  { header: keyHeader, cell: (g) => g.key || '（未填写）' },
  { header: '应参学', num: true, cell: (g) => g.people },
  { header: '参学', num: true, field: 'participants', cell: (g) => g.participants },
  { header: '完成人次', num: true, field: 'finished', cell: (g) => `${g.finishedWeeks}/${g.eligibleWeeks}` },
  { header: '完成率', num: true, field: 'completion', cell: (g) => pct(g.completionRate) },
  { header: '通过率', num: true, field: 'pass', cell: (g) => pct(g.passRate) },
  { header: '平均分', num: true, cell: (g) => score(g.avgScore) },
  { header: '学时', num: true, field: 'hours', cell: (g) => hoursText(g.hours) },
  { header: '人均学时', num: true, field: 'hoursPerPerson', cell: (g) => hoursText(g.hoursPerPerson) },
];

const PERSON_SORTS: Record<string, (a: PersonPeriod, b: PersonPeriod) => number> = {
  name: (a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN'),
  completion: (a, b) => (b.completionRate ?? -1) - (a.completionRate ?? -1),
  missed: (a, b) => b.missedWeeks - a.missedWeeks,
  avg: (a, b) => (b.avgScore ?? -1) - (a.avgScore ?? -1),
  hours: (a, b) => b.hours - a.hours,
};

const personColumns = (): Column<PersonPeriod>[] => [
  { header: '姓名', sort: 'name', cell: (p) => html`<a href="/people/${p.userId}">${p.name || '（未填写）'}</a>` },
  { header: '科室', cell: (p) => p.department },
  { header: '职级', cell: (p) => p.rank },
  { header: '完成周数', num: true, field: 'finished', cell: (p) => `${p.finishedWeeks}/${p.eligibleWeeks}` },
  { header: '完成率', num: true, sort: 'completion', cell: (p) => pct(p.completionRate) },
  { header: '未完成', num: true, sort: 'missed', cell: (p) => p.missedWeeks },
  { header: '通过周数', num: true, cell: (p) => p.passedWeeks },
  { header: '平均分', num: true, sort: 'avg', cell: (p) => score(p.avgScore) },
  { header: '学时', num: true, sort: 'hours', field: 'hours', cell: (p) => hoursText(p.hours) },
];

export function registerReportPages(app: Hono<AdminEnv>, deps: PageDeps) {
  const { stats } = deps;

  app.get('/reports', async (c) => {
    const r = await stats.periodReport(periodKeyOf(c), 'month');
    const sort = c.req.query('sort') ?? '';
    const people = PERSON_SORTS[sort] ? [...r.people].sort((a, b) => PERSON_SORTS[sort]!(a, b) || a.userId - b.userId) : r.people;
    const o = r.overall;
    const body = html`${periodChooser(stats, '/reports', r.period)}
      <p class="muted">按周四所在日期把考试周归入月、季度和年（与 ISO 周年一致）。一人每应参加一周计一人次；完成率 = 完成人次 ÷ 应考人次，通过率 = 通过人次 ÷ 完成人次。${
        r.partial ? '该时间段尚未结束，数字还会变化；尚未开始的周不计。' : ''
      }</p>
      <div class="cards">
        <div class="card"><div class="label">参学人数</div><div class="value" data-stat="participants">${o.participants}</div><div class="sub">应参学 ${o.people} 人</div></div>
        <div class="card"><div class="label">完成率</div><div class="value" data-stat="completion">${pct(o.completionRate)}</div><div class="sub">${o.finishedWeeks}/${o.eligibleWeeks} 人次</div></div>
        <div class="card"><div class="label">通过率</div><div class="value" data-stat="pass">${pct(o.passRate)}</div><div class="sub">平均分 ${score(o.avgScore)}</div></div>
        <div class="card"><div class="label">学时</div><div class="value" data-stat="hours">${hoursText(o.hours)}</div><div class="sub">人均 ${hoursText(o.hoursPerPerson)}</div></div>
      </div>
      <p class="no-print"><a class="button" href="/reports/download?period=${encodeURIComponent(r.period.key)}" data-testid="report-xlsx">下载 Excel</a>
        <a href="/reports/annual?period=${encodeURIComponent(r.period.key)}">这一时间段的总结</a> · <a href="/questions?period=${encodeURIComponent(r.period.key)}">题目分析</a></p>
      <h2>各科室</h2>${table(groupColumns('科室'), r.departments, { testid: 'departments', rowData: (g) => ({ key: g.key }) })}
      <h2>各职级</h2>${table(groupColumns('职级'), r.ranks, { testid: 'ranks', rowData: (g) => ({ key: g.key }) })}
      <h2>人员（${people.length} 人）</h2>
      ${table(personColumns(), people, {
        testid: 'people',
        rowData: (p) => ({ user: p.userId }),
        sorted: sort,
        sortLink: (k) => `/reports?${new URLSearchParams({ period: r.period.key, sort: k }).toString()}`,
      })}`;
    return deps.render(c, '报表', '/reports', body);
  });

  app.get('/reports/download', async (c) => {
    const s = await stats.annualSummary(periodKeyOf(c) ?? stats.period(undefined, 'month').key);
    const file = `pufa-学法总结-${s.period.key.replace('~', '至')}.xlsx`;
    await deps.audit(c, 'admin.export', { format: 'xlsx', report: 'summary', period: s.period.key, file });
    c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    c.header('Content-Disposition', attachment(file));
    return c.body(new Uint8Array(await toSummaryXlsx(s, deps.now())));
  });

  /** The summary's body: the same on the page and the printable page. */
  async function summaryBody(key: string | undefined, printable: boolean) {
    const s = await stats.annualSummary(key);
    const facts = summaryFacts(s);
    const labels = binLabels(s.histogram.length);
    const body = html`${printable ? '' : periodChooser(stats, '/reports/annual', s.period)}
      ${s.partial ? html`<p class="warn">${s.period.label}尚未结束，以下为截至目前的数字。</p>` : ''}
      <h2>可引用的表述</h2>
      <p data-testid="summary-sentence">${summarySentence(s)}</p>
      <h2>主要数字</h2>
      ${table(
        [
          { header: '项目', cell: (f: (typeof facts)[number]) => f.label },
          { header: '数值', num: true, field: 'value', cell: (f: (typeof facts)[number]) => f.text },
        ],
        facts,
        { testid: 'facts', rowData: (f) => ({ fact: f.key }) },
      )}
      ${printable
        ? ''
        : html`<p class="no-print"><a class="button" href="/reports/download?period=${encodeURIComponent(s.period.key)}" data-testid="summary-xlsx">下载 Excel</a>
            <a class="button secondary" href="/reports/annual/print?period=${encodeURIComponent(s.period.key)}" data-testid="summary-print">打印版</a></p>`}
      <h2>各科室</h2>${table(groupColumns('科室'), s.departments, { testid: 'departments', rowData: (g) => ({ key: g.key }) })}
      <h2>各职级</h2>${table(groupColumns('职级'), s.ranks, { testid: 'ranks', rowData: (g) => ({ key: g.key }) })}
      <h2>学习的法律法规（${s.lawsStudied.length} 部）</h2>
      ${table(
        [
          { header: '法律法规', wide: true, cell: (l: (typeof s.lawsStudied)[number]) => `《${l.law}》` },
          { header: '作答次数', num: true, cell: (l) => l.answers },
          { header: '错误率', num: true, cell: (l) => pct(l.answers ? l.wrong / l.answers : null) },
          { header: '涉及条文', num: true, cell: (l) => l.articles },
          { header: '作答人数', num: true, cell: (l) => l.people },
        ],
        s.lawsStudied,
        { testid: 'laws', rowData: (l) => ({ law: l.law }) },
      )}
      <h2>答错较多的条文</h2>
      ${table(
        [
          { header: '排名', num: true, cell: (_a: (typeof s.weakArticles)[number], i: number) => i + 1 },
          {
            header: '条文',
            wide: true,
            cell: (a) => (printable ? articleCitation(a.law, a.article, a.articleSuffix) : html`<a href="${articleHref(a.law, a.article, a.articleSuffix, a.version)}">${articleCitation(a.law, a.article, a.articleSuffix)}</a>`),
          },
          { header: '答错/作答', num: true, cell: (a) => `${a.wrong}/${a.answers}` },
          { header: '错误率', num: true, cell: (a) => pct(a.wrongRate) },
          ...(printable ? [] : [{ header: '题目', cell: (a: (typeof s.weakArticles)[number]) => html`<a href="${questionsHref(s.period.key, a.law, a.article, a.articleSuffix)}">答错的题</a>` }]),
        ],
        s.weakArticles.slice(0, 10),
        { testid: 'weak' },
      )}
      <h2>成绩分布（每周成绩，人次）</h2>
      ${barChart(s.histogram.map((n, i) => ({ label: labels[i]!, value: n })), { testid: 'histogram' })}
      <h2>人员学时（${s.people.length} 人）</h2>
      ${table(personColumns(), s.people, { testid: 'people', rowData: (p) => ({ user: p.userId }) })}`;
    return { s, body };
  }

  app.get('/reports/annual', async (c) => {
    const { s, body } = await summaryBody(periodKeyOf(c), false);
    return deps.render(c, `${s.period.label}学法考试总结`, '/reports/annual', body);
  });

  // Without the navigation, for printing (the print stylesheet also hides it on the normal page).
  app.get('/reports/annual/print', async (c) => {
    const { s, body } = await summaryBody(periodKeyOf(c), true);
    await deps.audit(c, 'admin.report.print', { period: s.period.key });
    const title = `${s.period.label}学法考试总结`;
    return c.html(page({ title }, html`<p class="muted print-note">普法助手 · 打印时间 ${localTime(deps.now(), stats.timezone)}（${zoneLabel(stats.timezone)}） · <a href="/reports/annual?period=${encodeURIComponent(s.period.key)}" class="no-print">返回</a></p>${body}`));
  });
}
