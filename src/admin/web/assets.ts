/**
 * Local static assets: the stylesheet, the overview's chart script and Chart.js itself, served from
 * node_modules (no CDN: the bureau's network may be offline).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { STYLE } from './layout.ts';

let chartJs: string | undefined;

/** Chart.js's UMD build (defines the global `Chart`), read once. */
export function chartJsSource(): string {
  if (chartJs === undefined) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    chartJs = readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
  }
  return chartJs;
}

/** Draws the 12-week trend from the JSON block #trend-data; when drawn, marks <body data-chart-ready> and the performance mark 'pufa-chart-ready' (the benchmark reads it). */
export const OVERVIEW_JS = `
(function () {
  var el = document.getElementById('trend-data');
  var canvas = document.getElementById('trend-chart');
  if (!el || !canvas || typeof Chart === 'undefined') return;
  var d = JSON.parse(el.textContent || '{}');
  var pct = function (v) { return v === null ? null : Math.round(v * 1000) / 10; };
  new Chart(canvas, {
    type: 'line',
    data: {
      labels: d.weeks,
      datasets: [
        { label: '完成率（%）', data: d.completion.map(pct), borderColor: '#1f6feb', backgroundColor: '#1f6feb', yAxisID: 'y', spanGaps: true },
        { label: '通过率（%）', data: d.pass.map(pct), borderColor: '#0e7a3e', backgroundColor: '#0e7a3e', yAxisID: 'y', spanGaps: true },
        { label: '平均分', data: d.avg.map(function (v) { return v === null ? null : Math.round(v * 10) / 10; }), borderColor: '#d97706', backgroundColor: '#d97706', borderDash: [6, 4], yAxisID: 'y', spanGaps: true }
      ]
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: { y: { min: 0, max: 100, title: { display: true, text: '百分比 / 分数' } } },
      plugins: { legend: { position: 'bottom' } }
    },
    plugins: [{ id: 'ready', afterRender: function () {
      if (!document.body.hasAttribute('data-chart-ready')) { performance.mark('pufa-chart-ready'); document.body.setAttribute('data-chart-ready', '1'); }
    } }]
  });
})();
`;

export const ASSETS: Record<string, { type: string; body: () => string; public: boolean }> = {
  '/assets/style.css': { type: 'text/css; charset=utf-8', body: () => STYLE, public: true },
  '/assets/overview.js': { type: 'text/javascript; charset=utf-8', body: () => OVERVIEW_JS, public: false },
  '/assets/chart.umd.min.js': { type: 'text/javascript; charset=utf-8', body: chartJsSource, public: false },
};
