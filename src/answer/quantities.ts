/**
 * Numbers, amounts and time limits in Chinese legal text (二十日, 三个月, 5%, 10万元, 百分之五), normalised so
 * that a model's reply can be checked against its sources whichever numerals either side wrote.
 */
import { parseChineseNumber } from '../knowledge/chinese-numerals.ts';

export interface Quantity {
  /** Numeric value after multipliers: 10万元 → 100000, 百分之五 → 5. */
  value: number;
  /** Canonical unit ('' when none): 日, 工作日, 月, 年, 周, 小时, 分钟, 元, %, ‰, 倍, 家, 人, 次, 岁. */
  unit: string;
  /** The text as written. */
  raw: string;
}

const CN = '零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟';
// Units that make a Chinese numeral a quantity; without one, 一般/统一/之一 would read as numbers.
const UNIT = '(?:个)?(?:工作日|日|天|周|星期|个月|月|年度|年|小时|时|分钟|元|倍|家|人|名|次|岁|%|％)';
const UNIT_CANON: Record<string, string> = {
  天: '日', 工作日: '工作日', 日: '日', 星期: '周', 周: '周', 个月: '月', 月: '月', 年度: '年', 年: '年',
  小时: '小时', 时: '小时', 分钟: '分钟', 元: '元', 倍: '倍', 家: '家', 人: '人', 名: '人', 次: '次', 岁: '岁',
  '%': '%', '％': '%',
};

const PATTERN = new RegExp(
  [
    // 百分之五 / 千分之三
    `(?<frac>百|千)分之(?<fracNum>[${CN}\\d.]+)`,
    // 10万元 / 2.5亿元 / 5% / 20日 / 2023年 (Arabic numerals, with or without a unit)
    `(?<arab>\\d+(?:\\.\\d+)?)\\s*(?<arabBig>万|亿)?\\s*(?<arabUnit>${UNIT})?`,
    // 二十日 / 三个月 / 十万元 (Chinese numerals only count with a unit)
    `(?<cn>[${CN}]+)(?<cnUnit>${UNIT})`,
  ].join('|'),
  'g',
);

function canonUnit(u: string | undefined): string {
  if (!u) return '';
  return UNIT_CANON[u.replace(/^个(?=工作日|日|天|周|星期|小时|月)/, '')] ?? UNIT_CANON[u] ?? u;
}

/** Parse Chinese numerals with a trailing 万/亿 (十万 → 100000); undefined when not a number. */
function parseCn(s: string): number | undefined {
  return parseChineseNumber(s);
}

/**
 * Every quantity in a text, in order.
 * @example extractQuantities('二十日内作出决定，罚款10万元') // [{value:20,unit:'日'}, {value:100000,unit:'元'}]
 */
export function extractQuantities(text: string): Quantity[] {
  const s = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/(?<=\d),(?=\d{3})/g, '');
  const out: Quantity[] = [];
  for (const m of s.matchAll(PATTERN)) {
    const g = m.groups!;
    if (g.frac) {
      const v = parseCn(g.fracNum!);
      if (v !== undefined) out.push({ value: g.frac === '百' ? v : v / 10, unit: g.frac === '百' ? '%' : '%', raw: m[0] });
      continue;
    }
    if (g.arab) {
      let v = Number(g.arab);
      if (g.arabBig) v *= g.arabBig === '万' ? 10_000 : 100_000_000;
      out.push({ value: v, unit: canonUnit(g.arabUnit), raw: m[0] });
      continue;
    }
    if (g.cn) {
      // 第十八条 / 第三款 are labels, not quantities; the caller checks article labels separately.
      const before = s.slice(Math.max(0, m.index! - 1), m.index!);
      if (before === '第') continue;
      const v = parseCn(g.cn);
      if (v !== undefined) out.push({ value: v, unit: canonUnit(g.cnUnit), raw: m[0] });
    }
  }
  return out;
}

/** A quantity is supported when a source states the same value in the same unit (or without a unit). */
export function isSupported(q: Quantity, sourceQuantities: Quantity[]): boolean {
  return sourceQuantities.some((s) => Math.abs(s.value - q.value) < 1e-9 && (s.unit === q.unit || s.unit === '' || q.unit === ''));
}
