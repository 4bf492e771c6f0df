/**
 * Checks generated questions against the law texts: every key reproduces the article's words, no
 * distractor does, every explanation quotes the article.
 *   node bin/pufa.js quiz preview --n 200 --json > q.json
 *   node bin/pufa-script.js scripts/check-quiz.ts q.json [--laws DIR] [--knowledge DIR]
 * Reads the JSON array from the file (or stdin when no file is given); exits 1 when any question fails.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { checkQuestion } from '../src/quiz/check.ts';
import type { QuestionJson } from '../src/quiz/types.ts';

const { values, positionals } = parseArgs({ options: { laws: { type: 'string' }, knowledge: { type: 'string' } }, allowPositionals: true });
const config = loadConfig(process.env, { lawsDir: values.laws, knowledgeDir: values.knowledge });
const raw = positionals[0] ? await readFile(positionals[0], 'utf8') : await new Promise<string>((res) => {
  let s = '';
  process.stdin.on('data', (d) => (s += d)).on('end', () => res(s));
});
const questions = JSON.parse(raw) as QuestionJson[];
const { catalog } = await loadKnowledge({ lawsDir: config.lawsDir, knowledgeDir: config.knowledgeDir });
let failed = 0;
const byType: Record<string, number> = {};
for (const [i, q] of questions.entries()) {
  byType[q.type] = (byType[q.type] ?? 0) + 1;
  const law = catalog.resolve(q.law).find((v) => v.version === q.version);
  const problems = law ? checkQuestion(q, law, law.articles.find((a) => a.label === q.article)) : [`《${q.law}》${q.version} 版本不在法规库中`];
  if (problems.length) {
    failed++;
    console.log(`✗ ${i + 1}. ${q.stem}\n    ${problems.join('\n    ')}`);
  }
}
console.log(`checked ${questions.length} questions (${Object.entries(byType).map(([t, n]) => `${t} ${n}`).join(', ')}): ${questions.length - failed} sound, ${failed} with problems`);
process.exitCode = failed ? 1 : 0;
