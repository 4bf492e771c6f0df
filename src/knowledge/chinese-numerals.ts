/** Chinese numerals as they appear in article labels and time limits (一百零三, 二十, 两千). */

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };

export const CHINESE_NUMERAL_CHARS = '零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿';

/**
 * Parse a Chinese or Arabic numeral; undefined when the string is not one.
 * @example parseChineseNumber('一百零三') // 103
 * @example parseChineseNumber('十') // 10
 * @example parseChineseNumber('26') // 26
 */
export function parseChineseNumber(input: string): number | undefined {
  const s = input.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (s === '') return undefined;
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  let lastUnit = Infinity;
  for (const ch of s) {
    if (ch in DIGITS) {
      const d = DIGITS[ch]!;
      // Digit strings without units (二〇二三) read positionally.
      if (digit !== undefined && d !== 0 && lastUnit === Infinity) {
        digit = digit * 10 + d;
      } else {
        digit = digit !== undefined && lastUnit === Infinity && d === 0 ? digit * 10 : d;
      }
    } else if (ch in UNITS) {
      const u = UNITS[ch]!;
      section += (digit ?? 1) * u;
      digit = undefined;
      lastUnit = u;
    } else if (ch in BIG_UNITS) {
      const u = BIG_UNITS[ch]!;
      total = (total + section + (digit ?? 0)) * u;
      section = 0;
      digit = undefined;
      lastUnit = Infinity;
    } else {
      return undefined;
    }
  }
  const value = total + section + (digit ?? 0);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Write a non-negative integer as the law texts do.
 * @example toChineseNumber(103) // '一百零三'
 * @example toChineseNumber(10) // '十'
 * @example toChineseNumber(110) // '一百一十'
 */
export function toChineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a non-negative integer: ${n}`);
  const d = '零一二三四五六七八九';
  if (n < 10) return d[n]!;
  if (n < 20) return '十' + (n % 10 ? d[n % 10] : '');
  if (n >= 100_000_000) {
    const hi = Math.floor(n / 100_000_000);
    const lo = n % 100_000_000;
    return toChineseNumber(hi) + '亿' + (lo ? (lo < 10_000_000 ? '零' : '') + toChineseNumberFull(lo) : '');
  }
  if (n >= 10_000) {
    const hi = Math.floor(n / 10_000);
    const lo = n % 10_000;
    return toChineseNumber(hi) + '万' + (lo ? (lo < 1000 ? '零' : '') + toChineseNumberFull(lo) : '');
  }
  return toChineseNumberFull(n);
}

/** Like toChineseNumber but keeps the leading 一 of 一十 (used after a higher unit: 一百一十). */
function toChineseNumberFull(n: number): string {
  const d = '零一二三四五六七八九';
  const units = ['', '十', '百', '千'];
  if (n >= 10_000) return toChineseNumber(n);
  const digits = String(n).split('').map(Number);
  let out = '';
  let zero = false;
  digits.forEach((v, i) => {
    const unit = units[digits.length - 1 - i]!;
    if (v === 0) {
      zero = out !== '';
      return;
    }
    if (zero) out += '零';
    zero = false;
    out += d[v] + unit;
  });
  return out;
}
