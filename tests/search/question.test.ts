/** The question analyser: question framing, colloquial forms, intents, law mentions through the catalog, article references. */
import { describe, expect, it } from 'vitest';
import { analyzeQuestion, intentsOf, providesIntent, queryTerms, questionContent } from '../../src/search/question.ts';
import { BIGRAM_PREFIX } from '../../src/search/tokenize.ts';

describe('question content', () => {
  it('drops yes/no frames that jieba would split into law words (能不能 → 时能/不能)', () => {
    const terms = queryTerms(analyzeQuestion('办事时能不能随意要求企业开证明？'));
    const words = terms.filter((t) => !t.term.startsWith(BIGRAM_PREFIX)).map((t) => t.term);
    expect(words).not.toContain('不能');
    expect(words).toEqual(expect.arrayContaining(['随意', '企业', '证明']));
  });

  it('writes colloquial measure words as the laws do', () => {
    expect(questionContent('能罚两回吗')).toContain('罚两次');
  });

  it('keeps synonym expansion working on the original wording', () => {
    const terms = queryTerms(analyzeQuestion('交罚款最晚多少天？'));
    expect(terms.some((t) => t.term === '日内' && t.weight < 1)).toBe(true);
  });
});

describe('intents', () => {
  it('recognises what kind of provision a question asks for', () => {
    expect(intentsOf('复议机关多久内通知补正？')).toContain('deadline');
    expect(intentsOf('做假账的领导怎么罚？')).toContain('penalty');
    expect(intentsOf('行政事业性收费收入 含义')).toContain('definition');
    expect(intentsOf('预算编制的原则')).toEqual([]);
  });

  it('recognises articles that provide it', () => {
    expect(providesIntent('deadline', '应当自收到申请之日起五日内作出决定')).toBe(true);
    expect(providesIntent('penalty', '处二万元以上五万元以下的罚款')).toBe(true);
    expect(providesIntent('definition', '本法所称结转资金，是指……')).toBe(true);
    expect(providesIntent('deadline', '国家实行一级政府一级预算')).toBe(false);
  });
});

describe('law mentions and article references', () => {
  it('uses the catalog to find named laws and parses cited articles', () => {
    const catalog = {
      findLawMentions: (t: string) => (t.includes('预算法') ? [{ title: '中华人民共和国预算法', start: t.indexOf('预算法'), end: t.indexOf('预算法') + 3 }] : []),
    };
    const q = analyzeQuestion('《预算法》第十八条和第２０条', catalog);
    expect(q.laws).toEqual(['中华人民共和国预算法']);
    expect(q.articles).toEqual([{ number: 18, suffix: 0 }, { number: 20, suffix: 0 }]);
  });
});
