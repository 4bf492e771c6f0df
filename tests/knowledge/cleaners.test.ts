import { describe, expect, it } from 'vitest';
import { cleanText, PAGE_BREAK } from '../../src/knowledge/cleaners.ts';

describe('cleaning', () => {
  it('removes ##paidbegin##/##paidend## markers, also mid-sentence', () => {
    expect(cleanText('规范财政挂账管理的总体思路，切实##paidbegin##加强财政挂账管理。\n全区保持零新增挂账。\n##paidend##', 'text')).toBe(
      '规范财政挂账管理的总体思路，切实加强财政挂账管理。\n全区保持零新增挂账。\n',
    );
  });

  it('drops page-number lines in their usual forms, and nothing else', () => {
    const text = ['第一条　为了测试。', '- 3 -', '— 4 —', '第 3 页', '第3页 共20页', '3/20', '12', '预算年度自公历一月一日起。'].join('\n');
    expect(cleanText(text, 'text')).toBe('第一条 为了测试。\n预算年度自公历一月一日起。');
  });

  it('removes zero-width characters and stray full-width spaces but keeps the label separator', () => {
    expect(cleanText('第一章　总　　则\n第一条　为了\u200b规范　政府收支行为。\n\u3000\u3000预算年度。', 'docx')).toBe(
      '第一章 总则\n第一条 为了规范政府收支行为。\n预算年度。',
    );
  });

  it('removes the 目录 block of a law database download', () => {
    const text = ['中华人民共和国测试法', '（2019年通过）', '目　　录', '第一章　总　　则', '第二章　附　　则', '第一章　总　　则', '第一条　为了测试。'].join('\n');
    expect(cleanText(text, 'docx')).toBe(['中华人民共和国测试法', '（2019年通过）', '第一章 总则', '第一条 为了测试。'].join('\n'));
  });

  it('removes a running PDF header and footer and joins wrapped lines', () => {
    const page = (n: number, body: string[]) => ['XX市财政局文件', ...body, `第 ${n} 页`].join('\n');
    const text = [
      page(1, ['第一条　为了规范政府收支行为，强化预算约束，加强对预算', '的管理和监督，制定本法。']),
      page(2, ['第二条　预算、决算的编制、审查、批准、监督，依照本法规定执行。']),
      page(3, ['第三条　国家实行一级政府一级预算。']),
    ].join(`\n${PAGE_BREAK}\n`);
    expect(cleanText(text, 'pdf').split('\n').filter(Boolean)).toEqual([
      '第一条 为了规范政府收支行为，强化预算约束，加强对预算的管理和监督，制定本法。',
      '第二条 预算、决算的编制、审查、批准、监督，依照本法规定执行。',
      '第三条 国家实行一级政府一级预算。',
    ]);
  });
});
