/**
 * Exports are safe to open: a registrant's name such as =HYPERLINK("http://x.example","点我") is shown as text by
 * a real spreadsheet program (LibreOffice Calc from Debian, converting the CSV headless), while the same
 * line written raw becomes a live formula there — so the program does evaluate formulas, and the export
 * neutralises them (OWASP: a leading quote, the field quoted). The XLSX writes such names as plain strings.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExportFile, csvField } from '../../src/admin/export.ts';
import { termFixture, type Fixture } from './fixture.ts';

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
const EVIL = {
  name: '=HYPERLINK("http://x.example","点我")',
  department: '+SUM(1,2)',
  rank: '@SUM(3,4)',
};

let f: Fixture;
let dir: string;

/** Convert a CSV to XLSX with LibreOffice (UTF-8, comma, double quotes) and read its first sheet's cells. */
async function throughCalc(name: string, csv: string): Promise<ExcelJS.Worksheet> {
  const file = join(dir, `${name}.csv`);
  await writeFile(file, csv);
  // A profile of its own, so a LibreOffice the machine runs elsewhere is never disturbed.
  execFileSync(SOFFICE!, [`-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--headless', '--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx', '--outdir', dir, file], { stdio: 'ignore', timeout: 120_000 });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(dir, `${name}.xlsx`));
  return wb.worksheets[0]!;
}

/** What a cell shows as text: a formula as '=…', rich text (Calc mixes fonts for CJK) joined. */
function textOf(c: ExcelJS.Cell): string {
  const v = c.value as unknown;
  if (v && typeof v === 'object' && 'formula' in v) return `=${(v as { formula: string }).formula}`;
  if (v && typeof v === 'object' && 'richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join('');
  return String(v);
}

function cellsOf(ws: ExcelJS.Worksheet, text: string): ExcelJS.Cell[] {
  const out: ExcelJS.Cell[] = [];
  ws.eachRow((row) => row.eachCell((c) => void (textOf(c).includes(text) && out.push(c))));
  return out;
}

const TEXT = [ExcelJS.ValueType.String, ExcelJS.ValueType.RichText];

beforeAll(async () => {
  if (!SOFFICE) throw new Error('This test opens the CSV in LibreOffice Calc: apt-get install -y libreoffice-calc-nogui (.ci/run installs it).');
  f = await termFixture();
  dir = join(f.dir, 'calc');
  await mkdir(dir);
  const u = f.term.users[3]!;
  await f.records.users.update(u.id, EVIL);
}, 60_000);
afterAll(() => f?.close());

describe('exports safe to open', () => {
  it('the OWASP rule: cells starting with = + - @ tab or CR get a leading quote and are quoted; numbers stay numbers', () => {
    expect(csvField('=1+1')).toBe(`"'=1+1"`);
    expect(csvField('+1')).toBe(`"'+1"`);
    expect(csvField('-1')).toBe(`"'-1"`);
    expect(csvField('@SUM(1)')).toBe(`"'@SUM(1)"`);
    expect(csvField('\tx')).toBe(`"'\tx"`);
    expect(csvField('\rx')).toBe(`"'\rx"`);
    expect(csvField('＝1')).toBe(`"'＝1"`);
    expect(csvField(EVIL.name)).toBe(`"'=HYPERLINK(""http://x.example"",""点我"")"`);
    expect(csvField(-3)).toBe('-3');
    expect(csvField('王芳')).toBe('王芳');
  });

  it('LibreOffice Calc evaluates a raw formula in a CSV (the control) but shows the exported name as text', async () => {
    const raw = await throughCalc('raw', `\uFEFF姓名,科室\r\n${EVIL.name},预算科\r\n`);
    expect(cellsOf(raw, 'HYPERLINK').some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(true);

    const file = await buildExportFile({ stats: f.stats }, { format: 'csv', view: 'people', fromWeek: '2026-W47', toWeek: '2026-W48' });
    const ws = await throughCalc('export', file.data.toString('utf8'));
    for (const text of ['HYPERLINK', 'SUM(1,2)', 'SUM(3,4)']) {
      const cells = cellsOf(ws, text);
      expect(cells.length, text).toBe(2); // one row per week
      for (const c of cells) {
        expect(TEXT, `${text} in ${c.address}`).toContain(c.type);
        expect(textOf(c)).toContain(text);
      }
    }
    expect(textOf(cellsOf(ws, 'HYPERLINK')[0]!)).toBe(`'${EVIL.name}`);
  }, 180_000);

  it('the XLSX export writes such names as plain strings, never formulas', async () => {
    const file = await buildExportFile({ stats: f.stats }, { format: 'xlsx', fromWeek: '2026-W47', toWeek: '2026-W48' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.data as unknown as ArrayBuffer);
    const cells = cellsOf(wb.getWorksheet('人员成绩')!, 'HYPERLINK');
    expect(cells).toHaveLength(2);
    for (const c of cells) expect([c.type, c.value]).toEqual([ExcelJS.ValueType.String, EVIL.name]);
  });
});
