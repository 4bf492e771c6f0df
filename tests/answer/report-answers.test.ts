/**
 * Answers from the bureau's report with their content (issue 10): a heading or an intro ending in 「：」 brings
 * its sub-points, every point is cited (查看全文 shows them all), related items come from the report.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnswerer } from '../../src/answer/answerer.ts';
import { isGrounded } from '../../src/answer/evaluate.ts';
import type { Answerer } from '../../src/answer/types.ts';
import type { KnowledgeIndex } from '../../src/search/types.ts';
import { getChecklistIndex } from '../helpers/test-index.ts';

let index: KnowledgeIndex;
let answerer: Answerer;
beforeAll(async () => {
  const { index: i, config } = await getChecklistIndex();
  index = i;
  answerer = createAnswerer({ index, config, faqDir: mkdtempSync(join(tmpdir(), 'pufa-nofaq-')) });
});

describe('report answers', () => {
  it('answers a heading-only section with its points (「（七）深入推进预算绩效管理。」)', async () => {
    const a = await answerer.answer('局里2023年在预算绩效管理方面做了什么？');
    expect(a.mode).toBe('extractive');
    expect(a.answer.split('\n')[0]).toContain('（七） 深入推进预算绩效管理');
    for (const point of ['一是继续开展事前绩效评估、评审', '二是加大财政绩效评价力度', '三是落实绩效评价结果']) {
      expect(a.answer).toContain(point);
      expect(a.citations.some((c) => c.doc === 'report' && c.text.startsWith(point))).toBe(true);
    }
    expect(a.citations[0]!.text.startsWith('一是')).toBe(true);
    for (const c of [...a.citations, ...a.related]) expect(isGrounded(c, index)).toBe(true);
  });

  it('answers an intro ending in 「：」 with the points it announces', async () => {
    const a = await answerer.answer('报告里说存在哪些不足？');
    expect(a.answer).toContain('主要体现为以下三点：');
    expect(a.answer).toContain('一是法律专业力量明显薄弱');
    expect(a.answer).toContain('三是缺乏专门的场所用于接待信访');
  });

  it('lists the parts of the report when asked for its outline', async () => {
    const a = await answerer.answer('这份法治政府建设报告一共有哪几大部分');
    for (const part of ['一、2023年度法治政府建设情况', '二、党政主要负责人履行法治建设第一责任人职责情况', '三、存在问题和不足', '四、2024年推进法治政府建设的主要安排']) {
      expect(a.answer).toContain(part);
      expect(a.citations.some((c) => c.text.includes(part))).toBe(true);
    }
  });

  it('answers a question after one fact with the point that holds it, its siblings as related items', async () => {
    const a = await answerer.answer('事前绩效评审一共评了多少个项目？');
    expect(a.citations[0]!.text).toContain('对40个项目开展预算绩效评审');
    expect(a.answer).not.toContain('三是落实绩效评价结果。绩效评价结果');
    expect(a.related.length).toBeGreaterThan(0);
    expect(a.related.every((c) => c.doc === 'report')).toBe(true);
  });
});
