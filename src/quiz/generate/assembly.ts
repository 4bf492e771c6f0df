/**
 * Question assembly: a stem, options in their order, the key and an explanation quoting the article, for
 * each type — 单选题 from a blanked span, 判断题 from a statement kept or altered, 多选题 from a list.
 */
import { citationLabel } from '../../knowledge/citation-label.ts';
import { toChineseNumber } from '../../knowledge/chinese-numerals.ts';
import type { Article, LawVersion } from '../../knowledge/types.ts';
import { createRandom, shortHash, type Random } from '../random.ts';
import { factKey, JUDGE_OPTIONS, questionId, type Question, type QuestionType, type SpanKind } from '../types.ts';
import { alterSpan, swapModal } from './alteration.ts';
import { distractorsFor, GENERIC_ORGAN, itemDistractors, numericDistractors, numericOrder } from './distractors.ts';
import { spreadKey } from './option-order.ts';
import { isOptionItem } from './items.ts';
import { chapterKey, LIST_NOUN, listFamily, listSubject, type LawContext } from './law-context.ts';
import { organProfile } from './organs.ts';
import { deadlineCase, fineCase } from './cases.ts';
import { findSpans, neighbourValues, type Span } from './spans.ts';
import { bigramList, BLANK, compact, ELLIPSIS, similar, similarity } from './text.ts';
import { definitions, enumerations, ITEM, principleLists, REFERS_ELSEWHERE, sentenceLists, UNASKABLE_UNIT, type Unit } from './units.ts';

/** A 单选题 has the key and this many distractors. */
const SINGLE_DISTRACTORS = 3;
/** 「（　）负责具体实施。」 names no task: an organ blank needs a unit at least this long to say what the organ does. */
const ORGAN_UNIT_MIN = 24;
/** Share of span 判断题 kept true (the rest altered). */
const SPAN_JUDGE_TRUE_SHARE = 0.5;
/** Share of 应当/可以 判断题 kept true: a little under half, since the altered ones test the point. */
const MODAL_JUDGE_TRUE_SHARE = 0.4;
/** An enumeration's lead longer than this makes too long a 多选 stem. */
const MULTIPLE_LEAD_MAX = 80;

function quote(law: LawVersion, a: Article, paragraphs?: number[]): string {
  const whole = !paragraphs || paragraphs.length === 0;
  const idx = whole ? a.paragraphs.map((_, i) => i) : [...new Set(paragraphs)].sort((x, y) => x - y);
  // Paragraphs quoted out of a longer article are joined with an ellipsis where text is left out.
  const body = idx.map((i, k) => (k > 0 && i !== idx[k - 1]! + 1 ? ELLIPSIS : '') + compact(a.paragraphs[i]!)).join('');
  return `依据${citationLabel({ law: law.title, articleLabel: a.label })}：${body}`;
}

function base(ctx: LawContext, a: Article, type: QuestionType, kind: SpanKind, idSpan: string, variant = '') {
  return {
    id: questionId(ctx.law.title, ctx.law.version, a.label, type, idSpan, variant),
    fact: factKey(ctx.law.title, ctx.law.version, a.label, idSpan),
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

/** 「根据《…》，…」, or 「根据《…》关于融资租赁合同的规定，…」 when the unit does not name the contract its parties belong to. */
function stemOf(ctx: LawContext, body: string, scope?: string): string {
  return scope ? `根据《${ctx.law.title}》关于${scope}合同的规定，${body}` : `根据《${ctx.law.title}》，${body}`;
}

/** A blank right before a title (（　）委员长) is answered by the title itself, and 「（　）及其常务委员会」 by its own words. */
const TITLE_AFTER = /^(委员长|主任|主席|负责人|秘书长|首长|部长|局长|及其)/;
/** An organ that only qualifies another body (各级政府审计部门) is not the one that acts. */
const ORGAN_NOUN_AFTER = /^[\u4e00-\u9fff]{0,4}(部门|机关|机构)/;

/**
 * An organ listed with others (会同公安机关、药品监督管理部门) is no question: swapping one member makes
 * nonsense (「会同国务院、药品监督管理部门」), and a blank in a list has several right answers.
 */
function inList(unit: Unit, span: Span): boolean {
  return unit.text[span.start - 1] === '、' || unit.text[span.end] === '、';
}

/**
 * Characters between a blank and another value of its kind that still read as one range (十日以上（　）以下,
 * 六个月至（　）): the range's other end is part of the question, not a hint.
 */
const RANGE_GAP = 4;

/**
 * A value of the blank's kind the stem shows elsewhere gives the key's place away: 「绝密级不超过（　），机密级不超过
 * 二十年，秘密级不超过十年」 leaves only the option above 二十年; 「一般情形 2000 元以上 2 万元以下，情节严重的（　）」 only the
 * one from 2 万元; 「自公历（　）起，至十二月三十一日止」 only 一月一日. A date is never asked beside another date.
 */
function siblingValueShown(unit: Unit, span: Span): boolean {
  if (span.kind === 'organ' || span.kind === 'party' || span.kind === 'effect') return false;
  const kin = findSpans(unit.text).filter((s) => s.start !== span.start && s.kind === span.kind && (span.kind === 'date' || s.unitKey === span.unitKey));
  return kin.some((s) => span.kind === 'date' || (s.end <= span.start ? span.start - s.end : s.start - span.end) > RANGE_GAP);
}

/** The key and three wrong organs (or parties) in a random order; undefined when the law offers too few plausible ones. */
function organOptions(ctx: LawContext, unit: Unit, span: Span, rng: Random, chapter: readonly string[] = []): string[] | undefined {
  const wrong = distractorsFor(ctx, unit, span, rng, SINGLE_DISTRACTORS, chapter);
  return wrong.length < SINGLE_DISTRACTORS ? undefined : rng.shuffle([span.text, ...wrong]);
}

/**
 * The key and three wrong values in ascending order, the key's place drawn evenly from the places the
 * candidates allow (A–D), so that a sorted list gives no cue. When only one side is safe (a longer limit
 * after 不超过 is still true) the key would always be first or last: those options are shuffled instead.
 */
function numericOptions(ctx: LawContext, unit: Unit, span: Span, rng: Random): string[] | undefined {
  const { below, above, side } = numericDistractors(ctx, unit, span, rng);
  const options = spreadKey(span.text, below, above, (t) => numericOrder(span.unitKey, t), rng, SINGLE_DISTRACTORS);
  return !options || side === 'both' ? options : rng.shuffle(options);
}

/**
 * A party or an effect in a negated clause (…不得…, 不得主张…无效) is no fair question: a prohibition is often
 * true of the other party as well (业主 and 物业服务人 alike may not turn a home into a shop), and a denied
 * effect leaves the others open.
 */
function partyNegated(unit: Unit, span: Span): boolean {
  const start = Math.max(unit.text.lastIndexOf('，', span.start), unit.text.lastIndexOf('；', span.start), unit.text.lastIndexOf('。', span.start)) + 1;
  const end = unit.text.slice(span.end).search(/[，。；]/);
  const clause = unit.text.slice(start, span.start) + unit.text.slice(span.end, end < 0 ? undefined : span.end + end);
  return NEGATION.test(clause);
}

/**
 * Validity (有效 / 无效 / 可撤销 / 效力待定) is asked of a legal act only (该交易行为无效, 其他部分仍然有效, 中标无效):
 * 「行政许可在全国范围内有效」 or 「技术完整、无误、有效」 makes 效力待定 an option of another kind.
 */
function effectOfAnAct(unit: Unit, span: Span): boolean {
  if (span.unitKey !== 'effect:0') return true;
  // 「除要约人及时通知…不接受该承诺外，该承诺（　）」: the exception fixes the default, 有效.
  if (/除[^。；]*外/.test(unit.text.slice(0, span.start))) return false;
  return VALIDITY_SUBJECT.test(unit.text.slice(Math.max(0, span.start - 12), span.start));
}
const VALIDITY_SUBJECT = /(?:行为|合同|协议|条款|内容|约定|承诺|中标|投标|分包|放弃|处罚|部分|遗嘱|决议|决定)(?:继续|仍然|自始|均)?$/;

/** Words that negate a clause's duty, right or effect (not 无效 or 无民事行为能力人, which name things). */
const NEGATION = /不得|不能|不予|不发生|不承担|不负|不受|无权|不适用|不影响|不再/;

/** A lead + one item of its list (…下列程序：（一）…): a blank in the item is fair, a statement or a case reads as a cut list. */
function listItemUnit(unit: Unit): boolean {
  return unit.from > 0 && ITEM.test(unit.text.slice(unit.from));
}

/**
 * A party of a chapter on one kind of contract (融资租赁合同) is that contract's party: 「承租人应当履行占有租赁物期间的
 * 维修义务」 turned into 「出租人应当…」 is true of an ordinary lease. The stem then names the contract
 * (「根据《民法典》关于融资租赁合同的规定，」); undefined when the unit names it or no other contract has the party.
 */
function partyScope(ctx: LawContext, a: Article, unit: Unit, span: Span): string | undefined {
  if (span.kind !== 'party') return undefined;
  const contract = contractOf(a.path);
  if (!contract || unit.text.includes(contract)) return undefined;
  const own = chapterKey(a);
  const shared = [...ctx.chapterParties].some(([chapter, parties]) => chapter !== own && contractOf(chapter.split('/')) !== undefined && contractOf(chapter.split('/')) !== contract && parties.includes(span.text));
  return shared ? contract : undefined;
}

/** The contract a chapter is about: 第十五章 融资租赁合同 → 融资租赁. */
function contractOf(path: readonly string[]): string | undefined {
  return path.map((h) => h.match(/^第[^章]+章\s*(\S+?)合同$/)?.[1]).find(Boolean);
}

export function singleFromSpan(ctx: LawContext, a: Article, unit: Unit, span: Span): Question | undefined {
  if ((span.kind === 'party' || span.kind === 'effect') && partyNegated(unit, span)) return undefined;
  if ((span.kind === 'organ' || span.kind === 'party') && inList(unit, span)) return undefined;
  if (span.kind === 'organ' && (TITLE_AFTER.test(unit.text.slice(span.end)) || ORGAN_NOUN_AFTER.test(unit.text.slice(span.end)))) return undefined;
  if (span.kind === 'organ' && (unit.text.length < ORGAN_UNIT_MIN || namedByStem(unit, span) || fieldInStem(unit, span) || subjectOfOwnLevel(unit, span) || lawsOwnDepartment(ctx, span) || GENERIC_ORGAN.test(span.text))) return undefined;
  if (span.kind === 'effect' && !effectOfAnAct(unit, span)) return undefined;
  const blanked = unit.text.slice(0, span.start) + BLANK + unit.text.slice(span.end);
  if (blanked.includes(span.text)) return undefined; // the key printed elsewhere in the stem gives it away
  if (siblingValueShown(unit, span)) return undefined;
  const b = base(ctx, a, 'single', span.kind, `${unit.text}|${span.start}|${span.text}`);
  const rng = createRandom(b.id);
  const chapter = ctx.chapterParties.get(chapterKey(a)) ?? [];
  const named = span.kind === 'organ' || span.kind === 'party' || span.kind === 'effect';
  const options = named ? organOptions(ctx, unit, span, rng, chapter) : numericOptions(ctx, unit, span, rng);
  if (!options) return undefined;
  const sorted = !named && options.every((o, i) => i === 0 || numericOrder(span.unitKey, options[i - 1]!) < numericOrder(span.unitKey, o));
  return {
    ...b,
    ...(sorted ? {} : { freeOrder: true }),
    stem: stemOf(ctx, blanked + (unit.note ?? ''), partyScope(ctx, a, unit, span)),
    options,
    answer: [options.indexOf(span.text)],
    explanation: quote(ctx.law, a, a.paragraphs.length > 1 ? unit.paragraphs : undefined),
  };
}

export function judgeFromSpan(ctx: LawContext, a: Article, unit: Unit, span: Span): Question | undefined {
  // 「应当遵循下列程序：（一）成立询价小组。……」 as a statement is a list cut after one item.
  if (listItemUnit(unit)) return undefined;
  // A value the unit states twice (七日内退货；七日后…) altered in one place only makes a confusing statement.
  if (unit.text.indexOf(span.text) !== unit.text.lastIndexOf(span.text)) return undefined;
  if (span.kind === 'organ' && (inList(unit, span) || TITLE_AFTER.test(unit.text.slice(span.end)) || ORGAN_NOUN_AFTER.test(unit.text.slice(span.end)) || unit.text.length < ORGAN_UNIT_MIN || namedByStem(unit, span) || subjectOfOwnLevel(unit, span) || GENERIC_ORGAN.test(span.text))) return undefined;
  if (span.kind === 'effect' && !effectOfAnAct(unit, span)) return undefined;
  if (span.kind === 'party' && (inList(unit, span) || partyNegated(unit, span))) return undefined;
  if (span.kind === 'effect' && partyNegated(unit, span)) return undefined;
  // 「会计年度自公历1月1日起至12月31日止」: kept, it restates the obvious; moved (4月1日), it is absurd.
  if (span.kind === 'date' && siblingValueShown(unit, span)) return undefined;
  const rng = createRandom(shortHash(ctx.law.id, a.label, unit.text, span.start, 'judge'));
  const truthful = rng.next() < SPAN_JUDGE_TRUE_SHARE;
  const explanation = quote(ctx.law, a, a.paragraphs.length > 1 ? unit.paragraphs : undefined);
  // A statement no safe alteration exists for is asked as it stands.
  const variant = alterSpan(ctx, unit, span, rng);
  const altered = truthful ? undefined : variant;
  // An organ statement kept true tests something only where a plausible other organ exists; the law's own
  // department (市场监督管理部门应当向社会公开…) or an organ the stem names by its field (公安机关…治安管理处罚) is
  // common knowledge, so such a statement is asked only altered.
  if (!altered && span.kind === 'organ' && (!variant || lawsOwnDepartment(ctx, span) || fieldInStem(unit, span))) return undefined;
  if (!altered) {
    return {
      ...base(ctx, a, 'judge', span.kind, `${unit.text}|${span.start}|${span.text}`, 'true'),
      stem: stemOf(ctx, unit.text + (unit.note ?? ''), partyScope(ctx, a, unit, span)),
      options: [...JUDGE_OPTIONS],
      answer: [0],
      explanation,
    };
  }
  return {
    ...base(ctx, a, 'judge', span.kind, `${unit.text}|${span.start}|${span.text}`, altered.replacement),
    stem: stemOf(ctx, altered.text + (unit.note ?? ''), partyScope(ctx, a, unit, span)),
    options: [...JUDGE_OPTIONS],
    answer: [1],
    explanation: `${explanation} 题干将「${altered.original}」改为「${altered.replacement}」，故错误。`,
  };
}

export function judgeFromModal(ctx: LawContext, a: Article, unit: Unit): Question | undefined {
  if (listItemUnit(unit)) return undefined;
  const swap = swapModal(ctx, unit);
  if (!swap) return undefined;
  const text = unit.text;
  const rng = createRandom(shortHash(ctx.law.id, a.label, text, 'modal'));
  const truthful = rng.next() < MODAL_JUDGE_TRUE_SHARE;
  const explanation = quote(ctx.law, a, a.paragraphs.length > 1 ? unit.paragraphs : undefined);
  return truthful
    ? {
        ...base(ctx, a, 'judge', 'modal', `${text}|${swap.original}`, 'true'),
        stem: stemOf(ctx, text + (unit.note ?? '')),
        options: [...JUDGE_OPTIONS],
        answer: [0],
        explanation,
      }
    : {
        ...base(ctx, a, 'judge', 'modal', `${text}|${swap.original}`, swap.replacement),
        stem: stemOf(ctx, swap.text + (unit.note ?? '')),
        options: [...JUDGE_OPTIONS],
        answer: [1],
        explanation: `${explanation} 条文规定的是「${swap.original}」，题干改为「${swap.replacement}」，故错误。`,
      };
}

/** A 多选题 has at least this many right options, and at most MULTIPLE_RIGHT_MAX. */
const MULTIPLE_RIGHT_MIN = 2;
const MULTIPLE_RIGHT_MAX = 4;
/** A 多选题 has four or five options. */
const MULTIPLE_OPTION_COUNTS = [4, 5];
/** Neighbouring ranges tried as the wrong fine ranges of a case. */
const NEIGHBOUR_RANGES = 6;
/** A 「不属于」 单选题 needs this many listed items beside its one outsider. */
const NEGATIVE_KEYS = 3;

interface ListSource {
  /** The 多选 stem body: …下列哪些…？ */
  asked: string;
  /** The 「不属于」 单选 stem body, when the list can be asked that way. */
  negative?: string;
  items: string[];
  /** The list's family (listFamily): distractors come from lists of the same family. */
  family: string;
  /** Whom the list is about (listSubject): sibling lists of the same subject give no distractors. */
  subject?: string;
  /** Wrong options other than the law's listed items of the same family (principles of neighbouring laws). */
  distractors?: (rng: Random) => string[];
  kind?: SpanKind;
  idSpan: string;
  paragraphs: number[];
}

/**
 * The questions a list makes: a 多选题 with two to four right options of four or five (the count drawn
 * evenly from what the law's distractors allow, so 「3 of 4」 is no pattern), and a 「下列不属于……的是」
 * 单选题 whose key is the outsider.
 */
function listQuestions(ctx: LawContext, a: Article, list: ListSource): Question[] {
  const keys = list.items.filter(isOptionItem);
  if (keys.length < MULTIPLE_RIGHT_MIN) return [];
  const kind = list.kind ?? 'item';
  const b = base(ctx, a, 'multiple', kind, list.idSpan);
  const rng = createRandom(b.id);
  const wrong = (list.distractors ? list.distractors(rng) : itemDistractors(ctx, a, keys, list.items, list.family, rng, list.subject)).filter((w) => !list.asked.includes(w));
  if (wrong.length === 0) return [];
  const explanation = quote(ctx.law, a, a.paragraphs.length > 1 ? list.paragraphs : undefined);
  const out: Question[] = [];
  const shapes = MULTIPLE_OPTION_COUNTS.flatMap((n) =>
    Array.from({ length: MULTIPLE_RIGHT_MAX - MULTIPLE_RIGHT_MIN + 1 }, (_, k) => ({ n, right: MULTIPLE_RIGHT_MIN + k })),
  ).filter((x) => x.right <= keys.length && x.n - x.right >= 1 && x.n - x.right <= wrong.length);
  // The number of right options first (evenly), then the option count among those that allow it.
  const rights = [...new Set(shapes.map((x) => x.right))];
  const nRight = rng.pick(rights);
  const shape = nRight === undefined ? undefined : rng.pick(shapes.filter((x) => x.right === nRight));
  if (shape) {
    const right = rng.shuffle(keys).slice(0, shape.right);
    const options = rng.shuffle([...right, ...wrong.slice(0, shape.n - shape.right)]);
    out.push({
      ...b,
      stem: stemOf(ctx, list.asked),
      options,
      answer: options.map((o, i) => (right.includes(o) ? i : -1)).filter((i) => i >= 0),
      explanation,
    });
  }
  if (list.negative && keys.length >= NEGATIVE_KEYS) {
    const outsider = wrong[0]!;
    const options = rng.shuffle([...rng.shuffle(keys).slice(0, NEGATIVE_KEYS), outsider]);
    out.push({
      ...base(ctx, a, 'single', kind, list.idSpan, 'negative'),
      freeOrder: true,
      stem: stemOf(ctx, list.negative),
      options,
      answer: [options.indexOf(outsider)],
      explanation: `${explanation} 「${outsider}」不在该条所列之中。`,
    });
  }
  return out;
}

/**
 * A list of conducts with a broad member (出现影响采购公正的违法、违规行为的; 其他滥用职权、玩忽职守的行为;
 * 其他违反本法规定的情形; 其他不履行优化营商环境职责或者损害营商环境的情形) covers
 * other conducts too: no wrong option can be shown to be outside it.
 */
const BROAD_CONDUCT = /违法、违规|违法违规|滥用职权|玩忽职守|徇私舞弊|其他[^，。；]*行为|其他违反|其他[^，。；]{2,}情形/;

/**
 * A department whose own word the stem repeats (「（　）依法组织开展保密宣传教育、保密检查」 with 保密行政管理部门,
 * 「（　）对…进行审计监督」 with 审计机关) is given away by the stem: not asked.
 */
function namedByStem(unit: Unit, span: Span): boolean {
  const department = organProfile(span.text)?.department;
  if (!department) return false;
  const core = department.replace(/(?:行政管理部门|监督管理部门|管理部门|部门|机关|机构)$/, '');
  return core.length >= 2 && (unit.text.slice(0, span.start) + unit.text.slice(span.end)).includes(core);
}

/**
 * An organ key that is the department the law is about (审计法's 审计机关, 禁毒法's 公安机关), named without a
 * level, is guessed from the law's title and subject: 「（　）应当向社会公开受理举报的电话」 in 公平竞争审查条例 is no test of the article.
 */
function lawsOwnDepartment(ctx: LawContext, span: Span): boolean {
  const profile = organProfile(span.text);
  // With a level (国务院财政部门, 本级政府财政部门) the question is which level: that is no guess.
  return Boolean(profile?.department && profile.level === 'none' && ctx.dominantDepartments.has(profile.department));
}

/** What a department's name says beside its field: 税务|机关, 市场|监督管理部门. */
const NAME_FILLER = /行政管理部门|监督管理部门|管理部门|部门|机关|机构/;
/** Words of a field that do not spell its department's name: 办税、涉税 (税务机关), 治安管理处罚 (公安机关). */
const FIELD_WORDS: Record<string, RegExp> = { 税务: /税/, 公安: /治安|拘留/ };

/**
 * A department whose field the stem names (办税、涉税 for 税务机关; 治安管理处罚 for 公安机关; 审计 for 审计机关) is
 * guessed from the stem.
 */
function fieldInStem(unit: Unit, span: Span): boolean {
  const department = organProfile(span.text)?.department;
  if (!department) return false;
  const field = department.replace(NAME_FILLER, '');
  const rest = unit.text.slice(0, span.start) + unit.text.slice(span.end);
  return (field.length >= 2 && rest.includes(field)) || Boolean(FIELD_WORDS[field]?.test(rest));
}

/**
 * An organ that is the subject of a rule about its own level (「（　）应当接受本级人民代表大会的监督」) is no
 * question: the rule holds for every level, so another level's organ is no wrong answer.
 */
function subjectOfOwnLevel(unit: Unit, span: Span): boolean {
  const clauseStart = Math.max(unit.text.lastIndexOf('，', span.start), unit.text.lastIndexOf('；', span.start), unit.text.lastIndexOf('。', span.start)) + 1;
  const sentenceEnd = unit.text.slice(span.end).search(/[。；]/);
  return span.start === clauseStart && /本级/.test(unit.text.slice(span.end, sentenceEnd < 0 ? undefined : span.end + sentenceEnd));
}

/** A lead that names its items (行政处罚的种类, 政务处分的种类为, 行政复议证据包括), a noun phrase without a clause. */
const NAMED_LIST = /^([^，。；：、]{2,16}?)(?:(的种类)(?:为|包括|有)?|包括)$/;

export function multipleFromEnumeration(ctx: LawContext, a: Article): Question[] {
  const out: Question[] = [];
  for (const e of enumerations(a)) {
    if (listFamily(e.lead) === 'conduct' && e.items.some((it) => BROAD_CONDUCT.test(it))) continue;
    const lead = e.lead.split(/(?<=[。；])/).pop()!.replace(/[：:]$/, '');
    if (lead.length > MULTIPLE_LEAD_MAX || UNASKABLE_UNIT.test(lead) || REFERS_ELSEWHERE.test(lead)) continue;
    const named = lead.match(NAMED_LIST);
    if (named && !/下列|以下/.test(lead)) {
      // 「行政处罚的种类：」, 「行政复议证据包括：」: what the items are is the lead itself.
      const what = named[2] ? `${named[1]}的种类` : named[1]!;
      out.push(...listQuestions(ctx, a, { asked: `${what}包括下列哪些？`, negative: `下列各项中，不属于${named[2] ? `${named[1]}种类` : named[1]}的是（　）。`, items: e.items, family: listFamily(e.lead), subject: listSubject(e.lead), idSpan: `${e.lead}|${e.items.join('|')}`, paragraphs: [e.leadIndex, ...e.indexes] }));
      continue;
    }
    if (!/下列|以下/.test(lead)) continue;
    let asked = lead.replace(/(下列|以下)([^，。；：]{0,12}?)之一/, '下列哪些$2');
    if (asked === lead) asked = lead.replace(/下列|以下/, '下列哪些');
    if (/哪些[^，。；]{0,6}(一种|之一|一项)/.test(asked)) continue;
    const noun = lead.match(LIST_NOUN)?.[1] ?? lead.match(TALLY_CASES)?.[1];
    const negative = noun && !/哪|几/.test(noun) ? `${lead}。下列各项中，不属于上述${noun}的是（　）。` : undefined;
    out.push(...listQuestions(ctx, a, { asked: `${asked}？`, negative, items: e.items, family: listFamily(e.lead), subject: listSubject(e.lead), idSpan: `${e.lead}|${e.items.join('|')}`, paragraphs: [e.leadIndex, ...e.indexes] }));
  }
  for (const l of sentenceLists(a)) {
    const negative = l.verb === '包括' ? `下列各项中，${l.head}不包括的是（　）。` : undefined;
    out.push(...listQuestions(ctx, a, { asked: `${l.head}${l.verb}下列哪些？`, negative, items: l.items, family: 'list', subject: l.head, idSpan: `${l.sentence}`, paragraphs: [l.paragraph] }));
  }
  return out;
}

/**
 * A year that runs 「自公历一月一日起，至十二月三十一日止」 (预算年度, 会计年度): one date beside the other gives it away, so
 * the whole period is asked, against the fiscal years other countries keep (四月一日起，至次年三月三十一日止).
 */
const YEAR_PERIOD = /自公历(一月一日|1月1日)起[，,]?至(十二月三十一日|12月31日)止/;
const OTHER_YEAR_STARTS: [number, number, number][] = [
  [4, 3, 31],
  [7, 6, 30],
  [10, 9, 30],
];

/** 「预算年度自公历（　）。」 and its 判断题 with another year, for an article that defines a calendar year period. */
export function yearPeriodQuestions(ctx: LawContext, a: Article): Question[] {
  const text = compact(a.paragraphs[0] ?? '');
  const m = text.match(YEAR_PERIOD);
  if (!m || a.paragraphs.length > 1) return [];
  const arabic = /\d/.test(m[1]!);
  const day = (month: number, d: number) => (arabic ? `${month}月${d}日` : `${toChineseNumber(month)}月${toChineseNumber(d)}日`);
  const comma = m[0].includes('，') ? '，' : '';
  const period = (from: string, to: string) => `${from}起${comma}至${to}止`;
  const key = m[0].slice('自公历'.length);
  const others = OTHER_YEAR_STARTS.map(([start, endMonth, endDay]) => period(day(start, 1), `次年${day(endMonth, endDay)}`));
  const prefix = text.slice(0, m.index! + '自公历'.length);
  const suffix = text.slice(m.index! + m[0].length);
  const explanation = quote(ctx.law, a);
  const single = base(ctx, a, 'single', 'date', `${key}|year`);
  const rng = createRandom(single.id);
  const options = rng.shuffle([key, ...others]);
  const judge = base(ctx, a, 'judge', 'date', `${key}|year`, 'altered');
  const wrong = rng.pick(others)!;
  return [
    { ...single, freeOrder: true, stem: stemOf(ctx, `${prefix}${BLANK}${suffix}`), options, answer: [options.indexOf(key)], explanation },
    { ...judge, stem: stemOf(ctx, `${prefix}${wrong}${suffix}`), options: [...JUDGE_OPTIONS], answer: [1], explanation: `${explanation} 题干将「${key}」改为「${wrong}」，故错误。` },
  ];
}

/** An enumeration counted in a tally question has this many items at least and at most (more is trivia). */
const TALLY_ITEMS_MIN = 3;
const TALLY_ITEMS_MAX = 8;
/** What a counted list may be made of: cases, acts, matters, conditions, documents — not the rules of a procedure. */
const TALLY_NOUN = /^(?:案件|诉讼|途径|情形|行为|违法行为|事项|材料|文件|资料|证明|条件|权利|义务|职责|职权|人员|内容|种类|措施|情况|情节|项目|费用|收入|支出|信息|政府信息|证件|领域)$/;
/** Lists of cases a body hears (中级人民法院管辖下列第一审行政案件): counted as their 案件 or 诉讼. */
const TALLY_CASES = /(?:下列|以下)[^，。；：之]{0,8}?(案件|诉讼|途径)/;
/** A named list's head (政府采购当事人) at least this long says what is counted; 证据包括： does not. */
const TALLY_NAME_MIN = 4;
/** Catch-all items that leave the list open (其他…, 法律、法规规定的其他…, …等): the list then has no count to remember. */
const OPEN_ITEM = /^(?:有)?(?:[^，。；]{0,12}规定的)?其他|等$/;

/**
 * 「政务处分的种类共有（　）。」, 「……有下列情形之一的，应当回避。上述情形共有（　）。」: how many 项 a closed list of an
 * article has, for an article nothing else can be asked of (a list whose items have no fair wrong option). The
 * wrong counts are the neighbours of the key; the stem quotes the list's lead, so the count is of that list.
 */
export function tallyQuestions(ctx: LawContext, a: Article): Question[] {
  // 「各级预算应当遵循……的原则」 with no fair wrong principle: 「各级预算应当遵循的原则共有（　）。」
  const principles = principleLists(a).flatMap((l) =>
    tallyQuestion(ctx, a, { n: l.items.length, idSpan: l.sentence, asked: `${l.head.replace(/，/g, '')}的原则共有${BLANK}。`, measure: '项', counted: '项原则', paragraphs: [l.paragraph] }),
  );
  const lists = enumerations(a).flatMap((e) => {
    if (e.items.some((it) => OPEN_ITEM.test(it))) return [];
    // The lead's whole last sentence: its sanctions may run over several clauses (…予以警告；情节严重的，予以开除：).
    const lead = e.lead.split(/(?<=。)/).pop()!.replace(/[：:]$/, '');
    if (lead.length > MULTIPLE_LEAD_MAX || UNASKABLE_UNIT.test(lead) || REFERS_ELSEWHERE.test(lead) || /第[一二三四五六七八九十百零]+条|分别/.test(lead)) return [];
    const named = lead.match(NAMED_LIST);
    const noun = lead.match(LIST_NOUN)?.[1] ?? lead.match(TALLY_CASES)?.[1];
    let asked: string | undefined;
    // A kind's members (政务处分的种类为：) or a named whole's parts (政府采购当事人包括：) of a name long enough to say what
    // is counted (not a bare 证据包括：).
    if (named && !/下列|以下/.test(lead) && (named[2] || named[1]!.length >= TALLY_NAME_MIN)) asked = named[2] ? `${named[1]}的种类共有${BLANK}。` : `${named[1]}共包括${BLANK}。`;
    else if (noun && TALLY_NOUN.test(noun) && /下列|以下/.test(lead) && !/哪|几|一种/.test(lead)) asked = `${lead}。上述${noun}共有${BLANK}。`;
    if (!asked) return [];
    const measure = named?.[2] ? '种' : '项';
    return tallyQuestion(ctx, a, { n: e.items.length, idSpan: e.lead, asked, measure, counted: measure, paragraphs: [e.leadIndex, ...e.indexes] });
  });
  return [...principles, ...lists];
}

/** One tally question: the count `n` among its neighbours as options (a count of at least two), the list quoted in the explanation. */
function tallyQuestion(
  ctx: LawContext,
  a: Article,
  t: { n: number; idSpan: string; asked: string; measure: string; counted: string; paragraphs: number[] },
): Question[] {
  const { n } = t;
  if (n < TALLY_ITEMS_MIN || n > TALLY_ITEMS_MAX) return [];
  const b = base(ctx, a, 'single', 'tally', `${t.idSpan}|${n}`);
  const below = [n - 1, n - 2, n - 3].filter((k) => k >= 2);
  const options = spreadKey(n, below, [n + 1, n + 2, n + 3], (k) => k, createRandom(b.id))?.map((k) => `${toChineseNumber(k)}${t.measure}`);
  if (!options) return [];
  const explanation = `${quote(ctx.law, a, a.paragraphs.length > 1 ? t.paragraphs : undefined)} 共列${toChineseNumber(n)}${t.counted}。`;
  return [{ ...b, stem: stemOf(ctx, t.asked), options, answer: [options.indexOf(`${toChineseNumber(n)}${t.measure}`)], explanation }];
}

/** Wrong terms of a definition question: the law's own defined terms first, then its neighbours'. */
const DEFINITION_DISTRACTORS = 3;

/** 「本法所称（　），是指……」: the defined term among other terms of the law and its neighbours. */
export function definitionQuestions(ctx: LawContext, a: Article): Question[] {
  const own = ctx.definedTerms;
  const out: Question[] = [];
  for (const d of definitions(a)) {
    // 「根据《政府采购法》，本法所称（　）」 is answered by the law's title; 「（　）是指…专项债券」 by the body's words.
    if (ctx.law.title.includes(d.term) || bigramList(d.term).some((g) => d.body.includes(g))) continue;
    const blanked = `${d.scope ? `${d.scope}所称` : ''}${BLANK}${d.comma}是指${d.body}`;
    const b = base(ctx, a, 'single', 'definition', `${d.term}|${d.body}`);
    const rng = createRandom(b.id);
    const theme = (t: string) => similarity(t, d.term);
    const candidates = [...rng.shuffle([...own]), ...rng.shuffle(ctx.neighbourhood.terms.filter((t) => !own.has(t)))]
      // A term of another kind (分散采购 beside 综合评分法, 各部门 beside 专项转移支付) is ruled out by its head noun:
      // wrong terms end as the key does.
      .filter((t) => t !== d.term && !t.includes(d.term) && !d.term.includes(t) && !blanked.includes(t) && t.slice(-1) === d.term.slice(-1))
      .map((t, i) => ({ t, score: (own.has(t) ? 1 : 0) + theme(t), i }))
      .sort((x, y) => y.score - x.score || x.i - y.i);
    const wrong: string[] = [];
    for (const { t } of candidates) if (wrong.length < DEFINITION_DISTRACTORS && !wrong.some((w) => w.includes(t) || t.includes(w))) wrong.push(t);
    if (wrong.length < DEFINITION_DISTRACTORS) continue;
    const options = rng.shuffle([d.term, ...wrong]);
    out.push({
      ...b,
      freeOrder: true,
      stem: stemOf(ctx, blanked),
      options,
      answer: [options.indexOf(d.term)],
      explanation: quote(ctx.law, a, a.paragraphs.length > 1 ? [d.paragraph] : undefined),
    });
  }
  return out;
}

/**
 * Principles any public action may be said to follow (合法, 公正, 便民…): never a wrong option, since a
 * reader may fairly call them true of any subject even where the article does not list them.
 */
const GENERIC_PRINCIPLES = /^(?:合法|合理|公正|公平|公开|平等|自愿|诚信|诚实信用|便民|高效|效率|效能|必要|正当|依法|透明|为民|节约|精简|统一|公平公正|公开公正|非歧视|对等|互利)$/;

/**
 * A principle one of whose words the law uses (讲求绩效 where 行政事业性国有资产管理条例 speaks of 绩效 management,
 * 节约高效 where 政府采购法 asks for 节约) may be called a principle of the law too: never a wrong option.
 */
function wordsOfTheLaw(ctx: LawContext, principle: string): boolean {
  return bigramList(principle).some((g) => ctx.text.includes(g));
}

/**
 * A wrong principle of another shape is told apart by its form alone: 国际化 among four-character budget
 * principles, 勤俭节约 among 市场化、法治化、国际化. When the listed ones share a length or a last character,
 * the wrong one must too.
 */
export function sameShape(items: readonly string[], cand: string): boolean {
  const lengths = new Set(items.map((k) => k.length));
  if (lengths.size === 1 && !lengths.has(cand.length)) return false;
  const last = new Set(items.map((k) => k.slice(-1)));
  return last.size !== 1 || last.has(cand.slice(-1));
}

/** 「政府采购应当遵循下列哪些原则？」 and 「不属于……的原则的是」, with principles of the neighbouring laws as the wrong ones. */
export function principleQuestions(ctx: LawContext, a: Article): Question[] {
  // A principle the law names anywhere may be true of this subject too: only other laws' principles are wrong.
  const own = ctx.principles;
  // A list of generic principles (公正、公开) would only get off-kind wrong options (按劳分配): not asked.
  const specific = (l: { items: string[] }) => l.items.filter((p) => !GENERIC_PRINCIPLES.test(p)).length * 2 >= l.items.length;
  return principleLists(a).filter(specific).flatMap((l) =>
    listQuestions(ctx, a, {
      asked: `${l.head}下列哪些原则？`,
      negative: `下列各项中，不属于${l.head.replace(/，/g, '')}的原则的是（　）。`,
      items: l.items,
      family: 'principle',
      kind: 'principle',
      distractors: (rng) => {
        // No word shared with a listed principle either: 节约高效 is too near 勤俭节约 to be plainly wrong.
        const pool = ctx.neighbourhood.principles.filter((p) => !own.has(p) && !GENERIC_PRINCIPLES.test(p) && !wordsOfTheLaw(ctx, p) && !l.items.some((k) => similarity(k, p) > 0) && sameShape(l.items, p));
        const picked: string[] = [];
        for (const p of rng.shuffle(pool)) if (picked.length < 3 && !picked.some((x) => similar(x, p))) picked.push(p);
        return picked;
      },
      idSpan: l.sentence,
      paragraphs: [l.paragraph],
    }),
  );
}

/** A computed case from a span: a deadline's last day, or a fine range applied to a sum. */
export function caseFromSpan(ctx: LawContext, a: Article, unit: Unit, span: Span): Question | undefined {
  // A case's stem runs on after the rule: a note showing another paragraph would split it.
  if ((span.kind !== 'time' && span.kind !== 'ratio') || unit.note) return undefined;
  // 「听证应当依照以下程序组织：（一）……」 before a case is a list cut after one item.
  if (listItemUnit(unit)) return undefined;
  const { kind: _kind, type: _type, ...b } = base(ctx, a, 'single', 'case', `${unit.text}|${span.start}|${span.text}`, 'case');
  const explanation = quote(ctx.law, a, a.paragraphs.length > 1 ? unit.paragraphs : undefined);
  return span.kind === 'time'
    ? deadlineCase(ctx, a, unit, span, b, explanation)
    : fineCase(ctx, unit, span, b, explanation, neighbourValues(span).slice(0, NEIGHBOUR_RANGES));
}
