/** End to end: the checklist laws + report index answers the dev questions (quality only, no timing). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/answerer.ts';
import { evaluateAnswers } from '../../src/answer/evaluate.ts';
import { evaluate, readQuestions } from '../../src/search/evaluate.ts';
import { runPufa } from '../helpers/run-pufa.ts';
import { EVAL_DIR, getChecklistIndex } from '../helpers/test-index.ts';

describe('retrieval on the dev questions', () => {
  it('finds the gold article or report passage in the top 5 for most questions', async () => {
    const { index } = await getChecklistIndex();
    const questions = await readQuestions([join(EVAL_DIR, 'dev-a.jsonl'), join(EVAL_DIR, 'dev-b.jsonl')]);
    const report = await evaluate(index, questions, { k: 10 });
    expect(report.n).toBe(70);
    // Measured 0.979 / 0.908 with the colleagues' questions (knowledge/questions; 0.929 / 0.793 without them,
    // 0.921 / 0.775 without the article reranker); the bar is 0.92 / 0.80.
    expect(report['recall@5']).toBeGreaterThanOrEqual(0.96);
    expect(report.mrr).toBeGreaterThanOrEqual(0.88);
    expect(report.by_kind.report!['recall@5']).toBeGreaterThanOrEqual(0.75);
  });

  // Held-out sets written from the article texts before the tuning rounds named; no synonym or boost was
  // taken from them. Measured R@5 / MRR are in each row's note.
  it.each([
    // 0.968 / 0.924 (0.952 / 0.850 without the colleagues' questions, 0.919 / 0.817 before the reranker).
    { file: 'holdout.jsonl', n: 62, recall5: 0.95, mrr: 0.9, when: 'before any tuning' },
    // 1.000 / 0.928 (0.902 / 0.788 without the colleagues' questions, 0.863 / 0.778 before the reranker).
    { file: 'holdout-2.jsonl', n: 51, recall5: 0.98, mrr: 0.9, when: 'from random articles before the reranker' },
    // 0.857 / 0.805 (0.809 / 0.658 without the colleagues' questions). The lexicon's author had read these
    // questions, so part of the earlier gain may not generalise (see the README).
    { file: 'holdout-3.jsonl', n: 42, recall5: 0.84, mrr: 0.78, when: 'colloquially, before round 3' },
    // 0.917 / 0.830 (0.917 / 0.839 when first measured, 0.850 / 0.726 without the colleagues' questions):
    // written by someone who had seen neither the other sets nor knowledge/questions, after round 4.
    { file: 'holdout-4.jsonl', n: 60, recall5: 0.9, mrr: 0.81, when: 'independently after round 4' },
    // 0.917 / 0.846 measured once on the final system (0.800 / 0.729 without the colleagues' questions):
    // written the same way as holdout-4, with another seed, by someone who had seen no other set.
    { file: 'holdout-5.jsonl', n: 60, recall5: 0.9, mrr: 0.83, when: 'independently, measured once' },
  ])('holds on $file (written $when)', async ({ file, n, recall5, mrr }) => {
    const { index } = await getChecklistIndex();
    const report = await evaluate(index, await readQuestions([join(import.meta.dirname, 'fixtures', file)]), { k: 10 });
    expect(report.n).toBe(n);
    expect(report['recall@5']).toBeGreaterThanOrEqual(recall5);
    expect(report.mrr).toBeGreaterThanOrEqual(mrr);
  });

  it('answers the dev questions with the gold article first and refuses the out-of-scope ones', async () => {
    const { index, config } = await getChecklistIndex();
    const answerer = createAnswerer({ index, config });
    const dev = await evaluateAnswers(answerer, index, await readQuestions([join(EVAL_DIR, 'dev-a.jsonl'), join(EVAL_DIR, 'dev-b.jsonl')]));
    const oos = await evaluateAnswers(answerer, index, await readQuestions([join(EVAL_DIR, 'out-of-scope-dev.jsonl')]));
    // Measured 0.857 / 0% / 100% (accuracy 0.700 without the colleagues' questions); the issue's bar is
    // ≥ 0.80, ≤ 5%, ≥ 95% and no citation outside the index.
    expect(dev.answerable['accuracy@1']).toBeGreaterThanOrEqual(0.82);
    expect(dev.answerable.no_basis).toBeLessThanOrEqual(0.05);
    expect(oos.out_of_scope.n).toBe(20);
    expect(oos.out_of_scope.no_basis).toBeGreaterThanOrEqual(0.95);
    expect(dev.fabricated + oos.fabricated).toBe(0);
  });

  it('leaves out-of-scope questions out of recall', async () => {
    const { index } = await getChecklistIndex();
    const questions = await readQuestions([join(EVAL_DIR, 'out-of-scope-dev.jsonl')]);
    const report = await evaluate(index, questions);
    expect(report.n).toBe(0);
    expect(report.questions).toEqual([]);
  });
});

describe('pufa search and eval commands', () => {
  it('prints hits as one JSON array with the documented fields', async () => {
    const { config } = await getChecklistIndex();
    const { code, out } = await runPufa(['search', '预算年度 起止时间', '--k', '3', '--json', '--data', config.dataDir]);
    expect(code).toBe(0);
    const hits = JSON.parse(out) as Record<string, unknown>[];
    expect(hits).toHaveLength(3);
    expect(hits[0]).toMatchObject({ doc: 'law', law: '中华人民共和国预算法', article: 18, version: '2018-12-29' });
    expect(Object.keys(hits[0]!)).toEqual(expect.arrayContaining(['path', 'text', 'score']));
  });

  it('prints eval metrics as one JSON object', async () => {
    const { config } = await getChecklistIndex();
    const { code, out } = await runPufa(['eval', join(EVAL_DIR, 'dev-a.jsonl'), '--json', '--data', config.dataDir]);
    expect(code).toBe(0);
    const r = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(r)).toEqual(['n', 'recall@1', 'recall@5', 'recall@10', 'hit@1', 'hit@5', 'hit@10', 'mrr', 'p50_ms', 'p95_ms', 'by_kind']);
    expect(r.n).toBe(35);
  });

  it('tells the user to ingest first when there is no index', async () => {
    const { code, err } = await runPufa(['search', '预算', '--data', '/nonexistent/pufa-data']);
    expect(code).toBe(1);
    expect(err).toContain('知识库索引不存在，请先运行 npx pufa ingest');
  });
});
