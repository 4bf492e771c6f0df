/**
 * `npm start` with DingTalk and Feishu configured: both run beside each other through startTransports, the
 * outbox reaches people over each (reminders, broadcasts), and one that cannot start says so in one Chinese
 * line while the other keeps answering.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.ts';
import { stopAll } from '../../src/app/lifecycle.ts';
import { startTransports } from '../../src/app/transports.ts';
import { textMessage } from '../../src/chat/format.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { startDingTalkServer, type DingTalkServer } from '../helpers/dingtalk-server.ts';
import { startFeishuServer, type FeishuServer } from '../helpers/feishu-server.ts';
import { getChecklistIndex } from '../helpers/test-index.ts';

let dir: string;
let dt: DingTalkServer;
let fs: FeishuServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-dingfei-start-'));
  dt = await startDingTalkServer({ cardTemplateId: 'pufa-card.schema' });
  fs = await startFeishuServer();
});
afterAll(async () => {
  await dt?.close();
  await fs?.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(name: string, env: Record<string, string>) {
  const { config: shared, index } = await getChecklistIndex();
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env }, { dataDir: join(dir, name), knowledgeDir: shared.knowledgeDir }, dir);
  const app = createApp(config, silentLogger, { index, quiz: false });
  let err = '';
  const stderr = { write: (s: string) => (err += s) };
  const stdin = new PassThrough();
  const controller = new AbortController();
  const started = await startTransports(app, { stdin, stdout: { write: () => true }, stderr }, controller.signal);
  return {
    app,
    started,
    stderr: () => err,
    async stop() {
      controller.abort();
      await stopAll(started.services, silentLogger);
      await app.close();
    },
  };
}

it('runs DingTalk and Feishu side by side, and the outbox reaches a person on each', async () => {
  const s = await start('both', { ...dt.env(), ...fs.env() });
  try {
    expect(s.started.chats).toBe(2);
    expect(s.stderr()).toContain('普法助手已在钉钉上线');
    expect(s.stderr()).toContain('普法助手已在飞书上线');
    expect(s.app.outbox.channels().sort()).toEqual(['dingtalk', 'feishu']);
    await s.app.outbox.sendTo([{ channel: 'dingtalk', id: '0420009' }], textMessage('本周学法考试已开放，发送 /quiz 开始。'));
    await s.app.outbox.sendTo([{ channel: 'feishu', id: 'ou_carol' }], textMessage('本周学法考试已开放，发送 /quiz 开始。'));
    expect(dt.screen('user:0420009').at(-1)!.text).toContain('本周学法考试已开放');
    expect(fs.screen(fs.privateChat({ openId: 'ou_carol', name: '' })).at(-1)!.text).toContain('本周学法考试已开放');
  } finally {
    await s.stop();
  }
});

it('a Feishu app with a wrong secret is named in one Chinese line; DingTalk still answers', async () => {
  const s = await start('one-bad', { ...dt.env(), ...fs.env(), FEISHU_APP_SECRET: 'wrong' });
  try {
    expect(s.stderr()).toMatch(/飞书机器人未能启动：飞书拒绝了应用凭证：请检查 FEISHU_APP_ID 与 FEISHU_APP_SECRET/);
    expect(s.started.chats).toBe(1);
    await s.app.records().users.create({ identity: { channel: 'dingtalk', id: '0420010' }, name: '王五', status: 'active', roles: ['全体干部'] });
    const since = dt.messages.length;
    dt.write({ staffId: '0420010', nick: '王五' }, '预算年度是怎么规定的？');
    const reply = await dt.waitForMessage((m) => m.chatId === 'user:0420010', { since });
    expect(reply.text).toContain('《中华人民共和国预算法》第十八条');
  } finally {
    await s.stop();
  }
});
