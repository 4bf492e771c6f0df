/**
 * Which parts of an article a question may be made from: askable articles (not 附则, commencement or
 * purpose), their sentences and clauses (units), and the lists they enumerate — with every length limit
 * that keeps a stem readable on a phone and answerable from what it shows.
 */
import type { Article } from '../../knowledge/types.ts';
import { compact, ELLIPSIS, endWithFullStop } from './text.ts';

/** Articles shorter than this (without white space) say too little to ask: 「本法自公布之日起施行。」 */
const MIN_ARTICLE_CHARS = 12;
/** A commencement or repeal clause (…施行。…废止。) is not asked unless it is longer than this. */
const COMMENCEMENT_MAX_CHARS = 80;

/** Articles not worth asking: 附则, commencement, purpose and scope clauses. */
export function isAskableArticle(a: Article): boolean {
  if (a.path.some((h) => /附\s*则/.test(h))) return false;
  const t = compact(a.text);
  if (t.length < MIN_ARTICLE_CHARS) return false;
  if (/^本(法|条例|规定|办法|细则|决定)(自|由|所称|下列用语)/.test(t)) return false;
  if (/^(为了|为)[^。]{0,120}(制定本|特制定)/.test(t) && t.split('。').filter(Boolean).length <= 1) return false;
  if (/(施行|废止)。?$/.test(t) && t.length < COMMENCEMENT_MAX_CHARS) return false;
  return true;
}

/** Sentences that are definitions, scope or purpose, or refer to text the stem would not show. */
export const UNASKABLE_UNIT = /本(法|条例|规定|办法)所称|是指|适用本(法|条例|规定|办法)|制定本(法|条例)|本(法|条例|规定|办法)自.*施行|^(前款|前两款|前三款|前项|前述|本条|上述|该|其|依照前款|依照本条|对前款|有前款|有前两款|除前款|违反前款|前款规定|但是|但|并且|并|且|或者|以及)/;
/** Stems that lean on text they do not show (前款, 前两条) cannot be answered from the stem alone. */
export const REFERS_ELSEWHERE = /前款|前两款|前三款|前条|前两条|前三条|前项|本条第|上述|前述/;
/** Sentences that say nothing without their article: 具体办法由国务院规定。 */
const CONTEXTLESS = /^(具体|其他|相关|有关)?(办法|条件和标准|标准|实施细则|细则|规定|管理办法|具体办法)/;
/** An enumerated item: （一）… */
export const ITEM = /^（[一二三四五六七八九十]+）/;
/** Catch-all items (其他…, …规定的…, …等) are no fact to remember and no fair distractor. */
export const CATCH_ALL = /其他|规定的|等$/;

/** A lead + item unit longer than this is too long for a stem. */
const ITEM_UNIT_MAX = 150;
/** Sentences up to this length are asked whole; longer ones clause by clause. */
const SENTENCE_MAX = 110;
/** Shorter sentences or first clauses hold no fact worth a question. */
const SENTENCE_MIN = 10;
/** A later clause is asked after its sentence's first clause only when that subject clause is this short… */
const CLAUSE_LEAD_MAX = 60;
/** …the clause itself at least this long… */
const CLAUSE_PIECE_MIN = 6;
/** …and the two together no longer than this. */
const CLAUSE_UNIT_MAX = 150;
/** An enumeration's lead (…有下列情形之一的：) longer than this is not repeated before each item. */
const LEAD_MAX = 90;
/** Units shorter than this are too thin for a stem. */
const UNIT_MIN = 16;

export interface Unit {
  /** What the stem shows: a sentence, or an enumeration's lead + one item. */
  text: string;
  /** Where spans may fall (the item part of a lead + item unit). */
  from: number;
  /** Paragraph indexes the unit comes from, for quoting. */
  paragraphs: number[];
}

/** The sentences (or, for long ones, clauses) of an article, plus lead + item pairs of enumerations. */
export function articleUnits(a: Article): Unit[] {
  const units: Unit[] = [];
  let lead: { text: string; index: number } | undefined;
  a.paragraphs.forEach((raw, i) => {
    const p = compact(raw);
    if (ITEM.test(p) && lead) {
      // Items after the first are not next to the lead in the text: an ellipsis marks the gap.
      const head = i === lead.index + 1 ? lead.text : `${lead.text}${ELLIPSIS}`;
      const text = `${head}${p}`;
      if (text.length <= ITEM_UNIT_MAX) units.push({ text: endWithFullStop(text), from: head.length, paragraphs: [lead.index, i] });
      return;
    }
    lead = undefined;
    for (const sentence of p.split(/(?<=[。！？])/)) {
      if (/[：:]$/.test(sentence) || /下列|以下/.test(sentence) && /之一|情形|事项|内容|条件/.test(sentence) && /[：:]$/.test(p)) continue;
      if (sentence.length <= SENTENCE_MAX) {
        if (sentence.length >= SENTENCE_MIN) units.push({ text: endWithFullStop(sentence), from: 0, paragraphs: [i] });
        continue;
      }
      // A long sentence is asked clause by clause; later clauses keep the first one, which names the subject.
      const [first, ...rest] = sentence.split(/(?<=；)/);
      if (first!.length >= SENTENCE_MIN && first!.length <= SENTENCE_MAX) units.push({ text: endWithFullStop(first!), from: 0, paragraphs: [i] });
      const lead = first!.replace(/；$/, '');
      for (const piece of rest) {
        const text = `${lead}${ELLIPSIS}${piece}`;
        if (piece.length >= CLAUSE_PIECE_MIN && lead.length <= CLAUSE_LEAD_MAX && text.length <= CLAUSE_UNIT_MAX) {
          units.push({ text: endWithFullStop(text), from: lead.length + ELLIPSIS.length, paragraphs: [i] });
        }
      }
    }
    if (/[：:]$/.test(p)) {
      const last = p.split(/(?<=[。；])/).pop()!;
      if (last.length <= LEAD_MAX && !UNASKABLE_UNIT.test(last)) lead = { text: last.replace(/:$/, '：'), index: i };
    }
  });
  return units.filter(
    (u) =>
      u.text.length >= UNIT_MIN &&
      !/以下(统称|简称)/.test(u.text) &&
      !(u.from > 0 && CATCH_ALL.test(u.text.slice(u.from))) &&
      !CONTEXTLESS.test(u.text) &&
      !UNASKABLE_UNIT.test(u.text) &&
      !UNASKABLE_UNIT.test(u.text.slice(u.from)) &&
      !REFERS_ELSEWHERE.test(u.text),
  );
}

export interface Enumeration {
  lead: string;
  leadIndex: number;
  items: string[];
  indexes: number[];
}

/** The （一）（二）… lists of an article, each with the paragraph that leads into it (…：). */
export function enumerations(a: Article): Enumeration[] {
  const out: Enumeration[] = [];
  let cur: Enumeration | undefined;
  a.paragraphs.forEach((raw, i) => {
    const p = compact(raw);
    if (cur && ITEM.test(p)) {
      cur.items.push(p.replace(ITEM, '').replace(/[；。，,;]+$/, ''));
      cur.indexes.push(i);
      return;
    }
    if (cur && cur.items.length) out.push(cur);
    cur = /[：:]$/.test(p) ? { lead: p, leadIndex: i, items: [], indexes: [] } : undefined;
  });
  if (cur && cur.items.length) out.push(cur);
  return out;
}

export interface SentenceList {
  head: string;
  verb: string;
  items: string[];
  paragraph: number;
  sentence: string;
}

/** A listed item of an in-sentence list shorter or longer than this is a phrase fragment, not a list member. */
const LIST_ITEM_MIN = 2;
const LIST_ITEM_MAX = 16;
/** A real list has at least this many members (A、B、C和D). */
const LIST_MIN_ITEMS = 3;

/** In-sentence lists: 预算包括一般公共预算、政府性基金预算、国有资本经营预算、社会保险基金预算。 */
export function sentenceLists(a: Article): SentenceList[] {
  const out: SentenceList[] = [];
  a.paragraphs.forEach((raw, i) => {
    const p = compact(raw);
    if (ITEM.test(p)) return;
    for (const sentence of p.split(/(?<=[。；])/)) {
      const m = sentence.match(/^([^，。；：]{2,40}?)(包括|分为)([^。；：，]+)[。；]$/);
      if (!m) continue;
      const parts = m[3]!.split(/、|(?:和|及|以及|与)(?=[^、]*$)/).map((x) => x.trim()).filter(Boolean);
      // Only real lists (A、B、C和D): 和 and 及 inside a single phrase must not split it.
      if ((m[3]!.match(/、/g) ?? []).length < LIST_MIN_ITEMS - 1) continue;
      if (parts.length < LIST_MIN_ITEMS || parts.some((x) => x.length < LIST_ITEM_MIN || x.length > LIST_ITEM_MAX) || m[3]!.includes('等')) continue;
      if (UNASKABLE_UNIT.test(m[1]!)) continue;
      out.push({ head: m[1]!, verb: m[2]!, items: parts, paragraph: i, sentence });
    }
  });
  return out;
}
