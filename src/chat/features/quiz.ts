/**
 * /quiz: this week's law quiz, one question at a time in ONE message that is edited as the quiz moves on.
 * Buttons carry `qz:<action>:<attempt>:<index>…` (well under Telegram's 64 bytes); every state — the
 * question the user is on, the 多选 ticks — is in the database, so a restart or a second device resumes
 * where the user was. A button under any message but the attempt's current one is refused politely.
 * Also the quiz's /me section and the reminder messages.
 */
import { citationLabel } from '../../knowledge/citation-label.ts';
import type { AttemptQuestion, QuizAttempt, WeekStatus } from '../../records/training.ts';
import type { AttemptSummary, QuizService } from '../../quiz/session.ts';
import type { ReminderKind } from '../../quiz/reminders.ts';
import { OPTION_LETTERS, QUESTION_TYPE_NAMES } from '../../quiz/types.ts';
import type { QuizWeek } from '../../quiz/week.ts';
import { blockText, bold, para } from '../format.ts';
import { MSG } from '../messages.ts';
import type { Block, Button, ChatContext, ChatFeature, OutMessage } from '../types.ts';

export const QUIZ_MSG = {
  stale: '这是之前的考试消息，请在最新的考试消息中作答（发送 /quiz 可调出）。',
  notCurrent: '这道题已经作答或还没轮到，请按最新消息中的按钮继续。',
  duplicate: '本题已作答，按第一次的选择计分。',
  closed: '本次作答已经结束。发送 /quiz 查看本周成绩。',
  expired: '该周的考试已经截止，发送 /quiz 参加本周的考试。',
  noSelection: '请先勾选选项，再点「提交」。',
  empty: '您的岗位角色暂时没有可出题的法规，请联系管理员检查必学清单。',
  noLaws: '知识库里还没有法规原文，暂时无法出题。请管理员把法规文件放入法规目录（或运行 npx pufa laws fetch 下载必学清单中的法规），重新建立索引后再试。',
  noArticle: '暂时找不到这条条文的原文。',
  notYours: '这是其他同事的考试，按钮仅对本人有效。',
};

/** Longest text of a quiz message: the explanation is cut so the message never splits (its buttons stay on it). */
const QUIZ_MESSAGE_MAX = 3_600;

export function weekLabel(weekKey: string): string {
  const [year, week] = weekKey.split('-W');
  return `${year}年第${Number(week)}周`;
}

export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h ? `${h} 小时 ` : ''}${h || m ? `${m} 分 ` : ''}${s % 60} 秒`;
}

const hoursText = (h: number) => `${Number(h.toFixed(2))} 学时`;
const letters = (xs: number[]) => xs.map((i) => OPTION_LETTERS[i] ?? '?').join('');
const cite = (q: Pick<AttemptQuestion, 'law' | 'article'>) => citationLabel({ law: q.law, articleLabel: q.article });

function header(a: QuizAttempt): Block {
  return para(bold(`${weekLabel(a.week)}学法考试`), a.attemptNo > 1 ? `（第 ${a.attemptNo} 次作答）` : '');
}

function questionBlocks(a: QuizAttempt, i: number, verdict?: string): Block[] {
  const q = a.questions[i]!;
  const title = `第 ${i + 1}/${a.total} 题 · ${QUESTION_TYPE_NAMES[q.type]}`;
  const blocks = [header(a), para(bold(title), verdict ? `　${verdict}` : ''), para(q.stem)];
  if (q.type !== 'judge') blocks.push(para(q.options.map((o, k) => `${OPTION_LETTERS[k]}. ${o}`).join('\n')));
  return blocks;
}

/** The current question with its answer buttons (多选: ☐/☑ toggles and 提交). */
export function questionMessage(a: QuizAttempt): OutMessage {
  const i = a.currentIndex;
  const q = a.questions[i]!;
  const blocks = questionBlocks(a, i);
  const base = `qz:%:${a.id}:${i}`;
  let buttons: Button[][];
  if (q.type === 'judge') {
    buttons = [q.options.map((o, k) => ({ text: k === 0 ? `✔ ${o}` : `✘ ${o}`, data: `${base.replace('%', 'a')}:${k}` }))];
  } else if (q.type === 'single') {
    buttons = [q.options.map((_, k) => ({ text: OPTION_LETTERS[k]!, data: `${base.replace('%', 'a')}:${k}` }))];
  } else {
    const ticked = new Set(a.selection);
    const toggles = q.options.map((_, k) => ({
      text: `${ticked.has(k) ? '☑' : '☐'} ${OPTION_LETTERS[k]}`,
      data: `${base.replace('%', 't')}:${k}:${ticked.has(k) ? 0 : 1}`,
    }));
    buttons = [];
    for (let k = 0; k < toggles.length; k += 2) buttons.push(toggles.slice(k, k + 2));
    buttons.push([{ text: ticked.size ? `提交（已选 ${letters([...ticked].sort())}）` : '提交', data: base.replace('%', 'm') }]);
    blocks.push(para('多选题：勾选全部正确选项后点「提交」。'));
  }
  return { blocks, buttons };
}

/** Feedback on question `i`: right or wrong, the key, the explanation quoting the article; 查看条文 and 下一题. */
export function feedbackMessage(a: QuizAttempt, i: number, chosen: number[], correct: boolean): OutMessage {
  const q = a.questions[i]!;
  const blocks = questionBlocks(a, i, correct ? '✅ 回答正确' : '❌ 回答错误');
  const show = (xs: number[]) => (q.type === 'judge' ? xs.map((k) => q.options[k]).join('') : letters(xs));
  blocks.push(para(`您的答案：${show(chosen) || '（未选）'}　正确答案：`, bold(show(q.answer))));
  const used = blocks.reduce((n, b) => n + blockText(b).length + 2, 0);
  const room = Math.max(200, QUIZ_MESSAGE_MAX - used);
  const explanation = q.explanation.length > room ? `${q.explanation.slice(0, room - 20)}……（全文请点「查看条文」）` : q.explanation;
  blocks.push({ spans: [bold('解析：'), explanation], quote: true });
  const last = i + 1 >= a.total;
  return {
    blocks,
    buttons: [
      [
        { text: '📖 查看条文', data: `qz:v:${a.id}:${i}` },
        { text: last ? '查看成绩 ▶' : '下一题 ▶', data: `qz:n:${a.id}:${i + 1}` },
      ],
    ],
  };
}

const STATUS_LABEL: Record<WeekStatus, string> = {
  not_started: '未开始',
  in_progress: '进行中',
  completed: '已完成（未合格）',
  passed: '已合格',
};

/** The end of an attempt: score, pass or not, the week's grade, the articles to review. */
export function summaryMessage(s: AttemptSummary, grading: 'best' | 'last', hoursPerPass: number): OutMessage {
  const a = s.attempt;
  const blocks: Block[] = [
    header(a),
    para(bold(s.passed ? '✅ 本次作答合格' : '❌ 本次作答未达到合格线')),
    para(
      [
        `得分：${s.score} 分（答对 ${s.correct}/${s.total} 题），合格线 ${a.passMark} 分`,
        `用时：${durationText(s.durationMs)}`,
        s.week
          ? `本周成绩（${grading === 'best' ? '取最高分' : '取最后一次'}）：${s.week.score ?? '—'} 分，${STATUS_LABEL[s.week.status]}${s.week.hours ? `，计 ${hoursText(s.week.hours)}` : ''}`
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
    ),
  ];
  if (s.review.length) blocks.push(para(bold('建议复习：'), '\n', s.review.map((q) => `· ${cite(q)}`).join('\n')));
  else blocks.push(para('全部答对，继续保持！'));
  const buttons: Button[][] = [];
  if (s.attemptsLeft > 0) {
    const credit = s.week?.status === 'passed' ? '' : `，合格计 ${hoursText(hoursPerPass)}`;
    blocks.push(para(`本周还可以再答 ${s.attemptsLeft} 次${credit}。`));
    buttons.push([{ text: '再答一次', data: `qz:r:${a.week}` }]);
  }
  return { blocks, buttons };
}

/** The Monday / Thursday / Sunday message, with a button that starts the quiz. */
export function reminderMessage(kind: ReminderKind, week: QuizWeek, settings: { size: number; passMark: number; hoursPerPass: number }): OutMessage {
  const label = weekLabel(week.key);
  const text =
    kind === 'open'
      ? `${label}学法考试已开始：共 ${settings.size} 题，${settings.passMark} 分合格，合格计 ${hoursText(settings.hoursPerPass)}。本周日 24:00 前完成即可。`
      : kind === 'thursday'
        ? `提醒：您还没有完成${label}的学法考试，本周日 24:00 截止。`
        : `提醒：${label}的学法考试今天 24:00 截止，您还没有完成。`;
  return { blocks: [para(bold('📝 每周学法考试')), para(text)], buttons: [[{ text: '开始答题', data: 'qz:s' }]] };
}

/** Send the current question as a new message and make it the attempt's message. */
async function showAttempt(ctx: ChatContext, quiz: QuizService, attempt: QuizAttempt, intro?: string) {
  const msg = questionMessage(attempt);
  if (intro) msg.blocks.unshift(para(intro));
  const refs = await ctx.reply(msg);
  const ref = refs.at(-1);
  // In a group the quiz goes to the private chat; if that failed, the group got an explanation instead.
  if (ref && (!ctx.isGroup || ref.chatId === ctx.event.from.privateChatId)) await quiz.setMessage(attempt.id, ref);
}

async function openQuiz(ctx: ChatContext, quiz: QuizService, retry = false) {
  const user = ctx.user!;
  const r = await quiz.open(user, { retry });
  if (r.kind === 'empty') return void (await ctx.reply(r.reason === 'no-laws' ? QUIZ_MSG.noLaws : QUIZ_MSG.empty));
  if (r.kind === 'finished') {
    const summary = await quiz.summary(r.last);
    const msg = summaryMessage(summary, quiz.settings.grading, quiz.settings.hoursPerPass);
    if (r.attemptsLeft === 0) msg.blocks.push(para(`本周的 ${quiz.settings.attemptsPerWeek} 次作答机会已用完。`));
    return void (await ctx.reply(msg));
  }
  const { attempt, started } = r;
  const intro = started
    ? `本周共 ${attempt.total} 题，${attempt.passMark} 分合格。每题作答后会显示解析。`
    : `继续作答：您上次答到第 ${attempt.currentIndex + 1}/${attempt.total} 题。`;
  await showAttempt(ctx, quiz, attempt, intro);
}

/** The attempt a button refers to, checked: the presser's own, and pressed on its current message. */
async function pressedAttempt(ctx: ChatContext, quiz: QuizService, id: number, checkMessage: boolean): Promise<QuizAttempt | undefined> {
  const attempt = Number.isInteger(id) ? await quiz.attempt(id) : undefined;
  if (!attempt) return void (await ctx.answerCallback(MSG.expired));
  if (attempt.userId !== ctx.user!.id) return void (await ctx.answerCallback(QUIZ_MSG.notYours, true));
  const pressedOn = ctx.event.kind === 'callback' ? ctx.event.message : undefined;
  if (checkMessage && attempt.message && pressedOn && (pressedOn.chatId !== attempt.message.chatId || pressedOn.messageId !== attempt.message.messageId)) {
    return void (await ctx.answerCallback(QUIZ_MSG.stale, true));
  }
  return attempt;
}

async function editQuiz(ctx: ChatContext, attempt: QuizAttempt, msg: OutMessage) {
  const ref = attempt.message ?? (ctx.event.kind === 'callback' ? ctx.event.message : undefined);
  if (ref) await ctx.edit(ref, msg);
  else await ctx.reply(msg);
}

async function onAnswer(ctx: ChatContext, quiz: QuizService, attempt: QuizAttempt, index: number, chosen?: number[]) {
  const r = await quiz.answer(ctx.user!, attempt.id, index, chosen);
  switch (r.kind) {
    case 'recorded':
      await ctx.answerCallback(r.correct ? '✅ 回答正确' : '❌ 回答错误');
      await editQuiz(ctx, r.attempt, feedbackMessage(r.attempt, index, r.chosen, r.correct));
      return;
    case 'duplicate':
      return void (await ctx.answerCallback(QUIZ_MSG.duplicate));
    case 'not_current':
      return void (await ctx.answerCallback(QUIZ_MSG.notCurrent, true));
    case 'no_selection':
      return void (await ctx.answerCallback(QUIZ_MSG.noSelection, true));
    case 'closed':
      return void (await ctx.answerCallback(QUIZ_MSG.closed, true));
    case 'expired':
      return void (await ctx.answerCallback(QUIZ_MSG.expired, true));
    case 'missing':
      return void (await ctx.answerCallback(MSG.expired));
  }
}

/** Where the user is: the current question, or the summary once the attempt is finished. */
async function onNext(ctx: ChatContext, quiz: QuizService, attempt: QuizAttempt) {
  await ctx.answerCallback();
  if (attempt.status === 'completed') {
    const summary = await quiz.summary(attempt);
    return void (await editQuiz(ctx, attempt, summaryMessage(summary, quiz.settings.grading, quiz.settings.hoursPerPass)));
  }
  if (attempt.week !== quiz.weekOf().key) return void (await ctx.reply(QUIZ_MSG.expired));
  await editQuiz(ctx, attempt, questionMessage(attempt));
}

/** The quiz feature over a quiz service. */
export function createQuizFeature(quiz: QuizService): ChatFeature {
  return {
    name: 'quiz',
    commands: [
      {
        name: 'quiz',
        description: '参加本周学法考试',
        access: 'active',
        personal: true,
        run: (ctx) => openQuiz(ctx, quiz),
      },
    ],
    callbacks: [
      {
        prefix: 'qz',
        access: 'active',
        async run(ctx, payload) {
          const [action, idText, indexText, ...rest] = payload.split(':');
          if (action === 's') return void (await ctx.answerCallback(), await openQuiz(ctx, quiz));
          if (action === 'r') {
            await ctx.answerCallback();
            if (idText !== quiz.weekOf().key) return void (await ctx.reply(QUIZ_MSG.expired));
            return void (await openQuiz(ctx, quiz, true));
          }
          const id = Number(idText);
          const index = Number(indexText);
          const attempt = await pressedAttempt(ctx, quiz, id, action !== 'v');
          if (!attempt) return;
          if (!Number.isInteger(index) || index < 0 || index > attempt.total) return void (await ctx.answerCallback(MSG.expired));
          switch (action) {
            case 'a':
              return onAnswer(ctx, quiz, attempt, index, [Number(rest[0])]);
            case 'm':
              return onAnswer(ctx, quiz, attempt, index);
            case 't': {
              const r = await quiz.toggle(attempt.id, index, Number(rest[0]), rest[1] === '1');
              if (r.kind === 'toggled') {
                await ctx.answerCallback();
                return void (await editQuiz(ctx, r.attempt, questionMessage(r.attempt)));
              }
              const why = { not_current: QUIZ_MSG.notCurrent, closed: QUIZ_MSG.closed, expired: QUIZ_MSG.expired, missing: MSG.expired }[r.kind];
              return void (await ctx.answerCallback(why, r.kind !== 'missing'));
            }
            case 'n':
              return onNext(ctx, quiz, attempt);
            case 'v': {
              const q = attempt.questions[index];
              const article = q && quiz.articleText(q);
              if (!article) return void (await ctx.answerCallback(QUIZ_MSG.noArticle, true));
              await ctx.answerCallback();
              const label = citationLabel({ law: article.law, articleLabel: article.label });
              return void (await ctx.reply({ blocks: [{ spans: [bold(label), `（${article.version} 版本）`, '\n', article.text], keep: label }] }));
            }
            default:
              return void (await ctx.answerCallback(MSG.expired));
          }
        },
      },
    ],
    async profile(_ctx, user) {
      const p = await quiz.profile(user);
      const label = weekLabel(p.week.key);
      let status: string;
      if (p.open) status = `进行中（第 ${p.open.currentIndex + 1}/${p.open.total} 题），发送 /quiz 继续`;
      else if (p.status === 'not_started') status = '未开始，发送 /quiz 开始';
      else status = `${STATUS_LABEL[p.status]}，${p.result?.score ?? '—'} 分`;
      const lines = [
        `本周（${label}）：${status}`,
        `${p.year.year} 年：合格 ${p.year.weeksPassed} 周，累计 ${hoursText(p.year.hours)}；连续合格 ${p.streak} 周`,
      ];
      if (p.weakLaws.length) lines.push(`薄弱法规：${p.weakLaws.map((w) => `《${w.law}》（答错 ${w.wrong}/${w.answers} 题）`).join('、')}`);
      return [para(bold('学法考试')), para(lines.join('\n'))];
    },
  };
}
