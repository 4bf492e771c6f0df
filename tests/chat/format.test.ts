import { describe, expect, it } from 'vitest';
import { answerMessage } from '../../src/chat/features/ask.ts';
import { lawQuery } from '../../src/chat/features/law.ts';
import { blockText, findCut, para, plainText, splitMessage } from '../../src/chat/format.ts';
import { createRateLimiter } from '../../src/chat/rate-limit.ts';
import { escapeHtml, renderHtml } from '../../src/chat/telegram/html.ts';
import { budgetYear, longCitation } from './harness.ts';
import { citationBlock } from '../../src/chat/features/ask.ts';

describe('splitting', () => {
  it('keeps whole blocks together and never exceeds the limit', () => {
    const blocks = [1, 2, 3, 4, 5].map((n) => citationBlock(longCitation(n, 900)));
    const parts = splitMessage(blocks, 2000);
    for (const p of parts) expect(plainText(p).length).toBeLessThanOrEqual(2000);
    expect(parts.flat()).toHaveLength(5);
    expect(parts.map((p) => p.length)).toEqual([2, 2, 1]);
  });

  it('splits one huge article at sentence ends and labels each continuation with its citation', () => {
    const block = citationBlock(longCitation(7, 9000));
    const parts = splitMessage([block], 4096);
    expect(parts.length).toBe(3);
    const texts = parts.map((p) => plainText(p));
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4096);
    expect(texts[0]!.startsWith('《中华人民共和国测试法》第一百零7条\n')).toBe(true);
    expect(texts[1]!.startsWith('《中华人民共和国测试法》第一百零7条（续）\n')).toBe(true);
    // Cuts fall after a sentence mark, and no text is lost or doubled.
    for (const t of texts.slice(0, -1)) expect(t).toMatch(/[；。]$/);
    const body = texts.map((t, i) => (i === 0 ? t : t.replace(/^.*（续）\n/, ''))).join('');
    expect(body).toBe(blockText(block));
  });

  it('does not cut inside a 《title》 or a surrogate pair', () => {
    const text = '甲'.repeat(90) + '《中华人民共和国预算法》' + '乙'.repeat(50);
    const cut = findCut(text, 95);
    expect(text.slice(0, cut).endsWith('甲')).toBe(true);
    const emoji = 'a'.repeat(9) + '😀' + 'b'.repeat(10);
    expect(findCut(emoji, 10)).toBe(9);
  });
});

describe('HTML', () => {
  it('escapes every dynamic string, so law text cannot break the markup', () => {
    expect(escapeHtml('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    const html = renderHtml([para({ text: '《法》<第1条>', bold: true }, '\n', '收入 < 支出 & 结余 > 0')]);
    expect(html).toBe('<b>《法》&lt;第1条&gt;</b>\n收入 &lt; 支出 &amp; 结余 &gt; 0');
  });
});

describe('answers', () => {
  it('names the citations an answer does not already name', () => {
    const entry = { id: 7 } as Parameters<typeof answerMessage>[1];
    const base = { question: 'q', mode: 'extractive' as const, citations: [budgetYear], related: [], ms: 1 };
    const quoted = answerMessage({ ...base, answer: '《中华人民共和国预算法》第十八条规定：……' }, entry);
    expect(plainText(quoted.blocks)).not.toContain('依据：');
    const bare = answerMessage({ ...base, answer: '预算年度为公历年度。' }, entry);
    expect(plainText(bare.blocks)).toContain('依据：《中华人民共和国预算法》第十八条');
    expect(bare.buttons!.flat().map((b) => b.data)).toEqual(['qa:up:7', 'qa:down:7', 'qa:full:7', 'qa:rel:7']);
  });

  it('/law arguments in the forms people type', () => {
    expect(lawQuery('预算法 18')).toBe('预算法第18条');
    expect(lawQuery('《预算法》 第十八条')).toBe('预算法第十八条');
    expect(lawQuery('预算法第十八条')).toBe('预算法第十八条');
    expect(lawQuery('政府采购法 ２０')).toBe('政府采购法第20条');
    expect(lawQuery('预算法')).toBeUndefined();
    expect(lawQuery('')).toBeUndefined();
  });
});

it('rate limiter: a window per user, one warning, then quiet; free again after a minute', () => {
  let t = 0;
  const limiter = createRateLimiter(2, () => new Date(t));
  expect(['a', 'a', 'a', 'a', 'b'].map((k) => limiter.hit(k))).toEqual(['ok', 'ok', 'limited', 'limited-again', 'ok']);
  t = 60_001;
  expect(limiter.hit('a')).toBe('ok');
});
