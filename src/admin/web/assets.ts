/**
 * Local static assets: the stylesheet, the small page scripts and Chart.js itself, served from node_modules
 * (no CDN: the bureau's network may be offline). Each is served under a name with its content hash
 * (/assets/style.3f2a9c1e.css), so browsers may keep it for a year and a new version is a new name; it is
 * compressed once (brotli and gzip) and answered with an ETag.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { STYLE } from './style.ts';

/** Chart.js's UMD build (defines the global `Chart`). */
function chartJsSource(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
}

/** Draws the 12-week trend from the JSON block #trend-data; when drawn, marks <body data-chart-ready> and the performance mark 'pufa-chart-ready' (the benchmark reads it). */
const OVERVIEW_JS = `
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

/**
 * The ingest progress on the knowledge page: polls the JSON status every second while an ingest runs and
 * updates the bar and the line; reloads the page once the ingest has finished. Without scripts the page
 * refreshes itself (a meta refresh) instead.
 */
const INGEST_JS = `
(function () {
  var box = document.getElementById('ingest-status');
  if (!box || box.getAttribute('data-state') !== 'running') return;
  var bar = box.querySelector('progress');
  var line = box.querySelector('[data-field="line"]');
  function poll() {
    fetch('/knowledge/ingest/status', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (line) line.textContent = s.line;
        if (bar && s.fraction !== null) bar.value = s.fraction;
        box.setAttribute('data-phase', s.phase || '');
        if (s.state === 'running') setTimeout(poll, 1000); else location.reload();
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
`;

interface AssetSource {
  name: string;
  type: string;
  /** Public assets are reachable without a session (the login page needs the stylesheet). */
  public: boolean;
  body: () => string;
}

const SOURCES: AssetSource[] = [
  { name: 'style.css', type: 'text/css; charset=utf-8', public: true, body: () => STYLE },
  { name: 'overview.js', type: 'text/javascript; charset=utf-8', public: false, body: () => OVERVIEW_JS },
  { name: 'ingest.js', type: 'text/javascript; charset=utf-8', public: false, body: () => INGEST_JS },
  { name: 'chart.umd.min.js', type: 'text/javascript; charset=utf-8', public: false, body: chartJsSource },
];

export interface Asset {
  /** The served path, with the content hash: /assets/style.3f2a9c1e.css. */
  path: string;
  type: string;
  public: boolean;
  etag: string;
  /** The bytes, plain and compressed (compressed on first use). */
  identity: Buffer;
  readonly br: Buffer;
  readonly gzip: Buffer;
}

const built = new Map<string, Asset>();

function build(s: AssetSource): Asset {
  const identity = Buffer.from(s.body(), 'utf8');
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 10);
  const dot = s.name.indexOf('.');
  let br: Buffer | undefined;
  let gzip: Buffer | undefined;
  return {
    path: `/assets/${s.name.slice(0, dot)}.${hash}${s.name.slice(dot)}`,
    type: s.type,
    public: s.public,
    etag: `"${hash}"`,
    identity,
    get br() {
      return (br ??= brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }));
    },
    get gzip() {
      return (gzip ??= gzipSync(identity, { level: 9 }));
    },
  };
}

/** One asset by its plain name ('style.css'), read and hashed on first use. */
export function asset(name: string): Asset {
  let a = built.get(name);
  if (!a) {
    const source = SOURCES.find((x) => x.name === name);
    if (!source) throw new Error(`unknown asset ${name}`);
    a = build(source);
    built.set(name, a);
  }
  return a;
}

/** Every asset by its plain name. */
export function assets(): Map<string, Asset> {
  return new Map(SOURCES.map((x) => [x.name, asset(x.name)]));
}

/** The names of the assets reachable without a session (the login page's stylesheet). */
export const PUBLIC_ASSETS = SOURCES.filter((x) => x.public).map((x) => x.name);

/** The served path of an asset by its plain name. */
export const assetPath = (name: string): string => asset(name).path;

/** The best encoding the client accepts of those we have (brotli, then gzip), or identity. */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)/.exec(p)?.[1]).find(Boolean);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (e: string) => (accepted.get(e) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}
