/**
 * The parties of civil-law relations (出卖人 and 买受人, 出租人 and 承租人…): who bears a duty, holds a right or
 * receives a thing is the fact a contract article turns on. A party is a blank or an altered word where the
 * sentence gives it a role; the wrong ones are its counterparts and the other parties of the same chapter.
 */
import type { Span } from './spans.ts';

/** Parties that stand opposite each other in a relation: a counterpart is the natural wrong answer. */
export const PARTY_GROUPS: string[][] = [
  ['出卖人', '买受人'],
  ['出租人', '承租人', '次承租人'],
  ['债权人', '债务人', '保证人'],
  ['委托人', '受托人'],
  ['委托人', '行纪人'],
  ['委托人', '中介人'],
  ['贷款人', '借款人'],
  ['赠与人', '受赠人'],
  ['发包人', '承包人'],
  ['定作人', '承揽人'],
  ['托运人', '承运人', '收货人'],
  ['寄存人', '保管人'],
  ['存货人', '保管人'],
  ['代理人', '被代理人', '相对人'],
  ['出质人', '质权人'],
  ['抵押人', '抵押权人'],
  ['供电人', '用电人'],
  ['让与人', '受让人'],
  ['许可人', '被许可人'],
  ['监护人', '被监护人'],
  ['要约人', '受要约人'],
  ['保理人', '应收账款债权人'],
  ['物业服务人', '业主'],
  ['旅客', '承运人'],
];

const PARTIES = [...new Set(PARTY_GROUPS.flat())].sort((a, b) => b.length - a.length);
const PARTY_RE = new RegExp(PARTIES.join('|'), 'g');
/** A party in a role: after 由 / 归 / 向 / 对 / 经, or before a duty, licence or right. */
const ROLE_BEFORE = /(?:由|归|向|对|经|请求|通知|要求|给)$/;
const ROLE_AFTER = /^(?:应当|可以|不得|有权|无权|负责|承担|享有|不承担|不负|所有)/;

/** The parties of a text in a role, left to right. */
export function findParties(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(PARTY_RE)) {
    const start = m.index;
    const end = start + m[0].length;
    // Part of a longer word (被代理人 inside 被代理人的, 债权人 inside 应收账款债权人) is not this party.
    if (/[\u4e00-\u9fff]/.test(text[start - 1] ?? '') && !ROLE_BEFORE.test(text.slice(Math.max(0, start - 2), start))) continue;
    if (!ROLE_BEFORE.test(text.slice(Math.max(0, start - 2), start)) && !ROLE_AFTER.test(text.slice(end, end + 4))) continue;
    out.push({ kind: 'party', unitKey: 'party', text: m[0], start, end, values: [] });
  }
  return out;
}

/** The counterparts of a party: the other members of every relation it is part of. */
export function counterparts(party: string): string[] {
  return [...new Set(PARTY_GROUPS.filter((g) => g.includes(party)).flat())].filter((p) => p !== party);
}

/** The parties an article names anywhere (not only in a role): the chapter's cast. */
export function partiesIn(text: string): string[] {
  return [...new Set(text.match(PARTY_RE) ?? [])];
}
