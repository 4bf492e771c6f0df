/**
 * Offline answers on the real checklist index: the no-basis threshold, the extractive reply, conversation
 * follow-ups and their expiry, curated FAQ answers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnswerer } from '../../src/answer/answerer.ts';
import { isGrounded } from '../../src/answer/evaluate.ts';
import { loadFaqFiles, resolveFaq } from '../../src/answer/faq.ts';
import type { Answerer } from '../../src/answer/types.ts';
import type { Config } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import type { KnowledgeIndex } from '../../src/search/types.ts';
import { getChecklistIndex, REPO_ROOT } from '../helpers/test-index.ts';

let index: KnowledgeIndex;
let config: Config;
let offline: Answerer;
const noFaq = mkdtempSync(join(tmpdir(), 'pufa-nofaq-'));

beforeAll(async () => {
  ({ index, config } = await getChecklistIndex());
  offline = createAnswerer({ index, config, faqDir: noFaq });
});

describe('no basis', () => {
  it('holds on question sets written apart from the tuning, and never on answerable dev questions', async () => {
    const { readQuestions } = await import('../../src/search/evaluate.ts');
    const share = async (files: string[], wantNone: boolean) => {
      const qs = await readQuestions(files.map((f) => join(REPO_ROOT, f)));
      let n = 0;
      for (const q of qs) if (((await offline.answer(q.question)).mode === 'none') === wantNone) n++;
      return n / qs.length;
    };
    // The judge of issue 10 (docs/answers.md): no-basis on the out-of-scope sets rises, and a few answerable
    // questions whose best hit covers little of them are refused where the old judge answered them.
    const oos = ['holdout-out-of-scope.jsonl', 'holdout-out-of-scope-2.jsonl', 'holdout-out-of-scope-3.jsonl'].map((f) => `tests/answer/fixtures/${f}`);
    expect(await share([...oos, '../shared/eval/out-of-scope-dev.jsonl'], true)).toBeGreaterThanOrEqual(0.95);
    expect(await share(['../shared/eval/dev-a.jsonl', '../shared/eval/dev-b.jsonl'], false)).toBeGreaterThanOrEqual(0.95);
    const held = ['holdout.jsonl', 'holdout-2.jsonl', 'holdout-3.jsonl', 'holdout-4.jsonl'].map((f) => `tests/search/fixtures/${f}`);
    expect(await share(held, false)).toBeGreaterThanOrEqual(0.93);
  });

  it.each([
    '明天区里会下雨吗？',
    '羽毛球比赛单打是几局几胜？',
    '世界杯决赛是哪两个队？',
    '醉驾会判几个月拘役？',
    '盗窃多少钱构成犯罪？',
    '故意伤害罪判几年？',
    // Legal questions of areas the checklist does not hold whose words a held law shares: 公务员 and 工资 are the
    // 政务处分法's words, 股东 and 连带责任 the 民法典's legal persons', 专利 a technology contract's, 离婚 and 冷静
    // the 总则's, 维修资金 the 物业服务合同's (issue 10, docs/answers.md round 8).
    '公务员年度考核被定为不称职会怎样？',
    '公务员涨工资有什么规定？',
    '公务员辞职要走什么程序？',
    '一人公司的股东要证明什么才不用对公司债务负连带责任？',
    '16岁的人偷东西要负刑事责任吗？',
    '几岁开始要负刑事责任？',
    '实用新型专利权能保护几年？',
    '离婚冷静期内可以撤回离婚申请吗？',
    '住宅专项维修资金归谁所有？',
    '社保经办机构可以对欠缴社会保险费的单位加收滞纳金吗？',
    '广告中能否使用“国家级”“最佳”等用语？',
  ])('「%s」 on a finance-only index gets the no-basis reply', async (q) => {
    const a = await offline.answer(q);
    expect(a.mode).toBe('none');
    expect(a.citations).toEqual([]);
    expect(a.answer.split('\n')[0]).toBe('知识库中没有找到可作依据的条文，无法回答这个问题。');
    for (const r of a.related) expect(isGrounded(r, index)).toBe(true);
  });

  // The held law's own matter, in the same words as those out-of-area questions, is still answered from it.
  it.each([
    ['公职人员受到降级处分，处分期内能晋升工资档次吗？', '中华人民共和国公职人员政务处分法', 19],
    ['营利法人的出资人滥用法人独立地位，要对法人债务担责吗？', '中华人民共和国民法典', 83],
    ['物业服务人要不要定期公开维修资金的使用情况？', '中华人民共和国民法典', 943],
    ['不满十四周岁的人违法了，能给行政处罚吗？', '中华人民共和国行政处罚法', 30],
  ] as const)('「%s」 is answered from %s article %i', async (q, law, article) => {
    const a = await offline.answer(q);
    expect(a.mode).toBe('extractive');
    expect(a.citations[0]).toMatchObject({ law, article });
  });

  it('says a named law is not in the knowledge base', async () => {
    const a = await offline.answer('刑法第二十条的内容是什么？');
    expect(a.mode).toBe('none');
    expect(a.answer).toContain('知识库中没有找到《刑法》');
  });

  it('answers an in-scope question with a lead, the article text and related citations', async () => {
    const a = await offline.answer('不同预算科目之间的资金能不能互相调剂使用？');
    expect(a.mode).toBe('extractive');
    const main = a.citations[0]!;
    expect(a.answer.split('\n')[0]).toBe(`依据《${main.law}》${main.articleLabel}（${main.version} 版）：`);
    expect(a.answer).toContain(main.text.split('\n')[0]!.slice(0, 20));
    expect(a.related.length).toBeLessThanOrEqual(3);
    for (const c of a.citations) {
      expect(isGrounded(c, index)).toBe(true);
      if (c.doc === 'law') expect(c.status).toBe('current');
    }
  });
});

describe('conversation', () => {
  const FIRST = '政府采购合同签订后，合同副本要在多长时间内报财政部门备案？';
  const FOLLOW = '那超过期限怎么办？';

  it('reads a follow-up against the previous turn, until the context expires', async () => {
    let now = new Date('2025-03-03T09:00:00Z');
    const a = createAnswerer({ index, config: { ...config, answer: { ...config.answer, contextTtlMinutes: 30 } }, faqDir: noFaq, now: () => now });
    const first = await a.answer(FIRST, { conversationId: 'chat-1' });
    expect(first.mode).toBe('extractive');
    const law = first.citations[0]!.law;

    now = new Date('2025-03-03T09:10:00Z');
    const follow = await a.answer(FOLLOW, { conversationId: 'chat-1' });
    expect(follow.mode).not.toBe('none');
    expect(follow.citations[0]!.law).toBe(law);

    // Another chat has no such context.
    const alone = await a.answer(FOLLOW, { conversationId: 'chat-2' });
    expect(alone.answer).not.toBe(follow.answer);

    // Forty minutes after the last turn the context is gone: the follow-up reads as if asked alone.
    await a.answer(FIRST, { conversationId: 'chat-3' });
    now = new Date('2025-03-03T09:50:00Z');
    const expired = await a.answer(FOLLOW, { conversationId: 'chat-3' });
    expect(expired.answer).toBe(alone.answer);
  });

  it('ranks a follow-up inside the previous law for its own question (issue 10)', async () => {
    const a = createAnswerer({ index, config, faqDir: noFaq });
    const first = await a.answer('供应商认为采购文件让自己的权益受损，多长时间内提出质疑？', { conversationId: 'q' });
    expect(first.citations[0]).toMatchObject({ law: '中华人民共和国政府采购法', article: 52 });
    const next = await a.answer('那对方多久要给答复？', { conversationId: 'q' });
    expect(next.citations[0]).toMatchObject({ law: '中华人民共和国政府采购法', article: 53 });
  });

  it('ranks a follow-up across a law and its implementing regulation (issue 10)', async () => {
    const a = createAnswerer({ index, config, faqDir: noFaq });
    // The first answer comes from the regulation; what the follow-up asks is in the law itself.
    const first = await a.answer('政府采购是不是一定得买国产的', { conversationId: 'r' });
    expect(first.citations[0]!.law).toBe('中华人民共和国政府采购法实施条例');
    const next = await a.answer('那采购信息是不是都得向社会公开，有没有例外', { conversationId: 'r' });
    expect(next.citations[0]).toMatchObject({ law: '中华人民共和国政府采购法', article: 11 });
  });

  it('resolves 「第十九条呢？」 to the law of the previous lookup', async () => {
    let now = new Date('2025-03-03T09:00:00Z');
    const a = createAnswerer({ index, config, faqDir: noFaq, now: () => now });
    await a.answer('预算法第十八条', { conversationId: 'c' });
    const next = await a.answer('第十九条呢？', { conversationId: 'c' });
    expect(next.mode).toBe('lookup');
    expect(next.citations[0]).toMatchObject({ law: '中华人民共和国预算法', article: 19 });
    now = new Date('2025-03-03T12:00:00Z');
    const later = await a.answer('第十九条呢？', { conversationId: 'c' });
    expect(later.mode).not.toBe('lookup');
  });
});

describe('curated answers (FAQ)', () => {
  it('answers a close match from the FAQ, marked as such, with the pinned article from the index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pufa-faq-'));
    writeFileSync(
      join(dir, 'a.yaml'),
      'entries:\n  - id: year\n    questions: [预算年度是怎么规定的？, 预算年度起止时间]\n    answer: 预算年度自1月1日起至12月31日止。\n    articles:\n      - { law: 预算法, article: 第十八条 }\n',
    );
    writeFileSync(join(dir, 'broken.yaml'), 'entries:\n  - id: x\n    questions: []\n');
    writeFileSync(join(dir, 'missing.yaml'), 'entries:\n  - id: gone\n    questions: [刑法怎么规定正当防卫]\n    answer: 见刑法。\n    articles: [{ law: 刑法, article: 20 }]\n');
    const a = createAnswerer({ index, config, faqDir: dir });
    const hit = await a.answer('请问预算年度是怎么规定的');
    expect(hit.mode).toBe('faq');
    expect(hit.answer.startsWith('【常见问答】')).toBe(true);
    const law = index.catalog.resolve('预算法')[0]!;
    expect(hit.citations[0]).toMatchObject({ law: law.title, article: 18, text: law.articles.find((x) => x.number === 18)!.text });

    expect((await a.answer('政府采购合同副本多久内报备案？')).mode).not.toBe('faq');
    // The entry pinned to a law the index lacks is never used.
    expect((await a.answer('刑法怎么规定正当防卫')).mode).not.toBe('faq');
  });

  it('ships sample entries whose pinned articles all exist in the checklist index', async () => {
    const entries = await loadFaqFiles(join(REPO_ROOT, 'knowledge/faq'), silentLogger);
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(resolveFaq(entries, index.catalog, silentLogger).length).toBe(entries.length);
  });
});
