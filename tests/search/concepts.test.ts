/**
 * Legal concepts by name (src/search/concepts.ts): every phrase is the wording of a real article, and a
 * question that names a concept the texts describe without naming finds the article that states it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKnowledge } from '../../src/knowledge/load.ts';
import { conceptsNamed, LEGAL_CONCEPTS, statesConcept } from '../../src/search/concepts.ts';
import type { OpenedIndex } from '../../src/search/index.ts';
import { CORPUS_LAWS_DIR, getChecklistIndex } from '../helpers/test-index.ts';

let index: OpenedIndex;
beforeAll(async () => {
  ({ index } = await getChecklistIndex());
});

describe('the concept vocabulary', () => {
  it('quotes every phrase from an article of the law collection, and no phrase is too common to tell anything', async () => {
    const { catalog } = await loadKnowledge({ lawsDir: CORPUS_LAWS_DIR, knowledgeDir: mkdtempSync(join(tmpdir(), 'pufa-concepts-')) });
    const texts = catalog.current.flatMap((v) => v.articles.map((a) => a.text.replace(/\s+/g, '')));
    const missing: string[] = [];
    const common: string[] = [];
    for (const c of LEGAL_CONCEPTS) {
      for (const p of c.phrases) {
        const n = texts.filter((t) => t.includes(p)).length;
        if (n === 0) missing.push(`${c.names[0]}: ${p}`);
        if (n > 40) common.push(`${c.names[0]}: ${p} (${n})`);
      }
    }
    expect(missing).toEqual([]);
    expect(common).toEqual([]);
    expect(LEGAL_CONCEPTS.length).toBeGreaterThan(150);
  });

  it('finds the concepts a question names, and the texts that state them', () => {
    const [c] = conceptsNamed('行政处罚的追诉时效是多长？');
    expect(c?.names).toContain('追诉时效');
    expect(statesConcept(c!, '违法行为在二年内未被发现的，不再给予行政处罚；')).toBe(true);
    expect(statesConcept(c!, '行政处罚的种类：')).toBe(false);
    expect(conceptsNamed('预算法第十八条')).toEqual([]);
  });
});

describe('search by concept name', () => {
  it.each([
    ['行政处罚的追诉时效是多长？', '中华人民共和国行政处罚法', 36],
    ['什么是表见代理', '中华人民共和国民法典', 172],
    ['罚缴分离是什么意思', '中华人民共和国行政处罚法', 67],
    ['行政许可的信赖保护原则', '中华人民共和国行政许可法', 8],
  ])('「%s」 finds %s article %i first, though the article does not use the name', async (q, law, article) => {
    const [top] = await index.search(q, { k: 5 });
    expect([top?.chunk.title, top?.chunk.article]).toEqual([law, article]);
    expect(top!.chunk.text).not.toContain(conceptsNamed(q)[0]!.names.find((n) => q.includes(n))!);
  });

  it('leaves questions alone whose concept name the texts use themselves (融资租赁)', async () => {
    const withConcepts = await index.search('融资租赁的租金一般是按什么算出来的？', { k: 3 });
    const without = await index.hybrid({ conceptBonus: 0 }).search('融资租赁的租金一般是按什么算出来的？', { k: 3 });
    expect(withConcepts.map((h) => h.chunk.id)).toEqual(without.map((h) => h.chunk.id));
  });
});
