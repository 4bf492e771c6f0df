import { afterEach, describe, expect, it } from 'vitest';
import { TELEGRAM_ABILITIES } from '../../src/chat/telegram/bot.ts';
import type { TgChat } from '../helpers/bot-api-server.ts';
import {
  ADMIN,
  alice,
  ARTICLE_18,
  budgetYear,
  buttonsOf,
  isSend,
  messageOf,
  sendContaining,
  startHarness,
  user,
  visibleText,
  type Harness,
} from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const GROUP: TgChat = { id: -100500, type: 'supergroup', title: '预算科学法群' };

/** A registered, active staff member (as an approved registration leaves them). */
async function activate(h: Harness, who: { id: number; first_name: string }) {
  return h.records.users.create({
    identity: { channel: 'telegram', id: String(who.id) },
    name: who.first_name,
    department: '预算科',
    rank: '一级科员',
    roles: ['全体干部'],
    status: 'active',
  });
}

describe('questions and buttons', () => {
  it('answers with the citation, logs the question, shows typing, and puts four buttons under the answer', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
    const { api, records } = h;
    api.text(ADMIN, '预算年度是怎么规定的？');
    const reply = await api.waitFor(isSend(ADMIN.id));
    expect(reply.payload.parse_mode).toBe('HTML');
    expect(visibleText(reply.payload.text)).toContain('《中华人民共和国预算法》第十八条');
    const typingAt = api.calls.findIndex((c) => c.method === 'sendChatAction' && c.payload.action === 'typing');
    expect(typingAt).toBeGreaterThanOrEqual(0);
    expect(typingAt).toBeLessThan(api.calls.indexOf(reply));

    const [entry] = await records.qa.recent();
    expect(entry).toMatchObject({ question: '预算年度是怎么规定的？', mode: 'extractive', feedback: null });
    expect(entry!.citations[0]).toMatchObject({ law: '中华人民共和国预算法', articleLabel: '第十八条' });

    const buttons = buttonsOf(reply);
    expect(buttons.map((b) => b.text)).toEqual(['👍 有帮助', '👎 没帮助', '📖 查看全文', '🔗 相关条文']);
    for (const b of buttons) expect(Buffer.byteLength(b.data)).toBeLessThanOrEqual(64);

    // 👍: recorded, and the query answered (no endless spinner).
    let since = api.calls.length;
    api.press(ADMIN, messageOf(reply), buttons[0]!.data);
    const ack = await api.waitFor((c) => c.method === 'answerCallbackQuery', { since });
    expect(ack.payload.text).toContain('感谢反馈');
    expect((await records.qa.get(entry!.id))!.feedback).toBe(1);
    // Changing one's mind: the last tap counts.
    since = api.calls.length;
    api.press(ADMIN, messageOf(reply), buttons[1]!.data);
    await api.waitFor((c) => c.method === 'answerCallbackQuery', { since });
    expect((await records.qa.get(entry!.id))!.feedback).toBe(-1);

    since = api.calls.length;
    api.press(ADMIN, messageOf(reply), buttons[2]!.data);
    const full = await api.waitFor(isSend(ADMIN.id), { since });
    expect(visibleText(full.payload.text)).toBe(`《中华人民共和国预算法》第十八条\n${ARTICLE_18}`);
    await api.waitFor((c) => c.method === 'answerCallbackQuery', { since });

    since = api.calls.length;
    api.press(ADMIN, messageOf(reply), buttons[3]!.data);
    const related = await api.waitFor(isSend(ADMIN.id), { since });
    expect(visibleText(related.payload.text)).toContain('第十九条');
    await api.waitFor((c) => c.method === 'answerCallbackQuery', { since });

    // Every callback query was answered exactly once.
    const presses = api.calls.filter((c) => c.method === 'answerCallbackQuery');
    expect(presses).toHaveLength(4);
  });

  it("nobody can give feedback on someone else's answer, and an unknown button is answered, not ignored", async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
    const { api, records } = h;
    await activate(h, alice);
    api.text(ADMIN, '预算年度是怎么规定的？');
    const reply = await api.waitFor(isSend(ADMIN.id));
    let since = api.calls.length;
    api.press(alice, messageOf(reply), buttonsOf(reply)[1]!.data);
    const refused = await api.waitFor((c) => c.method === 'answerCallbackQuery', { since });
    expect(refused.payload.text).toContain('仅对提问人有效');
    expect((await records.qa.recent())[0]!.feedback).toBeNull();
    since = api.calls.length;
    api.press(alice, messageOf(reply), 'gone:1');
    const stale = await api.waitFor((c) => c.method === 'answerCallbackQuery', { since });
    expect(stale.payload.text).toContain('已失效');
  });

  it('/law shows an article in full, and /help lists the commands in Chinese', async () => {
    h = await startHarness();
    const { api } = h;
    await activate(h, alice);
    api.text(alice, '/law 预算法 18');
    const law = await api.waitFor(isSend(alice.id));
    expect(visibleText(law.payload.text)).toContain(ARTICLE_18);
    expect(h.answerer.questions).toEqual(['预算法第18条']);
    const since = api.calls.length;
    api.text(alice, '/help');
    const help = await api.waitFor(isSend(alice.id), { since });
    expect(visibleText(help.payload.text)).toContain('/law 预算法 18 —— 查看法条原文');
  });

  it('a reply over 4,096 characters is split between citations, each part valid HTML with its label', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
    const { api } = h;
    api.text(ADMIN, '长篇的问题');
    const reply = await api.waitFor(isSend(ADMIN.id));
    const since = api.calls.length;
    api.press(ADMIN, messageOf(reply), buttonsOf(reply).find((b) => b.text.includes('全文'))!.data);
    await api.waitFor((c) => c.method === 'answerCallbackQuery', { since });
    // One chat's updates are handled in order: once /help is answered, every part has been sent.
    api.text(ADMIN, '/help');
    await api.waitFor(sendContaining(ADMIN.id, '使用说明'), { since });
    const all = api.calls.slice(since).filter((c) => isSend(ADMIN.id)(c) && !String(c.payload.text).includes('使用说明'));
    // 4 × ~1,500 characters: two citations per message.
    expect(all).toHaveLength(2);
    const texts = all.map((c) => visibleText(c.payload.text));
    for (const [i, t] of texts.entries()) {
      expect(t.length).toBeLessThanOrEqual(TELEGRAM_ABILITIES.maxMessageLength);
      // Every part starts at a citation label, never in the middle of an article.
      expect(t.startsWith('《中华人民共和国测试法》第一百零')).toBe(true);
      // Escaped markup: law text with < > & arrives intact.
      expect(t).toContain('收入<支出>&“结余”');
      expect(all[i]!.payload.text).not.toMatch(/<(?!\/?b>)/);
    }
    for (const n of [1, 2, 3, 4]) expect(texts.join('\n').match(new RegExp(`《中华人民共和国测试法》第一百零${n}条\\n`, 'g'))).toHaveLength(1);
  });
});

describe('groups', () => {
  it('answers only when mentioned or replied to, and sends personal things in private', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
    const { api } = h;
    await activate(h, alice);
    const inGroup = (c: { method: string; payload: Record<string, unknown> }) =>
      c.method === 'sendMessage' && Number(c.payload.chat_id) === GROUP.id;

    const chatter = api.text(alice, '预算年度是怎么规定的？', { chat: GROUP });
    api.text(alice, `@${api.botUser.username} 预算年度是怎么规定的？`, { chat: GROUP });
    const answered = await api.waitFor(inGroup);
    expect(visibleText(answered.payload.text)).toContain('第十八条');
    // The bot did not speak on the unaddressed message.
    expect(h.answerer.questions).toEqual(['预算年度是怎么规定的？']);
    expect(chatter.message.text).not.toContain('@');

    let since = api.calls.length;
    api.text(alice, '那么预算年度呢', { chat: GROUP, replyToMessageId: answered.result.message_id });
    await api.waitFor(inGroup, { since });

    since = api.calls.length;
    api.text(alice, `/me@${api.botUser.username}`, { chat: GROUP });
    const profile = await api.waitFor(isSend(alice.id), { since });
    expect(profile.payload.text).toContain('我的资料');
    const note = await api.waitFor(inGroup, { since });
    expect(note.payload.text).toContain('私聊');
    expect(note.payload.text).not.toContain('预算科');

    // A user who never opened a private chat: told how to, and nothing personal in the group.
    const carol = user(5005, '王五');
    await activate(h, carol);
    api.blockChat(carol.id);
    since = api.calls.length;
    api.text(carol, `/me@${api.botUser.username}`, { chat: GROUP });
    const hint = await api.waitFor(inGroup, { since });
    expect(hint.payload.text).toContain('请先点开我的头像');
    expect(hint.payload.text).not.toContain('学员编号');
  });
});

describe('delivery', () => {
  it('a redelivered update is handled once', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
    const { api, records } = h;
    const update = api.text(ADMIN, '预算年度是怎么规定的？');
    await api.waitFor(isSend(ADMIN.id));
    api.redeliver(update);
    // A later message proves the redelivered one has been taken off the queue and dropped.
    api.text(ADMIN, '/help');
    await api.waitFor(sendContaining(ADMIN.id, '使用说明'));
    expect(api.servedCount.get(update.update_id)).toBe(2);
    expect(api.calls.filter(isSend(ADMIN.id))).toHaveLength(2);
    expect(await records.qa.recent()).toHaveLength(1);
  });

  it('rate limit: a polite message once, then silence until the minute is over', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id), RATE_LIMIT_PER_MINUTE: '2' } });
    const { api } = h;
    for (let i = 0; i < 4; i++) api.text(ADMIN, `问题${i}`);
    api.text(alice, '/help');
    await api.waitFor(isSend(alice.id));
    await api.waitForCount(isSend(ADMIN.id), 3);
    const texts = api.sentTexts(ADMIN.id);
    expect(texts).toHaveLength(3);
    expect(texts[2]).toContain('您发送得太快了');
    expect(h.answerer.questions).toEqual(['问题0', '问题1']);
  });

  it('a 429 from Telegram is waited out and the answer still arrives once', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
    const { api } = h;
    api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    api.text(ADMIN, '预算年度是怎么规定的？');
    const reply = await api.waitFor((c) => isSend(ADMIN.id)(c) && !c.result?.failed);
    expect(visibleText(reply.payload.text)).toContain('第十八条');
    expect(api.calls.filter(isSend(ADMIN.id)).map((c) => c.result?.failed ?? 'ok')).toEqual([429, 'ok']);
  });

  it('registers the command menu with Chinese descriptions, admin commands only for admins', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
    const menus = h.api.calls.filter((c) => c.method === 'setMyCommands');
    const publicMenu = menus.find((c) => !c.payload.scope)!;
    const names = (publicMenu.payload.commands as { command: string; description: string }[]).map((c) => c.command);
    expect(names).toEqual(expect.arrayContaining(['start', 'help', 'law', 'me']));
    const help = (publicMenu.payload.commands as { command: string; description: string }[]).find((c) => c.command === 'help')!;
    expect(help.description).toBe('使用说明');
    expect(h.api.calls.some((c) => c.method === 'deleteWebhook')).toBe(true);
  });
});

describe('streaming', () => {
  it('a streamed answer grows in one message, edited in place, and ends as the checked answer with buttons', async () => {
    let clock = Date.parse('2025-03-03T09:00:00+08:00');
    const streaming = {
      async answer(question: string, opts?: { onPartial?: (t: string) => void }) {
        opts?.onPartial?.('根据《中华人民共和国预算法》');
        clock += 2_000;
        opts?.onPartial?.('根据《中华人民共和国预算法》第十八条，预算年度自公历一月一日起');
        return {
          question,
          answer: `根据《中华人民共和国预算法》第十八条，${ARTICLE_18}`,
          mode: 'llm' as const,
          citations: [budgetYear],
          related: [],
          ms: 5,
        };
      },
    };
    h = await startHarness({ answerer: streaming, now: () => new Date(clock), env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
    const { api } = h;
    api.text(ADMIN, '预算年度是怎么规定的？');
    const final = await api.waitFor((c) => c.method === 'editMessageText' && buttonsOf(c).length === 4);
    expect(visibleText(final.payload.text)).toContain(ARTICLE_18);
    const sends = api.calls.filter(isSend(ADMIN.id));
    expect(sends).toHaveLength(1);
    expect(sends[0]!.payload.text).toContain('…');
    const edits = api.calls.filter((c) => c.method === 'editMessageText');
    expect(edits.map((e) => e.payload.message_id)).toEqual(edits.map(() => sends[0]!.result.message_id));
    expect(edits[0]!.payload.text).toContain('预算年度自公历一月一日起 …');
  });
});
