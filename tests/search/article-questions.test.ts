/**
 * Colleagues' questions (knowledge/questions/*.yaml) as a search field: a question in everyday words that
 * shares no content word with the article text finds the article through them; bad files are named and
 * skipped; questions written for another version are reported, not pinned to the wrong articles.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { createAnswerer } from '../../src/answer/answerer.ts';
import { parseQuestionFile } from '../../src/knowledge/article-questions.ts';
import { indexStatus, openIndex, runIngest } from '../../src/search/index.ts';
import { writeFixtureKnowledge } from './fixtures.ts';

let root: string;
let config: Config;
let questionsDir: string;
// Shares no content word with 示范管理法第二条 (示范年度自公历一月一日起，至十二月三十一日止).
const EVERYDAY = '年底最后一天花的钱记在哪一年？';
const TARGET = '中华人民共和国示范管理法第二条';
// Shares one word with it (示范年度); the rest is how people talk, which the laws never write.
const COLLOQUIAL = '除夕那天报销的差旅费算进这个示范年度吗？';

const firstHit = async (q: string) => {
  const index = await openIndex(config);
  const [hit] = await index.search(q, { k: 5 });
  return hit ? `${hit.chunk.title}${hit.chunk.articleLabel ?? ''}` : undefined;
};

const ask = async (q: string) => createAnswerer({ index: await openIndex(config), config }).answer(q);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-asked-'));
  const dirs = await writeFixtureKnowledge(root);
  questionsDir = join(dirs.knowledgeDir, 'questions');
  config = loadConfig({ LOG_LEVEL: 'silent' }, { ...dirs, dataDir: join(root, 'data') }, root);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('question files', () => {
  it('accept article labels as people write them and reject what they cannot pin', () => {
    const ok = parseQuestionFile({ law: '预算法', version: '2018-12-29', articles: { 第十八条: ['预算年度从哪天算起？'], '第十条之一': ['问一'], 26: ['问二'] } }, 'questions/a.yaml');
    expect(ok).toMatchObject({ law: '预算法', version: '2018-12-29' });
    expect('articles' in ok && ok.articles.map((a) => [a.number, a.suffix])).toEqual([[26, 0], [18, 0], [10, 1]]);
    const bad = parseQuestionFile({ law: '预算法', version: '2018年', articles: { 第十八款: [] } }, 'questions/b.yaml');
    expect('problems' in bad && bad.problems.join('\n')).toMatch(/版本应写成 2018-12-29[\s\S]*至少一个问法/);
    const label = parseQuestionFile({ law: '预算法', articles: { 第十八款: ['预算年度从哪天算起？'] } }, 'questions/c.yaml');
    expect('problems' in label && label.problems).toEqual(['articles.第十八款：无法识别的条号']);
  });
});

describe('the question field in search', () => {
  it('without question files, the everyday question does not find the article first', async () => {
    await runIngest(config);
    expect(await firstHit(EVERYDAY)).not.toBe(TARGET);
    // Found by its one legal word, but most of its words are foreign to the laws: no basis for an answer.
    expect((await ask(COLLOQUIAL)).mode).toBe('none');
  });

  it('with the colleagues\' questions, it does; the article text is still what is cited', async () => {
    await mkdir(questionsDir, { recursive: true });
    await writeFile(
      join(questionsDir, '示范管理法.yaml'),
      ['law: 示范管理法', 'version: 2023-06-01', 'articles:', '  第二条:', '    - 年底最后一天的开支记在哪一年？', '    - 除夕跨年那几天报销的钱算哪年的账？', ''].join('\n'),
    );
    expect(await indexStatus(config)).toBe('stale');
    const s = await runIngest(config);
    expect(s.articleQuestions).toEqual({ count: 2, articles: 1, unapplied: [], drafts: [] });
    expect(await indexStatus(config)).toBe('fresh');
    const index = await openIndex(config);
    const [hit] = await index.search(EVERYDAY, { k: 5 });
    expect(`${hit!.chunk.title}${hit!.chunk.articleLabel}`).toBe(TARGET);
    expect(hit!.chunk.text).toBe('示范年度自公历一月一日起，至十二月三十一日止。');
    expect(hit!.chunk.version).toBe('2023-06-01');
    // The words the laws never use are the ones colleagues use about this article: it answers, citing it.
    const a = await ask(COLLOQUIAL);
    expect(a.mode).toBe('extractive');
    expect(a.citations[0]).toMatchObject({ law: '中华人民共和国示范管理法', articleLabel: '第二条', version: '2023-06-01' });
    // …but a question about something else still gets no basis.
    expect((await ask('红烧肉怎么做才好吃？')).mode).toBe('none');
  });

  it('names a broken file and an outdated one, and still applies the good one', async () => {
    await writeFile(join(questionsDir, '坏文件.yaml'), 'law: [unclosed\n');
    await writeFile(join(questionsDir, '旧版.yaml'), ['law: 示范管理法', 'version: 2019-01-01', 'articles:', '  第二条: [年底的钱算哪年？]', ''].join('\n'));
    await writeFile(join(questionsDir, '条号.yaml'), ['law: 示范采购条例', 'articles:', '  第九条: [专家怎么选？]', '  第三条: [评委能自己挑吗？]', ''].join('\n'));
    const s = await runIngest(config);
    expect(s.skipped).toEqual([expect.objectContaining({ path: 'questions/坏文件.yaml', reason: expect.stringMatching(/^YAML 格式错误/) })]);
    expect(s.articleQuestions.unapplied).toEqual([
      'questions/旧版.yaml：索引中的《中华人民共和国示范管理法》没有 2019-01-01 版',
      'questions/条号.yaml：《示范采购条例》2021-03-01 版没有第九条',
    ]);
    expect(s.articleQuestions.count).toBe(3);
    expect(await firstHit(EVERYDAY)).toBe(TARGET);
  });

  it('pins a report\'s questions to its sections by label, a unique beginning being enough', async () => {
    const before = await firstHit('老账怎么处理的？');
    expect(before).toBeUndefined();
    await writeFile(
      join(questionsDir, '报告.yaml'),
      ['document: 示范局2023年度工作报告', 'sections:', '  一、（一）一是: [局里的老账打算怎么处理？]', '  一、（一）: [挂账的事怎么办？]', '  二、: [明年怎么安排？]', ''].join('\n'),
    );
    const s = await runIngest(config);
    expect(s.articleQuestions.unapplied).toContain('questions/报告.yaml：《示范局2023年度工作报告》没有段落 一、（一）（对应 3 个段落，请写完整）、二、');
    const [hit] = await (await openIndex(config)).search('老账怎么处理的？', { k: 3 });
    expect(hit?.chunk.doc).toBe('report');
    expect(hit?.chunk.text).toContain('锁定总额、消化存量、严控增量');
  });
});
