/** The learned co-occurrence embedder (PPMI + randomized SVD): deterministic, persistable, and semantic. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoocEmbeddings, readCoocModel, trainCoocModel, writeCoocModel } from '../../src/search/embedders/cooc.ts';

// A small corpus in the register of the laws: 调用 and 挪用 share their contexts (资金, 预算, 上级…), 期限 and
// 日内 share theirs (申请, 作出决定…), and the two groups never meet.
const money = ['上级政府不得在预算之外调用下级政府预算资金', '任何单位不得挪用下级政府预算资金', '不得擅自调用专项资金和预算资金', '挪用专项资金和预算资金的依法处理'];
const time = ['行政机关应当自受理申请之日起二十日内作出决定', '复议机关应当在法定期限内作出决定', '申请人应当在规定期限内补正申请材料', '应当自收到申请材料之日起五日内作出决定'];
const corpus = Array.from({ length: 12 }, (_, i) => [...money, ...time].map((s, j) => (i + j) % 2 ? s : `${s}。`).join('\n'));

const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('co-occurrence embedder', () => {
  const model = trainCoocModel(corpus, { dimension: 8, minCount: 2, maxContexts: 200 });

  it('learns the same model from the same texts (its hash names the embedder)', () => {
    const again = trainCoocModel(corpus, { dimension: 8, minCount: 2, maxContexts: 200 });
    expect(again.hash).toBe(model.hash);
    expect(new CoocEmbeddings(model).id).toBe(`local-cooc-v1-d${model.dimension}-${model.hash}`);
  });

  it('places texts about the same matter closer than texts about another', () => {
    const e = new CoocEmbeddings(model);
    const q = e.embed('上级能不能调用我们的预算资金');
    expect(cos(q, e.embed('不得挪用预算资金'))).toBeGreaterThan(cos(q, e.embed('在法定期限内作出决定')));
    expect(e.embed('红烧肉').every((x) => x === 0)).toBe(true);
  });

  it('reads back what it wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pufa-cooc-'));
    try {
      await writeCoocModel(join(dir, 'model.bin'), model);
      const back = await readCoocModel(join(dir, 'model.bin'));
      expect(back.hash).toBe(model.hash);
      expect(back.vocab).toEqual(model.vocab);
      expect([...back.vectors]).toEqual([...model.vectors]);
      expect(new CoocEmbeddings(back).embed('调用预算资金')).toEqual(new CoocEmbeddings(model).embed('调用预算资金'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
