/** The ChatOutput contract (output-contract.ts) run against every transport's output port. */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { expect, vi } from 'vitest';
import { Bot } from 'grammy';
import { createDingTalkApi } from '../../src/chat/dingtalk/api.ts';
import { dingTalkOutput } from '../../src/chat/dingtalk/bot.ts';
import { createFeishuBot } from '../../src/chat/feishu/bot.ts';
import { telegramOutput } from '../../src/chat/telegram/bot.ts';
import { terminalOutput } from '../../src/chat/terminal/repl.ts';
import { SESSION_COOKIE } from '../../src/chat/web/app.ts';
import { callbackIdOf as webCallbackIdOf } from '../../src/chat/web/output.ts';
import { createWebSessions, newWebId } from '../../src/chat/web/sessions.ts';
import { createWeComApi } from '../../src/chat/wecom/api.ts';
import { callbackIdOf, wecomOutput } from '../../src/chat/wecom/output.ts';
import { silentLogger } from '../../src/log.ts';
import { startBotApiServer } from '../helpers/bot-api-server.ts';
import { messageText, WebChatClient } from '../helpers/web-chat-client.ts';
import { startDingTalkServer } from '../helpers/dingtalk-server.ts';
import { startFeishuServer, type FsEvent } from '../helpers/feishu-server.ts';
import { startWeComServer } from '../helpers/wecom-server.ts';
import { visibleText } from './harness.ts';
import { chatOutputContract, type SeenMessage } from './output-contract.ts';
import { startWebHarness } from './web-harness.ts';

chatOutputContract('Telegram (grammY against a local Bot API server)', async () => {
  const api = await startBotApiServer();
  const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
  const person = { id: 7001, first_name: '张三' };
  const buttonsOf = (markup: { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined) =>
    (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data }));
  return {
    output: telegramOutput(bot, silentLogger),
    chatId: String(person.id),
    async screen() {
      const byId = new Map<string, SeenMessage>();
      for (const c of api.calls) {
        if (c.method !== 'sendMessage' && c.method !== 'editMessageText') continue;
        const id = String(c.result.message_id);
        byId.set(id, { id, text: visibleText(c.payload.text), buttons: buttonsOf(c.payload.reply_markup) });
      }
      return [...byId.values()];
    },
    async callbackAnswers() {
      return new Map(api.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => [String(c.payload.callback_query_id), c.payload.text]));
    },
    async press(messageId, button) {
      return String(api.press(person, { chatId: person.id, messageId: Number(messageId) }, button.data).callback_query.id);
    },
    close: () => api.close(),
  };
});

chatOutputContract('terminal (captured streams)', async () => {
  const printed: string[] = [];
  let current = '';
  // The terminal prints a message, its numbered buttons, then one empty line.
  const write = (s: string) => {
    if (s === '\n') {
      printed.push(current);
      current = '';
    } else current += s;
  };
  const out = terminalOutput(write, tmpdir());
  const answers = new Map<string, string | undefined>();
  return {
    output: {
      ...out,
      abilities: out.abilities,
      async answerCallback(id, o) {
        answers.set(id, o?.text);
        await out.answerCallback(id, o);
      },
    },
    chatId: 'local',
    async screen() {
      return printed
        .filter((p) => !p.startsWith('» '))
        .map((p, i) => {
          const body = p.replace(/^（已更新）\n/, '').split('\n  [')[0]!.replace(/\n$/, '');
          const buttons = [...p.matchAll(/\[(\d+)\] ([^\n]+?)(?=\s{3}\[|\n|$)/g)].map((m) => out.choices[Number(m[1]) - 1]?.button ?? { text: m[2]!, data: '?' });
          return { id: String(i + 1), text: body, buttons };
        });
    },
    async callbackAnswers() {
      return answers;
    },
    async press(_messageId, button) {
      const n = out.choices.findIndex((c) => c.button.data === button.data) + 1;
      return `local-${n}`;
    },
    async close() {},
  };
});

/** The DingTalk stand-in's view of one private chat (cards change in place; Markdown messages add up). */
function dingTalkUnderTest(cardTemplateId?: string) {
  return async () => {
    const dt = await startDingTalkServer({ cardTemplateId });
    const config = dt.config({ cardTemplateId });
    const output = dingTalkOutput(createDingTalkApi(config, silentLogger), config, silentLogger);
    const staffId = '0420001';
    const chatId = `user:${staffId}`;
    let typed = 0;
    return {
      output,
      chatId,
      async screen() {
        return dt.screen(chatId).map((m) => {
          if (m.kind === 'card') return { id: m.id, text: m.text, buttons: m.buttons };
          // Numbered choices are what the person taps by typing; the text above them is the message.
          const [text, numbered] = m.text.split(/\n\n(?=\[1\] )/);
          const buttons = numbered ? [...numbered.matchAll(/\[(\d+)\]/g)].map((x) => output.choice(chatId, Number(x[1]))!.button) : [];
          return { id: m.id, text: text!, buttons };
        });
      },
      async callbackAnswers() {
        const answers = new Map<string, string | undefined>();
        for (const m of dt.messages) {
          for (const [user, notice] of m.notices) answers.set(`card|${m.id}|${user}`, notice);
          const typedNotice = /^» (.*)$/s.exec(m.text);
          if (typedNotice) answers.set(`text|${m.chatId}|${typed}`, typedNotice[1]);
        }
        return answers;
      },
      async press(messageId: string) {
        // A card press names the card and the presser; a typed number names the chat.
        return cardTemplateId ? `card|${messageId}|${staffId}` : `text|${chatId}|${++typed}`;
      },
      close: () => dt.close(),
    };
  };
}

chatOutputContract('DingTalk interactive cards (against a local DingTalk stand-in)', dingTalkUnderTest('pufa-card.schema'));
chatOutputContract('DingTalk Markdown with numbered choices (against a local DingTalk stand-in)', dingTalkUnderTest());

chatOutputContract('Feishu cards (the official SDK against a local Feishu stand-in)', async () => {
  const fs = await startFeishuServer();
  const person = { openId: 'ou_contract', name: '张三' };
  // A core that only lets the test answer the press (the contract is about the output port).
  const pressed: string[] = [];
  const core = {
    handle: async (e: { kind: string; callbackId?: string }) => {
      if (e.kind === 'callback') pressed.push(e.callbackId!);
      await new Promise((r) => setTimeout(r, 2000));
    },
    accept: async () => {},
    resume: async () => {},
    drain: async () => {},
    commands: () => [],
    features: [],
  };
  const bot = createFeishuBot({ core: core as never, config: { feishu: fs.config() }, logger: silentLogger });
  const running = await bot.start();
  const chatId = person.openId;
  const presses = new Map<string, FsEvent>();
  return {
    output: bot.output,
    chatId,
    async screen() {
      return fs.screen(fs.privateChat(person)).map((m) => ({ id: m.id, text: m.text, buttons: m.buttons }));
    },
    async callbackAnswers() {
      const answers = new Map<string, string | undefined>();
      for (const [id, ev] of presses) answers.set(id, (await fs.waitForResponse(ev)).data?.toast?.content);
      return answers;
    },
    async press(messageId, button) {
      const ev = fs.press(person, messageId, button.data);
      await vi.waitFor(() => expect(pressed).toContain(ev.eventId));
      presses.set(ev.eventId, ev);
      return ev.eventId;
    },
    async close() {
      await running.stop();
      await fs.close();
    },
  };
});

chatOutputContract('web chat (its event stream, read over HTTP as the page reads it)', async () => {
  const h = await startWebHarness();
  const chatId = newWebId();
  const { token } = await createWebSessions(h.records.sessions, h.app.now).open(chatId, 'link');
  const page = new WebChatClient(h.url);
  page.cookies.set(SESSION_COOKIE, token);
  await page.connect();
  const output = h.web.output;
  // Events arrive in order: once a later notice is in, everything sent before it is on the page.
  const settled = async () => {
    const marker = page.next((e) => e.event.t === 'typing');
    await output.typing(chatId);
    await marker;
  };
  return {
    output,
    chatId,
    async screen() {
      await settled();
      return page.messages.map((m) => ({ id: m.id, text: messageText(m), buttons: m.buttons.flat() }));
    },
    async callbackAnswers() {
      await settled();
      return new Map(page.events.flatMap((e) => (e.event.t === 'answer' ? [[e.event.id, e.event.text] as const] : [])));
    },
    async press() {
      return webCallbackIdOf(chatId, randomBytes(8).toString('hex'));
    },
    async close() {
      page.disconnect();
      await h.stop();
    },
  };
});

chatOutputContract('WeCom (the message API of a local WeCom stand-in)', async () => {
  const wecom = await startWeComServer();
  const api = createWeComApi({ apiRoot: wecom.apiRoot, corpId: wecom.corpId, secret: wecom.secret, logger: silentLogger });
  const userid = 'zhangsan';
  const presses: { id: string; after: number }[] = [];
  const seen = () =>
    wecom.screen(userid).map((m) => ({ id: m.card ? m.card.taskId.split('-')[0]! : m.id, text: m.text, buttons: m.buttons.map((b) => ({ text: b.text, data: b.key })) }));
  return {
    output: wecomOutput({ api, agentId: wecom.agentId, logger: silentLogger }),
    chatId: userid,
    async screen() {
      return seen();
    },
    async callbackAnswers() {
      // WeCom has no toast: the answer is the next text message the member gets after the press.
      const chat = wecom.screen(userid);
      return new Map(presses.map((p) => [p.id, chat.slice(p.after).find((m) => m.kind === 'text')?.text]));
    },
    async press(messageId) {
      const card = wecom.screen(userid).filter((m) => m.card && m.card.taskId.split('-')[0] === messageId).at(-1)!;
      const id = callbackIdOf(userid, card.card!.taskId, String(Math.floor(Date.now() / 1000)));
      presses.push({ id, after: wecom.screen(userid).length });
      return id;
    },
    close: () => wecom.close(),
  };
});
