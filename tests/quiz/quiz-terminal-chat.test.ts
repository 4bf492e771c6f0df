/** The same weekly quiz in the terminal chat, through a pipe: buttons are numbers, the message is reprinted when edited. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runTerminalChat } from '../../src/chat/terminal/repl.ts';
import { openQuizStack, quizKnowledge } from './quiz-harness.ts';

let dir: string;
beforeAll(async () => {
  await quizKnowledge();
  dir = await mkdtemp(join(tmpdir(), 'pufa-quiz-term-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('takes the whole quiz by typing numbers, and /me shows the week', async () => {
  const stack = await openQuizStack(dir);
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  output.on('data', (d: Buffer) => {
    printed += d.toString();
    for (const w of [...waiters]) if (w.test()) waiters.splice(waiters.indexOf(w), 1), w.resolve();
  });
  /** Type a line and wait until the output grows past what was printed and satisfies `until`. */
  const type = (line: string, until: (fresh: string) => boolean) => {
    const from = printed.length;
    const done = new Promise<string>((resolve) => {
      const test = () => until(printed.slice(from));
      waiters.push({ test, resolve: () => resolve(printed.slice(from)) });
    });
    input.write(`${line}\n`);
    return done;
  };
  const chat = runTerminalChat({ core: stack.core, input, output, user: { id: 'tester', name: '测试员' } });

  let fresh = await type('/quiz', (s) => s.includes('第 1/10 题'));
  expect(fresh).toContain('本周共 10 题，60 分合格');
  const user = (await stack.records.users.findByIdentity({ channel: 'local', id: 'tester' }))!;
  const attempt = (await stack.training.openAttempt(user.id, '2026-W48'))!;
  for (let i = 0; i < 10; i++) {
    const q = attempt.questions[i]!;
    const right = i % 3 !== 1;
    const wrong = q.options.findIndex((_, k) => !q.answer.includes(k));
    // Buttons are numbered in order: options (or toggles) first, then 提交 for 多选.
    if (q.type === 'multiple') {
      for (const k of right ? q.answer : [wrong]) {
        fresh = await type(String(k + 1), (s) => s.includes('提交（已选') && s.includes('输入编号选择'));
      }
      fresh = await type(String(q.options.length + 1), (s) => /回答(正确|错误)/.test(s) && s.includes('输入编号选择'));
    } else {
      fresh = await type(String((right ? q.answer[0]! : wrong) + 1), (s) => /回答(正确|错误)/.test(s) && s.includes('输入编号选择'));
    }
    expect(fresh).toContain(right ? '✅ 回答正确' : '❌ 回答错误');
    expect(fresh).toContain('解析：依据《');
    expect(fresh).toMatch(/\[1\] 📖 查看条文\s+\[2\] (下一题|查看成绩) ▶/);
    if (i === 0) {
      fresh = await type('1', (s) => s.includes(`《${q.law}》${q.article}`));
      // /quiz shows the quiz again where the user is: question 2, in a new message.
      fresh = await type('/quiz', (s) => s.includes('第 2/10 题') && s.includes('输入编号选择'));
      expect(fresh).toContain('继续作答：您上次答到第 2/10 题');
      continue;
    }
    fresh = await type('2', (s) => (i === 9 ? s.includes('得分') : s.includes(`第 ${i + 2}/10 题`)) && s.includes('输入编号选择'));
  }
  const wrongCount = [1, 4, 7].length;
  expect(fresh).toContain(`得分：${100 - 10 * wrongCount} 分（答对 ${10 - wrongCount}/10 题）`);
  expect(fresh).toContain('✅ 本次作答合格');
  fresh = await type('/me', (s) => s.includes('学法考试'));
  expect(fresh).toContain(`本周（2026年第48周）：已合格，${100 - 10 * wrongCount} 分`);
  input.end();
  await chat;
  expect(await stack.training.weeklyResult(user.id, '2026-W48')).toMatchObject({ status: 'passed', score: 70, hours: 0.5 });
  await stack.close();
});
