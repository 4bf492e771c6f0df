import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanText } from '../../src/knowledge/cleaners.ts';
import { loadKnowledge } from '../../src/knowledge/load.ts';
import { parseReportText } from '../../src/knowledge/parse-report.ts';
import type { KnowledgeDocument } from '../../src/knowledge/types.ts';

const KNOWLEDGE = join(import.meta.dirname, '../../knowledge');
const REPORT = join(KNOWLEDGE, 'reports/区财政局2023年度法治政府建设情况报告.txt');
const EVAL_B = join(import.meta.dirname, '../../../shared/eval/dev-b.jsonl');

let report: KnowledgeDocument;
let raw: string;

beforeAll(async () => {
  raw = await readFile(REPORT, 'utf8');
  // Only the reports folder: an empty laws folder keeps this fast.
  const { documents, skipped } = await loadKnowledge({ lawsDir: join(KNOWLEDGE, 'no-laws-here'), knowledgeDir: KNOWLEDGE });
  expect(skipped).toEqual([]);
  report = documents.find((d) => d.kind === 'report')!;
});

describe('the bureau report', () => {
  it('is a report titled by its first line, with no paid markers left', () => {
    expect(report.title).toBe('XX区财政局关于2023年度法治政府建设情况的报告');
    expect(report.id).toBe('reports/区财政局2023年度法治政府建设情况报告.txt');
    for (const s of report.sections) expect(s.text).not.toMatch(/paid(begin|end)|##/);
  });

  it('splits along 一、/（一）/一是 with heading paths and labels to cite', () => {
    const s = report.sections.find((x) => x.label.startsWith('一、（五）三是'))!;
    expect(s.label).toBe('一、（五）三是 严控新增挂账规模');
    expect(s.path).toEqual(['一、2023年度法治政府建设情况', '（五）进一步规范财政管理行为', expect.stringMatching(/^三是严控新增挂账规模/)]);
    expect(s.text.startsWith('三是严控新增挂账规模')).toBe(true);
    const intro = report.sections.find((x) => x.label === '一、（五） 进一步规范财政管理行为')!;
    // The marker sat mid-sentence here: the sentence reads whole again.
    expect(intro.text).toContain('规范财政挂账管理的总体思路，切实加强财政挂账管理。');
    expect(report.sections.filter((x) => x.label.startsWith('四、')).map((x) => x.label.split(' ')[0])).toEqual([
      '四、2024年推进法治政府建设的主要安排',
      '四、一是',
      '四、二是',
      '四、三是',
      '四、四是',
      '四、五是',
      '四、六是',
      '四、七是',
    ]);
  });

  it('keeps heading paths short enough to show: an item is named by its opening words, not its whole sentence', () => {
    const item = report.sections.find((x) => x.label.startsWith('一、（五）四是'))!;
    expect(item.path.at(-1)).toBe('四是强化财政挂账管理机制');
    for (const sec of report.sections) for (const h of sec.path) expect(h.length).toBeLessThanOrEqual(40);
  });

  it('keeps （1）（2） items inside their parent item', () => {
    const s = report.sections.find((x) => x.label.startsWith('一、（五）四是'))!;
    expect(s.text).toContain('（1）存量挂账是否按三年计划按时消化；（2）新增财政暂付款挂账规模是否控制在两本预算5％以内。');
  });

  it('keeps the sentence about the part-time legal staff intact in one section', () => {
    const quote = '综合管理处负责法治工作的有1人（非全职负责法治工作）';
    const holding = report.sections.filter((s) => s.text.includes(quote));
    expect(holding).toHaveLength(1);
    expect(holding[0]!.label.startsWith('三、一是')).toBe(true);
  });

  it('loses no sentence: every sentence of the cleaned report is in a section, in order', () => {
    const body = cleanText(raw, 'text').split('\n').slice(1).join('');
    expect(report.sections.map((s) => s.text.replace(/\n/g, '')).join('')).toBe(body);
  });

  it('holds every report quote of the dev questions inside one section', async () => {
    const quotes = (await readFile(EVAL_B, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .flatMap((l) => (JSON.parse(l) as { gold: { doc?: string; quote?: string }[] }).gold)
      .filter((g) => g.doc === 'report')
      .map((g) => g.quote!);
    expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes) expect(report.sections.some((s) => s.text.includes(q)), q).toBe(true);
  });
});

describe('other report layouts', () => {
  it('handles headings on their own lines and follow-up paragraphs', () => {
    const doc = parseReportText(
      ['某局2024年工作报告', '一、主要工作', '（一）加强学习', '一是学法。二是用法。', '另起一段的说明。', '（二）其他工作', '全年完成任务。', '二、下一步打算', '继续努力。'].join('\n'),
      { sourcePath: 'reports/a.txt', fileStem: 'a' },
    );
    expect(doc.sections.map((s) => [s.label, s.text])).toEqual([
      ['一、（一）一是 学法', '一、主要工作\n（一）加强学习\n一是学法。'],
      ['一、（一）二是 用法', '二是用法。\n另起一段的说明。'],
      ['一、（二） 其他工作', '（二）其他工作\n全年完成任务。'],
      ['二、下一步打算', '二、下一步打算\n继续努力。'],
    ]);
  });
});
