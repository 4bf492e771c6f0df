/** The export page and the download (XLSX, CSV per view, xAPI JSON). */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { shiftWeek } from '../../../quiz/week.ts';
import { buildExportFile, CSV_VIEWS, EXPORT_FORMATS, type CsvView, type ExportFormat } from '../../export.ts';
import type { AdminEnv, PageDeps } from '../types.ts';

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function registerExportPages(app: Hono<AdminEnv>, deps: PageDeps) {
  const { stats } = deps;

  app.get('/export', (c) => {
    const to = stats.week();
    const from = shiftWeek(to, -11, stats.timezone);
    const year = stats.period(undefined, 'year');
    const body = html`<h2>每周成绩</h2>
      <form class="filters" method="get" action="/export/download" data-testid="export-form">
        <label>起始周<input name="from" value="${from.key}" size="9" /></label>
        <label>结束周<input name="to" value="${to.key}" size="9" /></label>
        <label>格式<select name="format">
          <option value="xlsx">Excel（xlsx，多个工作表）</option>
          <option value="csv">CSV（UTF-8）</option>
          <option value="xapi">xAPI 学习记录（JSON）</option></select></label>
        <label>CSV 内容<select name="view">
          <option value="people">人员成绩</option><option value="departments">科室汇总</option><option value="ranks">职级汇总</option><option value="weak">易错条文</option></select></label>
        <button type="submit">下载</button>
      </form>
      <p class="muted">Excel 文件包含「人员成绩」「科室汇总」「职级汇总」「易错条文」「说明」五个工作表；CSV 每次导出一个视图，带 BOM，可直接用 Excel 打开。以 = + - @ 开头的文字前加单引号，打开时按文字显示、不会被当作公式。</p>
      <p><a href="/export/download?format=xlsx&from=${from.key}&to=${to.key}" data-testid="quick-xlsx">下载近 12 周 Excel</a></p>
      <h2>年度总结与时间段汇总</h2>
      <p><a href="/reports/annual?period=${year.key}">${year.label}学法考试总结</a>（可打印、可下载 Excel）· <a href="/reports">按周、月、季度或任意时间段汇总</a></p>`;
    return deps.render(c, '导出', '/export', body);
  });

  app.get('/export/download', async (c) => {
    const format = (EXPORT_FORMATS as readonly string[]).includes(c.req.query('format') ?? '') ? (c.req.query('format') as ExportFormat) : 'xlsx';
    const view = (CSV_VIEWS as readonly string[]).includes(c.req.query('view') ?? '') ? (c.req.query('view') as CsvView) : 'people';
    const file = await buildExportFile(
      { stats },
      { format, fromWeek: c.req.query('from') || undefined, toWeek: c.req.query('to') || undefined, view },
    );
    await deps.audit(c, 'admin.export', { format, view: format === 'csv' ? view : undefined, file: file.filename });
    c.header('Content-Type', file.contentType);
    c.header('Content-Disposition', attachment(file.filename));
    return c.body(new Uint8Array(file.data));
  });
}
