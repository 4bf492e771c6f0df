/** `pufa export`: training records as XLSX (one sheet per view), CSV (UTF-8 with BOM) or xAPI JSON. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildExportFile, CSV_VIEWS, EXPORT_FORMATS, type CsvView, type ExportFormat } from '../../admin/export.ts';
import { createAdminStats } from '../../admin/stats.ts';
import { organizationSource } from '../../knowledge/organization.ts';
import type { Command } from '../context.ts';

export const command: Command = {
  name: 'export',
  summary: '导出学法考试记录：每人每周成绩、科室汇总、易错条文（xlsx / csv），或 xAPI 学习记录（json）。',
  usage:
    'pufa export [--from 2026-W37] [--to 2026-W48] [--format xlsx|csv|xapi] [--view people|departments|ranks|weak] [--out 文件|-]（默认近 12 周、xlsx，文件写到当前目录）',
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string', default: 'xlsx' },
    view: { type: 'string', default: 'people' },
    out: { type: 'string', short: 'o' },
  },
  async run(ctx) {
    const format = String(ctx.values.format);
    const view = String(ctx.values.view);
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
      ctx.io.stderr.write(`不支持的格式：${format}（可选 ${EXPORT_FORMATS.join('、')}）\n`);
      return 2;
    }
    if (!(CSV_VIEWS as readonly string[]).includes(view)) {
      ctx.io.stderr.write(`不支持的视图：${view}（可选 ${CSV_VIEWS.join('、')}）\n`);
      return 2;
    }
    const records = ctx.app.records();
    const stats = createAdminStats(records, { timezone: ctx.config.quiz.timezone, organization: organizationSource(ctx.config.knowledgeDir) });
    const file = await buildExportFile(
      { stats },
      {
        format: format as ExportFormat,
        view: view as CsvView,
        fromWeek: ctx.values.from as string | undefined,
        toWeek: ctx.values.to as string | undefined,
      },
    );
    const out = ctx.values.out as string | undefined;
    if (out === '-') {
      ctx.io.stdout.write(file.data);
      return 0;
    }
    const path = resolve(ctx.io.cwd, out ?? file.filename);
    await writeFile(path, file.data);
    await records.audit.add({ actorUserId: null, action: 'admin.export', targetUserId: null, detail: { via: 'cli', format, file: path } });
    ctx.io.stderr.write(`已导出：${path}（${(file.data.length / 1024).toFixed(1)} KB）\n`);
    return 0;
  },
};
