/**
 * Question analysis of a period: the score distribution, and for each question asked how many answered it,
 * how many were right and which options the others chose — overall, or for one article (from 易错条文).
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { QuestionCounts } from '../../../records/read-model.ts';
import { articleCitation, pct } from '../../labels.ts';
import { binLabels } from '../../summary.ts';
import { barChart, table, type Column } from '../layout.ts';
import type { AdminEnv, PageDeps } from '../types.ts';
import { articleHref } from './data.ts';
import { periodChooser, periodKeyOf } from './period.ts';

const TYPE_LABEL: Record<QuestionCounts['type'], string> = { single: '单选', multiple: '多选', judge: '判断' };
const letters = (chosen: number[], q: QuestionCounts) =>
  chosen.length ? chosen.map((i) => (q.type === 'judge' ? (q.options[i] ?? String(i)) : String.fromCharCode(65 + i))).join('') : '（未选）';
const sorted = (x: number[]) => [...x].sort((a, b) => a - b);
const same = (a: number[], b: number[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** The options of a question with how often each was chosen (a wrong choice marked). */
function choicesCell(q: QuestionCounts) {
  const wrong = q.choices.filter((c) => !same(c.chosen, q.answer));
  return html`<div>${q.options.length ? html`<ol class="options" type="${q.type === 'judge' ? '1' : 'A'}">${q.options.map((o) => html`<li>${o}</li>`)}</ol>` : ''}
    <div>正确答案：<b>${letters(sorted(q.answer), q)}</b></div>
    ${wrong.length
      ? html`<div data-field="wrong-choices">选错：${wrong.map((c, i) => html`${i ? '；' : ''}<span class="tag bad" data-chosen="${letters(c.chosen, q)}">${letters(c.chosen, q)}</span> ${c.count} 人次`)}</div>`
      : html`<div class="muted">无人选错</div>`}</div>`;
}

export function registerQuestionPages(app: Hono<AdminEnv>, deps: PageDeps) {
  const { stats } = deps;

  app.get('/questions', async (c) => {
    const law = c.req.query('law');
    const n = Number(c.req.query('n'));
    const suffix = Number(c.req.query('s') ?? 0) || 0;
    const article = law && n > 0 ? { law, article: n, articleSuffix: suffix } : undefined;
    const key = periodKeyOf(c);
    const [{ period, questions }, histogram] = await Promise.all([stats.questionStats(key, article), stats.histogram(key)]);
    const labels = binLabels(histogram.bins.length);
    const columns: Column<QuestionCounts>[] = [
      { header: '题目', wide: true, cell: (q) => html`<span class="tag">${TYPE_LABEL[q.type]}</span> ${q.stem}
          <div class="muted"><a href="${articleHref(q.law, q.article, q.articleSuffix, q.version)}">${articleCitation(q.law, q.article, q.articleSuffix)}</a></div>` },
      { header: '作答', num: true, field: 'answered', cell: (q) => q.answered },
      { header: '答对', num: true, field: 'right', cell: (q) => q.right },
      { header: '正确率', num: true, cell: (q) => pct(q.answered ? q.right / q.answered : null) },
      { header: '选项与选错', wide: true, cell: choicesCell },
    ];
    const title = article ? `题目分析：${articleCitation(article.law, article.article, article.articleSuffix)}` : '题目分析';
    const extra = article ? { law: article.law, n: String(article.article), s: String(article.articleSuffix) } : {};
    const body = html`${periodChooser(stats, '/questions', period, extra)}
      ${article ? html`<p>只看这一条出过的题。<a href="/questions?period=${encodeURIComponent(period.key)}">看全部题目</a></p>` : ''}
      <h2>成绩分布（${period.label}，每周成绩，人次）</h2>
      ${barChart(histogram.bins.map((v, i) => ({ label: labels[i]!, value: v })), { testid: 'histogram' })}
      <h2>${article ? '这一条的题目' : '各题作答情况'}（${questions.length} 道，答错多的在前）</h2>
      <p class="muted">同一道题（同一法条、题型和挖空处）在各次考试中合并统计；「选错」列出选了错误选项的人次，多选题按整组选项统计。</p>
      ${table(columns, questions, { testid: 'questions', rowData: (q) => ({ question: q.questionId }) })}
      ${questions.length ? '' : html`<p class="muted">该时间段没有作答记录。</p>`}`;
    return deps.render(c, title, '/questions', body);
  });
}
