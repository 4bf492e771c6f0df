/**
 * The Feishu bot end to end: the app's production wiring over the shared index, the official SDK's
 * WSClient and Client against the local Feishu stand-in (tests/helpers/feishu-server.ts), records on disk.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.ts';
import { createFeishuBot } from '../../src/chat/feishu/bot.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { startFeishuServer, type FeishuServer, type FsUser } from '../helpers/feishu-server.ts';
import { getChecklistIndex } from '../helpers/test-index.ts';

const QUESTION = '预算年度是怎么规定的？';
const CITATION = '《中华人民共和国预算法》第十八条';
const alice: FsUser = { openId: 'ou_alice', name: '张三' };
const bob: FsUser = { openId: 'ou_bob', name: '李四' };
const GROUP = 'oc_group_budget';

let dir: string;
let fs: FeishuServer;
let app: App;
let stop: () => Promise<void>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-feishu-'));
  const { config: shared, index } = await getChecklistIndex();
  fs = await startFeishuServer();
  const config = loadConfig({ LOG_LEVEL: 'silent', ...fs.env() }, { dataDir: join(dir, 'data'), knowledgeDir: shared.knowledgeDir }, dir);
  app = createApp(config, silentLogger, { index, quiz: false });
  for (const u of [alice, bob]) {
    await app.records().users.create({ identity: { channel: 'feishu', id: u.openId }, name: u.name, department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
  }
  const running = await createFeishuBot({ core: await app.chat(), config, logger: silentLogger }).start();
  stop = async () => {
    await running.stop();
    await app.close();
  };
});
afterAll(async () => {
  await stop?.();
  await fs?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Feishu over the long connection', () => {
  it('answers 「预算年度是怎么规定的？」 with 预算法第十八条 on a card with buttons, and a redelivered event once', async () => {
    const since = fs.messages.length;
    const ev = fs.write(alice, QUESTION);
    const card = await fs.waitForMessage((m) => m.chatId === fs.privateChat(alice) && m.text.includes(CITATION), { since });
    expect(card.buttons.map((b) => b.text)).toContain('📖 查看全文');
    expect((await fs.waitForResponse(ev)).code).toBe(200);
    const answered = fs.messages.length;
    fs.redeliver(ev);
    await fs.waitForResponse(ev);
    await (await app.chat()).drain();
    expect(fs.messages.length).toBe(answered);
    // 查看全文: the article in full; the press is answered in the callback's response.
    const before = fs.messages.length;
    const press = fs.press(alice, card.id, card.buttons.find((b) => b.text.includes('全文'))!.data);
    const article = await fs.waitForMessage((m) => m.chatId === fs.privateChat(alice) && m.text.startsWith(CITATION), { since: before });
    expect(article.text).toContain('预算年度自公历一月一日起，至十二月三十一日止');
    expect((await fs.waitForResponse(press)).code).toBe(200);
  });

  it('in a group answers only when @-mentioned, and sends personal things in private', async () => {
    const since = fs.messages.length;
    const chatter = fs.write(bob, '今天食堂吃什么', { group: GROUP, atBot: false });
    await fs.waitForResponse(chatter);
    fs.write(bob, QUESTION, { group: GROUP });
    const inGroup = await fs.waitForMessage((m) => m.chatId === GROUP, { since });
    expect(inGroup.text).toContain(CITATION);
    await (await app.chat()).drain();
    expect(fs.messages.slice(since).filter((m) => m.chatId === GROUP)).toHaveLength(1);
    const before = fs.messages.length;
    fs.write(bob, '/me', { group: GROUP });
    const profile = await fs.waitForMessage((m) => m.chatId === fs.privateChat(bob), { since: before });
    expect(profile.text).toContain('李四');
    const note = await fs.waitForMessage((m) => m.chatId === GROUP, { since: before });
    expect(note.text).toContain('私聊');
  });

  it('reconnects after the connection drops and answers what was sent meanwhile once', async () => {
    const before = fs.connections();
    fs.drop();
    const since = fs.messages.length;
    const ev = fs.write(alice, QUESTION);
    await fs.waitForResponse(ev);
    expect(fs.connections()).toBeGreaterThan(before);
    await (await app.chat()).drain();
    expect(fs.messages.slice(since).filter((m) => m.text.includes(CITATION))).toHaveLength(1);
  });

  it('wrong credentials: start fails with a Chinese sentence naming the settings', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', ...fs.env(), FEISHU_APP_SECRET: 'wrong' }, { dataDir: join(dir, 'bad') }, dir);
    const bot = createFeishuBot({ core: { handle: async () => {}, accept: async () => {}, resume: async () => {}, drain: async () => {}, commands: () => [], features: [] }, config, logger: silentLogger });
    await expect(bot.start()).rejects.toThrow(/FEISHU_APP_ID 与 FEISHU_APP_SECRET/);
  });
});
