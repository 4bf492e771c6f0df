import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog, type LawCatalog, type ParsedLaw } from '../../src/knowledge/catalog.ts';
import { canonicalAmendments } from '../../src/knowledge/law-names.ts';
import { checklistFilter, loadChecklist, resolveChecklist } from '../../src/knowledge/checklist.ts';
import { loadKnowledge } from '../../src/knowledge/load.ts';
import { CORPUS_LAWS, KNOWLEDGE } from './helpers/corpus.ts';
import { tempDir } from './helpers/files.ts';

function law(title: string, opts: Partial<ParsedLaw> = {}): ParsedLaw {
  return {
    title,
    category: opts.category ?? '',
    version: opts.version ?? '2020-01-01',
    info: [],
    books: opts.books ?? [],
    articles: opts.articles ?? [{ number: 1, suffix: 0, label: '第一条', path: [], paragraphs: [title], text: title }],
    sources: opts.sources ?? [`${opts.category ?? ''}/${title}(${opts.version ?? '2020-01-01'}).md`],
  };
}

const TITLES = [
  '中华人民共和国宪法',
  '中华人民共和国宪法修正案（2018年）',
  '中华人民共和国预算法',
  '中华人民共和国预算法实施条例',
  '中华人民共和国政府采购法',
  '中华人民共和国政府采购法实施条例',
  '中华人民共和国政府信息公开条例',
  '优化营商环境条例',
  '信访工作条例',
  '公平竞争审查条例',
  '中华人民共和国保险法',
  '中华人民共和国社会保险法',
  '中华人民共和国教育法',
  '中华人民共和国职业教育法',
  '中华人民共和国会计法',
  '中华人民共和国公司法',
  '中华人民共和国刑法',
];

function sampleCatalog(): LawCatalog {
  return buildCatalog([
    ...TITLES.map((t) => law(t)),
    law('中华人民共和国民法典', { books: ['总则'], category: '民法典', sources: ['民法典/总则.md'], articles: [{ number: 1, suffix: 0, label: '第一条', path: ['总则'], paragraphs: ['a'], text: 'a' }] }),
    law('中华人民共和国民法典', { books: ['合同编'], category: '民法典', sources: ['民法典/合同编.md'], articles: [{ number: 463, suffix: 0, label: '第四百六十三条', path: ['合同编'], paragraphs: ['b'], text: 'b' }] }),
  ]);
}

describe('versions, books and duplicates', () => {
  it('merges the books of a code into one law and marks the newest version current', () => {
    const c = buildCatalog([
      law('中华人民共和国民法典', { books: ['合同编'], sources: ['民法典/合同编.md'], articles: [{ number: 463, suffix: 0, label: '第四百六十三条', path: [], paragraphs: ['b'], text: 'b' }] }),
      law('中华人民共和国民法典', { books: ['总则'], sources: ['民法典/总则.md'], articles: [{ number: 1, suffix: 0, label: '第一条', path: [], paragraphs: ['a'], text: 'a' }] }),
      law('中华人民共和国会计法', { version: '2017-11-04' }),
      law('中华人民共和国会计法', { version: '2024-06-28', articles: [{ number: 1, suffix: 0, label: '第一条', path: [], paragraphs: ['新'], text: '新' }] }),
    ]);
    const code = c.resolve('民法典');
    expect(code).toHaveLength(1);
    expect(code[0]!.articles.map((a) => a.number)).toEqual([1, 463]);
    expect(code[0]!.books.sort()).toEqual(['合同编', '总则']);
    expect(c.resolve('会计法').map((v) => [v.version, v.status])).toEqual([
      ['2024-06-28', 'current'],
      ['2017-11-04', 'superseded'],
    ]);
    expect(c.current.map((v) => v.id)).not.toContain('中华人民共和国会计法@2017-11-04');
  });

  it('ingests a law present twice under different folders once', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const text = '# 中华人民共和国测试广告法\n\n2018年10月26日通过\n\n<!-- INFO END -->\n\n第一条 为了测试。\n\n第二条 本法施行。\n';
      for (const folder of ['经济法', '行政法']) {
        await mkdir(join(dir, folder), { recursive: true });
        await writeFile(join(dir, folder, '测试广告法(2018-10-26).md'), text);
      }
      const { catalog } = await loadKnowledge({ lawsDir: dir, knowledgeDir: join(dir, 'none') });
      expect(catalog.versions).toHaveLength(1);
      expect(catalog.versions[0]!.articles).toHaveLength(2);
      expect(catalog.duplicates).toEqual([{ kept: 'laws/经济法/测试广告法(2018-10-26).md', dropped: 'laws/行政法/测试广告法(2018-10-26).md' }]);
    } finally {
      await cleanup();
    }
  });
});

describe('resolve: the names people write', () => {
  const c = sampleCatalog();
  it.each([
    ['预算法', '中华人民共和国预算法'],
    ['中华人民共和国预算法', '中华人民共和国预算法'],
    ['《预算法》', '中华人民共和国预算法'],
    ['《中华人民共和国预算法》', '中华人民共和国预算法'],
    ['“预算法”', '中华人民共和国预算法'],
    ['中国预算法', '中华人民共和国预算法'],
    [' 预算法 ', '中华人民共和国预算法'],
    ['预算法实施条例', '中华人民共和国预算法实施条例'],
    ['经济法·预算法', '中华人民共和国预算法'],
    ['经济法 预算法', '中华人民共和国预算法'],
    ['行政法规 优化营商环境条例', '优化营商环境条例'],
    ['行政法规优化营商环境条例', '优化营商环境条例'],
    ['行政法规/信访工作条例', '信访工作条例'],
    ['政府信息公开条例', '中华人民共和国政府信息公开条例'],
    ['信访工作办法', '信访工作条例'],
    ['政府采购法实施办法', '中华人民共和国政府采购法实施条例'],
    ['公平竞争审查', '公平竞争审查条例'],
    ['民法典', '中华人民共和国民法典'],
    ['民法典合同编', '中华人民共和国民法典'],
    ['民法典·总则编', '中华人民共和国民法典'],
    ['《民法典》合同编', '中华人民共和国民法典'],
    ['宪法修正案(2018年)', '中华人民共和国宪法修正案（2018年）'],
  ])('%s → %s', (name, title) => {
    expect(c.resolve(name)[0]?.title).toBe(title);
  });

  it('finds nothing for names that are not in the catalog or are only a category', () => {
    expect(c.resolve('禁毒法')).toEqual([]);
    expect(c.resolve('经济法')).toEqual([]);
    expect(c.resolve('')).toEqual([]);
  });
});

describe('findLawMentions', () => {
  const c = sampleCatalog();
  const mentions = (text: string) => c.findLawMentions(text).map((m) => [m.title, text.slice(m.start, m.end)]);

  it('finds full and short titles, in 《》 or not, longest match first', () => {
    expect(mentions('根据《预算法》第十八条和预算法实施条例第三条')).toEqual([
      ['中华人民共和国预算法', '预算法'],
      ['中华人民共和国预算法实施条例', '预算法实施条例'],
    ]);
    expect(mentions('中华人民共和国政府采购法实施条例第二条')).toEqual([['中华人民共和国政府采购法实施条例', '中华人民共和国政府采购法实施条例']]);
    expect(mentions('社会保险法与保险法、职业教育法和教育法')).toEqual([
      ['中华人民共和国社会保险法', '社会保险法'],
      ['中华人民共和国保险法', '保险法'],
      ['中华人民共和国职业教育法', '职业教育法'],
      ['中华人民共和国教育法', '教育法'],
    ]);
  });

  it('reads past a category in front and finds the books of a code', () => {
    expect(mentions('经济法·预算法')).toEqual([['中华人民共和国预算法', '预算法']]);
    expect(mentions('行政法规 优化营商环境条例第十条')).toEqual([['优化营商环境条例', '优化营商环境条例']]);
    expect(mentions('民法典合同编第五百九十条')).toEqual([['中华人民共和国民法典', '民法典合同编']]);
    expect(mentions('民法典·合同编')).toEqual([['中华人民共和国民法典', '民法典·合同编']]);
  });

  it('does not fire inside longer words', () => {
    expect(mentions('宪法相关法有哪些')).toEqual([]);
    expect(mentions('会计法规和预算法律制度')).toEqual([]);
    expect(mentions('公司法人治理结构')).toEqual([]);
    expect(mentions('刑法学教材')).toEqual([]);
    // 「预算法规定」 is 预算法 + 规定, unlike 「会计法规」.
    expect(mentions('违反预算法规定的')).toEqual([['中华人民共和国预算法', '预算法']]);
    expect(mentions('开展宪法学习宣传')).toEqual([['中华人民共和国宪法', '宪法']]);
    expect(mentions('预算法制定于1994年')).toEqual([['中华人民共和国预算法', '预算法']]);
    expect(mentions('学习宪法，遵守宪法')).toEqual([
      ['中华人民共和国宪法', '宪法'],
      ['中华人民共和国宪法', '宪法'],
    ]);
  });

  it('returns spans into the original text', () => {
    const text = '问：《中华人民共和国预算法》第十八条？';
    const [m] = c.findLawMentions(text);
    expect(text.slice(m!.start, m!.end)).toBe('中华人民共和国预算法');
  });
});

describe('amendments and shortened names', () => {
  const article = (n: number) => ({ number: n, suffix: 0, label: `第${n}条`, path: [], paragraphs: [`${n}`], text: `${n}` });
  const c = buildCatalog([
    law('中华人民共和国宪法'),
    law('中华人民共和国宪法修正案（1988年）', { articles: [article(1), article(2)] }),
    law('中华人民共和国宪法修正案（2004年）', { articles: [article(18), article(23)] }),
    law('中华人民共和国刑法'),
    law('中华人民共和国刑法修正案'),
    law('中华人民共和国刑法修正案（九）'),
    law('中华人民共和国刑法修正案（十一）'),
    law('中华人民共和国反电信网络诈骗法'),
    law('中华人民共和国全国人民代表大会和地方各级人民代表大会选举法'),
    law('中国人民解放军选举全国人民代表大会和县级以上地方各级人民代表大会代表的办法'),
    law('最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释'),
    law('最高人民法院关于审理铁路运输人身损害赔偿纠纷案件适用法律若干问题的解释'),
    law('中华人民共和国公司法'),
    law('中华人民共和国合伙企业法'),
    law('中华人民共和国个人独资企业法'),
  ]);

  it.each([
    ['宪法修正案2004年第二十一条', '宪法修正案（2004年）第二十一条'],
    ['2004年宪法修正案第22条', '宪法修正案（2004年）第22条'],
    ['宪法修正案(2004)第22条', '宪法修正案（2004年）第22条'],
    ['刑法修正案九第十八条', '刑法修正案（九）第十八条'],
    ['刑法修正案(9)第11条', '刑法修正案（九）第11条'],
    ['刑法修正案十一 第二十四条', '刑法修正案（十一） 第二十四条'],
    ['刑法修正案一第三条', '刑法修正案第三条'],
    ['宪法修正案一共有几次', '宪法修正案一共有几次'],
  ])('writes %s as the title does: %s', (text, canonical) => {
    expect(canonicalAmendments(text)).toBe(canonical);
  });

  it('names an amendment by its own title and the family by 宪法修正案 alone', () => {
    expect(c.resolve('宪法修正案（2004年）').map((v) => v.title)).toEqual(['中华人民共和国宪法修正案（2004年）']);
    expect(new Set(c.resolve('宪法修正案').map((v) => v.title))).toEqual(new Set(['中华人民共和国宪法修正案（1988年）', '中华人民共和国宪法修正案（2004年）']));
    expect(c.findLawMentions('宪法修正案第二十三条').map((m) => m.title)).toEqual(['宪法修正案']);
    // The first 刑法修正案 has no number, so 刑法修正案 is that law, not a family.
    expect(c.resolve('刑法修正案').map((v) => v.title)).toEqual(['中华人民共和国刑法修正案']);
  });

  it.each([
    ['反诈法', '中华人民共和国反电信网络诈骗法'],
    ['选举法', '中华人民共和国全国人民代表大会和地方各级人民代表大会选举法'],
    ['人身损害赔偿司法解释', '最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释'],
  ])('reads the shortened name %s as %s', (name, title) => {
    expect(c.resolveLoose(name)).toBe(title);
  });

  it('reads no title into a name that fits none or several', () => {
    expect(c.resolveLoose('企业法')).toBeUndefined(); // 合伙企业法 or 个人独资企业法: several fit
    expect(c.resolveLoose('婚姻法')).toBeUndefined();
    expect(c.resolveLoose('按照')).toBeUndefined();
  });
});

describe('the checklist over the real corpus (--checklist-only)', () => {
  let loaded: Awaited<ReturnType<typeof loadKnowledge>>;
  beforeAll(async () => {
    const checklist = await loadChecklist(KNOWLEDGE);
    loaded = await loadKnowledge({ lawsDir: CORPUS_LAWS, knowledgeDir: KNOWLEDGE, only: checklistFilter(checklist) });
  });

  it('keeps only the checklist laws, all their versions, and the report', async () => {
    const checklist = await loadChecklist(KNOWLEDGE);
    const { missing, entries } = resolveChecklist(checklist, loaded.catalog);
    expect(missing).toEqual([]);
    const titles = new Set(loaded.catalog.versions.map((v) => v.title));
    expect(titles.size).toBe(26);
    expect(new Set(entries.map((e) => e.title))).toEqual(titles);
    expect(loaded.catalog.resolve('会计法').map((v) => v.status)).toEqual(['current', 'superseded']);
    expect(loaded.catalog.resolve('民法典')[0]!.books.sort()).toEqual(['合同编', '总则']);
    expect(loaded.documents.map((d) => d.kind)).toEqual(['report']);
    expect(loaded.skipped).toEqual([]);
    // Files left out are still listed (the index compares listings), but only kept ones are hashed.
    expect(loaded.files.length).toBeGreaterThan(1500);
    expect(Object.keys(loaded.hashes).filter((k) => k.startsWith('laws/'))).toHaveLength(
      loaded.catalog.versions.reduce((n, v) => n + v.sources.length, 0) + loaded.catalog.duplicates.length,
    );
  });

  it('keeps the preamble of the constitution as 序言 (article 0) before 第一条', () => {
    const [constitution] = loaded.catalog.resolve('宪法');
    const [preamble, first] = constitution!.articles;
    expect([preamble!.label, preamble!.number]).toEqual(['序言', 0]);
    expect(preamble!.text).toContain('中国是世界上历史最悠久的国家之一。');
    expect(first!.label).toBe('第一条');
  });

  it('finds 预算法第十八条 as the budget year', () => {
    const [budget] = loaded.catalog.resolve('预算法');
    expect(budget!.articles.find((a) => a.number === 18)!.text).toBe('预算年度自公历一月一日起，至十二月三十一日止。');
  });
});
