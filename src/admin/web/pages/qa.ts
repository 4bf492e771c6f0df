/** The Q&A log, and pinning a corrected answer into knowledge/faq (refused when a pinned article does not exist). */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { PufaError } from '../../../errors.ts';
import { citationLabel } from '../../../knowledge/citation-label.ts';
import { localTime, zoneLabel } from '../../labels.ts';
import { createQaLogView, faqEntryFromForm, QA_PAGE_SIZE, unresolvedPins, writePinnedFaq, type FeedbackFilter, type QaRow } from '../../qa.ts';
import { CSRF_FIELD } from '../auth.ts';
import { icon, pager, table, type Column } from '../layout.ts';
import type { AdminEnv, PageDeps } from '../types.ts';

const FEEDBACK: Record<FeedbackFilter, string> = { all: '全部', down: '差评', up: '好评', none: '未评价' };
/** Feedback as an icon with its words (no emoji: a desktop without an emoji font shows it too). */
const feedbackCell = (f: QaRow['feedback']) =>
  f === 1 ? html`<span class="up" data-feedback="up">${icon('thumbUp', '有帮助')} 有帮助</span>` : f === -1 ? html`<span class="down" data-feedback="down">${icon('thumbDown', '没帮助')} 没帮助</span>` : html`<span class="muted">未评价</span>`;
const citationText = (r: QaRow) =>
  r.citations.map((c) => (c.law ? citationLabel(c) : (c.section ?? c.doc))).join('；') || '（无引用）';
const articleLines = (r: QaRow) =>
  r.citations
    .filter((c) => c.law && c.article)
    .map((c) => `${c.law} ${c.article}${c.articleSuffix ? `之${c.articleSuffix}` : ''}`)
    .join('\n');

export function registerQaPages(app: Hono<AdminEnv>, deps: PageDeps) {
  const qa = createQaLogView(deps.records);
  const tz = deps.stats.timezone;

  app.get('/qa', async (c) => {
    const f = (Object.keys(FEEDBACK) as FeedbackFilter[]).find((k) => k === c.req.query('feedback')) ?? 'all';
    const pageNo = Math.max(1, Number(c.req.query('page')) || 1);
    const { rows, total } = await qa.list({ feedback: f, page: pageNo });
    const pages = Math.max(1, Math.ceil(total / QA_PAGE_SIZE));
    const columns: Column<QaRow>[] = [
      { header: `时间（${zoneLabel(tz)}）`, field: 'time', cell: (r) => localTime(r.createdAt, tz) },
      { header: '提问人', cell: (r) => html`${r.userName}<br /><span class="muted">${r.department}</span>` },
      { header: '问题', wide: true, cell: (r) => r.question },
      { header: '回答', wide: true, cell: (r) => (r.answer.length > 120 ? r.answer.slice(0, 120) + '…' : r.answer) },
      { header: '引用', wide: true, cell: citationText },
      { header: '反馈', cell: (r) => feedbackCell(r.feedback) },
      { header: '操作', cell: (r) => html`<a href="/qa/${r.id}">修正并收录</a>` },
    ];
    const body = html`<p>${(Object.keys(FEEDBACK) as FeedbackFilter[]).map(
        (k) => html`<a href="/qa?feedback=${k}" class="${k === f ? 'active' : ''}">${FEEDBACK[k]}</a> `,
      )}　共 ${total} 条</p>
      ${table(columns, rows, { testid: 'qa', rowData: (r) => ({ id: r.id }) })}
      ${pager(pageNo, pages, (p) => `/qa?feedback=${f}&page=${p}`)}`;
    return deps.render(c, '问答记录', '/qa', body);
  });

  const pinForm = (r: QaRow, csrf: string, values?: { questions: string; answer: string; articles: string }, error?: string) =>
    html`<p><b>问题：</b>${r.question}</p>
      <p><b>原回答（${r.mode}）：</b>${r.answer}</p>
      <p><b>引用：</b>${citationText(r)} · <b>反馈：</b>${feedbackCell(r.feedback)} · ${r.userName} · ${localTime(r.createdAt, tz, { seconds: true })}（${zoneLabel(tz)}）</p>
      <h2>修正并收录到常见问答（knowledge/faq）</h2>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <form method="post" action="/qa/${r.id}/pin" data-testid="pin-form">
        <input type="hidden" name="${CSRF_FIELD}" value="${csrf}" />
        <label class="block">问题的几种问法（每行一种）<textarea name="questions" rows="3">${values?.questions ?? r.question}</textarea></label>
        <label class="block">正确答案<textarea name="answer" rows="5">${values?.answer ?? r.answer}</textarea></label>
        <label class="block">依据条文（每行一条，如「预算法 18」）<textarea name="articles" rows="3">${values?.articles ?? articleLines(r)}</textarea></label>
        <p><button type="submit">收录</button></p>
      </form>`;

  app.get('/qa/:id{[0-9]+}', async (c) => {
    const r = await qa.get(Number(c.req.param('id')));
    if (!r) return deps.render(c, '未找到', '/qa', html`<p class="error">没有这条问答记录。</p><p><a href="/qa">返回问答记录</a></p>`, { status: 404 });
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
      if (!k) throw new PufaError('知识库索引尚未建立，无法核对所依据的条文，暂不能收录。');
      const problems = unresolvedPins(entry, k.catalog);
      if (problems.length) throw new PufaError(`依据条文有误：${problems.join('；')}。`);
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
