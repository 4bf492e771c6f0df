import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LawCatalog } from '../../src/knowledge/catalog.ts';
import { loadCuratedQuestions } from '../../src/quiz/curated.ts';
import { corpus, KNOWLEDGE_DIR } from './corpus.ts';

let catalog: LawCatalog;
const dirs: string[] = [];
beforeAll(async () => {
  catalog = (await corpus()).catalog;
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function knowledgeWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pufa-quiz-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'quizzes'));
  writeFileSync(join(dir, 'quizzes', 'bank.yaml'), yaml);
  return dir;
}

/** The reason a bad file is skipped with (it loads nothing, and says why). */
async function errorOf(yaml: string): Promise<string> {
  const load = await loadCuratedQuestions(knowledgeWith(yaml), catalog);
  expect(load.questions).toEqual([]);
  expect(load.skipped).toHaveLength(1);
  return load.skipped[0]!.reason;
}

describe('curated questions (knowledge/quizzes/*.yaml)', () => {
  it('loads the shipped samples, pinned to current articles, with the article quoted', async () => {
    const { questions, retired } = await loadCuratedQuestions(KNOWLEDGE_DIR, catalog);
    expect(retired).toEqual([]);
    expect(questions.length).toBeGreaterThanOrEqual(5);
    const reserve = questions.find((q) => q.article === '第四十条')!;
    expect(reserve).toMatchObject({ law: '中华人民共和国预算法', version: '2018-12-29', type: 'single', answer: [1], source: 'curated' });
    expect(reserve.explanation).toMatch(/^依据《中华人民共和国预算法》第四十条：各级一般公共预算应当按照本级一般公共预算支出额的百分之一至百分之三设置预备费/);
    expect(questions.find((q) => q.type === 'multiple')!.answer).toEqual([0, 1, 3]);
  });

  it('names the file and the field of a bad question', async () => {
    const msg = await errorOf(`questions:\n  - law: 预算法\n    article: 18\n    type: single\n    stem: 预算年度从哪天开始？\n    options: [一月一日, 四月一日, 七月一日, 十月一日]\n    answer: E\n`);
    expect(msg).toContain('quizzes/bank.yaml');
    expect(msg).toContain('questions[0].answer');
    const typo = await errorOf(`questions:\n  - law: 预算法\n    article: 18\n    type: choice\n    stem: 预算年度从哪天开始？\n    answer: A\n`);
    expect(typo).toContain('questions[0].type');
    const missing = await errorOf(`questions:\n  - law: 预算法\n    type: judge\n    stem: 预算年度自公历一月一日起。\n    answer: 正确\n`);
    expect(missing).toMatch(/questions\[0\]\.article：缺少此项/);
  });

  it('rejects questions pinned to laws or articles that do not exist', async () => {
    expect(await errorOf(`questions:\n  - law: 不存在的法\n    article: 1\n    type: judge\n    stem: 这是一道题。\n    answer: 正确\n`)).toContain('questions[0].law');
    expect(await errorOf(`questions:\n  - law: 预算法\n    article: 第五百条\n    type: judge\n    stem: 这是一道题。\n    answer: 正确\n`)).toContain('questions[0].article');
  });

  it('skips a broken file and names it, and still loads the other files', async () => {
    const dir = knowledgeWith(`questions:\n  - law: 预算法\n    article: 18\n    type: judge\n    stem: 预算年度自公历一月一日起。\n    answer: 正确\n`);
    writeFileSync(join(dir, 'quizzes', 'broken.yaml'), 'questions: [\n  - law: 预算法\n');
    writeFileSync(join(dir, 'quizzes', 'wrong.yaml'), `questions:\n  - law: 预算法\n    article: 18\n    type: single\n    stem: 预算年度从哪天开始？\n    answer: A\n`);
    const { questions, skipped, sources } = await loadCuratedQuestions(dir, catalog);
    expect(questions.map((q) => q.stem)).toEqual(['预算年度自公历一月一日起。']);
    expect(sources).toEqual(['quizzes/bank.yaml']);
    expect(skipped.map((s) => s.file)).toEqual(['quizzes/broken.yaml', 'quizzes/wrong.yaml']);
    expect(skipped[0]!.reason).toContain('无法解析 YAML');
    expect(skipped[1]!.reason).toContain('questions[0].options');
  });

  it('retires a question written for a superseded version or whose quote the article lost', async () => {
    const dir = knowledgeWith(
      [
        'questions:',
        '  - law: 会计法',
        '    article: 1',
        '    version: 2017-11-04',
        '    type: judge',
        '    stem: 会计法的立法目的包括规范会计行为。',
        '    answer: 正确',
        '  - law: 预算法',
        '    article: 18',
        '    quote: 预算年度自公历四月一日起',
        '    type: judge',
        '    stem: 预算年度自公历四月一日起。',
        '    answer: 正确',
      ].join('\n'),
    );
    const { questions, retired } = await loadCuratedQuestions(dir, catalog);
    expect(questions).toEqual([]);
    expect(retired.map((r) => r.index)).toEqual([0, 1]);
    expect(retired[0]!.reason).toContain('已修订');
  });
});
