/**
 * What the generator knows about a whole law while it asks one article: the law's text (where every
 * distractor is checked), its spans by unit (plausible wrong values) and its listed items (wrong options
 * for 多选题).
 */
import type { Article, LawVersion } from '../../knowledge/types.ts';
import { partiesIn } from './parties.ts';
import { periodRule, type PeriodRule } from './calendar.ts';
import { isOptionItem, itemShape, type ItemShape } from './items.ts';
import { findSpans, type Span } from './spans.ts';
import { organCore, organProfile } from './organs.ts';
import { compact } from './text.ts';
import { definitions, enumerations, principleLists, sentenceLists } from './units.ts';

export interface LawItem {
  text: string;
  article: number;
  shape: ItemShape;
  /** What the item's list is made of (情形 / 材料 / 事项…, or 'list' for an in-sentence list): options share it. */
  family: string;
  /** Whom or what the list is about: its lead before 有下列 / 下列 (起草单位起草的政策措施，不得含有), or a sentence list's head. */
  subject: string;
  /** The list's lead imposes a sanction on its items (…的，责令改正…给予处分：): its items are violations. */
  sanction?: boolean;
}

/** A lead that punishes what it lists: its items are violations, not mere situations (需要增加预算总支出的). */
export const SANCTION_LEAD = /的[，,][^：:]*(?:处分|责令|罚款|追究|处罚|吊销|警告|通报批评|没收)/;

/** A lead's subject: what stands before 有下列 / 下列 / 以下 in its last clause, or the lead itself without its colon. */
export function listSubject(lead: string): string {
  const last = lead.split(/(?<=[。；])/).pop()!.replace(/[：:]$/, '');
  return last.split(/有?(?:下列|以下)/)[0]!;
}

/** 下列情形 → 情形: what a lead's list is made of. */
export const LIST_NOUN = /(?:下列|以下)(?:[^，。；：之]{0,6}?)(情形|行为|违法行为|事项|材料|文件|资料|证明|职权|职责|内容|条件|方式|措施|情况|权利|义务|原则|要求|人员|机构|项目|费用|信息|政府信息|收入|支出|规定|程序|决定|情节|证件|财产|资产|种类|领域|措施)/;
/** Nouns that name one family of listed items: a conduct is a conduct whether the lead says 情形 or 行为. */
const FAMILIES: [RegExp, string][] = [
  [/情形|行为|情况|违法|情节/, 'conduct'],
  [/材料|文件|资料|证明|报告/, 'document'],
  // What a body does (参与制定…, 受理投诉) is not a matter it decides (法律规定由行政机关最终裁决的行政行为).
  [/职责|职权|权利|义务/, 'duty'],
  [/事项|内容/, 'matter'],
];

/** The family of a list from its lead (…有下列情形之一的： → conduct). */
export function listFamily(lead: string): string {
  // 下列情形之一的： → 情形; 行政处罚的种类： → 种类; 证据包括： → 证据.
  const noun = lead.match(LIST_NOUN)?.[1] ?? lead.match(/([^，。；：的]{1,6}?)(?:包括)?[：:]$/)?.[1] ?? '';
  // A lead naming its items (行政处罚的种类, 行政复议证据包括) is of the family of its head noun: 种类, 证据.
  return FAMILIES.find(([re]) => re.test(noun))?.[1] ?? (noun.slice(-2) || 'other');
}

/**
 * What the laws asked together share: their defined terms and principles. Options of a definition or
 * principle question come from the law itself first and then from here (a law with two definitions still
 * gets four options, all of them real terms).
 */
export interface Neighbourhood {
  terms: string[];
  principles: string[];
  /** Listed items of every law of the neighbourhood, with the law they come from. */
  items: NeighbourItem[];
}

export interface NeighbourItem extends LawItem {
  law: string;
}

/** The neighbourhood of a set of laws (the checklist's, when the bank is built). */
export function buildNeighbourhood(laws: readonly LawVersion[]): Neighbourhood {
  const terms = new Set<string>();
  const principles = new Set<string>();
  const items: NeighbourItem[] = [];
  for (const law of laws) {
    for (const a of law.articles) {
      for (const d of definitions(a)) terms.add(d.term);
      // The constitution's political and economic principles (按劳分配) are no plausible wrong option elsewhere.
      if (!/宪法$/.test(law.title)) for (const l of principleLists(a)) for (const p of l.items) principles.add(p);
    }
    for (const it of lawItems(law)) items.push({ ...it, law: law.title });
  }
  return { terms: [...terms].sort(), principles: [...principles].sort(), items };
}

/** The enumerated and listed items of a law, with their article, shape and family. */
function lawItems(law: LawVersion): LawItem[] {
  const items: LawItem[] = [];
  for (const a of law.articles) {
    for (const e of enumerations(a)) {
      const family = listFamily(e.lead);
      const subject = listSubject(e.lead);
      const sanction = SANCTION_LEAD.test(e.lead);
      for (const it of e.items) if (isOptionItem(it)) items.push({ text: it, article: a.number, shape: itemShape(it), family, subject, sanction });
    }
    for (const l of sentenceLists(a)) for (const it of l.items) if (isOptionItem(it)) items.push({ text: it, article: a.number, shape: itemShape(it), family: 'list', subject: l.head });
  }
  return items;
}

export interface LawContext {
  law: LawVersion;
  /** Terms and principles of the law and its neighbours. */
  neighbourhood: Neighbourhood;
  /** The parties each chapter of the law names (civil relations), by chapter path. */
  chapterParties: Map<string, string[]>;
  /** How the law counts its days (行政处罚法: “二日”“三日”“五日”“七日” are working days, 第八十五条). */
  periods: PeriodRule;
  /** The law's own defined terms and listed principles. */
  definedTerms: Set<string>;
  principles: Set<string>;
  /** Each article's text without white space, in the law's order. */
  articleTexts: string[];
  /** All article texts without white space: distractor checks search here. */
  text: string;
  /** The same with organ names normalised (人民政府 → 政府…): organ distractors are checked here. */
  organText: string;
  /** Distinct span texts of the law by unit key. */
  pool: Map<string, Span[]>;
  /** Enumerated and listed items of the law, with the article they come from. */
  items: LawItem[];
  /** Other laws' items (neighbourhood) whose words this law never uses: wrong options it cannot contradict. */
  foreignItems: NeighbourItem[];
  /**
   * The departments the law is about (审计法's 审计机关, 公平竞争审查条例's 市场监督管理部门), by their own name:
   * a question whose key is one of them is answered by the law's subject, not by knowing the article.
   */
  dominantDepartments: Set<string>;
}

/**
 * A department named in at least this share of a law's askable articles is what the law is about: every
 * 「（　）应当…」 of that law is guessed by naming it (审计法: 审计机关 in most articles).
 */
const DOMINANT_ARTICLE_SHARE = 0.2;

/** The departments named in DOMINANT_ARTICLE_SHARE of the law's articles or more (`texts`: the articles compacted). */
function dominantDepartments(texts: readonly string[]): Set<string> {
  const counts = new Map<string, number>();
  for (const t of texts) {
    const named = new Set(findSpans(t).filter((s) => s.kind === 'organ').map((s) => organProfile(s.text)?.department).filter((d): d is string => Boolean(d)));
    for (const d of named) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= DOMINANT_ARTICLE_SHARE * texts.length).map(([d]) => d));
}

/** The chapter an article belongs to, as a key: its heading path. */
export function chapterKey(a: Article): string {
  return a.path.join('/');
}

/** Everything the generator needs to know about a whole law: its text and its pools of spans and items. */
export function buildLawContext(law: LawVersion, neighbourhood?: Neighbourhood): LawContext {
  const own = buildNeighbourhood([law]);
  const pool = new Map<string, Span[]>();
  for (const a of law.articles) {
    for (const s of findSpans(compact(a.text))) {
      const list = pool.get(s.unitKey) ?? [];
      if (!list.some((x) => x.text === s.text)) list.push(s);
      pool.set(s.unitKey, list);
    }
  }
  const items = lawItems(law);
  const chapterParties = new Map<string, string[]>();
  const articleTexts = law.articles.map((a) => compact(a.text));
  law.articles.forEach((a, i) => {
    const key = chapterKey(a);
    chapterParties.set(key, [...new Set([...(chapterParties.get(key) ?? []), ...partiesIn(articleTexts[i]!)])]);
  });
  const text = articleTexts.join('\n');
  return {
    law,
    neighbourhood: neighbourhood ?? own,
    definedTerms: new Set(own.terms),
    principles: new Set(own.principles),
    articleTexts,
    text,
    periods: periodRule(law.title, law.articles),
    organText: organCore(text),
    pool,
    items,
    chapterParties,
    foreignItems: (neighbourhood?.items ?? []).filter((it) => it.law !== law.title && !text.includes(it.text)),
    dominantDepartments: dominantDepartments(articleTexts),
  };
}
