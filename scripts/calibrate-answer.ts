/**
 * Calibration of the no-basis decision (src/answer/relevance.ts): prints each question's signals (best
 * score, share of never-seen words, share of words from uncovered legal areas) and the reply mode, for
 * answerable question files against out-of-scope ones, then the answer metrics.
 *   node bin/pufa-script.js scripts/calibrate-answer.ts [--data DIR] [answerable.jsonl…] [--oos out-of-scope.jsonl]…
 * Defaults: ../shared/eval/dev-a.jsonl dev-b.jsonl --oos ../shared/eval/out-of-scope-dev.jsonl, on the index of PUFA_DATA_DIR.
 */
import { parseArgs } from 'node:util';
import { createAnswerer } from '../src/answer/answerer.ts';
import { evaluateAnswers } from '../src/answer/evaluate.ts';
import { citationsOfHits } from '../src/answer/extractive.ts';
import { createRelevanceJudge, minScoreOf } from '../src/answer/relevance.ts';
import { loadConfig } from '../src/config.ts';
import { readQuestions } from '../src/search/evaluate.ts';
import { openIndex } from '../src/search/index.ts';

const { values, positionals } = parseArgs({ options: { data: { type: 'string' }, oos: { type: 'string', multiple: true } }, allowPositionals: true });
const files = positionals.length ? positionals : ['../shared/eval/dev-a.jsonl', '../shared/eval/dev-b.jsonl'];
const oosFiles = values.oos?.length ? values.oos : ['../shared/eval/out-of-scope-dev.jsonl'];

const config = loadConfig(process.env, { dataDir: values.data });
const index = await openIndex(config);
const judge = createRelevanceJudge({ catalog: index.catalog, chunks: index.chunks, minScore: minScoreOf(config), askedAbout: (r) => index.askedAbout?.(r.chunk) ?? [] });
const f = (x: number) => x.toFixed(2);
for (const [label, list] of [['可答', files], ['超范围', oosFiles]] as const) {
  for (const q of await readQuestions(list)) {
    const ranked = citationsOfHits(await index.search(q.question, { k: 10 }), index.catalog, index.documents);
    const s = judge.signals(q.question, ranked);
    const basis = judge.hasBasis(q.question, ranked);
    console.log(`${label}\t${q.id}\t${basis ? '有依据' : '无依据'}\tscore ${f(s.score)}\tunknown ${f(s.unknownShare)}\tarea ${f(s.foreignAreaShare)}\tsupport ${f(s.support)}\t${s.foreignTerms.join('/')}\t${q.question}`);
  }
}
const answerer = createAnswerer({ index, config });
const dev = await evaluateAnswers(answerer, index, await readQuestions(files));
const oos = await evaluateAnswers(answerer, index, await readQuestions(oosFiles));
for (const r of dev.records.filter((x) => !x.correct)) console.log(`错答\t${r.id}\t${r.mode}\t${r.first ?? '-'}\t${r.question}`);
const { records: _a, ...devSummary } = dev;
console.log(JSON.stringify({ answerable: devSummary.answerable, out_of_scope: oos.out_of_scope, fabricated: dev.fabricated + oos.fabricated, p95_ms: Math.max(dev.p95_ms, oos.p95_ms) }, null, 1));
