/**
 * Lay questions over a collection of several areas of law: routing to the area's laws, the lay-to-legal
 * vocabulary, the statute before the officials' rulebook, and the checklist preferred only for the bureau's
 * work. A real index of real corpus files (criminal law and procedure, the civil code, labour, penalties,
 * the budget law, a prosecutors' rulebook and a theft interpretation), built once for this file.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex, runIngest, type OpenedIndex } from '../../src/search/index.ts';
import { ageTerms, layTermsFor, saysLay } from '../../src/search/lay-lexicon.ts';
import { analyzeQuestion } from '../../src/search/question.ts';
import { interpretsRepealedLaw, routeQuestion } from '../../src/search/routing.ts';
import type { SearchHit } from '../../src/search/types.ts';
import { CORPUS_LAWS_DIR, makeKnowledgeDir, testConfig } from '../helpers/test-index.ts';

const FILES = [
  '刑法/刑法.md',
  '诉讼与非诉讼程序法/刑事诉讼法(2018-10-26).md',
  '司法解释/人民检察院刑事诉讼规则(2019-12-02).md',
  '司法解释/最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释(2013-04-02).md',
  ...['总则', '物权编', '合同编', '侵权责任编', '婚姻家庭编', '继承编'].map((b) => `民法典/${b}.md`),
  '社会法/劳动合同法(2012-12-28).md',
  '行政法/行政处罚法(2021-01-22).md',
  '经济法/预算法(2018-12-29).md',
];

let root: string;
let index: OpenedIndex;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-lay-'));
  const lawsDir = join(root, 'laws');
  for (const f of FILES) {
    await mkdir(join(lawsDir, f, '..'), { recursive: true });
    await cp(join(CORPUS_LAWS_DIR, f), join(lawsDir, f));
  }
  const config = testConfig(root, { lawsDir });
  await makeKnowledgeDir(config.knowledgeDir);
  await runIngest(config);
  index = await openIndex(config);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const label = (h: SearchHit) => `${h.chunk.title.replace(/^中华人民共和国/, '')}${h.chunk.articleLabel ?? ''}`;
const rankOf = (hits: SearchHit[], title: string, article: number) => hits.findIndex((h) => h.chunk.title === title && h.chunk.article === article) + 1;

describe('routing a question to its area of law', () => {
  it('tells criminal, procedural, labour and family questions apart by their signals', () => {
    const area = (q: string) => routeQuestion(analyzeQuestion(q)).areas[0]?.area.id;
    expect(area('偷了同事的手机会坐牢吗')).toBe('criminal');
    expect(area('家里人被刑拘了，多久能取保候审')).toBe('criminal_procedure');
    expect(area('被公司辞退了，能要经济补偿吗')).toBe('labour');
    expect(area('爸妈去世没留遗嘱，遗产怎么分')).toBe('family_inheritance');
    expect(routeQuestion(analyzeQuestion('明天天气怎么样')).areas).toEqual([]);
  });

  it('prefers the checklist for the bureau’s own work and treats other questions as personal', () => {
    const checklist = new Set(['中华人民共和国预算法']);
    expect(routeQuestion(analyzeQuestion('局里的预算调整要谁批准'), checklist).checklist).toBe(true);
    expect(routeQuestion(analyzeQuestion('预算法第十八条讲什么'), checklist).checklist).toBe(true);
    const lay = routeQuestion(analyzeQuestion('被公司辞退了，能要经济补偿吗'), checklist);
    expect(lay.checklist).toBe(false);
    expect(lay.personal).toBe(true);
  });

  it('marks questions about thresholds, which judicial interpretations lay down', () => {
    expect(routeQuestion(analyzeQuestion('偷多少钱才够判刑')).specifics).toBe(true);
    expect(routeQuestion(analyzeQuestion('偷东西会坐牢吗')).specifics).toBe(false);
  });

  it('recognises interpretations of laws the collection no longer holds', () => {
    const has = (t: string) => t === '中华人民共和国民法典';
    expect(interpretsRepealedLaw('最高人民法院关于适用《中华人民共和国合同法》若干问题的解释（一）', '司法解释', has)).toBe(true);
    expect(interpretsRepealedLaw('最高人民法院关于适用《中华人民共和国民法典》继承编的解释（一）', '司法解释', has)).toBe(false);
    expect(interpretsRepealedLaw('中华人民共和国合同法', '民法商法', has)).toBe(false);
  });
});

describe('the lay-to-legal vocabulary', () => {
  it('gives the legal terms for everyday words of the question’s area', () => {
    expect(layTermsFor('房东要卖房子', ['land_property'])).toContain('出租人');
    expect(layTermsFor('偷了东西', ['criminal'])).toContain('盗窃');
    expect(layTermsFor('偷了东西', ['labour'])).not.toContain('盗窃');
  });

  it('states ages as the law’s brackets', () => {
    expect(ageTerms('孩子才13岁')).toEqual(['未成年人', '限制民事行为能力人', '已满十二周岁不满十四周岁']);
    expect(ageTerms('我家老大十五岁了')).toContain('已满十四周岁不满十六周岁');
    expect(ageTerms('孩子5岁')).toContain('无民事行为能力人');
    expect(ageTerms('他今年三十岁')).toEqual([]);
  });
});

describe('lay questions over several areas of law', () => {
  it('finds the theft article for 偷 although the question never says 盗窃', async () => {
    const hits = await index.search('在超市偷了几瓶酒被保安抓住了，会不会坐牢', { k: 5 });
    expect(hits.map(label)).toContain('刑法第二百六十四条');
  });

  it('answers a suspect’s family from the code of criminal procedure before the prosecutors’ rulebook', async () => {
    const q = '老公被公安刑事拘留了，公安最晚多久要通知我们家属';
    const hits = await index.search(q, { k: 5 });
    expect(label(hits[0]!)).toBe('刑事诉讼法第八十五条');
    const rulebook = hits.findIndex((h) => h.chunk.title === '人民检察院刑事诉讼规则');
    expect(rulebook === -1 || rulebook > 0).toBe(true);
  });

  it('lets a tenant’s question reach the lease articles, not the checklist’s budget law', async () => {
    const hits = await index.search('房东要把我租的房子卖给别人，我这个租客能不能优先买', { k: 5 });
    expect(rankOf(hits, '中华人民共和国民法典', 726)).toBeGreaterThan(0);
    expect(hits.some((h) => h.chunk.title === '中华人民共和国预算法')).toBe(false);
  });
});

describe('the third batch of the lay vocabulary and the statute first', () => {
  it('reads the situations the laws’ chapters name in people’s words', () => {
    expect(layTermsFor('入职时公司扣了我的身份证', ['labour'])).toContain('不得扣押劳动者的居民身份证');
    expect(layTermsFor('租的房子甲醛超标', ['land_property'])).toContain('危及承租人的安全或者健康');
    expect(layTermsFor('丧偶的儿媳一直照顾公婆', ['family_inheritance'])).toContain('丧偶儿媳对公婆');
  });

  it('matches a lay pattern with a few words between its parts, inside one clause only', () => {
    expect(saysLay('公司扣了我的身份证', '扣身份证')).toBe(true);
    expect(saysLay('租房的租客上个月去世了', '租客去世')).toBe(true);
    expect(saysLay('工资被扣了，身份证还在我这', '扣身份证')).toBe(false);
    expect(saysLay('实在交不起物业费', '不交物业费')).toBe(false);
  });

  it('brings up the lease article on a dwelling that endangers health, which shares no word with the question', async () => {
    const q = '租的房子甲醛超标，我能直接退租吗';
    expect(label((await index.search(q, { k: 5 }))[0]!)).toBe('民法典第七百三十一条');
    expect((await index.hybrid({ layWeight: 0 }).search(q, { k: 5 })).map(label)).not.toContain('民法典第七百三十一条');
  });

  it('puts the statute before the interpretation for a personal question, not for one asking what counts', async () => {
    const interpretations = async (q: string, o: object) =>
      (await index.hybrid(o).search(q, { k: 5 })).filter((h) => h.chunk.title.startsWith('最高人民法院')).length;
    expect(await interpretations('入户偷东西会判刑吗', {})).toBeLessThan(await interpretations('入户偷东西会判刑吗', { statutePenalty: 0 }));
    const counts = await index.search('扒窃算不算犯罪', { k: 5 });
    expect(counts[0]!.chunk.title).toMatch(/^最高人民法院/);
  });
});
