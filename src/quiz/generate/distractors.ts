/**
 * Wrong answers: values and organs of the key's kind for a blank or an altered statement, and listed items
 * of the same law for a 多选题. Every candidate is checked against the whole law's text, so that it never
 * makes a statement the law itself contains.
 */
import type { Article } from '../../knowledge/types.ts';
import type { Random } from '../random.ts';
import { SANCTION_LEAD, type LawContext } from './law-context.ts';
import { absoluteRank, levelDistance, ORGAN_VOCABULARY, organCore, organProfile, organRole, plausibleOrgan, type OrganProfile } from './organs.ts';
import { counterparts, partiesIn } from './parties.ts';
import { EFFECTS, findSpans, formatValue, neighbourValues, safeSide, type SafeSide, type Span } from './spans.ts';
import { bigramList, compact, similar, similarity } from './text.ts';
import { enumerations, type Unit } from './units.ts';
import { itemShape } from './items.ts';

/** Characters of the stem kept on each side of a filled-in distractor when searching the law for it. */
const WINDOW_CHARS = 3;
/**
 * A value from elsewhere in the law is a plausible distractor only within this factor of the key's
 * (二年 against 五年, not 五十年).
 */
const NEAR_FACTOR = 6;
/** At most this many distractors come from the law's own values; the rest are neighbours of the key's value. */
const FROM_LAW_MAX = 2;
/** An organ the law itself names counts this much more than the same organ from the shared vocabulary. */
const ORGAN_FROM_LAW_BONUS = 2;
/** Organs more levels apart than this (国务院 against 乡、民族乡、镇政府) are used only when nothing nearer is left. */
const ORGAN_LEVEL_REACH = 2;
/** Neighbour values tried, nearest first… */
const NEIGHBOUR_POOL = 8;
/** …of which the nearest this many are shuffled, so the same key does not always get the same distractors. */
const NEIGHBOUR_SHUFFLED = 4;

/** A filled-in window of the stem around the span: what must not appear in the law for a distractor. */
export function window(unit: string, start: number, end: number, fill: string): string {
  const left = unit.slice(Math.max(0, start - WINDOW_CHARS), start);
  const right = unit.slice(end, end + WINDOW_CHARS).replace(/[。；，]$/, '');
  return `${left}${fill}${right}`;
}

/** Two organ names that are one body, or one inside the other (人民法院 / 上一级人民法院), are never both options. */
export function organsConflict(a: string, b: string): boolean {
  const x = organCore(a);
  const y = organCore(b);
  if (x === y || x.includes(y) || y.includes(x)) return true;
  // A generic name (上一级行政机关, 上一级主管部门, 有关部门) covers every organ of its level: it restates them.
  const levelOf = (s: string) => organProfile(s)?.level ?? 'none';
  const generic = (s: string) => GENERIC_ORGAN.test(s);
  if ((generic(x) || generic(y)) && levelOf(a) === levelOf(b)) return true;
  // 政府采购监督管理部门 are the 财政部门 (政府采购法第十三条): one body under two names.
  const procurement = (s: string) => /采购监督管理部门$/.test(s);
  const finance = (s: string) => /财政部门$/.test(s) && !procurement(s);
  return ((procurement(x) && finance(y)) || (procurement(y) && finance(x))) && levelOf(a) === levelOf(b);
}

/** Names that cover every organ of their level rather than naming one. */
export const GENERIC_ORGAN = /(?:行政机关|主管部门|有关部门|有关主管部门)$/;

const JUDICIAL = new Set(['court', 'procuratorate']);
const JUDICIAL_FUNCTION = /审判|检察权|检察建议|法律监督|诉讼|起诉|上诉|再审|申诉/;

/** Characters of a party's sentence after it kept when the law is searched for the other party in its place. */
const PARTY_WINDOW_RIGHT = 8;
/** Characters kept around an organ when the law is searched for the wrong organ in the key's place: 报（　）备案. */
const ORGAN_WINDOW = { left: 1, right: 2 };

function valueOf(unitKey: string, text: string): string {
  const s = findSpans(text).find((x) => x.unitKey === unitKey || x.kind === 'organ');
  return s ? s.values.join('/') || text : text;
}

/** The order of a numeric option: what 单选 options are sorted by and what 'lower' / 'higher' compare. */
export function numericOrder(unitKey: string, text: string): number {
  const s = findSpans(text).find((x) => x.unitKey === unitKey);
  if (!s) return 0;
  return s.unitKey === 'date' ? s.values[0]! * 100 + s.values[1]! : s.values[0]! * 1e6 + (s.values[1] ?? 0);
}

/** A wrong value or organ fits the blank without making a sentence the law contains. */
function freshInLaw(ctx: LawContext, unit: Unit, span: Span, cand: string): boolean {
  // A party is checked with more of what it does (出租人应当按照约定…), since 「出租人应当」 alone is everywhere.
  if (span.kind === 'party') return !ctx.text.includes(`${unit.text.slice(Math.max(0, span.start - 1), span.start)}${cand}${unit.text.slice(span.end, span.end + PARTY_WINDOW_RIGHT).replace(/[。；，]+$/, '')}`);
  if (span.kind !== 'organ') return !ctx.text.includes(window(unit.text, span.start, span.end, cand));
  // Organs are searched with their names normalised (本级政府 = 本级人民政府) and a tight window, so that
  // 「报上一级政府备案」 elsewhere in the law rules 上一级政府 out of 「……汇总后报（　）备案」.
  const left = unit.text.slice(Math.max(0, span.start - ORGAN_WINDOW.left), span.start);
  const right = unit.text.slice(span.end, span.end + ORGAN_WINDOW.right).replace(/[。；，、]+$/, '');
  return !ctx.organText.includes(organCore(`${left}${cand}${right}`));
}

/** Wrong values below and above the key's, most plausible first, each side only where a change makes a false statement. */
export interface NumericDistractors {
  below: string[];
  above: string[];
  side: SafeSide;
}

/** The other end of a range the span is one end of (「二年至五年」: the span 二年 is the lower end, 五年 the upper). */
function otherEnd(text: string, span: Span): { side: 'lower' | 'upper'; order: number } | undefined {
  const after = text.slice(span.end).match(/^(?:以上)?(?:至|到|-)([^，。；]{1,12})/);
  const before = text.slice(0, span.start).match(/([零〇一二三四五六七八九十百千万两0-9]+(?:个月|个工作日|工作日|日|年|元|万元))(?:以上)?(?:至|到)$/);
  const read = (t: string) => findSpans(t).find((x) => x.kind === span.kind);
  if (after) {
    const other = read(after[1]!);
    if (other) return { side: 'lower', order: comparableOrder(span, other) };
  }
  if (before) {
    const other = read(before[1]!);
    if (other) return { side: 'upper', order: comparableOrder(span, other) };
  }
  return undefined;
}

/** The other end's order on the span's scale: a range 六个月至三年 compares months with years. */
function comparableOrder(span: Span, other: Span): number {
  if (other.unitKey === span.unitKey) return numericOrder(other.unitKey, other.text);
  const inDays: Record<string, number> = { 'time:日': 1, 'time:个工作日': 1, 'time:个月': 30, 'time:年': 365 };
  const a = inDays[other.unitKey];
  const b = inDays[span.unitKey];
  return a && b ? ((other.values[0]! * a) / b) * 1e6 : NaN;
}

/** Candidate wrong values for a numeric span: the law's own values near the key's first, then neighbours. */
export function numericDistractors(ctx: LawContext, unit: Unit, span: Span, rng: Random): NumericDistractors {
  const side = safeSide(unit.text, span, Boolean(unit.itemIsCondition) && span.start >= unit.from);
  const keyOrder = numericOrder(span.unitKey, span.text);
  const seenValues = new Set([valueOf(span.unitKey, span.text)]);
  const below: string[] = [];
  const above: string[] = [];
  const near = (s: Span) => s.values[0] === undefined || span.values[0] === undefined || Math.abs(Math.log(s.values[0] / span.values[0])) <= Math.log(NEAR_FACTOR);
  const fromLaw = rng.shuffle((ctx.pool.get(span.unitKey) ?? []).filter(near).map((s) => s.text));
  const neighbours = neighbourValues(span)
    .slice(0, NEIGHBOUR_POOL)
    .map((v) => formatValue(span.unitKey, v, span.text))
    .filter((x): x is string => Boolean(x));
  const rangeEnd = otherEnd(unit.text, span);
  let taken = 0;
  const consider = (cand: string, fromTheLaw: boolean) => {
    if (!cand || cand === span.text) return;
    const v = valueOf(span.unitKey, cand);
    if (seenValues.has(v) || !freshInLaw(ctx, unit, span, cand)) return;
    const order = numericOrder(span.unitKey, cand);
    if (order === keyOrder) return;
    // An end of a range (二年至五年, 六个月至三年) stays on its side of the other end.
    if (rangeEnd && (rangeEnd.side === 'lower' ? order >= rangeEnd.order : order <= rangeEnd.order)) return;
    const list = order < keyOrder ? below : above;
    if ((order < keyOrder && side === 'higher') || (order > keyOrder && side === 'lower')) return;
    if (fromTheLaw && taken >= FROM_LAW_MAX) return;
    if (fromTheLaw) taken++;
    seenValues.add(v);
    list.push(cand);
  };
  for (const c of fromLaw) consider(c, true);
  for (const c of [...rng.shuffle(neighbours.slice(0, NEIGHBOUR_SHUFFLED)), ...neighbours.slice(NEIGHBOUR_SHUFFLED)]) consider(c, false);
  for (const c of fromLaw) consider(c, false);
  // Nearest first on each side: the most plausible wrong values are the ones next to the key.
  const distance = (c: string) => Math.abs(numericOrder(span.unitKey, c) - keyOrder);
  below.sort((a, b) => distance(a) - distance(b));
  above.sort((a, b) => distance(a) - distance(b));
  return { below, above, side };
}

/**
 * Organs a sentence names around the blank cannot be the answer to it (X 应当会同（　）), nor can the same
 * body under another name (地方各级人民政府对（　）负责 with 本级人民政府 as an option).
 */
function namedInStem(unit: Unit, span: Span, others: Span[], cand: string): boolean {
  const rest = organCore(unit.text.slice(0, span.start) + '|' + unit.text.slice(span.end));
  if (rest.includes(organCore(cand))) return true;
  return others.some((s) => organsConflict(s.text, cand));
}

/**
 * Up to `n` wrong organs for an organ span: of a level and body that could hold the sentence's role, from
 * the law itself first and then from the organs the checklist's laws name, never one that names the key's
 * body again or contains it.
 */
export function organDistractors(ctx: LawContext, unit: Unit, span: Span, rng: Random, n: number): string[] {
  const key = organProfile(span.text);
  if (!key) return [];
  const role = organRole(unit.text.slice(0, span.start), unit.text.slice(span.end));
  const fromLaw = new Set((ctx.pool.get('organ') ?? []).map((s) => s.text));
  // Organs the law itself names: a stock list (本级人民代表大会, 上一级人民代表大会常务委员会, 上一级人民政府) put
  // beside any key is of the wrong kind for most laws (a 保密 report to a congress's committee).
  // The shared vocabulary fills in only with bodies of the key's own kind (a government for a government).
  const sameKind = ORGAN_VOCABULARY.filter((c) => !fromLaw.has(c) && key.body !== 'department' && organProfile(c)?.body === key.body);
  const candidates = rng.shuffle([...fromLaw, ...sameKind]);
  const article = articleAround(ctx, unit, span);
  const score = (c: string, p: OrganProfile) =>
    (fromLaw.has(c) ? ORGAN_FROM_LAW_BONUS : 0) +
    (p.level === key.level ? 1 : 0) +
    (p.body === key.body ? 1 : 0) +
    (p.department && p.department === key.department ? 1 : 0) -
    (levelDistance(key.level, p.level) > ORGAN_LEVEL_REACH ? ORGAN_FROM_LAW_BONUS + 1 : 0);
  const ranked = candidates
    .map((c) => ({ c, p: organProfile(c) }))
    .filter((x): x is { c: string; p: OrganProfile } => Boolean(x.p) && plausibleOrgan(key, x.p!, role))
    // A department of another field (税务机关 or 保密行政管理部门 beside 公安机关 in 禁毒法) is plainly wrong:
    // a department key gets only departments its own law names.
    .filter((x) => key.body !== 'department' || x.p.body !== 'department' || fromLaw.has(x.c))
    // A court for a procuratorate (or the other way round) where the stem names the function (独立行使检察权, 审判)
    // is false by its words alone.
    .filter((x) => x.p.body === key.body || !JUDICIAL.has(x.p.body) || !JUDICIAL.has(key.body) || !JUDICIAL_FUNCTION.test(unit.text))
    .sort((a, b) => score(b.c, b.p) - score(a.c, a.p));
  const others = findSpans(unit.text).filter((s) => s.kind === 'organ' && s.start !== span.start);
  // 「国务院有关部门……报（　）审核批准」: who approves or receives is never below the sentence's subject.
  const sentenceStart = Math.max(unit.text.lastIndexOf('。', span.start), unit.text.lastIndexOf('；', span.start)) + 1;
  // The subject is the organ the sentence opens with (国务院向（　）报告), in a role or not.
  const subject = [...new Set([...fromLaw, ...ORGAN_VOCABULARY, ...others.map((o) => o.text)])]
    .filter((n) => unit.text.startsWith(n, sentenceStart) && sentenceStart + n.length <= span.start)
    .sort((x, y) => y.length - x.length)[0];
  const subjectProfile = subject && role !== 'act' && role !== 'partner' ? organProfile(subject) : undefined;
  const subjectRank = subjectProfile ? absoluteRank(subjectProfile.level) : undefined;
  const belowSubject = (p: OrganProfile) => {
    if (!subjectProfile) return false;
    // A government does not report to or seek approval from its own department (国务院向国务院财政部门报告).
    if (subjectProfile.body === 'government' && p.body === 'department' && (p.level === subjectProfile.level || p.level === 'none' || p.level === 'same')) return true;
    // Nor to itself: 「县级以上地方人民政府向（　）报告」 never offers 本级人民政府.
    if (p.body === subjectProfile.body && p.level === 'same' && (subjectProfile.level !== 'none' || subjectProfile.body !== 'department')) return true;
    if (subjectRank === undefined) return false;
    const r = absoluteRank(p.level);
    return r !== undefined && (r > subjectRank || (p.range && r !== subjectRank));
  };
  // The national congress and its standing committee (全国人民代表大会补选副主席) get central organs only: a province's
  // or county's body is off-level. 国务院 keeps its classic contrast with 省、自治区、直辖市人民政府.
  const offLevel = (p: OrganProfile) => key.level === 'central' && (key.body === 'congress' || key.body === 'standing') && p.level !== 'central';
  // 「向（　）报告」: an organ the law has receive reports elsewhere (地方审计机关对本级人民政府和上一级审计机关负责并报告工作)
  // may be owed this report too.
  const reportsElsewhere = role === 'receive' && /^(?:报告|负责|汇报)/.test(unit.text.slice(span.end));
  const out: string[] = [];
  for (const { c, p } of ranked) {
    if (belowSubject(p) || offLevel(p)) continue;
    if (out.length >= n) break;
    // A generic name (上一级主管部门, 有关部门) may be read to cover the key: never a wrong option.
    if (GENERIC_ORGAN.test(c) || c === span.text || namedInStem(unit, span, others, c) || organsConflict(c, span.text) || out.some((o) => organsConflict(o, c))) continue;
    if (!freshInLaw(ctx, unit, span, c)) continue;
    if (article && (namedElsewhereInArticle(article, unit, c) || sharesRelativeLevel(article, span, p))) continue;
    if (reportsElsewhere && answersReportsInLaw(ctx, c)) continue;
    out.push(c);
  }
  return out;
}

/** Whether the law anywhere has the organ answered to or reported to (…上一级审计机关负责并报告工作, 向本级政府报告). */
function answersReportsInLaw(ctx: LawContext, organ: string): boolean {
  const core = organCore(organ);
  let at = ctx.organText.indexOf(core);
  while (at >= 0) {
    const after = ctx.organText.slice(at + core.length, at + core.length + 8);
    if (/^(?:负责|报告|汇报)/.test(after) || /^[^，。；]{0,2}(?:负责并报告|报告工作)/.test(after)) return true;
    at = ctx.organText.indexOf(core, at + 1);
  }
  return false;
}

/** The whole article (all its 款) a unit's span comes from, found by the text just before the span. */
function articleAround(ctx: LawContext, unit: Unit, span: Span): string | undefined {
  const probe = unit.text.slice(Math.max(unit.from, span.start - 12), span.start);
  if (probe.length < 4) return undefined;
  return ctx.articleTexts.find((t) => t.includes(probe) && t.includes(unit.text.slice(span.end, span.end + 6)));
}

/** An organ another 款 of the article names may hold the role there too (宪法第一百一十条第二款): never a wrong option. */
function namedElsewhereInArticle(article: string, unit: Unit, cand: string): boolean {
  return organCore(article.replace(unit.text.slice(unit.from), '')).includes(organCore(cand));
}

/**
 * A relative level (上一级) the article gives another organ in another role is true of the sentence too under
 * one reading: 「地方各级人民政府对本级人民代表大会负责…对上一级国家行政机关负责」 makes 上一级人民政府 no wrong answer.
 */
function sharesRelativeLevel(article: string, span: Span, p: OrganProfile): boolean {
  if (p.level !== 'upper' && p.level !== 'lower') return false;
  return findSpans(article).some((s) => s.kind === 'organ' && s.text !== span.text && organProfile(s.text)?.level === p.level);
}

/** The clause (between ，；。) a span stands in: a party it names cannot stand in for the span. */
function clauseOf(text: string, span: Span): string {
  const start = Math.max(text.lastIndexOf('，', span.start), text.lastIndexOf('；', span.start), text.lastIndexOf('。', span.start)) + 1;
  const end = text.slice(span.end).search(/[，。；]/);
  return text.slice(start, end < 0 ? undefined : span.end + end);
}

/**
 * Up to `n` wrong parties: the key's counterparts first (出卖人 for 买受人), then the other parties of its
 * chapter, never one its own clause names (「（　）应当将标的物交付给买受人」 with 买受人 would be absurd).
 * Only counterparts when `counterpartsOnly` (an altered 判断题 must be plainly the other side).
 */
export function partyDistractors(ctx: LawContext, unit: Unit, span: Span, rng: Random, n: number, chapter: readonly string[] = [], counterpartsOnly = false): string[] {
  // Parties of the span's own clause, and the subject of its sentence before it (受托人…应当转交给（　）).
  const sentenceStart = Math.max(unit.text.lastIndexOf('。', span.start), unit.text.lastIndexOf('；', span.start)) + 1;
  const named = new Set([...partiesIn(clauseOf(unit.text, span)), ...partiesIn(unit.text.slice(sentenceStart, span.start))]);
  // Counterparts the chapter itself names first (a 中介 article gets 中介人, not 受托人 of another contract).
  const first = rng.shuffle(counterparts(span.text)).sort((x, y) => (chapter.includes(y) ? 1 : 0) - (chapter.includes(x) ? 1 : 0));
  const then = counterpartsOnly ? [] : rng.shuffle(chapter.filter((p) => !first.includes(p)));
  const out: string[] = [];
  for (const c of [...first, ...then]) {
    if (out.length >= n) break;
    if (c === span.text || named.has(c) || c.includes(span.text) || span.text.includes(c)) continue;
    if (!freshInLaw(ctx, unit, span, c)) continue;
    out.push(c);
  }
  return out;
}

/** Up to `n` wrong answers of the key's kind that make no true statement in the law (nearest values first). */
export function distractorsFor(ctx: LawContext, unit: Unit, span: Span, rng: Random, n = 3, chapter: readonly string[] = []): string[] {
  if (span.kind === 'organ') return organDistractors(ctx, unit, span, rng, n);
  if (span.kind === 'party') return partyDistractors(ctx, unit, span, rng, n, chapter, n === 1);
  if (span.kind === 'effect') {
    const group = EFFECTS[Number(span.unitKey.slice('effect:'.length))] ?? [];
    return rng.shuffle(group.filter((e) => e !== span.text && freshInLaw(ctx, unit, span, e))).slice(0, n);
  }
  const { below, above } = numericDistractors(ctx, unit, span, rng);
  const out: string[] = [];
  // Alternate sides, starting with a random one, so that a single wrong value is as often smaller as larger.
  const sides = rng.next() < 0.5 ? [below, above] : [above, below];
  for (let i = 0; out.length < n && (i < below.length || i < above.length); i++) {
    for (const list of sides) if (out.length < n && i < list.length) out.push(list[i]!);
  }
  return out;
}

/** A distractor opening with the same this many characters as a key is a variant of it. */
const ITEM_OPENING = 4;
/** An item's own opening, after the stock words most violations start with (违反本法规定，未按照规定…). */
const STOCK_OPENING = /^(?:违反|未依照|未按照|不按照|未依法|不依法|依照|按照)?(?:本法|本条例|法律、行政法规|法律、法规|国家|有关)?(?:的|有关)?(?:规定)?[，,]?/;
const opening = (item: string) => item.replace(STOCK_OPENING, '').slice(0, ITEM_OPENING);
/** A 多选 distractor's length may differ from the keys' mean by this share of it (at least ITEM_LENGTH_SLACK_MIN chars). */
const ITEM_LENGTH_SLACK = 0.6;
const ITEM_LENGTH_SLACK_MIN = 4;
/** A 多选 distractor must share at least this share of its bigrams with the keys: on their theme. */
const ITEM_THEME_MIN = 0.25;
/**
 * An item as similar as this to a key restates it (shared bigrams over the shorter one's); another law's
 * item must stay further off, since its wording was never checked against this law's intent.
 */
const SIMILAR_ITEM_MAX = 0.4;
const FOREIGN_SIMILAR_MAX = 0.2;
/** Families that name one legal kind (listFamily of 行政处罚的种类 / 政务处分的种类为): its members need not share words. */
const NAMED_KINDS = new Set(['种类']);
/** Another law's item must share more of the keys' words: 民法典's 「行为人具有相应的民事行为能力」 is off-kind among 受委托组织's conditions. */
const FOREIGN_THEME_MIN = 0.4;
/** Leads this similar (shared bigrams over the shorter) are about one subject: their lists are siblings. */
const SIBLING_SUBJECT_MIN = 0.5;
/** An item of the law itself is preferred over another law's by this much theme overlap. */
const OWN_ITEM_BONUS = 0.25;
/** Most wrong options of a 多选题. */
const ITEM_DISTRACTORS_MAX = 3;

/** The organ a list's subject opens with (国务院行使 → 国务院), undefined when it opens with none. */
function openingOrgan(subject: string): string | undefined {
  for (let n = subject.length; n >= 2; n--) if (organProfile(subject.slice(0, n))) return subject.slice(0, n);
  return undefined;
}

/** Two list subjects that open with two organs that are not one body. */
function distinctOrgans(a: string, b: string): boolean {
  const x = openingOrgan(a);
  const y = openingOrgan(b);
  return Boolean(x && y && !organsConflict(x, y));
}

/**
 * Listed items of other articles of the same law that are on the keys' theme without restating any of
 * them: the wrong options of a 多选题, best on-theme first.
 */
export function itemDistractors(ctx: LawContext, a: Article, keys: string[], items: string[], family: string, rng: Random, subject = ''): string[] {
  const articleText = compact(a.text);
  const namedKind = NAMED_KINDS.has(family);
  const meanLen = keys.reduce((s, k) => s + k.length, 0) / keys.length;
  const shapes = new Set(keys.map(itemShape));
  // A distractor must be on the keys' theme (share words with them) without restating any of them.
  const theme = new Set(keys.flatMap((k) => bigramList(k)));
  const onTheme = (t: string) => {
    const g = bigramList(t);
    return g.filter((x) => theme.has(x)).length / Math.max(1, g.length);
  };
  // The law's own items first; other laws' items of the same family only where this law never uses their words.
  const own = new Set(ctx.items.map((it) => it.text));
  // A list of violations (…的，给予处分：) gets violations only: a mere situation (需要增加或者减少预算总支出的) is off-kind.
  const sanctioned = enumerations(a).some((e) => SANCTION_LEAD.test(e.lead) && keys.every((k) => e.items.includes(k)));
  // The central level has no superior: 「中央……支出编制内容」 against 「上级税收返还」 is ruled out by its words.
  const central = /中央/.test(subject);
  const candidates = rng
    .shuffle(
      [...ctx.items, ...ctx.foreignItems].filter(
        (it) =>
          ('law' in it || it.article !== a.number) &&
          // Duties of two bodies of one law may overlap (信访部门 and 信访工作联席会议 both 督促落实…): the law's own duty
          // lists give distractors only between two distinct organs (国务院's 职权 against 全国人民代表大会常务委员会's).
          ('law' in it || family !== 'duty' || distinctOrgans(it.subject, subject)) &&
          it.family === family &&
          (!sanctioned || it.sanction === true) &&
          !(central && /上级|上解/.test(it.text)) &&
          // One opening (违法干预市场主体… / 违法干预应当由…) makes a near-variant of a key, arguably of its kind.
          !keys.some((k) => opening(k) === opening(it.text)) &&
          shapes.has(it.shape) &&
          Math.abs(it.text.length - meanLen) <= Math.max(ITEM_LENGTH_SLACK_MIN, meanLen * ITEM_LENGTH_SLACK) &&
          !articleText.includes(it.text) &&
          !items.some((k) => similarity(k, it.text) >= ('law' in it ? FOREIGN_SIMILAR_MAX : SIMILAR_ITEM_MAX) || k.includes(it.text) || it.text.includes(k)) &&
          // A list that names its own kind (行政处罚的种类 / 政务处分的种类) shares the kind without sharing words.
          (namedKind || onTheme(it.text) >= ('law' in it ? FOREIGN_THEME_MIN : ITEM_THEME_MIN)) &&
          // A sibling list of the same subject (起草单位起草的政策措施不得含有… 市场准入 / 生产经营成本; 采购人、采购代理机构
          // 有下列情形) holds what the question's reader may fairly call true of this subject too.
          !(subject && !('law' in it) && similarity(it.subject, subject) >= SIBLING_SUBJECT_MIN) &&
          // Short terms must also be of the keys' sort: 公开招标 / 邀请招标, not 招标文件.
          (namedKind || it.shape !== 'term' || keys.some((k) => k.slice(-2) === it.text.slice(-2))),
      ),
    )
    .sort((x, y) => onTheme(y.text) + (own.has(y.text) ? OWN_ITEM_BONUS : 0) - onTheme(x.text) - (own.has(x.text) ? OWN_ITEM_BONUS : 0));
  const wrong: string[] = [];
  for (const c of candidates) {
    if (wrong.length >= ITEM_DISTRACTORS_MAX) break;
    if (!wrong.includes(c.text) && !wrong.some((w) => similar(w, c.text))) wrong.push(c.text);
  }
  return wrong;
}
