import { beforeAll, describe, expect, it } from 'vitest';
import type { LawCatalog } from '../../src/knowledge/catalog.ts';
import { loadChecklist } from '../../src/knowledge/checklist.ts';
import type { LawVersion } from '../../src/knowledge/types.ts';
import { createQuestionBank } from '../../src/quiz/bank.ts';
import { checkQuestion, stemBody } from '../../src/quiz/check.ts';
import { BLANK, compact } from '../../src/quiz/generate/text.ts';
import { generateLawQuestions } from '../../src/quiz/generator.ts';
import { caseSentences } from '../../src/quiz/generate/units.ts';
import { neighbourhoodOf } from '../../src/quiz/bank-file.ts';
import type { Neighbourhood } from '../../src/quiz/generate/law-context.ts';
import { sampleQuestions } from '../../src/quiz/preview.ts';
import { lawVersionAt, quizScope } from '../../src/quiz/scope.ts';
import type { Question } from '../../src/quiz/types.ts';
import { corpus, KNOWLEDGE_DIR } from './corpus.ts';

let catalog: LawCatalog;
/** The checklist laws' terms and items: the neighbourhood the bank generates with. */
let neighbourhood: Neighbourhood;
const law = (name: string): LawVersion => catalog.resolve(name).find((v) => v.status === 'current')!;
/** Questions whose key fills a blank with the article's own words (not a computed case or a 「不属于」 question). */
const BLANKED_KINDS = new Set(['time', 'date', 'amount', 'ratio', 'count', 'organ', 'definition']);
const articleOf = (l: LawVersion, label: string) => l.articles.find((a) => a.label === label)!;
/** Every question of a few finance and administrative laws, generated once. */
let questions: Question[];
const SAMPLE_LAWS = ['预算法', '政府采购法', '行政处罚法', '会计法', '财政违法行为处罚处分条例'];

beforeAll(async () => {
  catalog = (await corpus()).catalog;
  const scope = quizScope(await loadChecklist(KNOWLEDGE_DIR), undefined, catalog);
  neighbourhood = neighbourhoodOf(catalog, scope.laws.map((l) => l.title));
  questions = SAMPLE_LAWS.flatMap((n) => generateLawQuestions(law(n), { neighbourhood }));
});

describe('questions generated from real articles', () => {
  it('makes all three types from the finance laws', () => {
    const types = new Set(questions.map((q) => q.type));
    expect([...types].sort()).toEqual(['judge', 'multiple', 'single']);
    expect(questions.length).toBeGreaterThan(300);
  });

  it('asks the budget year with the article’s own words as the key and quotes the article', () => {
    const yearEnd = questions.find((q) => q.type === 'single' && q.article === '第十八条' && q.stem.endsWith(`至${BLANK}止。`));
    expect(yearEnd).toBeDefined();
    expect(yearEnd!.stem).toBe(`根据《中华人民共和国预算法》，预算年度自公历一月一日起，至${BLANK}止。`);
    expect(yearEnd!.options[yearEnd!.answer[0]!]).toBe('十二月三十一日');
    expect(yearEnd!.options).toHaveLength(4);
    expect(yearEnd!.explanation).toBe('依据《中华人民共和国预算法》第十八条：预算年度自公历一月一日起，至十二月三十一日止。');
    expect(yearEnd!).toMatchObject({ law: '中华人民共和国预算法', article: '第十八条', version: '2018-12-29' });
  });

  it('fills every blank with the key to give the article’s words, and no distractor does', () => {
    const singles = questions.filter((q) => q.type === 'single' && BLANKED_KINDS.has(q.kind));
    expect(singles.length).toBeGreaterThan(60);
    for (const q of singles) {
      const l = catalog.byId(`${q.law}@${q.version}`)!;
      // The article as written, and its lists' cases read as sentences (as the generator asks them).
      const a = articleOf(l, q.article);
      const article = [compact(a.text), ...caseSentences(a)].join('\n');
      const body = stemBody(q);
      q.options.forEach((opt, i) => {
        const pieces = body.replace(BLANK, opt).split('……').map((p) => p.replace(/[。；，：]$/, '').replace(/:/g, '：'));
        const inArticle = pieces.every((p) => article.replace(/:/g, '：').includes(p));
        expect(inArticle, `${q.stem} / ${opt}`).toBe(q.answer.includes(i));
      });
    }
  });

  it('passes the checker on every question (keys right, distractors never true anywhere in the law)', () => {
    const failures = questions
      .map((q) => {
        const l = catalog.byId(`${q.law}@${q.version}`)!;
        return { q, problems: checkQuestion(q, l, articleOf(l, q.article)) };
      })
      .filter((x) => x.problems.length);
    expect(failures.map((f) => `${f.q.stem}: ${f.problems.join('; ')}`)).toEqual([]);
  });

  it('never blanks filler words: every key is a time limit, amount, ratio, date, organ or defined term', () => {
    const FACT = /^(?:[零〇一二三四五六七八九十百千万两0-9]+(?:个工作日|工作日|个月|小时|日|天|年|元|倍)|半年|百分之|千分之|[零〇一二三四五六七八九十0-9]+月[零〇一二三四五六七八九十0-9]+日|[零〇一二三四五六七八九十百千万两0-9]+元以上|.*(?:政府|部门|机关|机构|人民代表大会|常务委员会|国务院|人民法院|人民检察院)$)/;
    const FILLER = ['的', '和', '或者', '应当', '可以', '本法', '规定', '有关', '其他', '依法'];
    for (const q of questions.filter((x) => x.type === 'single' && BLANKED_KINDS.has(x.kind))) {
      const key = q.options[q.answer[0]!]!;
      expect(FILLER).not.toContain(key);
      if (q.kind === 'definition') expect(compact(articleOf(catalog.byId(`${q.law}@${q.version}`)!, q.article).text)).toMatch(new RegExp(`${key}，?是指`));
      else expect(key, q.stem).toMatch(FACT);
      // The key printed elsewhere in the stem would give the answer away.
      expect(q.stem.includes(key), q.stem).toBe(false);
    }
  });

  it('keeps distractors of the key’s kind: time limits against time limits, organs against organs', () => {
    for (const q of questions.filter((x) => x.type === 'single')) {
      const key = q.options[q.answer[0]!]!;
      const unit = key.match(/(个工作日|工作日|个月|小时|日|天|年|元|倍)$/)?.[1];
      if (unit && q.kind === 'time') for (const o of q.options) expect(o.endsWith(unit), `${q.stem} ${o}`).toBe(true);
      if (q.kind === 'organ') for (const o of q.options) expect(o).toMatch(/(政府|部门|机关|机构|人民代表大会|常务委员会|国务院|人民法院|人民检察院)$/);
    }
  });

  it('makes multiple-choice questions from enumerated items, 2 to 4 right of 4 or 5, with wrong items the law never lists', () => {
    const multi = questions.filter((q) => q.type === 'multiple');
    // Fewer than the old generator's: a wrong item must be plainly outside the list, not merely unlisted.
    expect(multi.length).toBeGreaterThanOrEqual(6);
    const checklistItems = new Set(neighbourhood.items.map((it) => it.text));
    for (const q of multi) {
      const l = catalog.byId(`${q.law}@${q.version}`)!;
      // The article as written, and its lists' cases read as sentences (as the generator asks them).
      const a = articleOf(l, q.article);
      const article = [compact(a.text), ...caseSentences(a)].join('\n');
      expect(q.answer.length).toBeGreaterThanOrEqual(2);
      expect(q.answer.length).toBeLessThanOrEqual(4);
      expect([4, 5]).toContain(q.options.length);
      expect(q.answer.length).toBeLessThan(q.options.length);
      q.options.forEach((o, i) => {
        expect(article.includes(o), `${q.stem} / ${o}`).toBe(q.answer.includes(i));
        // A wrong option is an item of this law's other lists or of another checklist law's, never invented.
        if (!q.answer.includes(i) && q.kind === 'item') expect(checklistItems.has(o), `distractor ${o} must be a listed item`).toBe(true);
      });
    }
    // Enumerations in ASCII brackets count too: 政府采购法实施条例 writes its items (一) (二).
    const ascii = generateLawQuestions(law('政府采购法实施条例'), { neighbourhood }).filter((q) => q.type === 'multiple');
    expect(ascii.length).toBeGreaterThanOrEqual(2);
    // The number of right options is spread, not 3 of 4 nearly always.
    const counts = new Set([...multi, ...ascii].map((q) => `${q.answer.length}/${q.options.length}`));
    expect(counts.size).toBeGreaterThanOrEqual(3);
  });

  it('alters true-or-false statements precisely and says what was changed', () => {
    const altered = questions.filter((q) => q.type === 'judge' && q.answer[0] === 1);
    const kept = questions.filter((q) => q.type === 'judge' && q.answer[0] === 0);
    expect(altered.length).toBeGreaterThan(20);
    expect(kept.length).toBeGreaterThan(20);
    for (const q of altered) expect(q.explanation).toMatch(/(题干将「.+」改为「.+」|条文规定的是「.+」，题干改为「.+」)，故错误。$/);
  });

  it('never blanks or swaps an organ that stands in a list with others (会同A、B)', () => {
    const l = law('禁毒法');
    const a = articleOf(l, '第五十一条');
    expect(a.text).toContain('会同公安机关、药品监督管理部门');
    const own = generateLawQuestions(l).filter((q) => q.article === '第五十一条');
    for (const q of own) {
      expect(q.stem).not.toMatch(new RegExp(`${BLANK}、|、${BLANK}`));
      if (q.type === 'judge' && q.answer[0] === 1) expect(q.stem).toContain('会同公安机关、药品监督管理部门');
    }
  });

  it('skips 附则, commencement and purpose articles', () => {
    for (const q of questions) {
      const a = articleOf(catalog.byId(`${q.law}@${q.version}`)!, q.article);
      expect(a.path.some((h) => h.includes('附则'))).toBe(false);
      expect(q.stem).not.toMatch(/自.*起施行|制定本法/);
    }
  });

  it('is deterministic: the same law text gives the same questions, ids and option order', () => {
    const again = SAMPLE_LAWS.flatMap((n) => generateLawQuestions(law(n), { neighbourhood }));
    expect(again).toEqual(questions);
  });

  it('gives an amended law new question ids, so the old version’s questions retire', () => {
    const [v2024, v2017] = catalog.resolve('会计法');
    expect(v2017!.status).toBe('superseded');
    const oldIds = new Set(generateLawQuestions(v2017!).map((q) => q.id));
    const newQs = generateLawQuestions(v2024!);
    expect(newQs.every((q) => q.version === '2024-06-28')).toBe(true);
    expect(newQs.filter((q) => oldIds.has(q.id))).toEqual([]);
  });
});

describe('a 200-question sample over the checklist’s laws', () => {
  it('is sound throughout and the same for the same seed', async () => {
    const checklist = await loadChecklist(KNOWLEDGE_DIR);
    const scope = quizScope(checklist, undefined, catalog);
    expect(scope.laws.length).toBeGreaterThanOrEqual(20);
    const targets = scope.laws.map((s) => ({ law: lawVersionAt(catalog, s.title)!, scope: s }));
    const bank = createQuestionBank({ neighbourhood });
    const sample = sampleQuestions(bank, targets, { n: 200, seed: 's1' });
    expect(sample).toHaveLength(200);
    expect(new Set(sample.map((q) => q.law)).size).toBe(scope.laws.length);
    const bad = sample.flatMap((q) => {
      const l = catalog.byId(`${q.law}@${q.version}`)!;
      const p = checkQuestion(q, l, articleOf(l, q.article));
      return p.length ? [`${q.stem}: ${p.join('; ')}`] : [];
    });
    expect(bad).toEqual([]);
    expect(sampleQuestions(bank, targets, { n: 200, seed: 's1' }).map((q) => q.id)).toEqual(sample.map((q) => q.id));
    expect(sampleQuestions(bank, targets, { n: 200, seed: 's2' }).map((q) => q.id)).not.toEqual(sample.map((q) => q.id));
  });
});
