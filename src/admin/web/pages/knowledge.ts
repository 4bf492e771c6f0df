/** The knowledge base: laws and versions ingested, checklist laws missing, 常见问法, last ingest, skipped files. */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { AdminEnv, PageDeps } from '../types.ts';

export function registerKnowledgePages(app: Hono<AdminEnv>, deps: PageDeps) {
  app.get('/knowledge', async (c) => {
    const k = deps.knowledge ? await deps.knowledge() : undefined;
    if (!k) {
      return deps.render(c, '知识库', '/knowledge', html`<p class="error">知识库索引尚未建立。请运行 <code>pufa ingest</code>（或 <code>npm start</code> 自动建立）。</p>`);
    }
    const { manifest: m, catalog } = k;
    const aq = m.articleQuestions;
    const byTitle = new Map<string, typeof catalog.versions>();
    for (const v of catalog.versions) byTitle.set(v.title, [...(byTitle.get(v.title) ?? []), v]);
    const body = html`<div class="cards">
        <div class="card"><div class="label">最近一次建立索引</div><div class="value" style="font-size:18px">${m.createdAt.slice(0, 19).replace('T', ' ')}</div><div class="sub">UTC · 向量模型 ${m.embedder.id}</div></div>
        <div class="card"><div class="label">法规</div><div class="value" data-testid="law-count">${m.counts.laws}</div><div class="sub">${m.counts.versions} 个版本 · ${m.counts.articles} 条</div></div>
        <div class="card"><div class="label">其他文档</div><div class="value">${m.counts.documents}</div><div class="sub">${m.counts.files} 个文件 · ${m.counts.chunks} 个片段</div></div>
        <div class="card"><div class="label">清单中缺失的法规</div><div class="value">${m.missingChecklistLaws.length}</div></div>
      </div>
      <h2>应知应会清单中缺失的法规</h2>
      ${m.missingChecklistLaws.length
        ? html`<ul data-testid="missing">${m.missingChecklistLaws.map((t) => html`<li>${t}</li>`)}</ul><p class="muted">请将这些法规的文本放入法规目录后重新运行 npx pufa ingest。</p>`
        : html`<p class="muted">清单中的法规均已收录。</p>`}
      <h2>常见问法</h2>
      ${aq?.count
        ? html`<p><span data-testid="question-count">${aq.count}</span> 条问法，关联到 ${aq.articles} 处条文或文档段落（knowledge/questions/，只用于检索）。</p>`
        : html`<p class="muted">没有常见问法文件（knowledge/questions/）。可运行 npx pufa questions draft 法规名 草拟。</p>`}
      ${aq?.unapplied.length
        ? html`<p>未使用的常见问法（版本或条号对不上）：</p><ul data-testid="unapplied-questions">${aq.unapplied.map((u) => html`<li>${u}</li>`)}</ul>`
        : ''}
      <h2>跳过的文件</h2>
      ${m.skipped.length
        ? html`<table><thead><tr><th>文件</th><th>原因</th></tr></thead><tbody>${m.skipped.map((s) => html`<tr><td>${s.path}</td><td>${s.reason}</td></tr>`)}</tbody></table>`
        : html`<p class="muted">没有跳过的文件。</p>`}
      <h2>已收录的法规与版本</h2>
      <table data-testid="laws"><thead><tr><th>法规</th><th>类别</th><th>版本</th><th class="num">条数</th></tr></thead>
      <tbody>${[...byTitle.entries()].map(
        ([title, versions]) => html`<tr><td>${title}${(m.checklistLaws ?? []).includes(title) ? html` <span class="muted">（清单）</span>` : ''}</td><td>${versions[0]!.category}</td>
          <td>${versions.map((v) => html`${v.version || '（未注明）'}${v.status === 'current' ? '（现行）' : ''} `)}</td>
          <td class="num">${versions.find((v) => v.status === 'current')?.articles.length ?? versions[0]!.articles.length}</td></tr>`,
      )}</tbody></table>`;
    return deps.render(c, '知识库', '/knowledge', body);
  });
}
