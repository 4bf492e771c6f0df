/**
 * Makes exam questions from a law's own articles: 单选题 (a blank on a time limit, amount, ratio, date or
 * organ), 多选题 (which items does the article list) and 判断题 (the statement, or a precisely altered one).
 * Every distractor is checked against the whole law so that it never makes a true statement there.
 */
import { citationLabel } from '../knowledge/citation-label.ts';
import type { Article, LawVersion } from '../knowledge/types.ts';
import { bigramsOf } from '../search/bigrams.ts';
import { findSpans, formatValue, neighbourValues, type Span } from './law-spans.ts';
import { createRandom, shortHash, type Random } from './random.ts';
import { JUDGE_OPTIONS, type Question, type QuestionType, type SpanKind } from './types.ts';

/** The blank as printed in stems. */
export const BLANK = '（　）';
/** Joins the subject clause and a later clause of a long sentence in a stem. */
export const ELLIPSIS = '……';

export interface GenerateOptions {
  /** Which types to make (all three by default). */
  types?: QuestionType[];
  /** Only these article numbers (a checklist's key articles); all eligible ones when omitted. */
  articles?: number[];
}

/** Strip white space: how texts are compared, since law files wrap lines differently. */
export function compact(s: string): string {
  return s.replace(/[\s\u3000]+/g, '');
}

/** Articles not worth asking: 附则, commencement, purpose and scope clauses. */
export function isAskableArticle(a: Article): boolean {
  if (a.path.some((h) => /附\s*则/.test(h))) return false;
  const t = compact(a.text);
  if (t.length < 12) return false;
  if (/^本(法|条例|规定|办法|细则|决定)(自|由|所称|下列用语)/.test(t)) return false;
  if (/^(为了|为)[^。]{0,120}(制定本|特制定)/.test(t) && t.split('。').filter(Boolean).length <= 1) return false;
  if (/(施行|废止)。?$/.test(t) && t.length < 80) return false;
  return true;
}

/** Sentences that are definitions, scope or purpose, or refer to text the stem would not show. */
const UNASKABLE_UNIT = /本(法|条例|规定|办法)所称|是指|适用本(法|条例|规定|办法)|制定本(法|条例)|本(法|条例|规定|办法)自.*施行|^(前款|前两款|前三款|前项|前述|本条|上述|该|其|依照前款|依照本条|对前款|有前款|有前两款|除前款|违反前款|前款规定|但是|但|并且|并|且|或者|以及)/;
/** Stems that lean on text they do not show (前款, 前两条) cannot be answered from the stem alone. */
const REFERS_ELSEWHERE = /前款|前两款|前三款|前条|前两条|前三条|前项|本条第|上述|前述/;
/** Sentences that say nothing without their article: 具体办法由国务院规定。 */
const CONTEXTLESS = /^(具体|其他|相关|有关)?(办法|条件和标准|标准|实施细则|细则|规定|管理办法|具体办法)/;
const ITEM = /^（[一二三四五六七八九十]+）/;

interface Unit {
  /** What the stem shows: a sentence, or an enumeration's lead + one item. */
  text: string;
  /** Where spans may fall (the item part of a lead + item unit). */
  from: number;
  /** Paragraph indexes the unit comes from, for quoting. */
  paragraphs: number[];
}

function endWithFullStop(s: string): string {
  const t = s.replace(/[；，：:、]$/, '');
  return /[。？！]$/.test(t) ? t : `${t}。`;
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
      if (text.length <= 150) units.push({ text: endWithFullStop(text), from: head.length, paragraphs: [lead.index, i] });
      return;
    }
    lead = undefined;
    for (const sentence of p.split(/(?<=[。！？])/)) {
      if (/[：:]$/.test(sentence) || /下列|以下/.test(sentence) && /之一|情形|事项|内容|条件/.test(sentence) && /[：:]$/.test(p)) continue;
      if (sentence.length <= 110) {
        if (sentence.length >= 10) units.push({ text: endWithFullStop(sentence), from: 0, paragraphs: [i] });
        continue;
      }
      // A long sentence is asked clause by clause; later clauses keep the first one, which names the subject.
      const [first, ...rest] = sentence.split(/(?<=；)/);
      if (first!.length >= 10 && first!.length <= 110) units.push({ text: endWithFullStop(first!), from: 0, paragraphs: [i] });
      const lead = first!.replace(/；$/, '');
      for (const piece of rest) {
        const text = `${lead}${ELLIPSIS}${piece}`;
        if (piece.length >= 6 && lead.length <= 60 && text.length <= 150) units.push({ text: endWithFullStop(text), from: lead.length + ELLIPSIS.length, paragraphs: [i] });
      }
    }
    if (/[：:]$/.test(p)) {
      const last = p.split(/(?<=[。；])/).pop()!;
      if (last.length <= 90 && !UNASKABLE_UNIT.test(last)) lead = { text: last.replace(/:$/, '：'), index: i };
    }
  });
  return units.filter(
    (u) =>
      u.text.length >= 16 &&
      !/以下(统称|简称)/.test(u.text) &&
      !(u.from > 0 && CATCH_ALL.test(u.text.slice(u.from))) &&
      !CONTEXTLESS.test(u.text) &&
      !UNASKABLE_UNIT.test(u.text) &&
      !UNASKABLE_UNIT.test(u.text.slice(u.from)) &&
      !REFERS_ELSEWHERE.test(u.text),
  );
}

export interface LawContext {
  law: LawVersion;
  /** All article texts without white space: distractor checks search here. */
  text: string;
  /** Distinct span texts of the law by unit key. */
  pool: Map<string, Span[]>;
  /** Enumerated and listed items of the law, with the article they come from. */
  items: { text: string; article: number; shape: string }[];
}

function itemShape(s: string): string {
  if (s.endsWith('的')) return 'conduct';
  if (s.length <= 10) return 'term';
  return 'clause';
}

const CATCH_ALL = /其他|规定的|等$/;

function enumerations(a: Article): { lead: string; leadIndex: number; items: string[]; indexes: number[] }[] {
  const out: { lead: string; leadIndex: number; items: string[]; indexes: number[] }[] = [];
  let cur: (typeof out)[number] | undefined;
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

/** In-sentence lists: 预算包括一般公共预算、政府性基金预算、国有资本经营预算、社会保险基金预算。 */
function sentenceLists(a: Article): { head: string; verb: string; items: string[]; paragraph: number; sentence: string }[] {
  const out: { head: string; verb: string; items: string[]; paragraph: number; sentence: string }[] = [];
  a.paragraphs.forEach((raw, i) => {
    const p = compact(raw);
    if (ITEM.test(p)) return;
    for (const sentence of p.split(/(?<=[。；])/)) {
      const m = sentence.match(/^([^，。；：]{2,40}?)(包括|分为)([^。；：，]+)[。；]$/);
      if (!m) continue;
      const parts = m[3]!.split(/、|(?:和|及|以及|与)(?=[^、]*$)/).map((x) => x.trim()).filter(Boolean);
      // Only real lists (A、B、C和D): 和 and 及 inside a single phrase must not split it.
      if ((m[3]!.match(/、/g) ?? []).length < 2) continue;
      if (parts.length < 3 || parts.some((x) => x.length < 2 || x.length > 16) || m[3]!.includes('等')) continue;
      if (UNASKABLE_UNIT.test(m[1]!)) continue;
      out.push({ head: m[1]!, verb: m[2]!, items: parts, paragraph: i, sentence });
    }
  });
  return out;
}

/** Everything the generator needs to know about a whole law: its text and its pools of spans and items. */
export function buildLawContext(law: LawVersion): LawContext {
  const pool = new Map<string, Span[]>();
  const items: LawContext['items'] = [];
  for (const a of law.articles) {
    for (const s of findSpans(compact(a.text))) {
      const list = pool.get(s.unitKey) ?? [];
      if (!list.some((x) => x.text === s.text)) list.push(s);
      pool.set(s.unitKey, list);
    }
    for (const e of enumerations(a)) {
      for (const it of e.items) if (!CATCH_ALL.test(it) && it.length >= 2 && it.length <= 40) items.push({ text: it, article: a.number, shape: itemShape(it) });
    }
    for (const l of sentenceLists(a)) for (const it of l.items) items.push({ text: it, article: a.number, shape: itemShape(it) });
  }
  return { law, text: law.articles.map((a) => compact(a.text)).join('\n'), pool, items };
}

/** A filled-in window of the stem around the span: what must not appear in the law for a distractor. */
function window(unit: string, start: number, end: number, fill: string): string {
  const left = unit.slice(Math.max(0, start - 3), start);
  const right = unit.slice(end, end + 3).replace(/[。；，]$/, '');
  return `${left}${fill}${right}`;
}

/** Organs that name the same body (本级政府 / 本级人民政府) are one option, not two. */
function organCore(s: string): string {
  return s.replace(/人民政府/g, '政府').replace(/上一级/g, '上级').replace(/下一级/g, '下级').replace(/地方各级|各级|地方/g, '');
}

/** Courts are never a plausible wrong answer for an approving government body, and the other way round. */
function organFamily(s: string): string {
  if (/人民法院|人民检察院/.test(s)) return 'court';
  return 'state';
}

function organsConflict(a: string, b: string): boolean {
  const x = organCore(a);
  const y = organCore(b);
  return x === y || x.includes(y) || y.includes(x);
}

const bigrams = (s: string): Set<string> => new Set(bigramsOf(s));

function similar(a: string, b: string): boolean {
  const x = bigrams(a);
  const y = bigrams(b);
  let both = 0;
  for (const g of x) if (y.has(g)) both++;
  return both / Math.max(1, Math.min(x.size, y.size)) >= 0.4;
}

function valueOf(unitKey: string, text: string): string {
  const s = findSpans(text).find((x) => x.unitKey === unitKey || x.kind === 'organ');
  return s ? s.values.join('/') || text : text;
}

/** Up to `n` wrong answers of the key's kind that make no true statement in the law. */
function distractorsFor(ctx: LawContext, unit: Unit, span: Span, rng: Random, n = 3): string[] {
  const keyValue = valueOf(span.unitKey, span.text);
  const out: string[] = [];
  const seenValues = new Set([keyValue]);
  const ok = (cand: string) => {
    if (!cand || cand === span.text) return false;
    if (span.kind === 'organ') {
      if (organFamily(cand) !== organFamily(span.text)) return false;
      // An organ already named in the stem is no answer to its own blank (X 应当会同（　）).
      if (unit.text.slice(0, span.start).includes(cand) || unit.text.slice(span.end).includes(cand)) return false;
      if (organsConflict(cand, span.text) || out.some((o) => organsConflict(o, cand))) return false;
    } else {
      const v = valueOf(span.unitKey, cand);
      if (seenValues.has(v)) return false;
    }
    if (ctx.text.includes(window(unit.text, span.start, span.end, cand))) return false;
    return true;
  };
  const take = (cand: string) => {
    out.push(cand);
    if (span.kind !== 'organ') seenValues.add(valueOf(span.unitKey, cand));
  };
  // Values from elsewhere in the law are plausible only when near the key's (not 五十年 for 二年).
  const near = (s: Span) => span.kind === 'organ' || s.values[0] === undefined || span.values[0] === undefined || Math.abs(Math.log(s.values[0] / span.values[0])) <= Math.log(6);
  const fromLaw = rng.shuffle((ctx.pool.get(span.unitKey) ?? []).filter(near).map((s) => s.text));
  if (span.kind === 'organ') {
    // Prefer organs that share the key's level or department: 本级政府财政部门 vs 上一级政府财政部门.
    const score = (c: string) => (c.slice(0, 2) === span.text.slice(0, 2) ? 1 : 0) + (c.slice(-2) === span.text.slice(-2) ? 1 : 0);
    fromLaw.sort((a, b) => score(b) - score(a));
    for (const c of fromLaw) if (out.length < n && ok(c)) take(c);
    return out;
  }
  // At most two values from the law itself (plausible), the rest neighbours of the key's value.
  for (const c of fromLaw) if (out.length < Math.min(2, n) && ok(c)) take(c);
  const neighbours = neighbourValues(span)
    .slice(0, 8)
    .map((v) => formatValue(span.unitKey, v, span.text))
    .filter((x): x is string => Boolean(x));
  for (const c of [...rng.shuffle(neighbours.slice(0, 4)), ...neighbours.slice(4)]) if (out.length < n && ok(c)) take(c);
  for (const c of fromLaw) if (out.length < n && ok(c)) take(c);
  return out;
}

function numericOrder(unitKey: string, text: string): number {
  const s = findSpans(text).find((x) => x.unitKey === unitKey);
  if (!s) return 0;
  return s.unitKey === 'date' ? s.values[0]! * 100 + s.values[1]! : s.values[0]! * 1e6 + (s.values[1] ?? 0);
}

function quote(law: LawVersion, a: Article, paragraphs?: number[]): string {
  const whole = !paragraphs || paragraphs.length === 0;
  const idx = whole ? a.paragraphs.map((_, i) => i) : [...new Set(paragraphs)].sort((x, y) => x - y);
  // Paragraphs quoted out of a longer article are joined with an ellipsis where text is left out.
  const body = idx.map((i, k) => (k > 0 && i !== idx[k - 1]! + 1 ? ELLIPSIS : '') + compact(a.paragraphs[i]!)).join('');
  return `依据${citationLabel({ law: law.title, articleLabel: a.label })}：${body}`;
}

/**
 * Deterministic question id: law title + version + article + type + the blanked span (and variant).
 * An amended law has a new version, so its questions get new ids and the old ones retire.
 */
export function questionId(law: string, version: string, article: string, type: QuestionType, span: string, variant = ''): string {
  return `q-${shortHash(law, version, article, type, span, variant)}`;
}

function base(ctx: LawContext, a: Article, type: QuestionType, kind: SpanKind, idSpan: string, variant = '') {
  return {
    id: questionId(ctx.law.title, ctx.law.version, a.label, type, idSpan, variant),
    type,
    law: ctx.law.title,
    article: a.label,
    articleNumber: a.number,
    articleSuffix: a.suffix,
    version: ctx.law.version,
    kind,
    source: 'generated' as const,
  };
}

function stemOf(ctx: LawContext, body: string): string {
  return `根据《${ctx.law.title}》，${body}`;
}

/** A blank right before a title (（　）委员长) is answered by the title itself. */
const TITLE_AFTER = /^(委员长|主任|主席|负责人|秘书长|首长|部长|局长)/;
/** An organ that only qualifies another body (各级政府审计部门) is not the one that acts. */
const ORGAN_NOUN_AFTER = /^[\u4e00-\u9fff]{0,4}(部门|机关|机构)/;

/**
 * An organ listed with others (会同公安机关、药品监督管理部门) is no question: swapping one member makes
 * nonsense (「会同国务院、药品监督管理部门」), and a blank in a list has several right answers.
 */
function inList(unit: Unit, span: Span): boolean {
  return unit.text[span.start - 1] === '、' || unit.text[span.end] === '、';
}

function singleFromSpan(ctx: LawContext, a: Article, unit: Unit, span: Span): Question | undefined {
  if (span.kind === 'organ' && inList(unit, span)) return undefined;
  if (span.kind === 'organ' && (TITLE_AFTER.test(unit.text.slice(span.end)) || ORGAN_NOUN_AFTER.test(unit.text.slice(span.end)))) return undefined;
  // 「（　）负责具体实施。」 names no task: an organ blank needs a sentence that says what it does.
  if (span.kind === 'organ' && unit.text.length < 24) return undefined;
  const blanked = unit.text.slice(0, span.start) + BLANK + unit.text.slice(span.end);
  if (blanked.includes(span.text)) return undefined; // the key printed elsewhere in the stem gives it away
  const b = base(ctx, a, 'single', span.kind, `${unit.text}|${span.start}|${span.text}`);
  const rng = createRandom(b.id);
  const wrong = distractorsFor(ctx, unit, span, rng);
  if (wrong.length < 3) return undefined;
  let options = [span.text, ...wrong];
  options = span.kind === 'organ' ? rng.shuffle(options) : options.sort((x, y) => numericOrder(span.unitKey, x) - numericOrder(span.unitKey, y));
  return {
    ...b,
    stem: stemOf(ctx, blanked),
    options,
    answer: [options.indexOf(span.text)],
    explanation: quote(ctx.law, a, a.paragraphs.length > 1 ? unit.paragraphs : undefined),
  };
}

function judgeFromSpan(ctx: LawContext, a: Article, unit: Unit, span: Span): Question | undefined {
  if (span.kind === 'organ' && (inList(unit, span) || ORGAN_NOUN_AFTER.test(unit.text.slice(span.end)) || unit.text.length < 24)) return undefined;
  const rng = createRandom(shortHash(ctx.law.id, a.label, unit.text, span.start, 'judge'));
  const truthful = rng.next() < 0.5;
  const explanation = quote(ctx.law, a, a.paragraphs.length > 1 ? unit.paragraphs : undefined);
  if (truthful) {
    return {
      ...base(ctx, a, 'judge', span.kind, `${unit.text}|${span.start}|${span.text}`, 'true'),
      stem: stemOf(ctx, unit.text),
      options: [...JUDGE_OPTIONS],
      answer: [0],
      explanation,
    };
  }
  const [wrong] = distractorsFor(ctx, unit, span, rng, 1);
  if (!wrong) return undefined;
  const altered = unit.text.slice(0, span.start) + wrong + unit.text.slice(span.end);
  return {
    ...base(ctx, a, 'judge', span.kind, `${unit.text}|${span.start}|${span.text}`, wrong),
    stem: stemOf(ctx, altered),
    options: [...JUDGE_OPTIONS],
    answer: [1],
    explanation: `${explanation} 题干将「${span.text}」改为「${wrong}」，故错误。`,
  };
}

/** Subjects whose duty or licence (应当 / 不得 / 可以) is worth a true-or-false question. */
const DUTY_SUBJECT = /预算|决算|政府|部门|机关|单位|采购人|代理机构|供应商|当事人|人民代表大会|常务委员会|国务院|机构|会计|审计|出资人|企业/;
const MODAL_SWAP: Record<string, string> = { 应当: '可以', 不得: '可以', 必须: '可以' };

function judgeFromModal(ctx: LawContext, a: Article, unit: Unit): Question | undefined {
  const text = unit.text;
  const found = Object.keys(MODAL_SWAP).flatMap((m) => [...text.matchAll(new RegExp(m, 'g'))].map((x) => ({ m, i: x.index! })));
  const modals = [...text.matchAll(/应当|不得|必须|可以/g)];
  if (found.length !== 1 || modals.length !== 1) return undefined;
  const { m, i } = found[0]!;
  if (i < unit.from || !DUTY_SUBJECT.test(text.slice(0, i))) return undefined;
  const swapped = MODAL_SWAP[m]!;
  const altered = text.slice(0, i) + swapped + text.slice(i + m.length);
  if (ctx.text.includes(window(text, i, i + m.length, swapped))) return undefined;
  const rng = createRandom(shortHash(ctx.law.id, a.label, text, 'modal'));
  const truthful = rng.next() < 0.4;
  const explanation = quote(ctx.law, a, a.paragraphs.length > 1 ? unit.paragraphs : undefined);
  return truthful
    ? {
        ...base(ctx, a, 'judge', 'modal', `${text}|${m}`, 'true'),
        stem: stemOf(ctx, text),
        options: [...JUDGE_OPTIONS],
        answer: [0],
        explanation,
      }
    : {
        ...base(ctx, a, 'judge', 'modal', `${text}|${m}`, swapped),
        stem: stemOf(ctx, altered),
        options: [...JUDGE_OPTIONS],
        answer: [1],
        explanation: `${explanation} 条文规定的是「${m}」，题干改为「${swapped}」，故错误。`,
      };
}

function multipleQuestion(
  ctx: LawContext,
  a: Article,
  stemBody: string,
  items: string[],
  idSpan: string,
  paragraphs: number[],
): Question | undefined {
  const keys = items.filter((it) => !CATCH_ALL.test(it) && it.length >= 2 && it.length <= 40);
  if (keys.length < 2) return undefined;
  const b = base(ctx, a, 'multiple', 'item', idSpan);
  const rng = createRandom(b.id);
  const articleText = compact(a.text);
  const meanLen = keys.reduce((s, k) => s + k.length, 0) / keys.length;
  const shapes = new Set(keys.map(itemShape));
  // A distractor must be on the keys' theme (share words with them) without restating any of them.
  const theme = new Set(keys.flatMap((k) => [...bigrams(k)]));
  const onTheme = (t: string) => {
    const g = [...bigrams(t)];
    return g.filter((x) => theme.has(x)).length / Math.max(1, g.length);
  };
  const candidates = rng
    .shuffle(
      ctx.items.filter(
        (it) =>
          it.article !== a.number &&
          shapes.has(it.shape) &&
          Math.abs(it.text.length - meanLen) <= Math.max(4, meanLen * 0.6) &&
          !articleText.includes(it.text) &&
          !items.some((k) => similar(k, it.text) || k.includes(it.text) || it.text.includes(k)) &&
          onTheme(it.text) >= 0.25 &&
          // Short terms must also be of the keys' sort: 公开招标 / 邀请招标, not 招标文件.
          (it.shape !== 'term' || keys.some((k) => k.slice(-2) === it.text.slice(-2))),
      ),
    )
    .sort((x, y) => onTheme(y.text) - onTheme(x.text));
  const wrong: string[] = [];
  for (const c of candidates) {
    if (wrong.length >= 2) break;
    if (!wrong.includes(c.text) && !wrong.some((w) => similar(w, c.text))) wrong.push(c.text);
  }
  if (wrong.length === 0) return undefined;
  // Four options with at least two right: 2 + 2, or 3 + 1 when the law offers one good distractor.
  const nRight = wrong.length === 1 ? 3 : Math.min(keys.length, rng.next() < 0.5 ? 2 : 3);
  const right = rng.shuffle(keys).slice(0, nRight);
  if (right.length + wrong.length < 4 && right.length < 3) return undefined;
  const options = rng.shuffle([...right, ...wrong.slice(0, 4 - right.length)]);
  return {
    ...b,
    stem: stemOf(ctx, stemBody),
    options,
    answer: options.map((o, i) => (right.includes(o) ? i : -1)).filter((i) => i >= 0),
    explanation: quote(ctx.law, a, a.paragraphs.length > 1 ? paragraphs : undefined),
  };
}

function multipleFromEnumeration(ctx: LawContext, a: Article): Question[] {
  const out: Question[] = [];
  for (const e of enumerations(a)) {
    const lead = e.lead.split(/(?<=[。；])/).pop()!.replace(/[：:]$/, '');
    if (lead.length > 80 || UNASKABLE_UNIT.test(lead) || REFERS_ELSEWHERE.test(lead) || !/下列|以下/.test(lead)) continue;
    let asked = lead.replace(/(下列|以下)([^，。；：]{0,12}?)之一/, '下列哪些$2');
    if (asked === lead) asked = lead.replace(/下列|以下/, '下列哪些');
    if (/哪些[^，。；]{0,6}(一种|之一|一项)/.test(asked)) continue;
    const q = multipleQuestion(ctx, a, `${asked}？`, e.items, `${e.lead}|${e.items.join('|')}`, [e.leadIndex, ...e.indexes]);
    if (q) out.push(q);
  }
  for (const l of sentenceLists(a)) {
    const q = multipleQuestion(ctx, a, `${l.head}${l.verb}下列哪些？`, l.items, `${l.sentence}`, [l.paragraph]);
    if (q) out.push(q);
  }
  return out;
}

/**
 * All questions the generator can make from one law version, in article order. Deterministic: the same
 * law text always gives the same questions, options and option order.
 * @example generateLawQuestions(catalog.resolve('预算法')[0]!, { types: ['single'] })
 */
export function generateLawQuestions(law: LawVersion, opts: GenerateOptions = {}, ctx: LawContext = buildLawContext(law)): Question[] {
  const types = new Set(opts.types ?? ['single', 'multiple', 'judge']);
  const only = opts.articles ? new Set(opts.articles) : undefined;
  const out: Question[] = [];
  const seen = new Set<string>();
  const push = (q: Question | undefined) => {
    // Two spans of one sentence both left unaltered make the same true-or-false question: keep one.
    const key = q ? `${q.type}|${q.stem}` : '';
    if (q && !seen.has(q.id) && !seen.has(key)) {
      seen.add(q.id);
      seen.add(key);
      out.push(q);
    }
  };
  for (const a of law.articles) {
    if (only && !only.has(a.number)) continue;
    if (!isAskableArticle(a)) continue;
    if (types.has('multiple')) multipleFromEnumeration(ctx, a).forEach(push);
    for (const unit of articleUnits(a)) {
      const spans = findSpans(unit.text).filter((s) => s.start >= unit.from);
      for (const span of spans) {
        if (types.has('single')) push(singleFromSpan(ctx, a, unit, span));
        if (types.has('judge')) push(judgeFromSpan(ctx, a, unit, span));
      }
      if (types.has('judge') && spans.length === 0) push(judgeFromModal(ctx, a, unit));
    }
  }
  return out;
}
