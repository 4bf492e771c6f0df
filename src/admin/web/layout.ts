/**
 * The page frame and small HTML helpers. Every page is built with hono/html's `html` template, which
 * escapes every interpolated value; `raw` is used only for markup built here from constants. No emoji
 * anywhere: icons are inline SVG, so a desktop without an emoji font shows them too.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { PERIOD_KIND_LABEL, type Period, type PeriodKind } from '../periods.ts';
import { assetPath } from './assets.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export const NAV: { href: string; label: string }[] = [
  { href: '/', label: '概览' },
  { href: '/people', label: '人员' },
  { href: '/pending', label: '未完成' },
  { href: '/reports', label: '报表' },
  { href: '/reports/annual', label: '年度总结' },
  { href: '/questions', label: '题目分析' },
  { href: '/weak', label: '易错条文' },
  { href: '/qa', label: '问答记录' },
  { href: '/knowledge', label: '知识库' },
  { href: '/approvals', label: '注册审核' },
  { href: '/audit', label: '操作日志' },
  { href: '/export', label: '导出' },
  { href: '/account', label: '我的账号' },
];

export interface PageOptions {
  title: string;
  /** Which nav entry is current. */
  active?: string;
  csrf?: string;
  /** Who is logged in. */
  who?: string;
  /** Extra scripts, by asset name ('overview.js'). */
  scripts?: string[];
  flash?: string;
  /** Seconds after which the page reloads itself (a running ingest without scripts). */
  refresh?: number;
}

export function page(opts: PageOptions, body: Html): Html {
  const nav = opts.csrf
    ? html`<nav class="top" aria-label="导航">
        <span class="brand">普法助手 · 管理后台</span>
        ${NAV.map((n) => html`<a href="${n.href}" class="${n.href === opts.active ? 'active' : ''}">${n.label}</a>`)}
        <form method="post" action="/logout" class="logout">
          <input type="hidden" name="_csrf" value="${opts.csrf}" />
          <span class="who">${opts.who ?? ''}</span>
          <button type="submit" class="secondary">退出</button>
        </form>
      </nav>`
    : html``;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
${opts.refresh ? html`<noscript><meta http-equiv="refresh" content="${opts.refresh}" /></noscript>` : ''}
<title>${opts.title} · 普法助手管理后台</title>
<link rel="stylesheet" href="${assetPath('style.css')}" />
</head>
<body>
${nav}
<main>
<h1>${opts.title}</h1>
${opts.flash ? html`<p class="flash" role="status">${opts.flash}</p>` : ''}
${body}
</main>
${(opts.scripts ?? []).map((s) => html`<script src="${assetPath(s)}"></script>`)}
</body>
</html>`;
}

/** JSON for a <script type="application/json"> block: `<` escaped so no string can close the tag. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

const ICONS = {
  // Thumbs up / down (feedback), arrows (changes), bell (reminders), check and cross.
  thumbUp: 'M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3a1.5 1.5 0 0 0-.5-1.1L13.2 1 6.6 7.6A2 2 0 0 0 6 9v10a2 2 0 0 0 2 2h9a2 2 0 0 0 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z',
  thumbDown: 'M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.5 1.1l1 1 6.6-6.6A2 2 0 0 0 18 15V5a2 2 0 0 0-2-2H7a2 2 0 0 0-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z',
  up: 'M12 4l7 8h-4.5v8h-5v-8H5z',
  down: 'M12 20l-7-8h4.5V4h5v8H19z',
  bell: 'M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22zm7-6V11c0-3.1-1.6-5.6-4.5-6.3V4a2.5 2.5 0 0 0-5 0v.7C6.6 5.4 5 7.9 5 11v5l-2 2v1h18v-1l-2-2z',
  check: 'M9 16.2L4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
  cross: 'M19 6.4L17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
} as const;

export type IconName = keyof typeof ICONS;

/** An inline SVG icon with a text alternative (read out by screen readers, shown when SVG is off). */
export function icon(name: IconName, label: string) {
  return html`<svg class="icon" viewBox="0 0 24 24" role="img" aria-label="${label}"><title>${label}</title><path d="${ICONS[name]}" /></svg>`;
}

export interface Column<T> {
  header: string;
  cell: (row: T, index: number) => unknown;
  /** Right-aligned number column. */
  num?: boolean;
  /** A long text: on a phone the label goes above it instead of beside it. */
  wide?: boolean;
  /** A `data-field` for tests and scripts. */
  field?: string;
  /** Sort key of this column (the page's ?sort=); the header becomes a link. */
  sort?: string;
}

export interface TableOptions<T> {
  testid?: string;
  /** Attributes of a row: data-user, data-key … (rendered as data-*). */
  rowData?: (row: T) => Record<string, string | number>;
  /** Header links for sortable columns: the URL for a sort key, and which key is current. */
  sortLink?: (key: string) => string;
  sorted?: string;
  /** Below 640 px rows become cards (default); false keeps a table that scrolls in its own box. */
  stack?: boolean;
  caption?: string;
}

/** A table that is readable on a phone: one card per row there, each cell labelled by its column. */
export function table<T>(columns: Column<T>[], rows: T[], opts: TableOptions<T> = {}) {
  const head = columns.map((c) => {
    const label = c.sort && opts.sortLink ? html`<a href="${opts.sortLink(c.sort)}">${c.header}${opts.sorted === c.sort ? raw(' ▾') : ''}</a>` : c.header;
    return html`<th class="${c.num ? 'num' : ''}" scope="col">${label}</th>`;
  });
  const body = rows.map((r, i) => {
    const data = opts.rowData?.(r) ?? {};
    const attrs = raw(Object.entries(data).map(([k, v]) => ` data-${k}="${String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`).join(''));
    return html`<tr${attrs}>${columns.map(
      (c) => html`<td class="${[c.num ? 'num' : '', c.wide ? 'wide' : ''].join(' ').trim()}" data-label="${c.header}"${c.field ? raw(` data-field="${c.field}"`) : ''}><span class="cell">${c.cell(r, i)}</span></td>`,
    )}</tr>`;
  });
  return html`<div class="table-wrap"><table class="${opts.stack === false ? '' : 'stack'}"${opts.testid ? raw(` data-testid="${opts.testid}"`) : ''}>
    ${opts.caption ? html`<caption class="muted">${opts.caption}</caption>` : ''}
    <thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** Previous / next page links of a paged list. */
export function pager(pageNo: number, pages: number, href: (p: number) => string) {
  if (pages <= 1) return html``;
  return html`<p class="pager">${pageNo > 1 ? html`<a href="${href(pageNo - 1)}" rel="prev">上一页</a>` : ''}<span>第 ${pageNo} / ${pages} 页</span>${
    pageNo < pages ? html`<a href="${href(pageNo + 1)}" rel="next">下一页</a>` : ''
  }</p>`;
}

/**
 * The period chooser of a report page: kind tabs (周/月/季度/年), previous / next, and a date range form.
 * `href` builds the page's URL for a period key.
 */
export function periodNav(action: string, p: Period, href: (key: string) => string, current: Record<Exclude<PeriodKind, 'range'>, string>) {
  const kinds = (['week', 'month', 'quarter', 'year'] as const).map(
    (k) => html`<a href="${href(current[k])}" class="${p.kind === k ? 'active' : ''}">${PERIOD_KIND_LABEL[k]}</a>`,
  );
  const [from, to] = p.kind === 'range' && /^\d{4}-\d{2}-\d{2}~/.test(p.key) ? p.key.split('~') : [p.from, p.to];
  return html`<div class="period-nav" data-testid="period-nav">
    <div class="kinds">${kinds}</div>
    <div class="step"><a href="${href(p.prev)}" rel="prev">上一${PERIOD_KIND_LABEL[p.kind] === '自定义' ? '段' : PERIOD_KIND_LABEL[p.kind]}</a>
      <b data-testid="period-label">${p.label}</b>
      <a href="${href(p.next)}" rel="next">下一${PERIOD_KIND_LABEL[p.kind] === '自定义' ? '段' : PERIOD_KIND_LABEL[p.kind]}</a></div>
    <form class="filters" method="get" action="${action}">
      <label>起始日期<input type="date" name="from" value="${from}" /></label>
      <label>结束日期<input type="date" name="to" value="${to}" /></label>
      <button type="submit">查看</button>
    </form>
  </div>`;
}

/** A horizontal bar chart as inline SVG (no script, no inline style: the CSP allows it). */
export function barChart(bars: { label: string; value: number }[], opts: { testid?: string; unit?: string } = {}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 22;
  const labelW = 64;
  const width = 360;
  const barW = width - labelW - 48;
  return html`<svg class="bars" viewBox="0 0 ${width} ${bars.length * rowH + 8}" role="img" aria-label="分布图"${opts.testid ? raw(` data-testid="${opts.testid}"`) : ''}>
    ${bars.map((b, i) => {
      const y = 4 + i * rowH;
      const w = Math.round((barW * b.value) / max);
      return html`<g data-label="${b.label}" data-value="${b.value}"><text x="0" y="${y + 15}">${b.label}</text>
        <rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}" fill="#1f6feb"></rect>
        <text x="${labelW + w + 4}" y="${y + 15}">${b.value}${opts.unit ?? ''}</text></g>`;
    })}
  </svg>`;
}
