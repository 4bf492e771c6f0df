/**
 * The weekly quiz in Telegram: the real grammY bot against the local Bot API server, records on disk.
 * One full quiz with every kind of button, the ways taps go wrong, a restart mid-quiz, the summary and
 * what lands in the training records.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidV5, PUFA_XAPI_NAMESPACE } from '../../src/quiz/xapi.ts';
import { startBotApiServer, type BotApiServer, type RecordedCall } from '../helpers/bot-api-server.ts';
import { buttonsOf } from '../helpers/quiz-driver.ts';
import { visibleText } from '../chat/harness.ts';
import { activeStaff, quizKnowledge, startQuizBot, type QuizBot } from './quiz-harness.ts';

let dir: string;
let api: BotApiServer;
let bot: QuizBot | undefined;
beforeAll(async () => {
  await quizKnowledge();
  dir = await mkdtemp(join(tmpdir(), 'pufa-quiz-chat-'));
  api = await startBotApiServer();
});
afterAll(async () => {
  await bot?.stop();
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

const alice = { id: 2001, first_name: '张三' };
const GROUP = { id: -100700, type: 'supergroup' as const, title: '预算科学法群' };
const toChat = (chatId: number) => (c: RecordedCall) => Number(c.payload.chat_id) === chatId;
const edits = (messageId: number) => (c: RecordedCall) => c.method === 'editMessageText' && Number(c.payload.message_id) === messageId;
const acks = (c: RecordedCall) => c.method === 'answerCallbackQuery';
const text = (c: RecordedCall) => visibleText(String(c.payload.text));
const button = (c: RecordedCall, prefix: string, i = 0) => buttonsOf(c).filter((b) => b.data.startsWith(prefix))[i]!;

describe('the weekly quiz in Telegram', () => {
  it('runs a whole quiz in one edited message: buttons, double taps, redelivery, old messages, a restart, the summary', async () => {
    bot = await startQuizBot(dir, api);
    const staff = await activeStaff(bot.records, alice);
    const pressed = new Set<string>();
    const press = api.press.bind(api);
    api.press = (...args) => {
      const u = press(...args);
      pressed.add(u.callback_query.id);
      return u;
    };

    // /quiz in a group answers in private.
    let since = api.calls.length;
    api.text(alice, '/quiz@pufa_test_bot', { chat: GROUP });
    const first = await api.waitFor((c) => c.method === 'sendMessage' && toChat(alice.id)(c), { since });
    await api.waitFor((c) => c.method === 'sendMessage' && toChat(GROUP.id)(c) && text(c).includes('私聊'), { since });
    expect(text(first)).toContain('2026年第48周学法考试');
    expect(text(first)).toContain('第 1/10 题');
    await bot.core.drain();
    let attempt = (await bot.training.openAttempt(staff.id, '2026-W48'))!;
    expect(attempt.message).toEqual({ chatId: String(alice.id), messageId: String(first.result.message_id) });
    for (const b of buttonsOf(first)) expect(Buffer.byteLength(b.data)).toBeLessThanOrEqual(64);
    const types = attempt.questions.map((q) => q.type);
    expect(types.filter((t) => t === 'judge').length).toBeLessThanOrEqual(4);
    expect(attempt.questions.filter((q) => (q as { kind?: string }).kind === 'modal').length).toBeLessThanOrEqual(1);

    // /quiz again: the same attempt, in a new message; the first message is now an old one.
    since = api.calls.length;
    api.text(alice, '/quiz');
    let msg = await api.waitFor((c) => c.method === 'sendMessage' && toChat(alice.id)(c), { since });
    expect(text(msg)).toContain('继续作答');
    await bot.core.drain();
    const oldMessage = { chatId: alice.id, messageId: Number(first.result.message_id) };
    let ref = { chatId: alice.id, messageId: Number(msg.result.message_id) };
    since = api.calls.length;
    api.press(alice, oldMessage, button(first, 'qz:a:').data);
    expect((await api.waitFor(acks, { since })).payload.text).toContain('之前的考试消息');
    expect(await bot.training.answers(attempt.id)).toHaveLength(0);

    const wrongOption = (i: number) => {
      const q = attempt.questions[i]!;
      return q.options.findIndex((_, k) => !q.answer.includes(k));
    };
    /** Answer question i on the quiz message (right or wrong) and return the feedback edit. */
    const answer = async (i: number, right: boolean): Promise<RecordedCall> => {
      const q = attempt.questions[i]!;
      const at = api.calls.length;
      if (q.type === 'multiple') {
        const picks = right ? q.answer : [wrongOption(i)];
        for (const k of picks) {
          const s = api.calls.length;
          api.press(alice, ref, button(msg, `qz:t:${attempt.id}:${i}:${k}:`).data);
          msg = await api.waitFor(edits(ref.messageId), { since: s });
          expect(buttonsOf(msg).map((b) => b.text)).toContain(`☑ ${'ABCDEFGH'[k]}`);
        }
        api.press(alice, ref, button(msg, 'qz:m:').data);
      } else {
        api.press(alice, ref, `qz:a:${attempt.id}:${i}:${right ? q.answer[0] : wrongOption(i)}`);
      }
      // The feedback edit (toggle edits came before `at` moved on for 多选).
      return api.waitFor((c) => edits(ref.messageId)(c) && /回答(正确|错误)/.test(text(c)), { since: at });
    };
    const next = async () => {
      const s = api.calls.length;
      api.press(alice, ref, button(msg, 'qz:n:').data);
      msg = await api.waitFor(edits(ref.messageId), { since: s });
      return msg;
    };

    // Question 1 (单选): a double tap counts once.
    expect(attempt.questions[0]!.type).toBe('single');
    since = api.calls.length;
    const tap = `qz:a:${attempt.id}:0:${attempt.questions[0]!.answer[0]}`;
    const u1 = api.press(alice, ref, tap);
    api.press(alice, ref, tap);
    const [ack1, ack2] = await api.waitForCount(acks, 2, { since });
    expect([ack1!.payload.text, ack2!.payload.text]).toContain('✅ 回答正确');
    expect([ack1!.payload.text, ack2!.payload.text].join()).toContain('本题已作答');
    msg = await api.waitFor(edits(ref.messageId), { since });
    expect(text(msg)).toContain('✅ 回答正确');
    expect(text(msg)).toContain('解析：依据《');
    expect(buttonsOf(msg).map((b) => b.text)).toEqual(['📖 查看条文', '下一题 ▶']);
    // A redelivered update counts once too (and its callback is still answered).
    since = api.calls.length;
    api.redeliver(u1);
    await api.waitFor((c) => acks(c) && c.payload.callback_query_id === u1.callback_query.id, { since });
    expect(await bot.training.answers(attempt.id)).toHaveLength(1);

    // 查看条文: the article in full, in a new message; the quiz message stays the quiz.
    since = api.calls.length;
    api.press(alice, ref, button(msg, 'qz:v:').data);
    const article = await api.waitFor((c) => c.method === 'sendMessage' && toChat(alice.id)(c), { since });
    const q0 = attempt.questions[0]!;
    expect(text(article)).toContain(`《${q0.law}》${q0.article}`);
    expect(text(article).replace(/\s/g, '')).toContain(bot.quiz.articleText(q0)!.text.replace(/\s/g, '').slice(0, 40));

    // Answering question 1 again from its (now feedback) message is refused politely.
    since = api.calls.length;
    api.press(alice, ref, `qz:a:${attempt.id}:2:0`);
    expect((await api.waitFor(acks, { since })).payload.text).toContain('已经作答或还没轮到');

    // Questions 2.. up to the first 多选题 and one more, some wrong.
    await next();
    let i = 1;
    const firstMultiple = types.indexOf('multiple');
    expect(firstMultiple).toBeGreaterThan(0);
    while (i <= firstMultiple) {
      attempt = (await bot.training.getAttempt(attempt.id))!;
      const fb = await answer(i, i % 2 === 0);
      expect(text(fb)).toContain(i % 2 === 0 ? '✅ 回答正确' : '❌ 回答错误');
      msg = fb;
      await next();
      i++;
    }
    // Restart mid-quiz: a new bot on the same database resumes at the right question.
    await bot.stop();
    bot = await startQuizBot(dir, api);
    since = api.calls.length;
    api.text(alice, '/quiz');
    msg = await api.waitFor((c) => c.method === 'sendMessage' && toChat(alice.id)(c), { since });
    expect(text(msg)).toContain(`您上次答到第 ${i + 1}/10 题`);
    expect(text(msg)).toContain(`第 ${i + 1}/10 题`);
    ref = { chatId: alice.id, messageId: Number(msg.result.message_id) };
    await bot.core.drain();
    attempt = (await bot.training.getAttempt(attempt.id))!;
    expect(attempt.currentIndex).toBe(i);

    // The rest, through the 判断题, to the summary.
    for (; i < 10; i++) {
      const fb = await answer(i, i !== 9);
      msg = fb;
      if (attempt.questions[i]!.type === 'judge') expect(buttonsOf(fb).length).toBe(2);
      if (i === 9) expect(button(fb, 'qz:n:').text).toBe('查看成绩 ▶');
      await next();
    }
    const wrongCount = [1, 3, 5, 7].filter((k) => k <= firstMultiple).length + 1;
    const score = Math.round(100 * (10 - wrongCount) / 10);
    expect(text(msg)).toContain(`得分：${score} 分`);
    expect(text(msg)).toContain('建议复习：');
    expect(text(msg)).toContain(`《${attempt.questions[9]!.law}》${attempt.questions[9]!.article}`);

    // The records: ten answers, the attempt, the week, the xAPI statement, cards for the wrong articles.
    const answers = await bot.training.answers(attempt.id);
    expect(answers.map((a) => a.questionIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const done = (await bot.training.getAttempt(attempt.id))!;
    expect(done).toMatchObject({ status: 'completed', score, passed: score >= 60, currentIndex: 10, correctCount: 10 - wrongCount });
    const week = await bot.training.weeklyResult(staff.id, '2026-W48');
    expect(week).toMatchObject({ status: score >= 60 ? 'passed' : 'completed', score, attempts: 1, hours: score >= 60 ? 0.5 : 0 });
    const statement = (await bot.training.statement(uuidV5(`${staff.staffId}|2026-W48|1`, PUFA_XAPI_NAMESPACE))) as any;
    expect(statement.actor.account.name).toBe(staff.staffId);
    expect(JSON.stringify(statement)).not.toContain(String(alice.id));
    expect(statement.result).toMatchObject({ success: score >= 60, completion: true, score: { raw: score } });
    expect((await bot.training.cards(staff.id)).length).toBe(new Set(answers.filter((a) => !a.correct).map((a) => `${a.law}#${a.article}`)).size);

    // /me shows the week and the year.
    since = api.calls.length;
    api.text(alice, '/me');
    const me = await api.waitFor((c) => c.method === 'sendMessage' && toChat(alice.id)(c), { since });
    expect(text(me)).toContain(`本周（2026年第48周）：${score >= 60 ? '已合格' : '已完成（未合格）'}，${score} 分`);
    expect(text(me)).toContain(`2026 年：合格 ${score >= 60 ? 1 : 0} 周`);
    expect(text(me)).toContain('薄弱法规：《');

    // /quiz after finishing: the week's result and a retry button (attempts left).
    since = api.calls.length;
    api.text(alice, '/quiz');
    const again = await api.waitFor((c) => c.method === 'sendMessage' && toChat(alice.id)(c), { since });
    expect(text(again)).toContain(`得分：${score} 分`);
    expect(button(again, 'qz:r:').data).toBe('qz:r:2026-W48');
    // Every callback query got its answer (no endless spinner).
    const answered = new Set(api.calls.filter(acks).map((c) => c.payload.callback_query_id));
    expect([...pressed].filter((id) => !answered.has(id))).toEqual([]);
  });
});
