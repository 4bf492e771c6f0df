/**
 * Which parts of an article a question may be made from: askable articles (not 附则, commencement or
 * purpose), their sentences and clauses (units), and the lists they enumerate — with every length limit
 * that keeps a stem readable on a phone and answerable from what it shows.
 */
import { articleLabelSource, articleNumberOf } from '../../knowledge/article-reference.ts';
import { parseChineseNumber } from '../../knowledge/chinese-numerals.ts';
import type { Article, LawVersion } from '../../knowledge/types.ts';
import { compact, ELLIPSIS, endWithFullStop, NOTE_OPEN } from './text.ts';

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

/** Sentences that are definitions, scope or purpose: asked by their own kinds of question, never blanked. */
export const NOT_A_RULE = /本(法|条例|规定|办法)所称|是指|适用本(法|条例|规定|办法)|制定本(法|条例)|本(法|条例|规定|办法)自.*施行/;
/** Openers that lean on the sentence before: 但是…, 该…, 其…; and 前款… which the stem would have to show. */
const LEANS_BACK = /^(前款|前两款|前三款|前项|前述|本条|上述|该|其|依照前款|依照本条|对前款|有前款|有前两款|除前款|违反前款|前款规定|但是|但|并且|并|且|或者|以及)/;
/** The old catch-all: a rule sentence that stands on its own. */
export const UNASKABLE_UNIT = new RegExp(`${NOT_A_RULE.source}|${LEANS_BACK.source}`);
/** Stems that lean on text they do not show (前款, 前两条) cannot be answered from the stem alone. */
export const REFERS_ELSEWHERE = /前款|前两款|前三款|前条|前两条|前三条|前项|本条第|上述|前述/;
/** Sentences that say nothing without their article: 具体办法由国务院规定。 */
const CONTEXTLESS = /^(具体|其他|相关|有关)?(办法|条件和标准|标准|实施细则|细则|规定|管理办法|具体办法)/;
/** An enumerated item in any bracket style: （一）, (一), （1）, (1). */
export const ITEM = /^[（(](?:[一二三四五六七八九十]+|[0-9]{1,2})[）)]/;
/** Catch-all items (其他…, …规定的…, …等) are no fact to remember and no fair distractor. */
export const CATCH_ALL = /其他|规定的|等$/;

/**
 * A later sentence that only makes sense after the one before it: a condition that continues the previous
 * rule (没有国家规定和当事人约定的，…; 情节严重的，…; 二十日内不能作出决定的，…; 实施后，…), a topic it names
 * (罚款的限额由…) or a penalty whose conduct it states (对单位处…罚款). Such a sentence is asked with the
 * previous sentence in front of it, or not at all.
 */
const CONTINUES = /^(?:情节(?:严重|较轻|轻微|特别严重)的|逾期不|拒不|[^，。；：]{1,6}的(?:限额|数额|期限|标准|范围|具体办法|办法|方式|程序|比例|幅度)(?:由|为|应当|不得|可以|实行|，)|[^，。；：]{1,6}后，|(?:对[^，。；：]{1,24}?)?(?:处|并处|处以)[^，。；：]{0,20}?(?:罚款|拘留)|(?:对[^，。；：]{1,24}?)?(?:给予|依法给予)[^，。；：]{0,10}?处分)/;
/**
 * Within a paragraph, a later sentence whose topic or moment is a longer phrase of the one before
 * (向社会公开征求意见的期限一般不少于30日; 机关、单位接到报告后，…) continues it too: which rules, which report.
 */
const CONTINUES_IN_PARAGRAPH = /^(?:[^，。；：]{1,16}的(?:限额|数额|期限|标准|范围|方式|程序|比例|幅度)(?:由|为|应当|不得|可以|实行|一般|，)|[^，。；：]{1,16}(?:接到|收到|受理)[^，。；：]{0,10}后，)/;
/** A lead whose items are the cases its rule applies to (有下列情形之一的, 审理下列案件): not measures or contents. */
const CONDITION_LEAD = /下列[^：:]{0,12}?(?:情形|案件|行为|情况|条件|事项之一|人员)/;
/** A lead that states one rule for each case it lists: 公职人员|有下列情形之一的，|可以从轻或者减轻给予政务处分：. */
const CASE_LEAD = /^([^：]{0,40}?)有下列(?:情形|行为)之一的?，([^。；：]{4,60})：$/;

/**
 * A case of a rule read as one sentence, without the list around it: 「公职人员有下列情形之一的，可以从轻…：」 with
 * 「（二）配合调查…的」 → 「公职人员配合调查…的，可以从轻…。」, with where the case's own words stand (only they are
 * asked); undefined for a lead that is no such rule. quiz/check.ts reads articles the same way.
 */
export function caseSentence(leadClause: string, item: string): { text: string; from: number; to: number } | undefined {
  const rule = leadClause.match(CASE_LEAD);
  if (!rule) return undefined;
  const cause = item.endsWith('的') ? item : `${item}的`;
  return { text: `${rule[1]}${cause}，${rule[2]}。`, from: rule[1]!.length, to: rule[1]!.length + cause.length };
}

/** The case sentences of an article's lists (caseSentence), for checking a statement made from one. */
export function caseSentences(a: Article): string[] {
  return enumerations(a).flatMap((e) => {
    const lead = e.lead.split(/(?<=[。；])/).pop()!.replace(/:$/, '：');
    return e.items.map((it) => caseSentence(lead, it)?.text).filter((t): t is string => Boolean(t));
  });
}
/** 上述措施, 前述情形: words pointing at the sentence before. */
const POINTS_BACK = /上述|前述/;
/** A condition (…的，) opening a later sentence of the same paragraph continues its rule; opening a paragraph it is its own. */
const CONDITION = /^[^，。；：]{1,30}?的，/;


/** A note showing a referenced paragraph is given only when everything it shows is at most this long. */
const NOTE_MAX = 120;
/**
 * Whether a sentence that refers to another paragraph or article (前款, 本法第X条) is asked at all, with the note
 * that shows the reference. Off: three independent exam writers judged such stems unprintable (「……（注：前款：……）」
 * was the largest group of weak questions in each review: 5 of 10 in the third), and the coverage they add (about
 * 15 articles) is not worth a stem no exam would print. Turn on only with stems that state the referenced conduct.
 */
const ASK_REFERRING_UNITS = false;
/** A later sentence is asked with the sentence before it when both together are at most this long. */
const CONTEXT_UNIT_MAX = 170;

/** A lead + item unit longer than this is too long for a stem. */
const ITEM_UNIT_MAX = 150;
/** Sentences up to this length are asked whole; longer ones clause by clause. */
const SENTENCE_MAX = 140;
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
const UNIT_MIN = 12;

export interface Unit {
  /** What the stem shows: a sentence (after the one it continues), or an enumeration's lead + one item. */
  text: string;
  /** Where spans may fall (the item part of a lead + item unit, the sentence after its context). */
  from: number;
  /** Where spans may end, when not at the end of the text (a list's case read as one sentence: its case only). */
  to?: number;
  /** Paragraph indexes the unit comes from, for quoting. */
  paragraphs: number[];
  /** The referenced paragraphs the stem shows after the statement: （注：本法第十四条：……）. */
  note?: string;
  /** The item part states a condition of the lead's rule (有下列情形之一的…; 下列案件…可以…): values there are thresholds. */
  itemIsCondition?: boolean;
}

/** The 款 of an article: its paragraphs that are not items (项), by 款 number - 1, with their paragraph index. */
function paragraphsOf(a: Article): { text: string; index: number }[] {
  return a.paragraphs.map((p, index) => ({ text: compact(p), index })).filter((p) => !ITEM.test(p.text));
}

const cn = (s: string | undefined) => (s ? parseChineseNumber(s) : undefined);

/**
 * The note showing what a unit's references point to, '' when it refers to nothing, or undefined when a
 * reference cannot be shown (another law, an item, several paragraphs, or too long a text).
 */
export function referenceNote(text: string, a: Article, law: LawVersion | undefined, paragraph: number): string | undefined {
  const notes: string[] = [];
  for (const m of text.matchAll(REFERENCE_PARTS)) {
    const { law: lawName, article: articleNo, suffix: suffixNo, clause: clauseNo, item: itemNo, ownClause, bareClause, bareItem, back } = m.groups ?? {};
    if (itemNo || bareItem || (back && back !== '前款')) return undefined;
    let target: Article | undefined = a;
    let label: string;
    let clause: number | undefined;
    if (articleNo) {
      if (lawName && !/本(?:法|条例|规定|办法)$/.test(lawName)) return undefined;
      const ref = articleNumberOf(articleNo, suffixNo);
      target = law?.articles.find((x) => x.number === ref?.number && x.suffix === ref?.suffix);
      if (!target || target === a) return undefined;
      clause = cn(clauseNo);
      label = `${lawName?.match(/本(?:法|条例|规定|办法)$/)?.[0] ?? ''}${m[0].slice(m[0].indexOf('第'))}`;
    } else if (back === '前款') {
      const own = paragraphsOf(a).findIndex((p) => p.index >= paragraph);
      clause = own > 0 ? own : undefined;
      if (!clause) return undefined;
      label = '前款';
    } else {
      clause = cn(ownClause ?? bareClause);
      label = m[0];
    }
    const body = clause ? paragraphsOf(target).at(clause - 1)?.text : paragraphsOf(target).length === 1 ? compact(target.text) : undefined;
    if (!body || body.endsWith('：') || body.endsWith(':')) return undefined;
    notes.push(`${label}：${body}`);
  }
  if (notes.length === 0) return '';
  const note = `${NOTE_OPEN}${notes.join('；')}）`;
  return note.length <= NOTE_MAX ? note : undefined;
}

/** The 第X条 of a reference, from the one pattern (knowledge/article-reference.ts), with named groups. */
const ARTICLE = articleLabelSource({ groups: ['article', 'suffix'] });
const CN = '[一二三四五六七八九十]+';

/** The same references with their parts captured, for resolving them. */
const REFERENCE_PARTS = new RegExp(
  `(?<law>本(?:法|条例|规定|办法)|[\\u4e00-\\u9fff]{0,12}?(?:法|条例)》?)?${ARTICLE}(?:第(?<clause>${CN})款)?(?:第(?<item>${CN})项)?` +
    `|本条第(?<ownClause>${CN})款|第(?<bareClause>${CN})款(?:第(?<bareItem>${CN})项)?|(?<back>前款|前两款|前三款|前项|前条|前两条|前三条)`,
  'g',
);

/** A unit that stands on its own: long enough, a rule (not a definition or a catch-all), nothing it leans on unshown. */
function standsAlone(u: Unit): boolean {
  return (
    u.text.length >= UNIT_MIN &&
    !/以下(统称|简称)/.test(u.text) &&
    // 「本章规定的行政处罚，由…决定」: which chapter's rules the stem does not show.
    !/^(?:本章|本节)/.test(u.text) &&
    !(u.from > 0 && CATCH_ALL.test(u.text.slice(u.from))) &&
    !CONTEXTLESS.test(u.text) &&
    !NOT_A_RULE.test(u.text) &&
    !LEANS_BACK.test(u.text) &&
    !LEANS_BACK.test(u.text.slice(u.from))
  );
}

/**
 * The sentences (or, for long ones, clauses) of an article, plus lead + item pairs of enumerations. A
 * sentence that continues the one before it is given with it; references to other paragraphs or articles
 * are shown in a note, or the unit is left out.
 */
export function articleUnits(a: Article, law?: LawVersion): Unit[] {
  const units: Unit[] = [];
  let lead: { text: string; index: number } | undefined;
  let previous: { text: string; index: number } | undefined;
  a.paragraphs.forEach((raw, i) => {
    const p = compact(raw);
    if (ITEM.test(p)) {
      previous = undefined;
      if (!lead) return;
      // Items after the first are not next to the lead in the text: an ellipsis marks the gap.
      const item = p.replace(ITEM, '').replace(/[；。，,;]+$/, '');
      const reading = caseSentence(lead.text, item);
      if (reading) {
        if (reading.text.length <= ITEM_UNIT_MAX && !CATCH_ALL.test(item)) {
          units.push({ text: reading.text, from: reading.from, to: reading.to, paragraphs: [lead.index, i], itemIsCondition: true });
        }
        return;
      }
      const head = i === lead.index + 1 ? lead.text : `${lead.text}${ELLIPSIS}`;
      const text = `${head}${p}`;
      if (text.length <= ITEM_UNIT_MAX) {
        units.push({ text: endWithFullStop(text), from: head.length, paragraphs: [lead.index, i], itemIsCondition: CONDITION_LEAD.test(lead.text) });
      }
      return;
    }
    lead = undefined;
    for (const [k, sentence] of p.split(/(?<=[。！？])/).entries()) {
      if (/[：:]$/.test(sentence) || /下列|以下/.test(sentence) && /之一|情形|事项|内容|条件/.test(sentence) && /[：:]$/.test(p)) continue;
      const before = previous;
      previous = { text: sentence, index: i };
      if (CONTINUES.test(sentence) || LEANS_BACK.test(sentence) || POINTS_BACK.test(sentence) || (k > 0 && (CONDITION.test(sentence) || CONTINUES_IN_PARAGRAPH.test(sentence)))) {
        // Asked after the sentence it continues, or not at all.
        if (!before || NOT_A_RULE.test(before.text) || /下列|以下/.test(before.text)) continue;
        const text = `${before.text}${sentence}`;
        if (text.length <= CONTEXT_UNIT_MAX && sentence.length >= SENTENCE_MIN && !LEANS_BACK.test(before.text) && !POINTS_BACK.test(before.text)) {
          units.push({ text: endWithFullStop(text), from: before.text.length, paragraphs: [...new Set([before.index, i])] });
        }
        continue;
      }
      if (sentence.length <= SENTENCE_MAX) {
        if (sentence.length >= SENTENCE_MIN) units.push({ text: endWithFullStop(sentence), from: 0, paragraphs: [i] });
        continue;
      }
      // A long sentence is asked clause by clause; later clauses keep the first one, which names the subject.
      const [first, ...rest] = sentence.split(/(?<=；)/);
      if (first!.length >= SENTENCE_MIN && first!.length <= SENTENCE_MAX) units.push({ text: endWithFullStop(first!), from: 0, paragraphs: [i] });
      const subject = first!.replace(/；$/, '');
      for (const piece of rest) {
        const text = `${subject}${ELLIPSIS}${piece}`;
        if (piece.length >= CLAUSE_PIECE_MIN && subject.length <= CLAUSE_LEAD_MAX && text.length <= CLAUSE_UNIT_MAX) {
          units.push({ text: endWithFullStop(text), from: subject.length + ELLIPSIS.length, paragraphs: [i] });
        }
      }
    }
    if (/[：:]$/.test(p)) {
      previous = undefined;
      const last = p.split(/(?<=[。；])/).pop()!;
      // The lead's last clause must say what the items are (有下列行为之一的…): 「尚不构成犯罪的，依法给予治安管理处罚：」 does not.
      if (last.length <= LEAD_MAX && !UNASKABLE_UNIT.test(last) && /下列|以下|如下/.test(last)) lead = { text: last.replace(/:$/, '：'), index: i };
    }
  });
  const out: Unit[] = [];
  for (const u of units) {
    if (!standsAlone(u)) continue;
    const note = referenceNote(u.text, a, law, u.paragraphs[0]!);
    if (note === undefined || (note && !ASK_REFERRING_UNITS)) continue;
    out.push(note ? { ...u, note } : u);
  }
  return out;
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

/** The sentences (up to 。 or ；) of an article's paragraphs that are not items, with their paragraph index. */
function plainSentences(a: Article): { sentence: string; paragraph: number }[] {
  const out: { sentence: string; paragraph: number }[] = [];
  a.paragraphs.forEach((raw, paragraph) => {
    const p = compact(raw);
    if (ITEM.test(p)) return;
    for (const sentence of p.split(/(?<=[。；])/)) out.push({ sentence, paragraph });
  });
  return out;
}

/** In-sentence lists: 预算包括一般公共预算、政府性基金预算、国有资本经营预算、社会保险基金预算。 */
export function sentenceLists(a: Article): SentenceList[] {
  const out: SentenceList[] = [];
  for (const { sentence, paragraph } of plainSentences(a)) {
    const m = sentence.match(/^([^，。；：]{2,40}?)(包括|分为)([^。；：，]+)[。；]$/);
    if (!m) continue;
    const parts = m[3]!.split(/、|(?:和|及|以及|与)(?=[^、]*$)/).map((x) => x.trim()).filter(Boolean);
    // Only real lists: A、B、C和D, or two of one kind (委托代理和法定代理); 和 inside a single phrase must not split it.
    const pair = parts.length === 2 && !m[3]!.includes('、') && parts.every((x) => x.length >= 3 && x.length <= 8) && parts[0]!.slice(-2) === parts[1]!.slice(-2);
    if (!pair && (m[3]!.match(/、/g) ?? []).length < LIST_MIN_ITEMS - 1) continue;
    if ((!pair && parts.length < LIST_MIN_ITEMS) || parts.some((x) => x.length < LIST_ITEM_MIN || x.length > LIST_ITEM_MAX) || m[3]!.includes('等')) continue;
    if (UNASKABLE_UNIT.test(m[1]!)) continue;
    out.push({ head: m[1]!, verb: m[2]!, items: parts, paragraph, sentence });
  }
  return out;
}

export interface Definition {
  /** The defined term: 政府采购. */
  term: string;
  /** What stands before 所称 (本法, 预算法第十六条第三款), '' for 「X是指Y」. */
  scope: string;
  /** What stands between the term and 是指 in the article: '，' or ''. */
  comma: string;
  /** The definition after 是指: 各级国家机关、事业单位和团体组织，使用财政性资金采购…的行为。 */
  body: string;
  paragraph: number;
}

/** Defined terms shorter or longer than this are fragments or phrases, not terms. */
const TERM_MIN = 2;
const TERM_MAX = 16;
/** A definition shorter than this says too little to be recognised by. */
const DEFINITION_MIN = 8;
const DEFINITION_RE = /^(?:([^，。；]{0,24}?)所称(?:的)?)?([^，。；（“”]{2,16})(?:（[^）]*）)?(，?)是指([^：:]+?[。；])$/;

/** The article's definitions: 本法所称政府采购，是指…；采购人是指…。 */
export function definitions(a: Article): Definition[] {
  const out: Definition[] = [];
  for (const { sentence, paragraph } of plainSentences(a)) {
    const m = sentence.match(DEFINITION_RE);
    if (!m) continue;
    const [, scope = '', term, comma = '', body] = m;
    if (term!.length < TERM_MIN || term!.length > TERM_MAX || body!.length < DEFINITION_MIN || body!.includes(term!)) continue;
    if (/[，、的和与或]|前款|本条|^所称/.test(term!) || /^(?:前|本条|上述)/.test(scope)) continue;
    out.push({ term: term!, scope, comma, body: endWithFullStop(body!), paragraph });
  }
  return out;
}

export interface PrincipleList {
  /** Who follows them, up to the verb: 政府采购应当遵循. */
  head: string;
  /** The principles without 「原则」: 公开透明、公平竞争、公正、诚实信用. */
  items: string[];
  sentence: string;
  paragraph: number;
}

/** A listed principle is at most this long (诚实信用, 最有利于被监护人 is no list member). */
const PRINCIPLE_MAX = 8;
const PRINCIPLE_RE = /^([^。；：]{2,40}?(?:应当)?(?:遵循|坚持|贯彻|实行))([^。；：（]{3,80}?)的?原则[，。；]/;

/** Lists of principles: 政府采购应当遵循公开透明原则、公平竞争原则、公正原则和诚实信用原则。 */
export function principleLists(a: Article): PrincipleList[] {
  const out: PrincipleList[] = [];
  for (const { sentence, paragraph } of plainSentences(a)) {
    const m = sentence.match(PRINCIPLE_RE);
    if (!m || LEANS_BACK.test(m[1]!)) continue;
    const items = m[2]!
      .split(/、|和|以及|及/)
      .map((x) => x.replace(/原则$/, '').replace(/^的/, ''))
      .filter(Boolean);
    if (items.length < 2 || items.some((x) => x.length < 2 || x.length > PRINCIPLE_MAX || /的|，/.test(x))) continue;
    out.push({ head: m[1]!, items, sentence, paragraph });
  }
  return out;
}
