/**
 * The DingTalk robot end to end: the app's production wiring over the shared index, the real Stream SDK
 * client against the local DingTalk stand-in (tests/helpers/dingtalk-server.ts), records on disk.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.ts';
import { createDingTalkBot, type DingTalkBot, type RunningDingTalk } from '../../src/chat/dingtalk/bot.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { startDingTalkServer, type DingTalkServer, type DtUser } from '../helpers/dingtalk-server.ts';
import { getChecklistIndex } from '../helpers/test-index.ts';

const QUESTION = '预算年度是怎么规定的？';
const CITATION = '《中华人民共和国预算法》第十八条';
const alice: DtUser = { staffId: '0420001', nick: '张三' };
const bob: DtUser = { staffId: '0420002', nick: '李四' };
const GROUP = { id: 'cidGroupBudget==', title: '预算科学法群' };
const FAST = { initialMs: 20, maxMs: 200 };

interface Stack {
  dt: DingTalkServer;
  app: App;
  bot: DingTalkBot;
  running: RunningDingTalk;
  stop(): Promise<void>;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-dingtalk-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function startStack(name: string, o: { cardTemplateId?: string; dt?: DingTalkServer } = {}): Promise<Stack> {
  const { config: shared, index } = await getChecklistIndex();
  const dt = o.dt ?? (await startDingTalkServer({ cardTemplateId: o.cardTemplateId }));
  const config = loadConfig({ LOG_LEVEL: 'silent', ...dt.env({ cardTemplateId: o.cardTemplateId }) }, { dataDir: join(dir, name), knowledgeDir: shared.knowledgeDir }, dir);
  const app = createApp(config, silentLogger, { index, quiz: false });
  for (const u of [alice, bob]) {
    await app.records().users.create({ identity: { channel: 'dingtalk', id: u.staffId }, name: u.nick, department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
  }
  const bot = createDingTalkBot({ core: await app.chat(), config, logger: silentLogger, backoff: FAST });
  const running = await bot.start();
  return {
    dt,
    app,
    bot,
    running,
    async stop() {
      await running.stop();
      await app.close();
      if (!o.dt) await dt.close();
    },
  };
}

describe('DingTalk with interactive cards', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('cards', { cardTemplateId: 'pufa-card.schema' });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('answers 「预算年度是怎么规定的？」 with 预算法第十八条 on a card with buttons, acks the message, and handles a redelivery once', async () => {
    const { dt } = s;
    const since = dt.messages.length;
    const { frame } = dt.write(alice, QUESTION);
    const card = await dt.waitForMessage((m) => m.chatId === 'user:0420001' && m.text.includes(CITATION), { since });
    expect(card.kind).toBe('card');
    expect(card.buttons.map((b) => b.text)).toContain('📖 查看全文');
    await dt.waitForAck(frame);
    // DingTalk retries a frame whose ack it missed: the same msgId is not answered again, and is acked again.
    const answered = dt.messages.length;
    dt.acks.delete(frame.headers.messageId!);
    dt.redeliver(frame);
    await dt.waitForAck(frame);
    await (await s.app.chat()).drain();
    expect(dt.messages.length).toBe(answered);
    // Pressing 查看全文 shows the article in full; the presser's card is answered.
    const full = card.buttons.find((b) => b.text.includes('全文'))!;
    const before = dt.messages.length;
    const press = dt.press(alice, card.id, full.data);
    const article = await dt.waitForMessage((m) => m.chatId === 'user:0420001' && m.text.startsWith(CITATION), { since: before });
    expect(article.text).toContain('预算年度自公历一月一日起，至十二月三十一日止');
    await dt.waitForAck(press);
  });

  it('in a group answers only when @-mentioned, and sends personal things in private', async () => {
    const { dt } = s;
    const since = dt.messages.length;
    const chatter = dt.write(bob, '今天食堂吃什么', { group: GROUP, atBot: false });
    await dt.waitForAck(chatter.frame);
    dt.write(bob, QUESTION, { group: GROUP });
    const inGroup = await dt.waitForMessage((m) => m.chatId === `group:${GROUP.id}`, { since });
    expect(inGroup.text).toContain(CITATION);
    expect(dt.messages.slice(since).filter((m) => m.chatId === `group:${GROUP.id}`)).toHaveLength(1);
    const before = dt.messages.length;
    dt.write(bob, '/me', { group: GROUP });
    const profile = await dt.waitForMessage((m) => m.chatId === 'user:0420002', { since: before });
    expect(profile.text).toContain('李四');
    const note = await dt.waitForMessage((m) => m.chatId === `group:${GROUP.id}`, { since: before });
    expect(note.text).toContain('私聊');
    expect(note.text).not.toContain('预算科');
  });

  it('reconnects after the connection drops and after the server’s disconnect notice, and answers what was sent meanwhile once', async () => {
    const { dt } = s;
    const before = dt.connections();
    dt.drop();
    // Written while the robot is away: DingTalk keeps it and delivers it on the new connection.
    const since = dt.messages.length;
    const { frame } = dt.write(alice, QUESTION);
    await dt.waitForAck(frame);
    expect(dt.connections()).toBeGreaterThan(before);
    const answers = dt.messages.slice(since).filter((m) => m.chatId === 'user:0420001' && m.text.includes(CITATION));
    expect(answers).toHaveLength(1);
    const again = dt.connections();
    dt.disconnect();
    await dt.waitUntil(() => dt.connections() > again && dt.connected(), 15_000, 'a new connection after disconnect');
    const pingId = dt.ping();
    await dt.waitUntil(() => dt.acks.has(`ping:${pingId}`), 15_000, 'the ping answered');
  });

  it('renews a revoked access token and still answers once', async () => {
    const { dt } = s;
    const issued = dt.tokensIssued();
    dt.revokeToken();
    const since = dt.messages.length;
    const { frame } = dt.write(alice, QUESTION);
    await dt.waitForAck(frame);
    expect(dt.tokensIssued()).toBe(issued + 1);
    expect(dt.messages.slice(since).filter((m) => m.text.includes(CITATION))).toHaveLength(1);
  });
});

describe('DingTalk without a card template', () => {
  it('replies in Markdown through the session webhook, buttons as numbers the person types', async () => {
    const s = await startStack('text');
    try {
      const { dt } = s;
      dt.write(alice, QUESTION);
      const reply = await dt.waitForMessage((m) => m.chatId === 'user:0420001' && m.text.includes(CITATION));
      expect(reply.via).toBe('webhook');
      expect(reply.text).toMatch(/\[\d\] 📖 查看全文/);
      const n = /\[(\d)\] 📖 查看全文/.exec(reply.text)![1]!;
      const since = dt.messages.length;
      dt.write(alice, n);
      const article = await dt.waitForMessage((m) => m.chatId === 'user:0420001' && m.text.startsWith(CITATION), { since });
      expect(article.text).toContain('预算年度自公历一月一日起，至十二月三十一日止');
    } finally {
      await s.stop();
    }
  });

  it('wrong credentials: start fails with a Chinese sentence naming the settings', async () => {
    const dt = await startDingTalkServer();
    try {
      const config = loadConfig({ LOG_LEVEL: 'silent', ...dt.env(), DINGTALK_CLIENT_SECRET: 'wrong' }, { dataDir: join(dir, 'bad') }, dir);
      const bot = createDingTalkBot({ core: { handle: async () => {}, accept: async () => {}, resume: async () => {}, drain: async () => {}, commands: () => [], features: [] }, config, logger: silentLogger });
      await expect(bot.start()).rejects.toThrow(/DINGTALK_CLIENT_ID 与 DINGTALK_CLIENT_SECRET/);
    } finally {
      await dt.close();
    }
  });
});
