/** The Q&A log, and pinning a corrected answer into knowledge/faq. */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { PufaError } from '../../../errors.ts';
import { citationLabel } from '../../../knowledge/citation-label.ts';
import { createQaLogView, faqEntryFromForm, QA_PAGE_SIZE, writePinnedFaq, type FeedbackFilter, type QaRow } from '../../qa.ts';
import type { AdminEnv, PageDeps } from '../types.ts';
import { CSRF_FIELD } from '../auth.ts';

const FEEDBACK: Record<FeedbackFilter, string> = { all: '全部', down: '👎 差评', up: '👍 好评', none: '未评价' };
const feedbackText = (f: QaRow['feedback']) => (f === 1 ? '👍' : f === -1 ? '👎' : '—');
const citationText = (r: QaRow) =>
  r.citations.map((c) => (c.law ? citationLabel(c) : (c.section ?? c.doc))).join('；') || '（无引用）';
const articleLines = (r: QaRow) =>
  r.citations
    .filter((c) => c.law && c.article)
    .map((c) => `${c.law} ${c.article}${c.articleSuffix ? `之${c.articleSuffix}` : ''}`)
    .join('\n');

export function registerQaPages(app: Hono<AdminEnv>, deps: PageDeps) {
  const qa = createQaLogView(deps.records);

  app.get('/qa', async (c) => {
    const f = (Object.keys(FEEDBACK) as FeedbackFilter[]).find((k) => k === c.req.query('feedback')) ?? 'all';
    const pageNo = Math.max(1, Number(c.req.query('page')) || 1);
    const { rows, total } = await qa.list({ feedback: f, page: pageNo });
    const pages = Math.max(1, Math.ceil(total / QA_PAGE_SIZE));
    const body = html`<p>${(Object.keys(FEEDBACK) as FeedbackFilter[]).map(
        (k) => html`<a href="/qa?feedback=${k}" class="${k === f ? 'active' : ''}">${FEEDBACK[k]}</a> `,
      )}　共 ${total} 条</p>
      <table data-testid="qa"><thead><tr><th>时间</th><th>提问人</th><th>问题</th><th>回答</th><th>引用</th><th>反馈</th><th></th></tr></thead>
      <tbody>${rows.map(
        (r) => html`<tr><td>${r.createdAt.slice(0, 16).replace('T', ' ')}</td><td>${r.userName}<br /><span class="muted">${r.department}</span></td>
          <td>${r.question}</td><td>${r.answer.length > 120 ? r.answer.slice(0, 120) + '…' : r.answer}</td><td>${citationText(r)}</td>
          <td>${feedbackText(r.feedback)}</td><td><a href="/qa/${r.id}">修正并收录</a></td></tr>`,
      )}</tbody></table>
      <p>${pageNo > 1 ? html`<a href="/qa?feedback=${f}&page=${pageNo - 1}">上一页</a>` : ''} 第 ${pageNo} / ${pages} 页
        ${pageNo < pages ? html`<a href="/qa?feedback=${f}&page=${pageNo + 1}">下一页</a>` : ''}</p>`;
    return deps.render(c, '问答记录', '/qa', body);
  });

  const pinForm = (r: QaRow, csrf: string, values?: { questions: string; answer: string; articles: string }, error?: string) =>
    html`<p><b>问题：</b>${r.question}</p>
      <p><b>原回答（${r.mode}）：</b>${r.answer}</p>
      <p><b>引用：</b>${citationText(r)} · <b>反馈：</b>${feedbackText(r.feedback)} · ${r.userName} · ${r.createdAt}</p>
      <h2>修正并收录到常见问答（knowledge/faq）</h2>
      ${error ? html`<p class="error">${error}</p>` : ''}
      <form method="post" action="/qa/${r.id}/pin" data-testid="pin-form">
        <input type="hidden" name="${CSRF_FIELD}" value="${csrf}" />
        <label>问题的几种问法（每行一种）<textarea name="questions" rows="3">${values?.questions ?? r.question}</textarea></label>
        <label>正确答案<textarea name="answer" rows="5">${values?.answer ?? r.answer}</textarea></label>
        <label>依据条文（每行一条，如「预算法 18」）<textarea name="articles" rows="3">${values?.articles ?? articleLines(r)}</textarea></label>
        <p><button type="submit">收录</button></p>
      </form>`;

  app.get('/qa/:id{[0-9]+}', async (c) => {
    const r = await qa.get(Number(c.req.param('id')));
    if (!r) return deps.render(c, '未找到', '/qa', html`<p class="error">没有这条问答记录。</p>`, { status: 404 });
    return deps.render(c, `问答记录 #${r.id}`, '/qa', pinForm(r, c.get('session').csrf), { flash: c.req.query('pinned') ? '已收录到常见问答，重启机器人后生效。' : undefined });
  });

  app.post('/qa/:id{[0-9]+}/pin', async (c) => {
    const r = await qa.get(Number(c.req.param('id')));
    if (!r) return deps.render(c, '未找到', '/qa', html`<p class="error">没有这条问答记录。</p>`, { status: 404 });
    const body = await c.req.parseBody();
    const values = {
      questions: String(body.questions ?? ''),
      answer: String(body.answer ?? ''),
      articles: String(body.articles ?? ''),
    };
    try {
      const entry = faqEntryFromForm(r.id, values);
      const k = deps.knowledge ? await deps.knowledge() : undefined;
      if (k) {
        const missing = entry.articles.filter((a) => !k.catalog.resolve(a.law).length).map((a) => a.law);
        if (missing.length) throw new PufaError(`知识库中没有这些法规：${missing.join('、')}`);
      }
      const s = c.get('session');
      const file = await writePinnedFaq(deps.faqDir, entry, { by: s.label, at: deps.now(), qaId: r.id });
      await deps.audit(c, 'admin.faq.pin', { qaId: r.id, file, questions: entry.questions.length }, r.userId);
      return c.redirect(`/qa/${r.id}?pinned=1`, 303);
    } catch (err) {
      if (!(err instanceof PufaError)) throw err;
      return deps.render(c, `问答记录 #${r.id}`, '/qa', pinForm(r, c.get('session').csrf, values, err.userMessage), { status: 400 });
    }
  });
}
