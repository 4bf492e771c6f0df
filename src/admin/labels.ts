/** Chinese labels and number formats shared by the admin chat commands, web pages and exports. */
import { articleLabel } from '../knowledge/article-reference.ts';
import { citationLabel } from '../knowledge/citation-label.ts';
import { zonedParts } from '../quiz/week.ts';
import type { WeekStatus } from './stats.ts';

export const WEEK_STATUS_LABEL: Record<WeekStatus, string> = {
  not_started: '未开始',
  in_progress: '进行中',
  completed: '已完成（未通过）',
  passed: '已通过',
};

/** How a week's status reads once the week has ended: an unfinished week is missed, never 进行中. */
export const CLOSED_WEEK_STATUS_LABEL: Record<WeekStatus, string> = {
  not_started: '未参加（已截止）',
  in_progress: '未完成（已截止）',
  completed: '已完成（未通过）',
  passed: '已通过',
};

/** The label of a week's status, as of whether the week has ended. */
export const weekStatusLabel = (status: WeekStatus, closed: boolean) => (closed ? CLOSED_WEEK_STATUS_LABEL : WEEK_STATUS_LABEL)[status];

/** The zone's name as shown next to times: 北京时间 for China's zones, else the IANA name. */
export function zoneLabel(timeZone: string): string {
  return ['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Harbin', 'PRC'].includes(timeZone) ? '北京时间' : timeZone;
}

/** An instant (Date or ISO string) as local wall-clock time: '2026-11-09 04:08' (seconds with `seconds`). */
export function localTime(at: Date | string, timeZone: string, opts: { seconds?: boolean } = {}): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return String(at);
  const p = zonedParts(d, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}${opts.seconds ? `:${two(p.second)}` : ''}`;
}

export const ACCOUNT_STATUS_LABEL: Record<string, string> = { pending: '待审核', active: '已开通', disabled: '已停用' };

/** 0.8523 → '85.2%'; null → '—'. */
export function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}

/** 83.25 → '83.3'; null → '—'. */
export function score(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toFixed(1);
}

/** A change in percentage points (rates) or points (scores): '↑2.5', '↓1.0', '持平', '—'. */
export function change(v: number | null | undefined, kind: 'rate' | 'score'): string {
  if (v === null || v === undefined) return '—';
  const x = kind === 'rate' ? v * 100 : v;
  if (Math.abs(x) < 0.05) return '持平';
  return `${x > 0 ? '↑' : '↓'}${Math.abs(x).toFixed(1)}${kind === 'rate' ? ' 个百分点' : ' 分'}`;
}

/** Milliseconds as minutes with one decimal. */
export const minutes = (ms: number) => Math.round(ms / 6000) / 10;

/** 《中华人民共和国预算法》第十八条 */
export function articleCitation(law: string, article: number, suffix = 0): string {
  return citationLabel({ law, article, articleSuffix: suffix });
}

export { articleLabel };
