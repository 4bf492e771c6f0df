/**
 * The answerer: a question in, a checked answer out. The question is analysed once (search/question.ts);
 * order of precedence: direct article lookup, curated FAQ, then retrieval — offline (extractive) by default,
 * LLM-written when configured, never without a basis.
 */
import type { Config } from '../config.ts';
import { PufaError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import { analyzeQuestion, type QuestionAnalysis } from '../search/question.ts';
import type { KnowledgeIndex, SearchHit } from '../search/types.ts';
import { join } from 'node:path';
import { unknownLawBeforeArticle, type ArticleReference } from '../knowledge/article-reference.ts';
import { citationLine } from './citations.ts';
import { createConversationStore, isFollowUp, type Turn } from './conversation.ts';
import { citationsOfHits, composeExtractive, composeNoBasis, type RankedCitation } from './extractive.ts';
import { loadFaqFiles, matchFaq, resolveFaq, type ResolvedFaq } from './faq.ts';
import { LlmUnavailableError, createChatModel, type ChatModel } from '../llm/chat-model.ts';
import { answerWithModel } from './llm-answer.ts';
import { lookupArticles } from './lookup.ts';
import { loadPrompt, type Prompt } from '../llm/prompts.ts';
import { createRelevanceJudge, minScoreOf } from './relevance.ts';
import { rerankByIntent } from './rerank.ts';
import type { Answer, AnswerCitation, AnswerMode, AnswerOptions, Answerer } from './types.ts';

export type { Answer, AnswerCitation, AnswerMode, AnswerOptions, Answerer } from './types.ts';

export interface AnswererDeps {
  index: KnowledgeIndex;
  config: Config;
  logger?: Logger;
  /** The clock for conversation expiry. */
  now?: () => Date;
  /** Folder of versioned prompts (default: the repository's prompts/). */
  promptsDir?: string;
  /** Folder of curated answers (default: <knowledge>/faq). */
  faqDir?: string;
  /** A chat model to use instead of the one config.llm describes. */
  chatModel?: ChatModel;
}

const SEARCH_K = 10;

/** Put before answers drawn from documents while the index holds no laws. */
export const NO_LAWS_YET = '（知识库里还没有法规原文：以下内容摘自本单位的文档，不是法律条文。要依据法律作答，请管理员放入法规文件或运行 npx pufa laws fetch。）';

type Reply = Omit<Answer, 'question' | 'ms'> & { turn?: Omit<Turn, 'at' | 'question'> };

/**
 * @example const answerer = createAnswerer({ index, config }); await answerer.answer('预算法第十八条')
 */
export function createAnswerer(deps: AnswererDeps): Answerer {
  const { index, config } = deps;
  const logger = (deps.logger ?? silentLogger).child('answer');
  const now = deps.now ?? (() => new Date());
  const conversations = createConversationStore({ ttlMinutes: config.answer.contextTtlMinutes, now });
  const judge = createRelevanceJudge({
    catalog: index.catalog,
    chunks: index.chunks,
    minScore: minScoreOf(config),
    askedAbout: (r) => index.askedAbout?.(r.chunk) ?? [],
    pairs: index.prebuilt?.pairs,
  });
  const model = deps.chatModel ?? (config.llm ? createChatModel(config.llm) : undefined);

  // Files are read on first use, never at import or construction time.
  let faq: Promise<ResolvedFaq[]> | undefined;
  const getFaq = () =>
    (faq ??= loadFaqFiles(deps.faqDir ?? join(config.knowledgeDir, 'faq'), logger).then((e) => resolveFaq(e, index.catalog, logger)));
  let prompt: Promise<Prompt> | undefined;
  const getPrompt = () => (prompt ??= loadPrompt('answer', deps.promptsDir));

  function lookup(question: string, refs: ArticleReference[], turn: Turn | undefined): Reply | undefined {
    const replies: Reply[] = [];
    for (const ref of refs) {
      // 「第二十条呢？」 names only an article: it means the law of the previous turn.
      const title = ref.lawTitle ?? (turn?.lawTitle && isFollowUp(question, false) ? turn.lawTitle : undefined);
      if (!title) continue;
      const r = lookupArticles(index.catalog, index.catalog.resolve(title), ref);
      if (r) replies.push({ mode: r.mode, answer: r.answer, citations: r.citations, related: r.related, turn: { lawId: r.law.id, lawTitle: r.law.title } });
    }
    if (!replies.length) return undefined;
    if (replies.length === 1) return replies[0];
    const found = replies.filter((r) => r.mode === 'lookup');
    return {
      mode: found.length ? 'lookup' : 'none',
      answer: replies.map((r) => r.answer).join('\n\n'),
      citations: replies.flatMap((r) => r.citations),
      related: replies.flatMap((r) => r.related),
      turn: (found[0] ?? replies[0]!).turn,
    };
  }

  /**
   * The ranked citations for a question. A follow-up searches with the earlier question too, first inside the
   * previous turn's law; that search is kept when the judge finds a basis in it (`basis` is then true, and
   * the judge need not run again).
   */
  async function retrieve(a: QuestionAnalysis, turn: Turn | undefined): Promise<{ ranked: RankedCitation[]; query: string; basis?: true }> {
    const question = a.question;
    const follow = turn !== undefined && isFollowUp(question, a.mentions.length > 0);
    const query = follow ? `${turn.question} ${question}` : question;
    const analysis = follow ? analyzeQuestion(query, index.catalog) : a;
    // Inside one law every hit is a law article, so this reordering keeps their order.
    const rank = (hits: SearchHit[]) => rerankByIntent(question, citationsOfHits(hits, index.catalog, index.documents));
    if (follow && turn.lawId) {
      const ranked = rank(await index.search(analysis, { k: SEARCH_K, lawIds: [turn.lawId] }));
      if (ranked.length && judge.hasBasis(query, ranked)) return { ranked, query, basis: true };
    }
    return { ranked: rank(await index.search(analysis, { k: SEARCH_K })), query };
  }

  async function respond(question: string, opts: AnswerOptions): Promise<Reply> {
    const turn = opts.conversationId ? conversations.get(opts.conversationId) : undefined;
    const analysis = analyzeQuestion(question, index.catalog);
    const direct = lookup(question, analysis.references, turn);
    if (direct) return direct;

    if (!analysis.mentions.length && analysis.references.length) {
      const unknown = unknownLawBeforeArticle(question);
      if (unknown) {
        const { ranked } = await retrieve(analysis, undefined);
        const nb = composeNoBasis(ranked);
        return { mode: 'none', answer: `知识库中没有找到《${unknown}》，无法提供该条原文。${nb.related.length ? '\n' + nb.answer.split('\n').slice(1).join('\n') : ''}`, citations: [], related: nb.related };
      }
    }

    const curated = matchFaq(question, await getFaq());
    if (curated) {
      const { entry } = curated;
      const lines = ['【常见问答】', entry.answer, '', '依据：'];
      for (const c of entry.citations) lines.push(`${citationLine(c)}：`, c.text);
      const first = entry.citations[0]!;
      const law = first.law ? index.catalog.resolve(first.law).find((v) => v.version === first.version) : undefined;
      return { mode: 'faq', answer: lines.join('\n'), citations: entry.citations, related: [], turn: { lawId: law?.id, lawTitle: law?.title } };
    }

    const { ranked, query, basis } = await retrieve(analysis, turn);
    if (!ranked.length || !(basis ?? judge.hasBasis(query, ranked))) {
      const nb = composeNoBasis(ranked);
      return { mode: 'none', answer: nb.answer, citations: [], related: nb.related };
    }
    const offline = composeExtractive(query === question ? question : `${question} ${query}`, ranked);
    const main = ranked[0]!.citation;
    const mainLaw = main.doc === 'law' ? index.catalog.resolve(main.law!).find((v) => v.version === main.version) : undefined;
    const turnInfo = { lawId: mainLaw?.id, lawTitle: mainLaw?.title };
    const offlineReply: Reply = { mode: 'extractive', answer: offline.answer, citations: offline.citations, related: offline.related, turn: turnInfo };
    if (!model) return offlineReply;

    try {
      const out = await answerWithModel({ question, ranked, model, prompt: await getPrompt(), logger, onPartial: opts.onPartial });
      if (out.ok) return { mode: 'llm', answer: out.answer, citations: out.citations, related: offline.related, turn: turnInfo };
      return { ...offlineReply, note: '大模型的回答未通过引用核验，以下为离线检索的答案。' };
    } catch (err) {
      if (!(err instanceof LlmUnavailableError) && !(err instanceof PufaError)) throw err;
      logger.warn('llm unavailable, offline answer used', { error: err });
      return { ...offlineReply, note: '大模型服务暂时不可用，以下为离线检索的答案。' };
    }
  }

  return {
    async answer(question: string, opts: AnswerOptions = {}): Promise<Answer> {
      const t0 = performance.now();
      const q = question.trim();
      if (!q) throw new PufaError('请输入要咨询的问题。');
      const reply = await respond(q, opts);
      if (opts.conversationId) {
        const prev = conversations.get(opts.conversationId);
        const follow = prev !== undefined && reply.turn?.lawTitle === prev.lawTitle && isFollowUp(q, false);
        // The topic carries over: a follow-up's context is the earlier question plus this one.
        const topic = follow ? `${prev.question} ${q}`.slice(-200) : q;
        if (reply.mode !== 'none') conversations.set(opts.conversationId, { question: topic, lawId: reply.turn?.lawId, lawTitle: reply.turn?.lawTitle, at: now() });
      }
      const { turn: _turn, ...rest } = reply;
      // Without any law files a passage of the bureau's own documents is all there is: say so first.
      if (index.catalog.versions.length === 0 && (rest.mode === 'extractive' || rest.mode === 'llm')) rest.answer = `${NO_LAWS_YET}\n${rest.answer}`;
      const answer: Answer = { question: q, ...rest, ms: Math.round((performance.now() - t0) * 10) / 10 };
      logger.debug('answered', { mode: answer.mode, ms: answer.ms, first: answer.citations[0] ? citationLine(answer.citations[0]) : null });
      return answer;
    },
  };
}

