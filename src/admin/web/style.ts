/**
 * The dashboard's stylesheet. Phone first: at 390 px nothing is wider than the screen — the navigation scrolls
 * inside its own bar, tables marked `stack` turn into one card per row (each cell labelled by its column),
 * long words wrap. A print stylesheet leaves out navigation and forms for the printed reports.
 */
export const STYLE = `
:root { --fg:#1f2933; --muted:#5a6775; --line:#d9e2ec; --bg:#f5f7fa; --accent:#1f6feb; --good:#0e7a3e; --bad:#b42318; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin:0; font-family: "PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei","Source Han Sans SC",sans-serif; color:var(--fg); background:var(--bg); font-size:15px; line-height:1.5; overflow-wrap:anywhere; }
a { color:var(--accent); }
nav.top { display:flex; gap:4px; align-items:center; padding:6px 12px; background:#102a43; color:#fff; overflow-x:auto; white-space:nowrap; scrollbar-width:thin; }
nav.top a { color:#d9e2ec; text-decoration:none; padding:6px 8px; border-radius:4px; flex:none; }
nav.top a.active, nav.top a:hover { background:#243b53; color:#fff; }
nav.top .brand { font-weight:bold; margin-right:8px; flex:none; }
nav.top .logout { margin-left:auto; display:flex; gap:8px; align-items:center; flex:none; }
nav.top .who { color:#bcccdc; }
main { padding:12px 16px 48px; max-width:1200px; margin:0 auto; }
h1 { font-size:21px; margin:8px 0 12px; }
h2 { font-size:17px; margin:22px 0 8px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(160px,1fr)); gap:10px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 14px; min-width:0; }
.card .label { color:var(--muted); }
.card .value { font-size:26px; font-weight:bold; margin:2px 0; }
.card .value.small { font-size:17px; }
.card .sub { color:var(--muted); font-size:13px; }
.up { color:var(--good); } .down { color:var(--bad); }
.table-wrap { max-width:100%; overflow-x:auto; }
table { border-collapse:collapse; width:100%; background:#fff; border:1px solid var(--line); }
th, td { border-bottom:1px solid var(--line); padding:6px 8px; text-align:left; vertical-align:top; }
th { background:#f0f4f8; }
th a { color:inherit; }
td.num, th.num { text-align:right; }
td.nowrap { white-space:nowrap; }
form.filters, .period-nav { display:flex; gap:8px; flex-wrap:wrap; align-items:end; margin:8px 0 12px; }
form.filters label { display:flex; flex-direction:column; gap:2px; color:var(--muted); font-size:13px; }
.period-nav .kinds a { padding:4px 8px; border:1px solid var(--line); border-radius:4px; background:#fff; text-decoration:none; }
.period-nav .kinds a.active { background:var(--accent); color:#fff; border-color:var(--accent); }
.period-nav .kinds { display:flex; gap:4px; flex-wrap:wrap; }
.period-nav .step { display:flex; gap:8px; align-items:center; flex-wrap:wrap; }
input, select, textarea, button { font:inherit; padding:5px 8px; border:1px solid #bcccdc; border-radius:4px; max-width:100%; }
button, .button { background:var(--accent); color:#fff; border:1px solid var(--accent); cursor:pointer; border-radius:4px; padding:5px 10px; text-decoration:none; display:inline-block; }
button.secondary { background:#fff; color:var(--accent); }
button.danger { background:var(--bad); border-color:var(--bad); }
form.inline { display:inline; }
textarea { width:100%; }
textarea.code { font-family:"DejaVu Sans Mono",monospace; font-size:13px; }
label.block { display:block; margin:8px 0; }
.chart-box { background:#fff; border:1px solid var(--line); border-radius:8px; padding:8px; height:300px; position:relative; }
.flash { background:#e3f9e5; border:1px solid #a3d9a5; padding:8px 12px; border-radius:4px; }
.error { background:#ffe3e3; border:1px solid #ffa8a8; padding:8px 12px; border-radius:4px; }
.warn { background:#fff8e1; border:1px solid #f0d58c; padding:8px 12px; border-radius:4px; }
.muted { color:var(--muted); }
.tag { display:inline-block; padding:0 6px; border-radius:3px; background:#e8eef7; font-size:12px; }
.tag.bad { background:#ffe3e3; color:var(--bad); } .tag.good { background:#e3f9e5; color:var(--good); }
.icon { width:1em; height:1em; vertical-align:-0.15em; fill:currentColor; }
.login { max-width:380px; margin:48px auto; background:#fff; border:1px solid var(--line); border-radius:8px; padding:20px; }
.login input { width:100%; margin:6px 0 14px; }
pre.article { white-space:pre-wrap; background:#fff; border:1px solid var(--line); padding:12px; border-radius:8px; font-family:inherit; line-height:1.7; }
pre.file { white-space:pre-wrap; background:#fff; border:1px solid var(--line); padding:8px; border-radius:6px; font-size:13px; max-height:480px; overflow:auto; }
.bars { width:100%; height:auto; background:#fff; border:1px solid var(--line); border-radius:8px; }
.bars text { font-size:11px; fill:var(--fg); }
.progress { width:100%; height:14px; }
.pager { display:flex; gap:12px; align-items:center; flex-wrap:wrap; margin:8px 0; }
.print-only { display:none; }
@media (max-width: 640px) {
  main { padding:10px 10px 40px; }
  nav.top .brand { display:none; }
  h1 { font-size:19px; }
  .cards { grid-template-columns:repeat(2,minmax(0,1fr)); }
  .card .value { font-size:22px; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display:block; width:100%; }
  table.stack { border:none; background:none; }
  table.stack thead { display:none; }
  table.stack tr { background:#fff; border:1px solid var(--line); border-radius:8px; margin:0 0 8px; padding:4px 10px; }
  table.stack td { border:none; padding:3px 0; text-align:left; display:flex; gap:12px; justify-content:space-between; }
  table.stack td::before { content:attr(data-label); color:var(--muted); flex:none; max-width:45%; }
  table.stack td.num { text-align:right; }
  table.stack td > .cell { text-align:right; min-width:0; }
  table.stack td.wide { display:block; }
  table.stack td.wide::before { display:block; }
  table.stack td.wide > .cell { text-align:left; }
}
@media print {
  @page { size: A4; margin: 15mm 12mm; }
  body { background:#fff; font-size:10.5pt; }
  nav.top, form, .no-print, .period-nav, .pager { display:none !important; }
  .print-only { display:block; }
  main { max-width:none; padding:0; }
  a { color:inherit; text-decoration:none; }
  .card, table { border-color:#888; }
  th { background:#eee; }
  tr { break-inside:avoid; }
  h2 { break-after:avoid; }
}
`;
