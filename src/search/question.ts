/**
 * The question analyser: everything a question says about where its answer is, computed once per question
 * and shared by search and answering — the laws it names (预算法, 《会计法》, found by the catalog's law-name
 * matcher), the articles it cites (第十八条, 第十八条至第二十条, tied to the law before them), what kind of
 * provision it asks for (a time limit, a penalty, a definition), its content with the framing stripped, and
 * its search terms with the legal terms its wording implies.
 */
import { parseArticleReferences, type ArticleNumber, type ArticleReference } from '../knowledge/article-reference.ts';
import type { LawCatalog } from '../knowledge/catalog.ts';
import { canonicalAmendments, type LawMention } from '../knowledge/law-names.ts';
import type { QueryTerm } from './bm25.ts';
import { conceptsNamed, type LegalConcept } from './concepts.ts';
import { LAY_LEXICON, layTermsFor } from './lay-lexicon.ts';
import { routeQuestion } from './routing.ts';
import { colloquialTermsFor, legalTermsFor } from './synonyms.ts';
import { BIGRAM_PREFIX, charBigrams, normalizeText, searchTerms } from './tokenize.ts';

/**
 * A question about the bureau's own work (局里, 去年, 本单位) or its report (这份报告, 报告里说): the bureau's
 * report answers it rather than a law.
 */
export const OWN_WORK = /局里|我局|本局|我们局|咱们局|区财政局|财政局(?:对|的|在|去年|今年|明年)|去年|今年|明年|20\d\d年|本区|我区|我们单位|本单位|这份[^，。？?]{0,12}报告|报告(?:里|中|说|提到|一共|有哪|写了|讲了)/;

/** The kinds of provision a question can ask for, recognisable from its wording in any area of law. */
export type Intent = 'deadline' | 'penalty' | 'definition' | 'frequency' | 'enumeration';

export interface QuestionAnalysis {
  /** The question as asked (trimmed). */
  question: string;
  /** The question normalised for matching: full-width digits and letters as ASCII, lower case, amendments as titled (canonicalAmendments). */
  text: string;
  /** The laws the question names, with their offsets in `text`. */
  mentions: LawMention[];
  /** Full titles of the laws the question names, each once, in order of appearance. */
  laws: string[];
  /** The article references, each tied to the law named right before it (if any). */
  references: ArticleReference[];
  /** Every article number the question cites (第十八条 → {number: 18, suffix: 0}), ranges expanded. */
  articles: ArticleNumber[];
  intents: Intent[];
  /** The content of the question: framing removed, colloquial forms normalised (questionContent). */
  content: string;
  /** The legal concepts the question names (concepts.ts): 追诉时效, 表见代理… */
  concepts: LegalConcept[];
}

export interface QueryWeights {
  /** Weight of a term implied by the synonym list relative to the user's own words (default 0.5). */
  synonym?: number;
  /** Weight of a term implied by the broader colloquial lexicon (default COLLOQUIAL_WEIGHT). */
  colloquial?: number;
  /**
   * Share of the index's chunks that contain a word. When given, a colloquial pattern expands only if some
   * word of it is rare in the indexed texts (share below COLLOQUIAL_MAX_SHARE): wording the laws themselves
   * use is already matched directly, and expanding it only dilutes the query.
   */
  docShare?: (word: string) => number;
  /** Weight of a character bigram relative to a word: bigrams reward phrases kept together (default 0.3). */
  bigram?: number;
  /** Weight of a term implied by the lay-to-legal vocabulary of the question's areas of law (default LAY_WEIGHT). */
  lay?: number;
}

export const SYNONYM_WEIGHT = 0.5;
export const BIGRAM_WEIGHT = 0.3;
export const COLLOQUIAL_WEIGHT = 0.3;
export const COLLOQUIAL_MAX_SHARE = 0.001;
/** Weight of the lay vocabulary's legal terms (lay-lexicon.ts): chosen on the lay tune sets. */
export const LAY_WEIGHT = 0.4;
/**
 * Share of the lay weight for the vocabulary of areas the question was not routed to. 0.5 in round 1; with the
 * third batch of entries 0.75 held Hit@5 and raised MRR on both lay sets (tune 0.385 → 0.395, own 0.526 → 0.540;
 * 0.25 and 1 were lower): a neighbouring area's reading of a word is more often the right one.
 */
export const UNROUTED_LAY_SHARE = 0.75;
/** Share of their weight the office lexicons keep for a question about one's own life (routed to an area of law). */
export const OFFICE_SHARE_FOR_LAY = 0.5;

/**
 * How a question asks for a kind of provision, and how an article that provides it reads. General legal
 * drafting patterns only (数字+日/个月, 罚款/处分, 是指/所称), never the wording of particular questions.
 */
export const INTENTS: { intent: Intent; question: RegExp; article: RegExp }[] = [
  {
    intent: 'deadline',
    question: /多少天|几天|多久|时间|几个月|多少个月|几日|多少日|期限|时限|最晚|最长|最迟|最短|之内|以内|天内|日内|工作日|什么时候|何时|截止/,
    article: /[一二三四五六七八九十百\d]+个?(?:工作日|日|天|个月|年)(?:内|前|以内|之内|起)|期限|届满/,
  },
  {
    intent: 'penalty',
    question: /怎么罚|罚款|处罚|罚多少|罚钱|被罚|受什么处|什么处分|追究|法律责任|处分|怎么处理|怎么处置|后果|担什么责任|承担什么责任/,
    article: /罚款|处分|没收|责令|警告|追究.{0,6}责任|吊销|承担(?:民事|赔偿|连带|法律)责任|赔偿(?:损失|责任)/,
  },
  {
    intent: 'definition',
    question: /含义|定义|是指|什么是|指什么|指的是|具体指|指哪|是什么意思|概念|区别/,
    article: /是指|所称|包括/,
  },
  {
    intent: 'frequency',
    question: /频率|多久一次|每隔|定期|几次/,
    article: /每月|每季|每年|每半年|定期|按月|按季|至少一次|每\S{1,3}一次/,
  },
  {
    intent: 'enumeration',
    question: /包括哪些|包含哪些|有哪几|哪几种|哪几类|哪几项|哪些情形|哪些情况|哪些种类|什么种类/,
    article: /包括|下列|[（(][一二三四五六七八九十]+[)）]|种类/,
  },
];

/**
 * Question framing that carries no content: yes/no frames (能不能, 是不是, 要不要…), asking words and
 * particles. Removed before segmentation, because jieba splits 「办事时能不能」 into 时能/不能 and 不能 is a
 * frequent word of the law texts (不能证明, 不能履行), so the frame would match articles by accident.
 */
const FRAMING =
  /能不能|能否|可不可以|可以吗|可否|行不行|是不是|是否|有没有|要不要|需不需要|用不用|会不会|该不该|算不算|还要不要|怎么办|怎么样|怎样|怎么|如何|为什么|为何|什么|哪些|哪个|哪里|多少|请问|一下|到底|究竟|[吗呢吧啊呀嘛]/g;

/** Colloquial measure words as laws write them: 罚两回 → 罚两次. */
const COLLOQUIAL_FORMS: [RegExp, string][] = [[/([一二两三四五六七八九十几多])回/g, '$1次']];

/** The content of a question: framing removed (a space keeps the remaining words apart), colloquial forms normalised. */
export function questionContent(text: string): string {
  let out = text.replace(FRAMING, ' ');
  for (const [re, to] of COLLOQUIAL_FORMS) out = out.replace(re, to);
  return out;
}

/** The intents a question shows. */
export function intentsOf(text: string): Intent[] {
  return INTENTS.filter((i) => i.question.test(text)).map((i) => i.intent);
}

/** Whether an article's text provides what an intent asks for. */
export function providesIntent(intent: Intent, text: string): boolean {
  return INTENTS.find((i) => i.intent === intent)!.article.test(text);
}

/**
 * Analyse a question once: law mentions (through the catalog, when given), article references, intents and
 * content. Search terms follow from it with queryTerms.
 * @example analyzeQuestion('预算法第十八条', catalog).articles // [{ number: 18, suffix: 0 }]
 */
export function analyzeQuestion(question: string, catalog?: Pick<LawCatalog, 'findLawMentions'> & Partial<Pick<LawCatalog, 'resolveLoose'>>): QuestionAnalysis {
  const q = question.trim();
  const text = canonicalAmendments(normalizeText(q).trim());
  const mentions = catalog?.findLawMentions(text) ?? [];
  const references = parseArticleReferences(text, mentions, catalog?.resolveLoose);
  return {
    question: q,
    text,
    mentions,
    laws: [...new Set(mentions.map((m) => m.title))],
    references,
    articles: references.flatMap((r) => r.articles),
    intents: intentsOf(text),
    content: questionContent(text),
    concepts: conceptsNamed(text),
  };
}

const termCache = new WeakMap<QuestionAnalysis, Map<string, QueryTerm[]>>();
const shareIds = new WeakMap<(word: string) => number, number>();
let shareCount = 0;

/**
 * The weighted search terms of an analysed question: its own words (weight 1), its character bigrams, and
 * the legal terms its wording implies (synonym list, then the colloquial lexicon). Computed once per
 * question and weighting; the array is shared, so callers must not change it.
 * @example queryTerms(analyzeQuestion('交罚款最晚多少天？')).some((t) => t.term === '日内') // true
 */
export function queryTerms(a: QuestionAnalysis, weights: QueryWeights = {}): QueryTerm[] {
  const synonym = weights.synonym ?? SYNONYM_WEIGHT;
  const bigram = weights.bigram ?? BIGRAM_WEIGHT;
  const colloquial = weights.colloquial ?? COLLOQUIAL_WEIGHT;
  const lay = weights.lay ?? LAY_WEIGHT;
  const share = weights.docShare;
  let shareId = 0;
  if (share) {
    if (!shareIds.has(share)) shareIds.set(share, ++shareCount);
    shareId = shareIds.get(share)!;
  }
  const key = `${synonym}|${bigram}|${colloquial}|${lay}|${shareId}`;
  const route = routeQuestion(a);
  // A question about one's own life speaks the lay vocabulary of its areas; the office lexicons (finance,
  // procurement, administration) then weigh less, for their readings (起诉 → 行政诉讼, 老板 → 负责人) are the office's.
  const personal = route.personal;
  let cache = termCache.get(a);
  if (!cache) termCache.set(a, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;

  const terms: QueryTerm[] = searchTerms(a.content).map((term) => ({ term, weight: 1 }));
  if (bigram > 0) for (const b of charBigrams(a.content)) terms.push({ term: BIGRAM_PREFIX + b, weight: bigram });
  const core = legalTermsFor(a.text);
  const seen = new Set(terms.map((t) => t.term));
  const add = (legal: string[], weight: number) => {
    for (const l of legal) {
      for (const term of searchTerms(l)) {
        if (seen.has(term)) continue;
        seen.add(term);
        terms.push({ term, weight });
      }
    }
  };
  if (synonym > 0) add(core, personal ? synonym * OFFICE_SHARE_FOR_LAY : synonym);
  const fires = share ? (p: string) => searchTerms(p).some((w) => share(w) < COLLOQUIAL_MAX_SHARE) : undefined;
  if (colloquial > 0) add(colloquialTermsFor(a.text, core, fires), personal ? colloquial * OFFICE_SHARE_FOR_LAY : colloquial);
  // The lay vocabulary of the areas the question belongs to, whatever the words' frequency in the texts; not
  // for questions about the bureau's own work, which speak the office's language (the lexicons above).
  if (lay > 0 && !route.checklist) {
    const routed = route.areas.map((r) => r.area.id);
    add(layTermsFor(a.text, routed), lay);
    // Other areas' readings of the same words count for less: the routing may have missed the question's area.
    add(layTermsFor(a.text, Object.keys(LAY_LEXICON).filter((id) => !routed.includes(id))), lay * UNROUTED_LAY_SHARE);
  }
  cache.set(key, terms);
  return terms;
}
