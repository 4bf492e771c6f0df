/**
 * Direct article lookup over the real corpus catalog: every current law, asked for in the ways people write
 * law names, answers with that article of the current version and little else.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createAnswerer } from '../../src/answer/answerer.ts';
import type { Answerer } from '../../src/answer/types.ts';
import { articleLabel } from '../../src/knowledge/article-reference.ts';
import { loadKnowledge } from '../../src/knowledge/load.ts';
import type { LawCatalog } from '../../src/knowledge/catalog.ts';
import type { KnowledgeIndex } from '../../src/search/types.ts';

const LAWS = '/work/shared/corpus/laws';

let catalog: LawCatalog;
let answerer: Answerer;
let searches = 0;

beforeAll(async () => {
  const empty = mkdtempSync(join(tmpdir(), 'pufa-lookup-'));
  const k = await loadKnowledge({ lawsDir: LAWS, knowledgeDir: empty });
  catalog = k.catalog;
  // Lookup must never search: this index counts searches and finds nothing.
  const index: KnowledgeIndex = {
    manifest: { formatVersion: 1, createdAt: '', embedder: { id: 'none', dimension: 0 }, sources: {}, counts: { files: 0, laws: 0, versions: 0, articles: 0, documents: 0, chunks: 0 }, skipped: [], missingChecklistLaws: [] },
    catalog: k.catalog,
    documents: k.documents,
    chunks: [],
    search: async () => {
      searches++;
      return [];
    },
  };
  answerer = createAnswerer({ index, config: loadConfig({ KNOWLEDGE_DIR: empty }) });
});

function shortName(title: string) {
  return title.startsWith('中华人民共和国') ? title.slice(7) : title;
}

describe('direct lookup over the whole corpus', () => {
  it('answers 「<law>第N条的内容是什么？」 for every current law in several phrasings', async () => {
    const failures: string[] = [];
    let asked = 0;
    for (const [i, law] of catalog.current.entries()) {
      if (!law.articles.length) continue;
      const art = law.articles[(i * 7) % law.articles.length]!;
      const cn = art.label.replace(/^第|条.*$/g, '');
      const suffix = art.suffix ? `之${art.label.split('之')[1]}` : '';
      const arabic = `第${art.number}条${art.suffix ? `之${art.suffix}` : ''}`;
      const name = shortName(law.title);
      const phrasings = [
        `${law.title}${art.label}的内容是什么？`,
        `《${law.title}》${arabic}的内容是什么？`,
        `${name}第${cn}条${suffix}的内容是什么？`,
        `${law.category || '法规'} ${name}${arabic}的内容是什么？`,
        `请问“${name}”${art.label}规定了什么`,
      ];
      if (!law.title.startsWith('中华人民共和国') && !/^(最高|中国|国务院|全国)/.test(law.title)) phrasings.push(`中华人民共和国${law.title}${art.label}的内容是什么？`);
      for (const q of phrasings) {
        asked++;
        const a = await answerer.answer(q);
        const c = a.citations[0];
        const ok =
          a.mode === 'lookup' &&
          a.citations.length === 1 &&
          c?.law === law.title &&
          c.version === law.version &&
          c.article === art.number &&
          (c.articleSuffix ?? 0) === art.suffix &&
          a.answer.includes(art.text) &&
          a.answer.length <= art.text.length + law.title.length + 40;
        if (!ok) failures.push(`${q} → ${a.mode} ${c ? `${c.law}${c.articleLabel}` : ''}`);
      }
    }
    expect(asked).toBeGreaterThan(6000);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(searches).toBe(0);
  });

  it('reads the examples of the issue', async () => {
    const a = await answerer.answer('预算法第十八条');
    expect(a.mode).toBe('lookup');
    expect(a.answer).toBe('《中华人民共和国预算法》第十八条（2018-12-29 版）：\n预算年度自公历一月一日起，至十二月三十一日止。');

    const b = await answerer.answer('《中华人民共和国政府采购法》第26条的内容是什么？');
    expect(b.citations[0]).toMatchObject({ law: '中华人民共和国政府采购法', article: 26 });
    expect(b.answer).toContain('公开招标应作为政府采购的主要采购方式。');

    const c = await answerer.answer('民法典第一百四十三条');
    expect(c.citations[0]).toMatchObject({ law: '中华人民共和国民法典', article: 143 });
  });

  it('gives an older version only when asked, marked as superseded', async () => {
    const old = await answerer.answer('会计法2017年版第四十二条');
    expect(old.citations[0]).toMatchObject({ law: '中华人民共和国会计法', article: 42, version: '2017-11-04', status: 'superseded' });
    expect(old.answer).toContain('已被新版本取代');
    const cur = await answerer.answer('会计法第四十二条');
    expect(cur.citations[0]).toMatchObject({ version: '2024-06-28', status: 'current' });
    expect(cur.citations[0]!.text).not.toBe(old.citations[0]!.text);
  });

  it('answers ranges and lists of articles with each article in order', async () => {
    const r = await answerer.answer('预算法第十八条至第二十条');
    expect(r.citations.map((c) => c.article)).toEqual([18, 19, 20]);
    expect(r.answer.indexOf('第十八条 预算年度')).toBeLessThan(r.answer.indexOf('第十九条 预算收入'));
    const l = await answerer.answer('预算法第18、20条');
    expect(l.citations.map((c) => c.article)).toEqual([18, 20]);
  });

  it('finds 之一 articles in Chinese and Arabic numerals', async () => {
    const law = catalog.current.find((v) => v.articles.some((a) => a.suffix > 0))!;
    const art = law.articles.find((a) => a.suffix > 0)!;
    for (const q of [`${law.title}${art.label}`, `${law.title}第${art.number}条之${art.suffix}`]) {
      const a = await answerer.answer(q);
      expect(a.citations[0]).toMatchObject({ article: art.number, articleSuffix: art.suffix });
      expect(a.answer).toContain(art.text);
    }
  });

  it('says when an article does not exist, with the nearest ones', async () => {
    const a = await answerer.answer('预算法第二百条');
    expect(a.mode).toBe('none');
    expect(a.citations).toEqual([]);
    expect(a.answer).toContain('《预算法》共一百零一条，没有第二百条');
    expect(a.related.map((c) => c.article)).toContain(101);

    const law = catalog.resolve('会计法')[0]!;
    const max = Math.max(...law.articles.map((x) => x.number));
    const b = await answerer.answer(`会计法${articleLabel(max + 2)}`);
    expect(b.mode).toBe('none');
    expect(b.answer).toContain(`没有${articleLabel(max + 2)}`);
  });
});
