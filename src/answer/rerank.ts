/**
 * Answer-level reranking of the retrieved articles by what the question asks for. Retrieval finds the
 * articles on the topic; the question's intent picks among them: a 「多少天」 question wants the article
 * that states a time limit, a 「怎么罚」 question the one with the penalty, a 「含义」 question the definition.
 * Questions about the bureau's own work prefer the report; others prefer the law.
 */
import type { RankedCitation } from './extractive.ts';

interface Intent {
  question: RegExp;
  article: RegExp;
  bonus: number;
}

const INTENTS: Intent[] = [
  // Time limits and deadlines.
  { question: /多少天|几天|多久|多长时间|几个月|几日|期限|时限|最晚|最长|最迟|之内|以内|天内|日内/, article: /[一二三四五六七八九十百\d]+个?(?:工作日|日|天|个月)/, bonus: 0.08 },
  // Penalties and liability.
  { question: /怎么罚|罚款|处罚|罚多少|受什么处|追究|法律责任|处分|怎么处理|违规|违法/, article: /罚款|处分|没收|责令|警告|追究.*责任/, bonus: 0.06 },
  // Definitions.
  { question: /含义|定义|是指|什么是|指什么|指的是|概念|范围/, article: /是指|所称|包括/, bonus: 0.08 },
  // Frequency of a duty.
  { question: /频率|多久一次|每隔|定期/, article: /每月|每季|每年|每半年|定期|按月|按季/, bonus: 0.08 },
  // Who is responsible, where to turn.
  { question: /哪个部门|哪些部门|谁负责|由谁|向谁|找谁|哪里|牵头/, article: /部门|机关|机构/, bonus: 0.04 },
];

const OWN_WORK = /局里|我局|本局|我们局|区财政局|财政局(?:对|的|在|去年|今年)|去年|今年|明年|20\d\d年|本区|我区/;

/** The ranked citations reordered by intent (stable for equal scores). */
export function rerankByIntent(question: string, ranked: RankedCitation[]): RankedCitation[] {
  const intents = INTENTS.filter((i) => i.question.test(question));
  const ownWork = OWN_WORK.test(question);
  const scored = ranked.map((r, i) => {
    let bonus = 0;
    const c = r.citation;
    if (c.doc === 'law') {
      for (const intent of intents) if (intent.article.test(c.text)) bonus += intent.bonus;
      if (ownWork) bonus -= 0.03;
    } else if (c.doc === 'report') {
      bonus += ownWork ? 0.05 : -0.03;
    }
    return { r, i, s: r.score + bonus };
  });
  scored.sort((a, b) => b.s - a.s || a.i - b.i);
  return scored.map((x) => x.r);
}
