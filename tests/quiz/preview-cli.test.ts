import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openRecords } from '../../src/records/index.ts';
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
      expect(Object.keys(q)).toEqual(['type', 'stem', 'options', 'answer', 'law', 'article', 'version', 'explanation', 'kind']);
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

  it('prints the attempts a person gets in a week, none repeating a question of an earlier attempt', async () => {
    const records = openRecords(loadConfig({ LAWS_DIR, KNOWLEDGE_DIR, PUFA_DATA_DIR: dataDir, LOG_LEVEL: 'error' }));
    const user = await records.users.create({ identity: { channel: 'telegram', id: '7001' }, name: '王芳', roles: ['政府采购岗'], status: 'active' });
    await records.close();
    const { code, out } = await pufa('quiz', 'preview', '--user', user.staffId, '--week', '2026-W48', '--attempts', '3', '--json');
    expect(code).toBe(0);
    const plan = JSON.parse(out) as { staffId: string; week: string; attempts: { attempt: number; status: string; questions: { stem: string; law: string; reason: string }[] }[] };
    expect(plan).toMatchObject({ staffId: user.staffId, week: '2026-W48' });
    expect(plan.attempts.map((a) => [a.attempt, a.status, a.questions.length])).toEqual([
      [1, 'planned', 10],
      [2, 'planned', 10],
      [3, 'planned', 10],
    ]);
    const stems = plan.attempts.flatMap((a) => a.questions.map((q) => q.stem));
    expect(new Set(stems).size).toBe(stems.length);
    const roleLaws = ['中华人民共和国政府采购法', '中华人民共和国政府采购法实施条例', '中华人民共和国招标投标法', '公平竞争审查条例'];
    expect(plan.attempts.flatMap((a) => a.questions.map((q) => q.law)).every((l) => roleLaws.includes(l))).toBe(true);
    const text = await pufa('quiz', 'preview', '--user', user.staffId, '--week', '2026-W48', '--attempts', '2');
    expect(text.out).toContain(`王芳（工号 ${user.staffId}）2026-W48 的学法考试`);
    expect(text.out).toContain('== 第 2 次作答（尚未开始，按当前计划）==');
    const unknown = await pufa('quiz', 'preview', '--user', 'S9999', '--json');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('没有工号为「S9999」的用户');
  });

  it('explains its subcommands', async () => {
    const { code, err } = await pufa('quiz');
    expect(code).toBe(2);
    expect(err).toContain('pufa quiz preview');
  });
});
