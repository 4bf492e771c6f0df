/**
 * Checks generated questions against the law texts: every key reproduces the article's words, no
 * distractor does, every explanation quotes the article; and the form: no single-choice key position holds
 * more than 35% of the keys, 判断题 are at most 40% of the questions.
 *   node bin/pufa.js quiz preview --n 200 --json > q.json
 *   node bin/pufa-script.js scripts/check-quiz.ts q.json [--laws DIR] [--knowledge DIR]
 * Reads the JSON array from the file (or stdin when no file is given); exits 1 when any check fails.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { checkQuestion } from '../src/quiz/check.ts';
import { OPTION_LETTERS, type QuestionJson } from '../src/quiz/types.ts';

/** The bars of the form (issue 13). */
const MAX_POSITION_SHARE = 0.35;
const MAX_JUDGE_SHARE = 0.4;

const { values, positionals } = parseArgs({ options: { laws: { type: 'string' }, knowledge: { type: 'string' } }, allowPositionals: true });
const config = loadConfig(process.env, { lawsDir: values.laws, knowledgeDir: values.knowledge });
// Chunks are joined before decoding: a character split across two chunks must not be mangled.
const raw = positionals[0] ? await readFile(positionals[0], 'utf8') : await new Promise<string>((res) => {
  const chunks: Buffer[] = [];
  process.stdin.on('data', (d: Buffer) => chunks.push(d)).on('end', () => res(Buffer.concat(chunks).toString('utf8')));
});
const questions = JSON.parse(raw) as QuestionJson[];
const { catalog } = await loadKnowledge({ lawsDir: config.lawsDir, knowledgeDir: config.knowledgeDir });
let failed = 0;
const byType: Record<string, number> = {};
const byKind: Record<string, number> = {};
for (const [i, q] of questions.entries()) {
  byType[q.type] = (byType[q.type] ?? 0) + 1;
  byKind[q.kind] = (byKind[q.kind] ?? 0) + 1;
  const law = catalog.resolve(q.law).find((v) => v.version === q.version);
  const problems = law ? checkQuestion(q, law, law.articles.find((a) => a.label === q.article)) : [`《${q.law}》${q.version} 版本不在法规库中`];
  if (problems.length) {
    failed++;
    console.log(`✗ ${i + 1}. ${q.stem}\n    ${problems.join('\n    ')}`);
  }
}
const singles = questions.filter((q) => q.type === 'single');
const positions = OPTION_LETTERS.slice(0, 4).map((_, p) => singles.filter((q) => q.answer[0] === p).length);
const worst = Math.max(...positions) / Math.max(1, singles.length);
const judges = (byType.judge ?? 0) / Math.max(1, questions.length);
const multi = questions.filter((q) => q.type === 'multiple');
const rights = [2, 3, 4].map((n) => multi.filter((q) => q.answer.length === n).length);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`checked ${questions.length} questions (${Object.entries(byType).map(([t, n]) => `${t} ${n}`).join(', ')}): ${questions.length - failed} sound, ${failed} with problems`);
console.log(`kinds: ${Object.entries(byKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
console.log(`single-choice keys by position: ${positions.map((n, p) => `${OPTION_LETTERS[p]} ${n}`).join(', ')} — largest share ${pct(worst)} (bar ≤ ${pct(MAX_POSITION_SHARE)})`);
console.log(`判断题 ${pct(judges)} of the questions (bar ≤ ${pct(MAX_JUDGE_SHARE)}); 多选题 right options: 2 → ${rights[0]}, 3 → ${rights[1]}, 4 → ${rights[2]}`);
process.exitCode = failed || worst > MAX_POSITION_SHARE || judges > MAX_JUDGE_SHARE ? 1 : 0;
