import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPufa } from '../helpers/run-pufa.ts';
import { KNOWLEDGE_DIR, LAWS_DIR } from './corpus.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'pufa-quiz-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Run `pufa …` in-process with captured output and no built index (it reads the law files). */
const pufa = (...args: string[]) => runPufa(args, { env: { LAWS_DIR, KNOWLEDGE_DIR, PUFA_DATA_DIR: dataDir, LOG_LEVEL: 'error' } });

describe('pufa quiz preview', () => {
  it('prints a JSON array of questions in the documented shape', async () => {
    const { code, out } = await pufa('quiz', 'preview', '--law', '预算法', '--n', '6', '--seed', 'cli', '--json');
    expect(code).toBe(0);
    const list = JSON.parse(out) as Record<string, unknown>[];
    expect(list).toHaveLength(6);
    for (const q of list) {
      expect(Object.keys(q)).toEqual(['type', 'stem', 'options', 'answer', 'law', 'article', 'version', 'explanation']);
      expect(['single', 'multiple', 'judge']).toContain(q.type);
      expect(q.law).toBe('中华人民共和国预算法');
      expect(q.version).toBe('2018-12-29');
      expect(q.article).toMatch(/^第.+条$/);
      expect((q.answer as number[]).every((i) => i >= 0 && i < (q.options as string[]).length)).toBe(true);
      expect(q.explanation).toMatch(new RegExp(`^依据《中华人民共和国预算法》${q.article}：`));
    }
    const again = await pufa('quiz', 'preview', '--law', '预算法', '--n', '6', '--seed', 'cli', '--json');
    expect(again.out).toBe(out);
  });

  it('prints options, key, explanation and citation for people, for a role of the checklist', async () => {
    const { code, out } = await pufa('quiz', 'preview', '--role', '政府采购岗', '--n', '3');
    expect(code).toBe(0);
    expect(out).toMatch(/^1\. 【(单选题|多选题|判断题)】根据《/);
    expect(out).toMatch(/   A\. /);
    expect(out).toMatch(/   答案：[A-D]+/);
    expect(out).toMatch(/   出处：《.+》第.+条（\d{4}-\d{2}-\d{2} 版本）/);
  });

  it('names an unknown role and lists the known ones', async () => {
    const { code, err } = await pufa('quiz', 'preview', '--role', '保洁岗');
    expect(code).toBe(1);
    expect(err).toContain('保洁岗');
    expect(err).toContain('全体干部');
  });

  it('explains its subcommands', async () => {
    const { code, err } = await pufa('quiz');
    expect(code).toBe(2);
    expect(err).toContain('pufa quiz preview');
  });
});
