import { loadConfig } from '../src/config.ts';
import { loadChecklist } from '../src/knowledge/checklist.ts';
import { openIndex } from '../src/search/index.ts';
import { openQuestionBank } from '../src/quiz/bank-file.ts';
import { lawVersionAt, quizScope, scopeArticles } from '../src/quiz/scope.ts';
import { isAskableArticle } from '../src/quiz/generate/units.ts';
const config = loadConfig(process.env, { dataDir: '/work/quiz3-data' });
const index = await openIndex(config);
const checklist = await loadChecklist(config.knowledgeDir);
const bank = await openQuestionBank({ catalog: index.catalog, dir: index.dir, knowledgeDir: config.knowledgeDir });
const scope = quizScope(checklist, undefined, index.catalog).laws;
for (const s of scope) {
  const law = lawVersionAt(index.catalog, s.title)!;
  for (const a of scopeArticles(law, s)) {
    const qs = bank.forArticle(law, a.number, a.suffix).filter((q) => q.source === 'generated');
    if (!qs.length) console.log(`${law.title}\t${a.label}\t${isAskableArticle(a) ? 'A' : '-'}\t${a.text.replace(/\s+/g, '').slice(0, 150)}`);
  }
}
