/** /law 预算法 18: one article in full, through the answerer's direct lookup (no second lookup here). */
import { ARTICLE_NUMERAL } from '../../knowledge/article-reference.ts';
import { bold, para } from '../format.ts';
import type { ChatFeature } from '../types.ts';
import { askAnswerer, citationBlock } from './ask.ts';

const USAGE = '用法：/law 法规名称 条号，例如 /law 预算法 18 或 /law 预算法 第十八条';

/**
 * The /law argument: a law and an article number, with or without 第…条 (people type '预算法 18').
 * The numeral is the one article-label numeral; the query it builds goes through the one reference parser.
 */
const LAW_ARGUMENT = new RegExp(`^(.+?)\\s*(?:第\\s*)?(${ARTICLE_NUMERAL})\\s*(?:条)?(?:\\s*之\\s*(${ARTICLE_NUMERAL}))?\\s*$`);

/** '预算法 18' → '预算法第18条'; '预算法 第十八条' → '预算法第十八条'; undefined if no article is given. */
export function lawQuery(args: string): string | undefined {
  const m = LAW_ARGUMENT.exec(args.trim());
  if (!m) return undefined;
  const law = m[1]!.replace(/[《》\s]/g, '');
  const number = m[2]!.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!law) return undefined;
  return `${law}第${number}条${m[3] ? `之${m[3]}` : ''}`;
}

export const lawFeature: ChatFeature = {
  name: 'law',
  commands: [
    {
      name: 'law',
      description: '查看法条原文',
      usage: '/law 预算法 18',
      access: 'active',
      async run(ctx, args) {
        const query = lawQuery(args);
        if (!query) return void (await ctx.reply(USAGE));
        const answer = await askAnswerer(ctx, query);
        if (answer.mode === 'lookup' && answer.citations.length) {
          await ctx.reply({ blocks: answer.citations.map(citationBlock) });
          return;
        }
        await ctx.reply({ blocks: [para(bold(`未找到「${query}」。`)), para(answer.answer), para(USAGE)] });
      },
    },
  ],
};
