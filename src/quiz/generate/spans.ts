/**
 * Finds the spans of a law's text that staff must remember — time limits, amounts, ratios, dates and the
 * organs that decide or approve — with the value and unit that distractors must share.
 */
import { parseChineseNumber, toChineseNumber } from '../../knowledge/chinese-numerals.ts';
import type { SpanKind } from '../types.ts';

export interface Span {
  kind: SpanKind;
  /** Distractors must have the same unit key: 'time:日', 'amount:元', 'ratio:百分之', 'organ', 'date'… */
  unitKey: string;
  text: string;
  start: number;
  end: number;
  /** Numeric value(s) for ordering options and making neighbour values; [] for organs. */
  values: number[];
}

const NUMC = '[零〇一二三四五六七八九十百千万亿两0-9０-９]+';
const NUM_CHAR = /[零〇一二三四五六七八九十百千万亿两0-9０-９]/;

const TIME_UNITS = ['个工作日', '工作日', '个月', '小时', '周岁', '日', '天', '年'] as const;
/**
 * Legal effects an exam asks to tell apart: validity (无效 / 可撤销 / 效力待定) and liability (连带 / 按份 /
 * 补充 / 无限责任). Each group is the set of options for its own kind.
 */
export const EFFECTS: string[][] = [
  ['无效', '可撤销', '效力待定', '有效'],
  ['连带责任', '按份责任', '补充责任', '无限责任'],
];
const EFFECT_RE = new RegExp(`(?<![不])(?:${EFFECTS.flat().join('|')})(?=[。；，]|$)`, 'g');
/** Terms of office and members: 连续任职不得超过两届, 三名以上. */
const COUNT_RE = new RegExp(`(${NUMC})(届|名)`, 'g');
const TIME_RE = new RegExp(`(${NUMC})(个工作日|工作日|个月|小时|周岁|日|天|年)|(半年|半个月)`, 'g');
const DATE_RE = new RegExp(`(${NUMC})月(${NUMC})日`, 'g');
const MONEY = `${NUMC}元`;
const MONEY_RANGE_RE = new RegExp(`(${MONEY})以上(${MONEY})以下|(${MONEY})(?:至|到)(${MONEY})`, 'g');
const MONEY_RE = new RegExp(`(${NUMC})元`, 'g');
const PERCENT_RANGE_RE = new RegExp(`百分之(${NUMC})(?:以上)?(?:至|到)百分之(${NUMC})|百分之(${NUMC})以上百分之(${NUMC})以下`, 'g');
const PERMILLE_RANGE_RE = new RegExp(`千分之(${NUMC})以上千分之(${NUMC})以下`, 'g');
const PERCENT_RE = new RegExp(`百分之(${NUMC})`, 'g');
const MULTIPLE_RANGE_RE = new RegExp(`(${NUMC})倍以上(${NUMC})倍以下`, 'g');
const FRACTION_RE = new RegExp(`(${NUMC})分之(${NUMC})`, 'g');

const ORGAN_PREFIX =
  '国务院|中央|全国|省、自治区、直辖市|省级|设区的市、自治州以上|设区的市、自治州|设区的市级以上|设区的市级|' +
  '县级以上地方各级|县级以上各级|县级以上地方|县级以上|县级|乡、民族乡、镇|本级|上一级|下一级|上级|下级|同级|地方各级|各级';
const ORGAN_DEPT =
  '财政部门|审计机关|税务机关|监察机关|公安机关|市场监督管理部门|政府采购监督管理部门|采购监督管理部门|' +
  '国有资产监督管理机构|保密行政管理部门|禁毒委员会|有关主管部门|主管部门|有关部门|行政复议机关|复议机关|行政机关';
const ORGAN_BODY = '人民代表大会常务委员会|人民代表大会|人民法院|人民检察院';
const ORGAN_RE = new RegExp(
  `(?:(国务院)(?!人民|政府)(${ORGAN_DEPT})?|(${ORGAN_PREFIX})?(?:(人民政府|政府)(${ORGAN_DEPT})?|(${ORGAN_BODY})|(${ORGAN_DEPT})))`,
  'g',
);
/** Departments too generic to be worth remembering without a level in front. */
const GENERIC_DEPT = new Set(['有关主管部门', '主管部门', '有关部门', '行政机关', '复议机关']);
/** An organ is a fact to remember when it approves, decides, receives a filing or is in charge. */
const ORGAN_BEFORE = /(?:由|经|报|报经|报请|提请|送交|提交|会同|向)$/;
const ORGAN_AFTER = /^(?:应当|可以|有权|负责|(?:具体|统一|依法)?(?:批准|决定|审批|备案|规定|负责|审查|审核|制定|确定|认定|公布|组织|编制|批复|审计|主管|责令|给予|处以|没收|核准|监督|指导|受理|查处|对|依照|按照|根据))/;

/** A numeral as the law prints it: 二十, 20, and the mixed 2万 / 1.5万 some regulations use. */
function num(s: string): number | undefined {
  const mixed = s.match(/^([0-9]+(?:\.[0-9]+)?)([万亿])$/);
  if (mixed) return Math.round(Number(mixed[1]) * (mixed[2] === '万' ? 10_000 : 100_000_000));
  return parseChineseNumber(s);
}

/** More of a name after an organ match: a department named after it (…信息公开工作主管部门). */
const NAME_CONTINUES = /^[^\s，。；：、的和或及与（）()]{1,10}?(?:部门|机关|机构|委员会|办公室|机制|小组)/;

function isOverlapping(spans: Span[], start: number, end: number): boolean {
  return spans.some((s) => start < s.end && s.start < end);
}

/** All memorable spans of a text, left to right, without overlaps (longer, more specific kinds win). */
export function findSpans(text: string): Span[] {
  const out: Span[] = [];
  const add = (s: Span) => {
    if (!isOverlapping(out, s.start, s.end)) out.push(s);
  };
  const prevChar = (i: number) => (i > 0 ? text[i - 1]! : '');
  const nextChar = (i: number) => text[i] ?? '';

  for (const m of text.matchAll(MONEY_RANGE_RE)) {
    const a = num((m[1] ?? m[3]!).slice(0, -1));
    const b = num((m[2] ?? m[4]!).slice(0, -1));
    if (a === undefined || b === undefined || !(a < b)) continue;
    add({ kind: 'amount', unitKey: `amount-range:${m[1] ? '以上以下' : '至'}`, text: m[0], start: m.index, end: m.index + m[0].length, values: [a, b] });
  }
  for (const m of text.matchAll(PERCENT_RANGE_RE)) {
    const a = num(m[1] ?? m[3]!);
    const b = num(m[2] ?? m[4]!);
    if (a === undefined || b === undefined || !(a < b)) continue;
    const style = m[0].includes('以下') ? '以上以下' : m[0].includes('以上') ? '以上至' : '至';
    add({ kind: 'ratio', unitKey: `percent-range:${style}`, text: m[0], start: m.index, end: m.index + m[0].length, values: [a, b] });
  }
  for (const m of text.matchAll(PERMILLE_RANGE_RE)) {
    const a = num(m[1]!);
    const b = num(m[2]!);
    if (a === undefined || b === undefined || !(a < b)) continue;
    add({ kind: 'ratio', unitKey: 'permille-range', text: m[0], start: m.index, end: m.index + m[0].length, values: [a, b] });
  }
  for (const m of text.matchAll(MULTIPLE_RANGE_RE)) {
    const a = num(m[1]!);
    const b = num(m[2]!);
    if (a === undefined || b === undefined || !(a < b) || NUM_CHAR.test(prevChar(m.index))) continue;
    add({ kind: 'ratio', unitKey: 'multiple-range', text: m[0], start: m.index, end: m.index + m[0].length, values: [a, b] });
  }
  for (const m of text.matchAll(PERCENT_RE)) {
    const a = num(m[1]!);
    if (a === undefined || a <= 0 || a > 100) continue;
    add({ kind: 'ratio', unitKey: 'percent', text: m[0], start: m.index, end: m.index + m[0].length, values: [a] });
  }
  for (const m of text.matchAll(FRACTION_RE)) {
    const d = num(m[1]!);
    const n = num(m[2]!);
    if (d === undefined || n === undefined || n >= d || d > 10 || NUM_CHAR.test(prevChar(m.index)) || prevChar(m.index) === '百') continue;
    add({ kind: 'ratio', unitKey: 'fraction', text: m[0], start: m.index, end: m.index + m[0].length, values: [n / d, d, n] });
  }
  for (const m of text.matchAll(MONEY_RE)) {
    const v = num(m[1]!);
    if (v === undefined || v <= 0 || !NUM_CHAR.test(m[1]!.replace(/[万亿]/g, '')) || NUM_CHAR.test(prevChar(m.index))) continue;
    add({ kind: 'amount', unitKey: 'amount', text: m[0], start: m.index, end: m.index + m[0].length, values: [v] });
  }
  for (const m of text.matchAll(DATE_RE)) {
    const mo = num(m[1]!);
    const d = num(m[2]!);
    if (mo === undefined || d === undefined || mo < 1 || mo > 12 || d < 1 || d > 31 || NUM_CHAR.test(prevChar(m.index)) || prevChar(m.index) === '年') continue;
    add({ kind: 'date', unitKey: 'date', text: m[0], start: m.index, end: m.index + m[0].length, values: [mo, d] });
  }
  for (const m of text.matchAll(EFFECT_RE)) {
    const group = EFFECTS.find((g) => g.includes(m[0]))!;
    // 「无效的或者被撤销的」 names effects, it does not state one; 「不影响…效力」 neither.
    if (/[的或者]$/.test(prevChar(m.index)) && /^的/.test(text.slice(m.index + m[0].length))) continue;
    add({ kind: 'effect', unitKey: `effect:${EFFECTS.indexOf(group)}`, text: m[0], start: m.index, end: m.index + m[0].length, values: [] });
  }
  for (const m of text.matchAll(COUNT_RE)) {
    const v = num(m[1]!);
    if (v === undefined || v < 2 || NUM_CHAR.test(prevChar(m.index)) || prevChar(m.index) === '第') continue;
    add({ kind: 'count', unitKey: `count:${m[2]}`, text: m[0], start: m.index, end: m.index + m[0].length, values: [v] });
  }
  for (const m of text.matchAll(TIME_RE)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[3]) {
      // 半年 / 半个月: half a unit, kept so the span is not blanked as a bare 年 or 个月.
      add({ kind: 'time', unitKey: m[3] === '半年' ? 'time:年' : 'time:个月', text: m[0], start, end, values: [0.5] });
      continue;
    }
    const numeral = m[1]!;
    const unit = m[2]! as (typeof TIME_UNITS)[number];
    const before = prevChar(start);
    if (before === '第' || before === '月' || before === '每' && unit === '日' || NUM_CHAR.test(before)) continue;
    const v = num(numeral);
    if (v === undefined || v <= 0) continue;
    // 上一年, 下一年, 每一年 name a year, not a time limit.
    if (unit === '年' && /[上下每当本同前后近]/.test(before)) continue;
    if (unit === '年' && (v >= 1900 || /〇|零/.test(numeral) || nextChar(end) === '度' || nextChar(end) === '级')) continue;
    if (unit === '日' && nextChar(end) === '起' && before === '') continue;
    // "一日" alone is rarely a limit worth asking (当日, 一日内 are filler-like), bigger ones are.
    if (v === 1 && (unit === '日' || unit === '天')) continue;
    const normalizedUnit = unit === '工作日' ? '个工作日' : unit === '天' ? '日' : unit;
    add({ kind: 'time', unitKey: `time:${normalizedUnit}`, text: m[0], start, end, values: [v] });
  }
  for (const m of text.matchAll(ORGAN_RE)) {
    const start = m.index;
    const end = start + m[0].length;
    const [, gwy, gwyDept, prefix, gov, govDept, body, dept] = m;
    if (!gwy) {
      if (!prefix && !body && !dept) continue; // bare 政府
      if (!prefix && dept && GENERIC_DEPT.has(dept)) continue;
      if (!prefix && body && body !== '人民法院' && body !== '人民检察院') continue;
      if (prefix && !gov && !body && dept && GENERIC_DEPT.has(dept) && !/级/.test(prefix)) continue;
      if (!prefix && gov && !govDept) continue;
    }
    if (gwyDept && GENERIC_DEPT.has(gwyDept) && gwyDept !== '有关部门') continue;
    // A match glued to a name on its left is a truncated organ (…市辖区政府财政部门): skip it.
    if (/[\u4e00-\u9fff]/.test(prevChar(start)) && !/[由经报向请交同在对及和或与将按照据]/.test(prevChar(start))) continue;
    // A match that is only the head of a longer name (国务院财政部门|信息公开工作主管部门) is no organ.
    if (NAME_CONTINUES.test(text.slice(end, end + 12))) continue;
    const inRole = ORGAN_BEFORE.test(text.slice(Math.max(0, start - 2), start)) || ORGAN_AFTER.test(text.slice(end, end + 8));
    if (!inRole) continue;
    add({ kind: 'organ', unitKey: 'organ', text: m[0], start, end, values: [] });
  }
  return out.sort((a, b) => a.start - b.start);
}

// ---- neighbour values: plausible wrong answers of the same kind ----

const NEIGHBOURS: Record<string, number[]> = {
  'time:日': [2, 3, 5, 7, 10, 15, 20, 30, 45, 60, 90],
  'time:个工作日': [2, 3, 5, 7, 10, 15, 20, 30],
  'time:个月': [1, 2, 3, 6, 9, 12],
  'time:年': [1, 2, 3, 5, 10, 15, 20],
  'time:小时': [12, 24, 48, 72],
  // Ages the laws draw lines at (八周岁, 十六周岁, 十八周岁).
  'time:周岁': [6, 8, 10, 12, 14, 16, 18, 20, 22],
  percent: [1, 2, 3, 5, 10, 15, 20, 25, 30, 50],
  multiple: [1, 2, 3, 5, 10],
  permille: [1, 2, 3, 5, 10, 20],
  count: [1, 2, 3, 4, 5, 7, 9],
};

/** Format a value the way the law texts print it for a unit key. */
export function formatValue(unitKey: string, values: number[], keyText = ''): string | undefined {
  // Follow the key's own numerals: some laws print 5个工作日, most 五个工作日.
  const arabic = /[0-9０-９]/.test(keyText);
  const cn = (n: number) => (Number.isInteger(n) && n >= 0 ? (arabic ? String(n) : toChineseNumber(n)) : undefined);
  // Arabic amounts are printed as the regulations print them: 3000元, 5万元.
  const money = (n: number) => (arabic && n >= 10_000 && n % 10_000 === 0 ? `${n / 10_000}万元` : cn(n) ? `${cn(n)}元` : undefined);
  const [a, b] = values as [number, number];
  if (unitKey.startsWith('count:')) return Number.isInteger(a) ? `${a === 2 && /两/.test(keyText) ? '两' : cn(a)}${unitKey.slice(6)}` : undefined;
  if (unitKey.startsWith('time:')) {
    const unit = unitKey.slice(5);
    if (!Number.isInteger(a)) return undefined;
    const numeral = a === 2 && unit.startsWith('个') && /两/.test(keyText) ? '两' : cn(a);
    return `${numeral}${unit === '个工作日' && !keyText.includes('个') ? '工作日' : unit}`;
  }
  switch (unitKey) {
    case 'amount':
      return money(a);
    case 'amount-range:以上以下':
      return money(a) && money(b) ? `${money(a)}以上${money(b)}以下` : undefined;
    case 'amount-range:至':
      return money(a) && money(b) ? `${money(a)}至${money(b)}` : undefined;
    case 'percent':
      return cn(a) ? `百分之${cn(a)}` : undefined;
    case 'percent-range:至':
      return cn(a) && cn(b) ? `百分之${cn(a)}至百分之${cn(b)}` : undefined;
    case 'percent-range:以上至':
      return cn(a) && cn(b) ? `百分之${cn(a)}以上至百分之${cn(b)}` : undefined;
    case 'percent-range:以上以下':
      return cn(a) && cn(b) ? `百分之${cn(a)}以上百分之${cn(b)}以下` : undefined;
    case 'multiple-range':
      return cn(a) && cn(b) ? `${cn(a)}倍以上${cn(b)}倍以下` : undefined;
    case 'permille-range':
      return cn(a) && cn(b) ? `千分之${cn(a)}以上千分之${cn(b)}以下` : undefined;
    case 'date':
      return cn(a) && cn(b) ? `${cn(a)}月${cn(b)}日` : undefined;
    default:
      return undefined;
  }
}

/** Round to a "nice" amount (1, 2, 3, 5 × 10^k) so synthetic amounts look like the law's own. */
function nice(n: number): number {
  if (n < 1) return 0;
  const p = 10 ** Math.floor(Math.log10(n));
  const m = n / p;
  const step = m < 1.5 ? 1 : m < 2.5 ? 2 : m < 4 ? 3 : m < 7.5 ? 5 : 10;
  return step * p;
}

/** Values near the key's, ordered nearest first: the synthetic distractors for a numeric span. */
export function neighbourValues(span: Span): number[][] {
  const [a, b] = span.values as [number, number];
  const near = (list: number[], v: number) =>
    list.filter((x) => x !== v).sort((x, y) => Math.abs(Math.log(x / v)) - Math.abs(Math.log(y / v)) || x - y);
  if (span.unitKey.startsWith('count:')) return near(NEIGHBOURS.count!, a).map((x) => [x]);
  if (span.unitKey.startsWith('time:')) {
    const list = NEIGHBOURS[span.unitKey] ?? [];
    if (!Number.isInteger(a)) return [];
    return near(list, a).map((x) => [x]);
  }
  switch (span.unitKey) {
    case 'amount':
      return near([...new Set([0.1, 0.2, 0.5, 2, 3, 5, 10].map((f) => nice(a * f)))].filter((x) => x >= 10), a).map((x) => [x]);
    case 'percent':
      return near(NEIGHBOURS.percent!, a).map((x) => [x]);
    case 'amount-range:以上以下':
    case 'amount-range:至': {
      const out: number[][] = [];
      for (const f of [0.5, 2, 0.2, 5, 0.1, 10]) {
        const x = nice(a * f);
        const y = nice(b * f);
        if (x >= 1 && y > x) out.push([x, y]);
      }
      out.push([a, nice(b * 2)], [nice(a * 2), b].filter(() => nice(a * 2) < b) as number[]);
      return out.filter((p) => p.length === 2 && !(p[0] === a && p[1] === b));
    }
    case 'percent-range:至':
    case 'percent-range:以上至':
    case 'percent-range:以上以下':
    case 'permille-range':
    case 'multiple-range': {
      const list = span.unitKey === 'multiple-range' ? NEIGHBOURS.multiple! : span.unitKey === 'permille-range' ? NEIGHBOURS.permille! : NEIGHBOURS.percent!;
      const pairs: number[][] = [];
      for (const x of list) for (const y of list) if (x < y && !(x === a && y === b)) pairs.push([x, y]);
      const d = (p: number[]) => Math.abs(Math.log(p[0]! / a)) + Math.abs(Math.log(p[1]! / b));
      return pairs.sort((p, q) => d(p) - d(q));
    }
    case 'date': {
      const ends: number[][] = [
        [1, 1], [4, 1], [7, 1], [10, 1], [3, 31], [6, 30], [9, 30], [12, 31],
      ];
      const sameKind = ends.filter((e) => (e[1] === 1) === (b === 1) && !(e[0] === a && e[1] === b));
      return sameKind.length >= 3 ? sameKind : ends.filter((e) => !(e[0] === a && e[1] === b));
    }
    default:
      return [];
  }
}

// ---- entailment: which way a changed value still reads as true ----

/**
 * Which side of the key's value a wrong value must lie on so that the changed statement is false, not merely
 * weaker. 'lower': only smaller values (a larger threshold after 超过…的 or a longer limit after 不超过 / 以内
 * is still true); 'higher': only larger values (a shorter notice after 不少于 / …前, a lower floor of a
 * penalty); 'both': an exact value (为五年, 一月一日, a range).
 */
export type SafeSide = 'both' | 'lower' | 'higher';

/** Bound words before a value that make it a ceiling (不超过三十日) or a floor (不少于五个工作日, 超过三年). */
const CEILING_WORDS = ['延长', '不超过', '不得超过', '不高于', '不得高于', '不大于', '最长', '最多', '至多', '少于', '低于', '不足', '未满', '不满', '未达到'];
const FLOOR_WORDS = ['不少于', '不得少于', '不低于', '不得低于', '至少', '最少', '最低', '超过', '高于', '大于', '多于', '满'];
/** The bound word a value follows, the longest that fits (不得超过 is a ceiling though it ends in 超过). */
function boundBefore(before: string): 'ceiling' | 'floor' | undefined {
  const words = [...CEILING_WORDS.map((w) => [w, 'ceiling'] as const), ...FLOOR_WORDS.map((w) => [w, 'floor'] as const)].sort((a, b) => b[0].length - a[0].length);
  return words.find(([w]) => before.endsWith(w))?.[1];
}
/** Bound words after a value: ceilings (以下, 以内, 内) and floors (以上, 前: 七日前通知). */
const CEILING_AFTER = /^(?:以下|以内|之内|内)/;
const FLOOR_AFTER = /^(?:以上|以前|前)/;
/** A licence (可以 / 有权) nearest before a time limit makes a shorter limit the weaker, still true, claim. */
const LICENCE = /(?:可以|有权)(?!.*(?:应当|必须|不得))[^。；]*$/;

/** The entailment side of a numeric span in its text; organs are always 'both'. */
export function safeSide(text: string, span: Span, inCondition = false): SafeSide {
  if (span.kind === 'organ' || span.kind === 'date' || span.unitKey.includes('range')) return 'both';
  const before = text.slice(Math.max(0, span.start - 6), span.start);
  const after = text.slice(span.end, span.end + 4);
  // A bound word a few characters before the value (至少保存十五年, 最长可以延长一年) binds it as well.
  const near = text.slice(Math.max(0, span.start - NEAR_BOUND_REACH), span.start);
  const nearBound = NEAR_CEILING.test(near) ? 'ceiling' : NEAR_FLOOR.test(near) ? 'floor' : undefined;
  const bound = boundBefore(before) ?? nearBound;
  // 「不超过」「最长」 state the limit itself: a longer one is entailed even where the sentence grants a licence.
  const statedCeiling = nearBound === 'ceiling' || /(?:不超过|不得超过|最长|最多|至多)$/.test(before);
  const ceiling = bound === 'ceiling' || (!bound && CEILING_AFTER.test(after));
  const floor = bound === 'floor' || (!bound && !ceiling && FLOOR_AFTER.test(after) && !(span.kind !== 'time' && /^前/.test(after)));
  // A condition (刑期超过三年的, 不足五万元的, 五分之一以上的代表提议, 六个月内发现瑕疵，发生争议的，) is
  // sufficient: narrowing it stays true. It runs from the value to a 「…的，」 before the sentence's rule.
  const rest = text.slice(span.end).split(/[。；]/)[0]!;
  const conditionEnd = rest.search(/的，/);
  const clauseEnd = rest.search(/[，：]/);
  const clause = rest.slice(0, clauseEnd < 0 ? undefined : clauseEnd);
  // The value's own clause up to it: a rule word there (应当在五日内…) makes the clause a rule, not a condition.
  const ownClause = text.slice(Math.max(text.lastIndexOf('，', span.start), text.lastIndexOf('：', span.start), text.lastIndexOf('。', span.start), text.lastIndexOf('；', span.start)) + 1, span.start);
  const condition =
    (inCondition && !RULE_WORD.test(ownClause)) ||
    /的$/.test(clause) ||
    /^(?:以上|以下)?的/.test(after) ||
    (conditionEnd >= 0 && !RULE_WORD.test(ownClause) && !RULE_WORD.test(rest.slice(0, conditionEnd)));
  // A time in a condition without a bound word is still a floor: 连续两年未用完的 is true of three years too.
  if (!ceiling && !floor) return span.kind === 'time' && condition ? 'lower' : 'both';
  if (floor) return condition ? 'lower' : 'higher';
  if (condition) return 'higher';
  // A ban for a time (五年内不得担任) and a licence for one (可以在六十日内申请): a shorter time is the weaker claim.
  if (/^(?:以内|之内|内)[^，。；]{0,4}不得/.test(after + text.slice(span.end + 4, span.end + 8))) return 'higher';
  const sentenceStart = Math.max(text.lastIndexOf('。', span.start), text.lastIndexOf('；', span.start)) + 1;
  // The licence may stand before the limit (可以在六十日内申请) or right after it (在障碍消除后十日内，可以申请).
  const licenceAfter = /^[^。；应必不]*?(?:可以|有权)/.test(rest) && !/应当|必须/.test(text.slice(sentenceStart, span.start));
  const licence = span.kind === 'time' && (LICENCE.test(text.slice(sentenceStart, span.start)) || licenceAfter);
  return licence && !statedCeiling ? 'higher' : 'lower';
}

/** How far before a value a 至少 / 最长 may stand with a verb between (至少保存, 最长可以延长). */
const NEAR_BOUND_REACH = 8;
const NEAR_CEILING = /(?:最长|最多|至多|不超过|不得超过)[^，。；、\d一二三四五六七八九十百千万]{1,4}$/;
const NEAR_FLOOR = /(?:至少|最少|最低|不少于|不得少于)[^，。；、\d一二三四五六七八九十百千万]{1,4}$/;

/** Words of a rule (a duty, a licence, who acts): a 「…的，」 after one of them closes no condition around the value. */
const RULE_WORD = /应当|可以|不得|必须|由|有权|负责/;
