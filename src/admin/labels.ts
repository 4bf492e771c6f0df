/** Chinese labels and number formats shared by the admin chat commands, web pages and exports. */
import { articleLabel } from '../knowledge/article-reference.ts';
import { citationLabel } from '../knowledge/citation-label.ts';
import type { WeekStatus } from './stats.ts';

export const WEEK_STATUS_LABEL: Record<WeekStatus, string> = {
  not_started: '未开始',
  in_progress: '进行中',
  completed: '已完成（未通过）',
  passed: '已通过',
};

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
