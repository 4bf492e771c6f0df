/**
 * The knowledge base from the web: what the index holds (summarised, the law list paged), uploading law files
 * and reports, a preview of what the next ingest will add, change, remove or skip, starting an ingest and
 * watching it (the old index answers until the new one is ready), the must-know checklist, drafted 常见问法
 * and the pinned FAQ answers.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { PufaError } from '../../../errors.ts';
import type { LawVersion } from '../../../knowledge/types.ts';
import { planIngest, type PlanEntry } from '../../ingest-plan.ts';
import { acceptDraft, checklistFile, discardDraft, getDraft, lawCategories, listDrafts, saveChecklist, storeUpload, type UploadKind } from '../../knowledge-files.ts';
import { localTime, zoneLabel } from '../../labels.ts';
import { listPinnedFaq } from '../../qa.ts';
import { CSRF_FIELD } from '../auth.ts';
import { pager, table, type Column } from '../layout.ts';
import type { AdminContext, AdminEnv, IngestJobState, PageDeps } from '../types.ts';

export const UPLOAD_PATH = '/knowledge/upload';
const LAWS_PER_PAGE = 50;
const LIST_LIMIT = 100;

/** One line about an ingest, for the page and the status JSON. */
export function ingestLine(s: IngestJobState, timeZone: string): string {
  if (s.state === 'idle') return '本次运行中尚未从管理后台建立过索引。';
  if (s.state === 'failed') return `建立索引失败：${s.error ?? '原因见日志'}（原索引继续使用）。`;
  if (s.state === 'done') {
    const m = s.summary;
    return `已完成（${localTime(s.finishedAt!, timeZone)}，用时 ${m?.seconds ?? '?'} 秒）：法规 ${m?.laws ?? '?'} 部（${m?.versions ?? '?'} 个版本），条文 ${m?.articles ?? '?'} 条，文档 ${m?.documents ?? '?'} 份；新索引已启用。`;
  }
  if (s.step === 'switching') return '新索引已建好，正在启用……';
  const p = s.progress;
  if (!p || p.phase === 'end') return '正在写入新索引……';
  return p.phase === 'read' ? `正在读取文件：${p.done} / ${p.total}` : `正在计算向量：${p.done} / ${p.total}`;
}

/** How far the ingest is, 0–1 (null when unknown). */
export function ingestFraction(s: IngestJobState): number | null {
  if (s.state !== 'running') return s.state === 'done' ? 1 : null;
  const p = s.progress;
  if (!p) return 0;
  if (p.phase === 'end' || s.step === 'switching') return 0.98;
  // Reading is about a fifth of the time, embedding the rest.
  const f = p.total ? p.done / p.total : 0;
  return p.phase === 'read' ? 0.2 * f : 0.2 + 0.75 * f;
}

export function registerKnowledgePages(app: Hono<AdminEnv>, deps: PageDeps) {
  const tz = deps.stats.timezone;
  const knowledge = async () => (deps.knowledge ? await deps.knowledge() : undefined);
  const csrfField = (c: AdminContext) => html`<input type="hidden" name="${CSRF_FIELD}" value="${c.get('session').csrf}" />`;
  const noFolders = html`<p class="error">管理后台没有配置知识库文件夹（请用 npx pufa admin 或 npm start 启动）。</p>`;

  function ingestBox(c: AdminContext) {
    if (!deps.ingest) return html`<p class="muted">从这里建立索引需要用 npm start 或 npx pufa admin 启动管理后台；也可以在服务器上运行 npx pufa ingest。</p>`;
    const s = deps.ingest.state();
    const running = s.state === 'running';
    const fraction = ingestFraction(s);
    return html`<div id="ingest-status" class="card" data-state="${s.state}" data-phase="${s.progress?.phase ?? ''}" data-testid="ingest-status">
      <div class="label">建立索引${s.by ? `（${s.by}，${localTime(s.startedAt!, tz)} 开始）` : ''}</div>
      ${running ? html`<progress class="progress" max="1" value="${fraction ?? 0}"></progress>` : ''}
      <div data-field="line" role="status">${ingestLine(s, tz)}</div>
      ${s.summary?.skipped.length ? html`<div class="sub">跳过 ${s.summary.skipped.length} 个文件，见下方「跳过的文件」。</div>` : ''}
      ${running
        ? html`<div class="sub">建立期间，问答与考试继续使用原来的索引；完成后自动换用新索引。</div>`
        : html`<form method="post" action="/knowledge/ingest" data-testid="ingest-form">${csrfField(c)}
            <label><input type="checkbox" name="replace" value="1" /> 允许新索引的法规比原来少一半以上（确实要缩小范围时才勾选）</label>
            <p><button type="submit">开始建立索引</button> <a href="/knowledge/plan">先预览会有哪些变化</a></p></form>`}
    </div>`;
  }

  app.get('/knowledge', async (c) => {
    const k = await knowledge();
    const q = (c.req.query('q') ?? '').trim();
    const pageNo = Math.max(1, Number(c.req.query('page')) || 1);
    const categories = deps.folders ? await lawCategories(deps.folders.lawsDir) : [];
    const uploadForm = deps.folders
      ? html`<h2>上传文件</h2>
        <form method="post" action="${UPLOAD_PATH}" enctype="multipart/form-data" class="filters" data-testid="upload-form">${csrfField(c)}
          <label>文件（.md、.txt、.docx、.pdf，不超过 ${Math.round(deps.folders.maxFileBytes / 1024 / 1024)} MB）<input type="file" name="file" accept=".md,.markdown,.txt,.docx,.pdf" required /></label>
          <label>类型<select name="kind"><option value="law">法律法规（放入法规文件夹）</option><option value="report">本单位报告（放入 knowledge/reports）</option></select></label>
          <label>法规类别（文件夹）<select name="category"><option value="">（不分类）</option>${categories.map((x) => html`<option value="${x}">${x}</option>`)}</select></label>
          <button type="submit">上传</button>
        </form>
        <p class="muted">文件名用法规名称，版本日期可写在括号里，如「某某条例(2024-05-01).docx」。上传后点「开始建立索引」才会生效。</p>`
      : noFolders;
    const links = html`<p><a href="/knowledge/plan">预览下次建立索引的变化</a> · <a href="/knowledge/checklist">必学清单</a> · <a href="/knowledge/drafts">常见问法草稿</a> · <a href="/knowledge/faq">常见问答</a></p>`;
    if (!k) {
      const body = html`<p class="error">知识库索引尚未建立。上传或放入法规文件后，点下面的按钮建立索引（或在服务器上运行 <code>npx pufa ingest</code>）。</p>
        ${ingestBox(c)}${links}${uploadForm}`;
      return deps.render(c, '知识库', '/knowledge', body, { scripts: ['ingest.js'], refresh: deps.ingest?.state().state === 'running' ? 3 : undefined });
    }
    const { manifest: m, catalog } = k;
    const aq = m.articleQuestions;
    // One row per law (all its versions), filtered by name, one page at a time.
    const byTitle = new Map<string, LawVersion[]>();
    for (const v of catalog.versions) byTitle.set(v.title, [...(byTitle.get(v.title) ?? []), v]);
    const titles = [...byTitle.keys()].filter((t) => !q || t.includes(q));
    const pages = Math.max(1, Math.ceil(titles.length / LAWS_PER_PAGE));
    const shown = titles.slice((pageNo - 1) * LAWS_PER_PAGE, pageNo * LAWS_PER_PAGE);
    const perCategory = new Map<string, number>();
    for (const vs of byTitle.values()) perCategory.set(vs[0]!.category || '（未分类）', (perCategory.get(vs[0]!.category || '（未分类）') ?? 0) + 1);
    const checklistLaws = new Set(m.checklistLaws ?? []);
    const lawColumns: Column<string>[] = [
      { header: '法规', wide: true, cell: (t) => html`${t}${checklistLaws.has(t) ? html` <span class="tag">清单</span>` : ''}` },
      { header: '类别', cell: (t) => byTitle.get(t)![0]!.category },
      { header: '版本', cell: (t) => byTitle.get(t)!.map((v) => `${v.version || '（未注明）'}${v.status === 'current' ? '（现行）' : ''}`).join(' ') },
      { header: '条数', num: true, cell: (t) => (byTitle.get(t)!.find((v) => v.status === 'current') ?? byTitle.get(t)![0]!).articles.length },
    ];
    const pageHref = (p: number) => `/knowledge?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) }).toString()}`;
    const body = html`<div class="cards">
        <div class="card"><div class="label">最近一次建立索引</div><div class="value small">${localTime(m.createdAt, tz)}</div><div class="sub">${zoneLabel(tz)} · 向量模型 ${m.embedder.id}</div></div>
        <div class="card"><div class="label">法规</div><div class="value" data-testid="law-count">${m.counts.laws}</div><div class="sub">${m.counts.versions} 个版本 · ${m.counts.articles} 条</div></div>
        <div class="card"><div class="label">其他文档</div><div class="value">${m.counts.documents}</div><div class="sub">${m.counts.files} 个文件 · ${m.counts.chunks} 个片段</div></div>
        <div class="card"><div class="label">清单中缺失的法规</div><div class="value">${m.missingChecklistLaws.length}</div></div>
      </div>
      ${ingestBox(c)}
      ${links}
      ${uploadForm}
      <h2>应知应会清单中缺失的法规</h2>
      ${m.missingChecklistLaws.length
        ? html`<ul data-testid="missing">${m.missingChecklistLaws.map((t) => html`<li>${t}</li>`)}</ul><p class="muted">上传这些法规的文本后重新建立索引。</p>`
        : html`<p class="muted">清单中的法规均已收录。</p>`}
      <h2>常见问法</h2>
      ${aq?.count
        ? html`<p><span data-testid="question-count">${aq.count}</span> 条问法，关联到 ${aq.articles} 处条文或文档段落（knowledge/questions/，只用于检索）。</p>`
        : html`<p class="muted">没有常见问法文件（knowledge/questions/）。</p>`}
      ${aq?.unapplied.length
        ? html`<p>未使用的常见问法（版本或条号对不上）：</p><ul data-testid="unapplied-questions">${aq.unapplied.slice(0, LIST_LIMIT).map((u) => html`<li>${u}</li>`)}</ul>`
        : ''}
      <h2>跳过的文件（${m.skipped.length}）</h2>
      ${m.skipped.length
        ? html`${table([{ header: '文件', wide: true, cell: (s: (typeof m.skipped)[number]) => s.path }, { header: '原因', wide: true, cell: (s) => s.reason }], m.skipped.slice(0, LIST_LIMIT), { testid: 'skipped' })}
            ${m.skipped.length > LIST_LIMIT ? html`<p class="muted">只列出前 ${LIST_LIMIT} 个。</p>` : ''}`
        : html`<p class="muted">没有跳过的文件。</p>`}
      <h2>已收录的法规（${titles.length} 部）</h2>
      <p class="muted">${[...perCategory.entries()].sort((a, b) => b[1] - a[1]).map(([cat, n], i) => html`${i ? ' · ' : ''}${cat} ${n}`)}</p>
      <form class="filters" method="get" action="/knowledge"><label>按名称查找<input name="q" value="${q}" /></label><button type="submit">查找</button></form>
      ${table(lawColumns, shown, { testid: 'laws', rowData: (t) => ({ law: t }) })}
      ${pager(pageNo, pages, pageHref)}`;
    return deps.render(c, '知识库', '/knowledge', body, {
      scripts: ['ingest.js'],
      flash: c.req.query('flash') ?? undefined,
      refresh: deps.ingest?.state().state === 'running' ? 3 : undefined,
    });
  });

  app.post(UPLOAD_PATH, async (c) => {
    if (!deps.folders) return deps.render(c, '上传文件', '/knowledge', noFolders, { status: 400 });
    const form = await c.req.parseBody();
    const file = form.file;
    const kind: UploadKind = form.kind === 'report' ? 'report' : 'law';
    try {
      if (!(file instanceof File)) throw new PufaError('没有选择文件。');
      const result = await storeUpload(deps.folders, { name: file.name, data: new Uint8Array(await file.arrayBuffer()), kind, category: typeof form.category === 'string' ? form.category : undefined });
      await deps.audit(c, 'admin.knowledge.upload', { file: result.key, replaced: result.replaced, detail: result.detail, bytes: file.size });
      const flash = `已${result.replaced ? '替换' : '上传'} ${result.key}：${result.detail}。点「开始建立索引」后生效。`;
      return c.redirect(`/knowledge?${new URLSearchParams({ flash }).toString()}`, 303);
    } catch (err) {
      if (!(err instanceof PufaError)) throw err;
      deps.logger.warn('admin web upload refused', { name: file instanceof File ? file.name : null, reason: err.userMessage });
      return deps.render(c, '上传文件', '/knowledge', html`<p class="error" role="alert">${err.userMessage}</p><p><a href="/knowledge">返回知识库</a></p>`, { status: 400 });
    }
  });

  app.get('/knowledge/plan', async (c) => {
    if (!deps.folders) return deps.render(c, '预览变化', '/knowledge', noFolders, { status: 400 });
    const k = await knowledge();
    const plan = await planIngest(deps.folders, k?.manifest, k?.catalog);
    const section = (title: string, entries: PlanEntry[], testid: string) =>
      html`<h2>${title}（${entries.length}）</h2>${entries.length
        ? html`${table([{ header: '文件', wide: true, cell: (e: PlanEntry) => e.key }, { header: '说明', wide: true, cell: (e) => e.detail }], entries.slice(0, LIST_LIMIT * 3), { testid, rowData: (e) => ({ key: e.key }) })}`
        : html`<p class="muted">无。</p>`}`;
    const body = html`<p class="muted">与当前使用的索引相比，下次建立索引时会有这些变化（只读取新增和改动过的文件，不会写入任何东西）。${plan.firstBuild ? '还没有索引：所有文件都是新增。' : ''}</p>
      <div class="cards">
        <div class="card"><div class="label">新增</div><div class="value" data-plan="added">${plan.added.length}</div></div>
        <div class="card"><div class="label">修改</div><div class="value" data-plan="changed">${plan.changed.length}</div></div>
        <div class="card"><div class="label">删除</div><div class="value" data-plan="removed">${plan.removed.length}</div></div>
        <div class="card"><div class="label">跳过</div><div class="value" data-plan="skipped">${plan.skipped.length}</div></div>
      </div>
      <p>未改动的文件 ${plan.unchanged} 个${plan.touched.length ? `，另有 ${plan.touched.length} 个只是修改时间变了` : ''}。</p>
      ${ingestBox(c)}
      ${section('新增', plan.added, 'plan-added')}
      ${section('修改', plan.changed, 'plan-changed')}
      ${section('删除', plan.removed, 'plan-removed')}
      ${section('跳过', plan.skipped, 'plan-skipped')}`;
    return deps.render(c, '预览下次建立索引的变化', '/knowledge', body, { scripts: ['ingest.js'] });
  });

  app.post('/knowledge/ingest', async (c) => {
    if (!deps.ingest) return deps.render(c, '建立索引', '/knowledge', html`<p class="error">这个管理后台不能建立索引，请在服务器上运行 npx pufa ingest。</p>`, { status: 400 });
    const form = await c.req.parseBody();
    const s = c.get('session');
    const replace = form.replace === '1';
    const started = deps.ingest.start({ replace, by: s.label });
    if (started) await deps.audit(c, 'admin.knowledge.ingest', { replace });
    const flash = started ? '已开始建立索引：问答和考试继续使用原来的索引，完成后自动换用新索引。' : '已有一次建立索引正在进行，请等它完成。';
    return c.redirect(`/knowledge?${new URLSearchParams({ flash }).toString()}`, 303);
  });

  app.get('/knowledge/ingest/status', (c) => {
    const s = deps.ingest?.state() ?? { state: 'idle' as const };
    return c.json({ state: s.state, phase: s.progress?.phase ?? null, step: s.step ?? null, fraction: ingestFraction(s), line: ingestLine(s, tz), progress: s.progress ?? null, summary: s.summary ?? null, error: s.error ?? null });
  });

  async function checklistPage(c: AdminContext, opts: { text?: string; error?: string; flash?: string; status?: 200 | 400 } = {}) {
    if (!deps.folders) return deps.render(c, '必学清单', '/knowledge', noFolders, { status: 400 });
    const file = await checklistFile(deps.folders.knowledgeDir);
    const body = html`<p class="muted">knowledge/checklists/${file.name}：角色 → 法规 → 可选的重点条文（keyArticles）。保存前按清单的格式逐项检查，有误时指出字段，不会保存。保存后，下次建立索引、重启机器人后生效。</p>
      ${opts.error ? html`<pre class="error" role="alert" data-testid="checklist-error">${opts.error}</pre>` : ''}
      <form method="post" action="/knowledge/checklist" data-testid="checklist-form">${csrfField(c)}
        <textarea name="text" rows="24" class="code" spellcheck="false">${opts.text ?? file.text}</textarea>
        <p><button type="submit">检查并保存</button> <a href="/knowledge">返回知识库</a></p>
      </form>`;
    return deps.render(c, '必学清单', '/knowledge', body, { flash: opts.flash, status: opts.status });
  }

  app.get('/knowledge/checklist', (c) => checklistPage(c));

  app.post('/knowledge/checklist', async (c) => {
    if (!deps.folders) return deps.render(c, '必学清单', '/knowledge', noFolders, { status: 400 });
    const form = await c.req.parseBody();
    const text = typeof form.text === 'string' ? form.text.replace(/\r\n/g, '\n') : '';
    try {
      const saved = await saveChecklist(deps.folders.knowledgeDir, text);
      await deps.audit(c, 'admin.knowledge.checklist', { file: saved.name, roles: saved.roles.length });
      return checklistPage(c, { flash: `已保存：${saved.roles.length} 个角色（${saved.roles.join('、')}）。` });
    } catch (err) {
      if (!(err instanceof PufaError)) throw err;
      return checklistPage(c, { text, error: err.userMessage, status: 400 });
    }
  });

  app.get('/knowledge/drafts', async (c) => {
    if (!deps.folders) return deps.render(c, '常见问法草稿', '/knowledge', noFolders, { status: 400 });
    const name = c.req.query('name');
    if (name) {
      const d = await getDraft(deps.folders.knowledgeDir, name);
      if (!d) return deps.render(c, '常见问法草稿', '/knowledge', html`<p class="error">没有这个草稿。</p><p><a href="/knowledge/drafts">返回草稿列表</a></p>`, { status: 404 });
      const body = html`<p>${d.title ? `《${d.title}》：` : ''}${d.articles} 处条文，${d.questions} 条问法。</p>
        ${d.problems.length ? html`<p class="error">草稿有误，不能采用：${d.problems.slice(0, 5).join('；')}</p>` : ''}
        <p class="muted">草稿由大模型草拟，请逐条看过：答非所问、不像同事口吻的问法，请在服务器上编辑文件删去后再采用。采用后去掉文件名中的 .draft，下次建立索引时生效。</p>
        <form method="post" action="/knowledge/drafts/accept" class="inline">${csrfField(c)}<input type="hidden" name="name" value="${d.name}" /><button type="submit" ${d.problems.length ? 'disabled' : ''}>采用</button></form>
        <form method="post" action="/knowledge/drafts/discard" class="inline">${csrfField(c)}<input type="hidden" name="name" value="${d.name}" /><button type="submit" class="danger">删除草稿</button></form>
        <pre class="file" data-testid="draft-text">${d.text}</pre>`;
      return deps.render(c, `草稿：${d.name}`, '/knowledge', body);
    }
    const drafts = await listDrafts(deps.folders.knowledgeDir);
    const body = html`<p class="muted">knowledge/questions/ 中由 npx pufa questions draft 草拟、尚未审阅的常见问法。草稿不会被使用，采用后才会。</p>
      ${table(
        [
          { header: '文件', wide: true, cell: (d: (typeof drafts)[number]) => html`<a href="/knowledge/drafts?name=${encodeURIComponent(d.name)}">${d.name}</a>` },
          { header: '法规或文档', cell: (d) => d.title ?? '—' },
          { header: '问法', num: true, cell: (d) => d.questions },
          { header: '状态', cell: (d) => (d.problems.length ? html`<span class="tag bad">有误</span>` : '待审阅') },
        ],
        drafts,
        { testid: 'drafts', rowData: (d) => ({ name: d.name }) },
      )}
      ${drafts.length ? '' : html`<p class="muted">没有待审阅的草稿。</p>`}`;
    return deps.render(c, '常见问法草稿', '/knowledge', body, { flash: c.req.query('flash') ?? undefined });
  });

  for (const [action, run] of [
    ['accept', async (dir: string, name: string) => `已采用：${(await acceptDraft(dir, name)).file}，下次建立索引时生效。`],
    ['discard', async (dir: string, name: string) => (await discardDraft(dir, name), `已删除草稿 ${name}。`)],
  ] as const) {
    app.post(`/knowledge/drafts/${action}`, async (c) => {
      if (!deps.folders) return deps.render(c, '常见问法草稿', '/knowledge', noFolders, { status: 400 });
      const name = String((await c.req.parseBody()).name ?? '');
      try {
        const flash = await run(deps.folders.knowledgeDir, name);
        await deps.audit(c, action === 'accept' ? 'admin.knowledge.accept_draft' : 'admin.knowledge.discard_draft', { file: name });
        return c.redirect(`/knowledge/drafts?${new URLSearchParams({ flash }).toString()}`, 303);
      } catch (err) {
        if (!(err instanceof PufaError)) throw err;
        return deps.render(c, '常见问法草稿', '/knowledge', html`<p class="error" role="alert">${err.userMessage}</p><p><a href="/knowledge/drafts">返回草稿列表</a></p>`, { status: 400 });
      }
    });
  }

  app.get('/knowledge/faq', async (c) => {
    const k = await knowledge();
    const entries = await listPinnedFaq(deps.faqDir, k?.catalog, deps.logger);
    const body = html`<p class="muted">knowledge/faq/ 中的常见问答：问题足够接近时优先用它作答，条文原文仍取自索引。所依据的条文在索引中找不到的问答不会被使用。新的问答可在「问答记录」里修正并收录。</p>
      ${k ? '' : html`<p class="warn">索引尚未建立，无法检查所依据的条文。</p>`}
      ${table(
        [
          { header: '问题', wide: true, cell: (e: (typeof entries)[number]) => e.questions.join(' / ') },
          { header: '答案', wide: true, cell: (e) => (e.answer.length > 160 ? `${e.answer.slice(0, 160)}…` : e.answer) },
          { header: '依据', cell: (e) => e.articles.map((a) => `${a.law} ${a.article}`).join('；') },
          { header: '状态', field: 'status', cell: (e) => (e.problems.length ? html`<span class="tag bad">不会使用：${e.problems.join('；')}</span>` : html`<span class="tag good">使用中</span>`) },
        ],
        entries,
        { testid: 'faq', rowData: (e) => ({ id: e.id }) },
      )}
      ${entries.length ? '' : html`<p class="muted">还没有常见问答。</p>`}`;
    return deps.render(c, '常见问答', '/knowledge', body);
  });
}
