/** `pufa search`: ranked passages for a query, for people (text) or scripts (--json). */
import { citationLabel } from '../../knowledge/citation-label.ts';
import type { SearchHit } from '../../search/types.ts';
import { intFlag, type Command } from '../context.ts';

/** The JSON shape of a hit: law hits cite law, article and version; report and document hits cite their section. */
export function hitToJson(h: SearchHit): Record<string, unknown> {
  const c = h.chunk;
  if (c.doc === 'law') {
    return {
      doc: 'law',
      law: c.title,
      article: c.article,
      ...(c.articleSuffix ? { suffix: c.articleSuffix } : {}),
      version: c.version,
      ...(c.status === 'superseded' ? { status: 'superseded' } : {}),
      path: c.path,
      text: c.text,
      score: h.score,
    };
  }
  return { doc: c.doc, title: c.title, section: c.section, path: c.path, text: c.text, score: h.score };
}

function formatHit(h: SearchHit, i: number): string {
  const c = h.chunk;
  const version = c.doc === 'law' && c.version ? `（${c.version}${c.status === 'superseded' ? '，已被修订' : ''}）` : '';
  const where = citationLabel({ ...c, law: c.title }) + version;
  const text = c.text.length > 160 ? c.text.slice(0, 160) + '…' : c.text;
  return `${i + 1}. ${where}  相关度 ${h.score.toFixed(2)}\n   ${text.replace(/\n/g, '\n   ')}`;
}

export const command: Command = {
  name: 'search',
  summary: '检索条文与报告：列出与查询最相关的片段。',
  usage: 'pufa search "<查询>" [--k N] [--json]',
  options: { k: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const query = ctx.positionals.join(' ').trim();
    if (!query) {
      ctx.io.stderr.write(`请给出查询内容。\n用法：${this.usage}\n`);
      return 2;
    }
    const k = intFlag(ctx.values.k, 'k', 5, 100);
    const index = await ctx.app.index();
    const hits = await index.search(query, { k });
    if (ctx.values.json) {
      ctx.io.stdout.write(JSON.stringify(hits.map(hitToJson)) + '\n');
    } else if (hits.length === 0) {
      ctx.io.stdout.write('没有找到相关的条文或报告内容。\n');
    } else {
      ctx.io.stdout.write(hits.map(formatHit).join('\n') + '\n');
    }
    return 0;
  },
};
