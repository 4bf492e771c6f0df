/**
 * Training-record exports: per user per week, per department summaries and weak articles, as XLSX (one
 * sheet per view, Chinese headers, frozen header row), CSV (UTF-8 with BOM, so Excel reads Chinese) or
 * xAPI (the stored statements as a JSON array). One column definition per view feeds XLSX and CSV alike.
 */
import ExcelJS from 'exceljs';
import { PufaError } from '../errors.ts';
import { shiftWeek } from '../quiz/week.ts';
import { ACCOUNT_STATUS_LABEL, articleLabel, minutes, weekStatusLabel } from './labels.ts';
import type { AdminStats, GroupStats, PersonWeek, WeakArticle } from './stats.ts';

export const EXPORT_FORMATS = ['xlsx', 'csv', 'xapi'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const CSV_VIEWS = ['people', 'departments', 'ranks', 'weak'] as const;
export type CsvView = (typeof CSV_VIEWS)[number];

export interface DepartmentRow extends GroupStats {
  week: string;
  /** '（合计）' for the all-department row. */
  department: string;
}

export interface RankRow extends GroupStats {
  week: string;
  /** '（合计）' for the all-rank row. */
  rank: string;
}

export interface ExportData {
  fromWeek: string;
  toWeek: string;
  weeks: string[];
  /** Each person's row of each week; `closed` when the week has ended (an unfinished one then reads as missed). */
  people: (PersonWeek & { week: string; closed: boolean })[];
  departments: DepartmentRow[];
  ranks: RankRow[];
  weak: WeakArticle[];
}

export type Cell = string | number | null;
export interface Column<T> {
  header: string;
  value: (row: T, index: number) => Cell;
  /** Excel number format; rates are fractions shown as percentages. */
  numFmt?: string;
}

export const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
export const TOTAL_LABEL = '（合计）';

const PEOPLE_COLUMNS: Column<ExportData['people'][number]>[] = [
  { header: '周次', value: (r) => r.week },
  { header: '姓名', value: (r) => r.name },
  { header: '学员编号', value: (r) => r.staffId },
  { header: '科室', value: (r) => r.department },
  { header: '职级', value: (r) => r.rank },
  { header: '岗位角色', value: (r) => r.roles.join('、') },
  { header: '账号状态', value: (r) => ACCOUNT_STATUS_LABEL[r.accountStatus] ?? r.accountStatus },
  { header: '本周状态', value: (r) => weekStatusLabel(r.status, r.closed) },
  { header: '成绩', value: (r) => r.score },
  { header: '及格线', value: (r) => r.passMark },
  { header: '作答次数', value: (r) => r.attempts },
  { header: '用时（分钟）', value: (r) => minutes(r.durationMs) },
  { header: '学时', value: (r) => r.hours },
];

const DEPARTMENT_COLUMNS: Column<DepartmentRow>[] = [
  { header: '周次', value: (r) => r.week },
  { header: '科室', value: (r) => r.department },
  { header: '应参加人数', value: (r) => r.eligible },
  { header: '完成人数', value: (r) => r.finished },
  { header: '完成率', value: (r) => r.completionRate, numFmt: '0.0%' },
  { header: '通过人数', value: (r) => r.passed },
  { header: '通过率', value: (r) => r.passRate, numFmt: '0.0%' },
  { header: '平均分', value: (r) => round1(r.avgScore) },
  { header: '学时合计', value: (r) => r.hours },
];

const RANK_COLUMNS: Column<RankRow>[] = [
  { header: '周次', value: (r) => r.week },
  { header: '职级', value: (r) => r.rank },
  ...DEPARTMENT_COLUMNS.slice(2).map((c) => c as unknown as Column<RankRow>),
];

const WEAK_COLUMNS: Column<WeakArticle>[] = [
  { header: '排名', value: (_r, i) => i + 1 },
  { header: '法规', value: (r) => r.law },
  { header: '条文', value: (r) => articleLabel(r.article, r.articleSuffix) },
  { header: '条号', value: (r) => r.article },
  { header: '版本', value: (r) => r.version },
  { header: '作答次数', value: (r) => r.answers },
  { header: '答错次数', value: (r) => r.wrong },
  { header: '错误率', value: (r) => r.wrongRate, numFmt: '0.0%' },
  { header: '答错人数', value: (r) => r.people },
];

const NOTES = [
  ['项目', '说明'],
  ['应参加人数', '本周结束前已注册、账号已开通，并已绑定聊天账号（Telegram、企业微信等）的人员（本机终端账户不计入）'],
  ['完成', '本周测验已交卷（已完成或已通过）'],
  ['完成率', '完成人数 ÷ 应参加人数'],
  ['通过率', '通过人数 ÷ 完成人数'],
  ['平均分', '完成者本周成绩（按计分规则取最高或最后一次）的平均值'],
  ['学时', '每通过一周测验计入的学时；未通过不计学时'],
  ['易错条文', '导出周次内各条文的答错次数排名'],
];

/** Gather every view of the export for a week range. */
export async function collectExport(stats: AdminStats, fromWeek: string, toWeek: string, weakLimit = 50): Promise<ExportData> {
  const weeks = stats.weekKeys(fromWeek, toWeek);
  const people: ExportData['people'] = [];
  const departments: DepartmentRow[] = [];
  const ranks: RankRow[] = [];
  for (const week of weeks) {
    const closed = stats.closed(stats.week(week));
    for (const p of await stats.weekRows(week)) people.push({ ...p, week, closed });
    const s = await stats.weekStats(week);
    for (const d of s.departments) departments.push({ ...d, week, department: d.key });
    departments.push({ ...s.overall, week, department: TOTAL_LABEL });
    for (const r of s.ranks) ranks.push({ ...r, week, rank: r.key });
    ranks.push({ ...s.overall, week, rank: TOTAL_LABEL });
  }
  return {
    fromWeek: weeks[0]!,
    toWeek: weeks[weeks.length - 1]!,
    weeks,
    people,
    departments,
    ranks,
    weak: await stats.weakArticles({ fromWeek: weeks[0]!, toWeek: weeks[weeks.length - 1]! }, weakLimit),
  };
}

/** Display width of a cell: CJK characters count double. */
function displayWidth(v: Cell): number {
  const s = v === null ? '' : String(v);
  let n = 0;
  for (const ch of s) n += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return n;
}

export function addSheet<T>(wb: ExcelJS.Workbook, name: string, columns: Column<T>[], rows: T[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => {
    const widest = Math.max(displayWidth(c.header), ...rows.slice(0, 2000).map((r, i) => displayWidth(c.value(r, i))));
    return { header: c.header, width: Math.min(60, Math.max(8, widest + 2)), style: c.numFmt ? { numFmt: c.numFmt } : {} };
  });
  rows.forEach((r, i) => ws.addRow(columns.map((c) => c.value(r, i))));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

export const SHEET_NAMES = { people: '人员成绩', departments: '科室汇总', ranks: '职级汇总', weak: '易错条文', notes: '说明' } as const;

export async function toXlsx(data: ExportData, now: Date = new Date()): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'pufa 普法助手';
  wb.created = now;
  addSheet(wb, SHEET_NAMES.people, PEOPLE_COLUMNS, data.people);
  addSheet(wb, SHEET_NAMES.departments, DEPARTMENT_COLUMNS, data.departments);
  addSheet(wb, SHEET_NAMES.ranks, RANK_COLUMNS, data.ranks);
  addSheet(wb, SHEET_NAMES.weak, WEAK_COLUMNS, data.weak);
  const notes: Column<string[]>[] = [
    { header: NOTES[0]![0]!, value: (r) => r[0]! },
    { header: NOTES[0]![1]!, value: (r) => r[1]! },
  ];
  addSheet(wb, SHEET_NAMES.notes, notes, [...NOTES.slice(1), ['导出范围', `${data.fromWeek} 至 ${data.toWeek}`]]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A field in double quotes, its own double quotes doubled (RFC 4180). */
const quoted = (s: string) => '"' + s.replace(/"/g, '""') + '"';

/** What a spreadsheet program may take as the start of a formula (OWASP CSV injection), half- and full-width. */
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

/**
 * One CSV field. A text that a spreadsheet could run as a formula (=HYPERLINK(…), +1, -2, @SUM, a leading tab
 * or CR) is neutralised as OWASP describes: prefixed with a single quote and quoted, so Excel and LibreOffice
 * show it as text. Numbers are written as numbers.
 */
export function csvField(v: Cell, numFmt?: string): string {
  if (v === null) return '';
  if (typeof v === 'number') return numFmt === '0.0%' ? `${(v * 100).toFixed(1)}%` : String(v);
  if (FORMULA_START.test(v)) return quoted("'" + v);
  return /[",\r\n]/.test(v) ? quoted(v) : v;
}

function csvOf<T>(columns: Column<T>[], rows: T[]): string {
  const lines = [columns.map((c) => csvField(c.header)).join(',')];
  rows.forEach((r, i) => lines.push(columns.map((c) => csvField(c.value(r, i), c.numFmt)).join(',')));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** One view as CSV: UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting; rates as '85.2%'. */
export function toCsv(data: ExportData, view: CsvView = 'people'): string {
  if (view === 'people') return csvOf(PEOPLE_COLUMNS, data.people);
  if (view === 'departments') return csvOf(DEPARTMENT_COLUMNS, data.departments);
  if (view === 'ranks') return csvOf(RANK_COLUMNS, data.ranks);
  return csvOf(WEAK_COLUMNS, data.weak);
}

/** Weeks exported when no start week is given. */
export const DEFAULT_WEEKS = 12;

export interface ExportFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/**
 * Build an export file.
 * @example await buildExportFile({ stats }, { format: 'xlsx', fromWeek: '2026-W37', toWeek: '2026-W48' })
 */
export async function buildExportFile(
  deps: { stats: AdminStats },
  req: { format: ExportFormat; fromWeek?: string; toWeek?: string; view?: CsvView },
): Promise<ExportFile> {
  if (!EXPORT_FORMATS.includes(req.format)) throw new PufaError(`不支持的导出格式：${req.format}（可选 xlsx、csv、xapi）`);
  // Default range: the 12 weeks ending with this week (or with --to).
  const to = deps.stats.week(req.toWeek);
  const fromWeek = req.fromWeek ? deps.stats.week(req.fromWeek).key : shiftWeek(to, -(DEFAULT_WEEKS - 1), deps.stats.timezone).key;
  const toWeek = to.key;
  const weeks = deps.stats.weekKeys(fromWeek, toWeek);
  const stem = `pufa-学法考试-${weeks[0]}至${weeks[weeks.length - 1]}`;
  if (req.format === 'xapi') {
    const statements = await deps.stats.xapiStatements(weeks[0]!, weeks[weeks.length - 1]!);
    return { filename: `${stem}-xapi.json`, contentType: 'application/json; charset=utf-8', data: Buffer.from(JSON.stringify(statements, null, 2)) };
  }
  const data = await collectExport(deps.stats, fromWeek, toWeek);
  if (req.format === 'csv') {
    const view = req.view ?? 'people';
    if (!CSV_VIEWS.includes(view)) throw new PufaError(`不支持的视图：${view}（可选 people、departments、ranks、weak）`);
    const name = { people: SHEET_NAMES.people, departments: SHEET_NAMES.departments, ranks: SHEET_NAMES.ranks, weak: SHEET_NAMES.weak }[view];
    return { filename: `${stem}-${name}.csv`, contentType: 'text/csv; charset=utf-8', data: Buffer.from(toCsv(data, view), 'utf8') };
  }
  return {
    filename: `${stem}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    data: await toXlsx(data, deps.stats.now()),
  };
}
