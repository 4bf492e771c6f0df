/**
 * Checks a model's reply before anyone sees it: citations must point at a given source, and every number,
 * amount and time limit, and every article label, must appear in the sources it cites.
 */
import { ARTICLE_NUMERAL, articleLabelPattern, articleNumberOf } from '../knowledge/article-reference.ts';
import { extractQuantities, isSupported } from './quantities.ts';

export interface CheckSource {
  /** 1-based number the model cites as [n]. */
  n: number;
  /** Everything the source states: title, label, version line and text. */
  text: string;
}

export interface ReplyCheck {
  ok: boolean;
  /** The reply with invalid citation markers removed and markers normalised to [n]. */
  text: string;
  /** Valid source numbers cited, in order of first use. */
  cited: number[];
  /** Citation numbers that pointed at no source (removed). */
  removed: number[];
  /** Quantities and article labels stated in the reply but in none of the cited sources. */
  unsupported: string[];
  reason?: 'no-citation' | 'unsupported-claim' | 'empty';
}

const MARKER = /[[【［]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】］]/g;
const LABEL = articleLabelPattern('g');
// Labels of parts inside an article or law (第二款, 第三项, 第二章) are positions, not claims to check.
const POSITION = new RegExp(`第${ARTICLE_NUMERAL}(?:款|项|目|章|节|编|部分)`, 'g');

/** 第十八条 and 第18条 alike → '18-0'. */
function labelKey(m: RegExpMatchArray): string {
  const a = articleNumberOf(m[1]!, m[2]);
  return a ? `${a.number}-${a.suffix}` : m[0];
}

function labelsIn(text: string): Set<string> {
  return new Set([...text.matchAll(LABEL)].map(labelKey));
}

/**
 * @example checkReply('预算年度自1月1日起至12月31日止[1]。', [{ n: 1, text: '…预算年度自公历一月一日起，至十二月三十一日止。' }], '')
 */
export function checkReply(reply: string, sources: CheckSource[], question = ''): ReplyCheck {
  const valid = new Set(sources.map((s) => s.n));
  const cited: number[] = [];
  const removed: number[] = [];
  const text = reply
    .replace(MARKER, (_, list: string) => {
      const nums = list.split(/[,，、]/).map((s) => Number(s.trim()));
      const keep = nums.filter((n) => valid.has(n));
      for (const n of nums) if (!valid.has(n)) removed.push(n);
      for (const n of keep) if (!cited.includes(n)) cited.push(n);
      return keep.map((n) => `[${n}]`).join('');
    })
    .trim();
  if (!text) return { ok: false, text, cited, removed, unsupported: [], reason: 'empty' };
  if (!cited.length) return { ok: false, text, cited, removed, unsupported: [], reason: 'no-citation' };

  const citedText = sources.filter((s) => cited.includes(s.n)).map((s) => s.text).join('\n');
  const body = text.replace(/\[\d+\]/g, ' ');
  const unsupported: string[] = [];

  const sourceLabels = labelsIn(citedText);
  for (const m of body.matchAll(LABEL)) {
    if (!sourceLabels.has(labelKey(m))) unsupported.push(m[0]);
  }

  const known = [...extractQuantities(citedText), ...extractQuantities(question)];
  const claims = extractQuantities(body.replace(LABEL, ' ').replace(POSITION, ' '));
  for (const q of claims) if (!isSupported(q, known)) unsupported.push(q.raw);

  return unsupported.length
    ? { ok: false, text, cited, removed, unsupported, reason: 'unsupported-claim' }
    : { ok: true, text, cited, removed, unsupported };
}
