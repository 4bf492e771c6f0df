/**
 * The annual (or any period's) summary as a 法治政府建设 report cites it: the headline figures, one sentence
 * to quote, and the workbook with every table. The page, the printed page and the XLSX all read the figures
 * from `summaryFacts`, so the three always say the same.
 */
import ExcelJS from 'exceljs';
import { addSheet, round1, type Column } from './export.ts';
import { articleCitation, articleLabel, pct, score } from './labels.ts';
import type { AnnualSummary, PeriodGroup, PersonPeriod, WeakArticle } from './stats.ts';
import type { LawStudied } from '../records/read-model.ts';

/** 学时 with up to two decimals: 812.5, 20.31. */
export const hoursText = (v: number | null) => (v === null ? '—' : String(Math.round(v * 100) / 100));

export interface SummaryFact {
  /** Stable key (data-fact on the page, first column of the XLSX 总体 sheet). */
  key: string;
  label: string;
  /** As shown. */
  text: string;
  /** As written to the XLSX (a number where it is one). */
  value: string | number | null;
  numFmt?: string;
}

export function summaryFacts(s: AnnualSummary): SummaryFact[] {
  const o = s.overall;
  const fact = (key: string, label: string, text: string, value: string | number | null, numFmt?: string): SummaryFact => ({ key, label, text, value, numFmt });
  const participation = o.people ? o.participants / o.people : null;
  return [
    fact('period', '统计范围', `${s.period.label}（${s.period.from} 至 ${s.period.to}，计 ${s.weeks.length} 周${s.partial ? '，尚未结束' : ''}）`, s.period.label),
    fact('people', '应参学人数', `${o.people} 人`, o.people),
    fact('participants', '参学人数', `${o.participants} 人`, o.participants),
    fact('participation', '参学率', pct(participation), participation, '0.0%'),
    fact('fully', '每周都完成的人数', `${o.fullyCompleted} 人`, o.fullyCompleted),
    fact('eligibleWeeks', '应考人次', `${o.eligibleWeeks} 人次`, o.eligibleWeeks),
    fact('finishedWeeks', '完成人次', `${o.finishedWeeks} 人次`, o.finishedWeeks),
    fact('completion', '完成率', pct(o.completionRate), o.completionRate, '0.0%'),
    fact('passedWeeks', '通过人次', `${o.passedWeeks} 人次`, o.passedWeeks),
    fact('pass', '通过率', pct(o.passRate), o.passRate, '0.0%'),
    fact('avg', '平均分', score(o.avgScore), round1(o.avgScore)),
    fact('hours', '学时合计', `${hoursText(o.hours)} 学时`, Math.round(o.hours * 100) / 100),
    fact('hoursPerPerson', '人均学时', `${hoursText(o.hoursPerPerson)} 学时`, o.hoursPerPerson === null ? null : Math.round(o.hoursPerPerson * 100) / 100),
    fact('laws', '学习的法律法规', `${s.lawsStudied.length} 部`, s.lawsStudied.length),
    fact('answers', '作答题目', `${s.answers} 道次`, s.answers),
  ];
}

/** One paragraph to quote in the report. */
export function summarySentence(s: AnnualSummary): string {
  const f = Object.fromEntries(summaryFacts(s).map((x) => [x.key, x.text]));
  const o = s.overall;
  const weak = s.weakArticles.slice(0, 3).map((a) => articleCitation(a.law, a.article, a.articleSuffix));
  return (
    `${s.period.label}，全局应参学干部 ${o.people} 人，参学 ${o.participants} 人（参学率 ${f.participation}），` +
    `共完成每周学法考试 ${o.finishedWeeks} 人次（完成率 ${f.completion}），通过率 ${f.pass}，平均分 ${f.avg}；` +
    `累计学时 ${hoursText(o.hours)} 学时，人均 ${hoursText(o.hoursPerPerson)} 学时；学习法律法规 ${s.lawsStudied.length} 部` +
    (weak.length ? `，答错较多的条文有${weak.join('、')}。` : '。')
  );
}

const GROUP_COLUMNS = (keyHeader: string): Column<PeriodGroup>[] => [
  { header: keyHeader, value: (g) => g.key || '（未填写）' },
  { header: '应参学人数', value: (g) => g.people },
  { header: '参学人数', value: (g) => g.participants },
  { header: '应考人次', value: (g) => g.eligibleWeeks },
  { header: '完成人次', value: (g) => g.finishedWeeks },
  { header: '完成率', value: (g) => g.completionRate, numFmt: '0.0%' },
  { header: '通过人次', value: (g) => g.passedWeeks },
  { header: '通过率', value: (g) => g.passRate, numFmt: '0.0%' },
  { header: '未完成人次', value: (g) => g.missedWeeks },
  { header: '平均分', value: (g) => round1(g.avgScore) },
  { header: '学时合计', value: (g) => Math.round(g.hours * 100) / 100 },
  { header: '人均学时', value: (g) => (g.hoursPerPerson === null ? null : Math.round(g.hoursPerPerson * 100) / 100) },
];

const PERSON_COLUMNS: Column<PersonPeriod>[] = [
  { header: '姓名', value: (p) => p.name },
  { header: '学员编号', value: (p) => p.staffId },
  { header: '科室', value: (p) => p.department },
  { header: '职级', value: (p) => p.rank },
  { header: '应考周数', value: (p) => p.eligibleWeeks },
  { header: '完成周数', value: (p) => p.finishedWeeks },
  { header: '通过周数', value: (p) => p.passedWeeks },
  { header: '未完成周数', value: (p) => p.missedWeeks },
  { header: '完成率', value: (p) => p.completionRate, numFmt: '0.0%' },
  { header: '平均分', value: (p) => round1(p.avgScore) },
  { header: '学时', value: (p) => Math.round(p.hours * 100) / 100 },
];

const LAW_COLUMNS: Column<LawStudied>[] = [
  { header: '法律法规', value: (l) => l.law },
  { header: '作答次数', value: (l) => l.answers },
  { header: '答错次数', value: (l) => l.wrong },
  { header: '错误率', value: (l) => (l.answers ? l.wrong / l.answers : null), numFmt: '0.0%' },
  { header: '涉及条文', value: (l) => l.articles },
  { header: '作答人数', value: (l) => l.people },
];

const WEAK_COLUMNS: Column<WeakArticle>[] = [
  { header: '排名', value: (_a, i) => i + 1 },
  { header: '法规', value: (a) => a.law },
  { header: '条文', value: (a) => articleLabel(a.article, a.articleSuffix) },
  { header: '答错次数', value: (a) => a.wrong },
  { header: '作答次数', value: (a) => a.answers },
  { header: '错误率', value: (a) => a.wrongRate, numFmt: '0.0%' },
  { header: '答错人数', value: (a) => a.people },
];

export const SUMMARY_SHEETS = { facts: '总体', people: '人员学时', departments: '科室', ranks: '职级', laws: '学习的法规', weak: '易错条文', scores: '成绩分布' } as const;

/** Score bins as labels: '0–9', …, '90–100'. */
export const binLabels = (n: number) => Array.from({ length: n }, (_, i) => `${(i * 100) / n}–${i === n - 1 ? 100 : ((i + 1) * 100) / n - 1}`);

/** The summary as a workbook: the figures (总体), then per person, department, rank, laws, weak articles, scores. */
export async function toSummaryXlsx(s: AnnualSummary, now: Date = new Date()): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'pufa 普法助手';
  wb.created = now;
  const facts = summaryFacts(s);
  addSheet(wb, SUMMARY_SHEETS.facts, [
    { header: '项目', value: (f: SummaryFact) => f.label },
    { header: '数值', value: (f: SummaryFact) => f.value },
    { header: '说明', value: (f: SummaryFact) => f.text },
    { header: '代码', value: (f: SummaryFact) => f.key },
  ], facts);
  // Percentages as percentages: the number format of the value cell, row by row.
  const ws = wb.getWorksheet(SUMMARY_SHEETS.facts)!;
  facts.forEach((f, i) => {
    if (f.numFmt) ws.getCell(i + 2, 2).numFmt = f.numFmt;
  });
  ws.addRow([]);
  ws.addRow(['可引用的表述', summarySentence(s)]);
  addSheet(wb, SUMMARY_SHEETS.people, PERSON_COLUMNS, s.people);
  addSheet(wb, SUMMARY_SHEETS.departments, GROUP_COLUMNS('科室'), [...s.departments, { ...s.overall, key: '（合计）' }]);
  addSheet(wb, SUMMARY_SHEETS.ranks, GROUP_COLUMNS('职级'), [...s.ranks, { ...s.overall, key: '（合计）' }]);
  addSheet(wb, SUMMARY_SHEETS.laws, LAW_COLUMNS, s.lawsStudied);
  addSheet(wb, SUMMARY_SHEETS.weak, WEAK_COLUMNS, s.weakArticles);
  const labels = binLabels(s.histogram.length);
  addSheet(wb, SUMMARY_SHEETS.scores, [
    { header: '分数段', value: (r: [string, number]) => r[0] },
    { header: '人次', value: (r: [string, number]) => r[1] },
  ], s.histogram.map((n, i) => [labels[i]!, n] as [string, number]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
