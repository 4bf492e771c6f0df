/**
 * Calibration of the no-basis decision (src/answer/relevance.ts): prints each question's signals (legal
 * language, coverage by the best hit, what it provides, foreign area, score), the judge's probability and
 * whether the best hit is a gold article, as tab-separated rows for fitting the judge's weights; then the
 * answer metrics.
 *   node bin/pufa-script.js scripts/calibrate-answer.ts [--data DIR] [answerable.jsonl…] [--oos out-of-scope.jsonl]… [--tsv]
 * Defaults: ../shared/eval/dev-a.jsonl dev-b.jsonl --oos ../shared/eval/out-of-scope-dev.jsonl, on the index of PUFA_DATA_DIR.
 * With --tsv only the rows are printed: label, id, gold?, legal, coverage, provides, foreign, score, probability, words.
 */
import { parseArgs } from 'node:util';
import { createAnswerer } from '../src/answer/answerer.ts';
import { citationMatches, evaluateAnswers } from '../src/answer/evaluate.ts';
import { citationsOfHits } from '../src/answer/extractive.ts';
import { createRelevanceJudge, minScoreOf } from '../src/answer/relevance.ts';
import { rerankByIntent } from '../src/answer/rerank.ts';
import { loadConfig } from '../src/config.ts';
import { readQuestions } from '../src/search/evaluate.ts';
import { openIndex } from '../src/search/index.ts';

const { values, positionals } = parseArgs({
  options: { data: { type: 'string' }, oos: { type: 'string', multiple: true }, tsv: { type: 'boolean' } },
  allowPositionals: true,
});
const files = positionals.length ? positionals : ['../shared/eval/dev-a.jsonl', '../shared/eval/dev-b.jsonl'];
const oosFiles = values.oos?.length ? values.oos : ['../shared/eval/out-of-scope-dev.jsonl'];

const config = { ...loadConfig({ ...process.env, LOG_LEVEL: 'silent' }, { dataDir: values.data }), llm: undefined };
const index = await openIndex(config);
const judge = createRelevanceJudge({ catalog: index.catalog, vocabulary: index.vocabulary, foreignTerms: index.foreignTerms, minScore: minScoreOf(config), askedAbout: (r) => index.askedAbout?.(r.chunk) ?? [] });
const f = (x: number) => x.toFixed(3);
for (const [label, list] of [['answerable', files], ['none', oosFiles]] as const) {
  for (const q of await readQuestions(list)) {
    const ranked = rerankByIntent(q.question, citationsOfHits(await index.search(q.question, { k: 10 }), index.catalog, index.documents));
    const s = judge.signals(q.question, ranked);
    const gold = ranked[0] && q.gold.some((g) => citationMatches(ranked[0]!.citation, g)) ? 1 : 0;
    const gap = (ranked[0]?.score ?? 0) - (ranked[1]?.score ?? 0);
    console.log([label, q.id, gold, f(s.legal), f(s.coverage), f(s.provides), f(s.foreignAreaShare), f(s.score), f(s.probability), s.words.join('/'), s.uncovered.join('/'), q.question, f(gap), s.words.length].join('\t'));
  }
}
if (!values.tsv) {
  const answerer = createAnswerer({ index, config });
  const dev = await evaluateAnswers(answerer, index, await readQuestions(files));
  const oos = await evaluateAnswers(answerer, index, await readQuestions(oosFiles));
  for (const r of dev.records.filter((x) => !x.correct)) console.log(`错答\t${r.id}\t${r.mode}\t${r.first ?? '-'}\t${r.question}`);
  const { records: _a, ...devSummary } = dev;
  console.log(JSON.stringify({ answerable: devSummary.answerable, out_of_scope: oos.out_of_scope, fabricated: dev.fabricated + oos.fabricated, p95_ms: Math.max(dev.p95_ms, oos.p95_ms) }, null, 1));
}
