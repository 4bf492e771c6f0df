/** The general colloquial lexicon (gated by how rare a word is in the index) and cross-reference expansion. */
import { describe, expect, it } from 'vitest';
import { buildCatalog, type ParsedLaw } from '../../src/knowledge/catalog.ts';
import { crossReferenceText, indexTextOf } from '../../src/search/chunking.ts';
import { COLLOQUIAL_LEXICON } from '../../src/search/colloquial.ts';
import { analyzeQuestion, COLLOQUIAL_WEIGHT, queryTerms, SYNONYM_WEIGHT } from '../../src/search/question.ts';
import { colloquialTermsFor, legalTermsFor } from '../../src/search/synonyms.ts';

describe('colloquial lexicon', () => {
  it('is a broad general lexicon with no single-character patterns', () => {
    expect(COLLOQUIAL_LEXICON.length).toBeGreaterThan(250);
    for (const [patterns, terms] of COLLOQUIAL_LEXICON) {
      expect(terms.length).toBeGreaterThan(0);
      for (const p of patterns) expect(p.length, p).toBeGreaterThanOrEqual(2);
    }
  });

  it('adds only terms the core synonym list does not already give', () => {
    const core = legalTermsFor('做生意的老板被罚了');
    const extra = colloquialTermsFor('做生意的老板被罚了', core);
    expect(extra).toEqual(expect.arrayContaining(['经商办企业']));
    for (const t of extra) expect(core).not.toContain(t);
  });

  it('expands a pattern only when some word of it is rare in the indexed texts', () => {
    const common = () => 0.2; // every word common: the laws already use this wording
    const rare = (w: string) => (w === '小金库' ? 0 : 0.2);
    const gated = queryTerms(analyzeQuestion('单位搞小金库'), { docShare: common });
    expect(gated.some((t) => t.term === '账簿')).toBe(false);
    const open = queryTerms(analyzeQuestion('单位搞小金库'), { docShare: rare });
    expect(open.find((t) => t.term === '账簿')?.weight).toBe(COLLOQUIAL_WEIGHT);
    expect(COLLOQUIAL_WEIGHT).toBeLessThan(SYNONYM_WEIGHT);
  });
});

function law(title: string, articles: [number, string][]): ParsedLaw {
  return {
    title,
    category: '经济法',
    version: '2020-01-01',
    info: [],
    books: [],
    sources: [`laws/${title}.md`],
    articles: articles.map(([number, text]) => ({ number, suffix: 0, label: `第${number}条`, path: [], text })),
  } as unknown as ParsedLaw;
}

describe('cross-reference expansion', () => {
  const catalog = buildCatalog([
    law('中华人民共和国政府采购法', [
      [71, '采购人、采购代理机构有下列情形之一的，责令限期改正，给予警告：应当采用公开招标方式而擅自采用其他方式采购的。'],
      [72, '采购人、采购代理机构及其工作人员与供应商恶意串通的，处以罚款。'],
    ]),
    law('中华人民共和国政府采购法实施条例', [
      [66, '违反政府采购法第七十一条规定的，处以罚款。'],
      [67, '依照本条例第六十六条、第六十八条处理。'],
      [68, '采购人未按照规定编制采购需求的，责令改正。'],
    ]),
  ]);
  const rules = catalog.current.find((v) => v.title.endsWith('实施条例'))!;

  it('adds the key words of an article cited in another law of the index', () => {
    const extra = crossReferenceText(rules, 0, catalog);
    expect(extra).toMatch(/公开招标|擅自/);
  });

  it('follows 本条例 and enumerations within the same law', () => {
    const extra = crossReferenceText(rules, 1, catalog);
    expect(extra).toMatch(/罚款/);
    expect(extra).toMatch(/需求/);
  });

  it('changes only the indexed text, never the shown text', () => {
    const chunk = { doc: 'law', title: rules.title, path: [], articleLabel: '第六十六条', text: rules.articles[0]!.text } as never;
    expect(indexTextOf(chunk, '公开招标')).toContain('公开招标');
    expect(indexTextOf(chunk)).not.toContain('公开招标');
  });
});
