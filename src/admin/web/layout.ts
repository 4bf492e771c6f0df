/**
 * The page frame and small HTML helpers. Every page is built with hono/html's `html` template, which
 * escapes every interpolated value; `raw` is used only for markup built here from constants.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export const NAV: { href: string; label: string }[] = [
  { href: '/', label: '概览' },
  { href: '/people', label: '人员' },
  { href: '/weak', label: '易错条文' },
  { href: '/qa', label: '问答记录' },
  { href: '/knowledge', label: '知识库' },
  { href: '/export', label: '导出' },
];

export interface PageOptions {
  title: string;
  /** Which nav entry is current. */
  active?: string;
  csrf?: string;
  /** Who is logged in. */
  who?: string;
  /** Extra scripts (local paths only). */
  scripts?: string[];
  flash?: string;
}

export function page(opts: PageOptions, body: Html): Html {
  const nav = opts.csrf
    ? html`<nav class="top">
        <span class="brand">普法助手 · 管理后台</span>
        ${NAV.map((n) => html`<a href="${n.href}" class="${n.href === opts.active ? 'active' : ''}">${n.label}</a>`)}
        <form method="post" action="/logout" class="logout">
          <input type="hidden" name="_csrf" value="${opts.csrf}" />
          <span class="who">${opts.who ?? ''}</span>
          <button type="submit">退出登录</button>
        </form>
      </nav>`
    : html``;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${opts.title} · 普法助手管理后台</title>
<link rel="stylesheet" href="/assets/style.css" />
</head>
<body>
${nav}
<main>
<h1>${opts.title}</h1>
${opts.flash ? html`<p class="flash" role="status">${opts.flash}</p>` : ''}
${body}
</main>
${(opts.scripts ?? []).map((s) => html`<script src="${s}"></script>`)}
</body>
</html>`;
}

/** JSON for a <script type="application/json"> block: `<` escaped so no string can close the tag. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export const STYLE = `
:root { --fg:#1f2933; --muted:#616e7c; --line:#d9e2ec; --bg:#f5f7fa; --accent:#1f6feb; --good:#0e7a3e; --bad:#b42318; }
* { box-sizing: border-box; }
body { margin:0; font-family: "PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif; color:var(--fg); background:var(--bg); font-size:14px; }
nav.top { display:flex; gap:16px; align-items:center; padding:10px 24px; background:#102a43; color:#fff; flex-wrap:wrap; }
nav.top a { color:#d9e2ec; text-decoration:none; padding:4px 6px; border-radius:4px; }
nav.top a.active, nav.top a:hover { background:#243b53; color:#fff; }
nav.top .brand { font-weight:bold; margin-right:12px; }
nav.top .logout { margin-left:auto; display:flex; gap:8px; align-items:center; }
main { padding:16px 24px 48px; max-width:1200px; margin:0 auto; }
h1 { font-size:22px; margin:8px 0 16px; }
h2 { font-size:17px; margin:24px 0 8px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(200px,1fr)); gap:12px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 16px; }
.card .label { color:var(--muted); }
.card .value { font-size:28px; font-weight:bold; margin:4px 0; }
.card .sub { color:var(--muted); font-size:12px; }
.up { color:var(--good); } .down { color:var(--bad); }
table { border-collapse:collapse; width:100%; background:#fff; border:1px solid var(--line); }
th, td { border-bottom:1px solid var(--line); padding:6px 8px; text-align:left; vertical-align:top; }
th { background:#f0f4f8; white-space:nowrap; }
td.num, th.num { text-align:right; white-space:nowrap; }
form.filters { display:flex; gap:8px; flex-wrap:wrap; align-items:end; margin:8px 0 12px; }
form.filters label { display:flex; flex-direction:column; gap:2px; color:var(--muted); font-size:12px; }
input, select, textarea, button { font:inherit; padding:4px 8px; border:1px solid #bcccdc; border-radius:4px; }
button { background:var(--accent); color:#fff; border-color:var(--accent); cursor:pointer; }
textarea { width:100%; }
.chart-box { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px; height:320px; position:relative; }
.flash { background:#e3f9e5; border:1px solid #a3d9a5; padding:8px 12px; border-radius:4px; }
.error { background:#ffe3e3; border:1px solid #ffa8a8; padding:8px 12px; border-radius:4px; }
.muted { color:var(--muted); }
.login { max-width:360px; margin:80px auto; background:#fff; border:1px solid var(--line); border-radius:8px; padding:24px; }
.login input { width:100%; margin:8px 0 16px; }
pre.article { white-space:pre-wrap; background:#fff; border:1px solid var(--line); padding:12px; border-radius:8px; font-family:inherit; line-height:1.7; }
`;
