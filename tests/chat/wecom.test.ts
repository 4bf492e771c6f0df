/**
 * The WeCom transport end to end: the real callback server and API client in the production wiring,
 * against the local WeCom stand-in that pushes real encrypted callbacks (tests/helpers/wecom-server.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answerer } from '../../src/answer/types.ts';
import { createApp } from '../../src/app/app.ts';
import { startTransports } from '../../src/app/transports.ts';
import { para } from '../../src/chat/format.ts';
import { createWeComApi } from '../../src/chat/wecom/api.ts';
import { NOT_TEXT } from '../../src/chat/wecom/transport.ts';
import { loadConfig } from '../../src/config.ts';
import { PufaError } from '../../src/errors.ts';
import { silentLogger } from '../../src/log.ts';
import { freePort, startWeComServer } from '../helpers/wecom-server.ts';
import { scriptedAnswerer } from './harness.ts';
import { isSendTo, lastCard, startWeComHarness, wecomIdentity, type WeComHarness } from './wecom-harness.ts';

const isGettoken = (c: { path: string }) => c.path === '/cgi-bin/gettoken';

describe('WeCom callbacks and replies', () => {
  let h: WeComHarness;
  const answerer = scriptedAnswerer();
  beforeAll(async () => {
    h = await startWeComHarness({ answerer });
    await h.staff('zhangsan', '张三');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('passes WeCom’s URL verification by echoing the decrypted echostr, and refuses a wrong signature', async () => {
    const ok = await h.wecom.verifyUrl();
    expect(ok.status).toBe(200);
    expect(ok.text).toBe(ok.echo);
    const forged = await h.wecom.verifyUrl({ badSignature: true });
    expect(forged.status).toBe(403);
    expect(forged.text).not.toContain(forged.echo);
  });

  it('answers a question through the message API, the citation in a text message and the buttons on a card', async () => {
    const since = h.wecom.calls.length;
    const push = await h.wecom.sendText('zhangsan', '预算年度是怎么规定的？');
    expect(push.status).toBe(200);
    expect(push.response).toBe('');
    const [text, card] = await h.wecom.waitForCount(isSendTo('zhangsan'), 2, { since });
    expect(text!.body.msgtype).toBe('text');
    expect(text!.body.text.content).toContain('《中华人民共和国预算法》第十八条');
    expect(card!.body.msgtype).toBe('template_card');
    expect(card!.body.template_card.button_list.map((b: { text: string }) => b.text)).toEqual(['👍 有帮助', '👎 没帮助', '📖 查看全文', '🔗 相关条文']);
  });

  it('answers the callback at once and sends a slow reply afterwards through the API', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow: Answerer = {
      async answer(question, opts) {
        await held;
        return answerer.answer(question, opts);
      },
    };
    const s = await startWeComHarness({ answerer: slow });
    try {
      await s.staff('lisi');
      const push = await s.wecom.sendText('lisi', '预算年度是怎么规定的？');
      // WeCom has its 200 while the answer is still being worked out.
      expect(push.status).toBe(200);
      expect(s.wecom.calls.filter(isSendTo('lisi'))).toHaveLength(0);
      release();
      const reply = await s.wecom.waitFor(isSendTo('lisi'));
      expect(reply.body.text.content).toContain('第十八条');
    } finally {
      await s.stop();
    }
  });

  it('handles a callback WeCom pushes again (same MsgId) exactly once', async () => {
    const asked = answerer.questions.length;
    const since = h.wecom.calls.length;
    const push = await h.wecom.sendText('zhangsan', '预算法第18条的内容');
    await h.wecom.waitForCount(isSendTo('zhangsan'), 2, { since });
    await h.wecom.redeliver(push);
    await h.wecom.redeliver(push);
    await h.core.drain();
    expect(answerer.questions.length - asked).toBe(1);
    expect(h.wecom.calls.slice(since).filter(isSendTo('zhangsan'))).toHaveLength(2);
  });

  it('turns a template-card button press into the button’s action: feedback recorded, then the full article on request', async () => {
    const since = h.wecom.calls.length;
    await h.wecom.sendText('zhangsan', '预算年度是怎么规定的？');
    await h.wecom.waitForCount(isSendTo('zhangsan'), 2, { since });
    const card = lastCard(h.wecom, 'zhangsan');
    const up = card.buttons.find((b) => b.text.includes('有帮助'))!;
    const afterPress = h.wecom.calls.length;
    await h.wecom.press('zhangsan', card.id, up.key);
    const thanks = await h.wecom.waitFor(isSendTo('zhangsan'), { since: afterPress });
    expect(thanks.body.text.content).toBe('感谢反馈！');
    const entryId = Number(up.key.split(':')[2]);
    expect((await h.records.qa.get(entryId))!.feedback).toBe(1);

    const afterFull = h.wecom.calls.length;
    await h.wecom.press('zhangsan', card.id, card.buttons.find((b) => b.text.includes('全文'))!.key);
    const full = await h.wecom.waitFor(isSendTo('zhangsan'), { since: afterFull });
    expect(full.body.text.content).toContain('预算年度自公历一月一日起，至十二月三十一日止');
  });

  it('a double tap on the same button at the same second counts once', async () => {
    const card = lastCard(h.wecom, 'zhangsan');
    const down = card.buttons.find((b) => b.text.includes('没帮助'))!;
    const since = h.wecom.calls.length;
    const first = await h.wecom.press('zhangsan', card.id, down.key);
    await h.wecom.redeliver(first);
    await h.core.drain();
    const thanks = h.wecom.calls.slice(since).filter(isSendTo('zhangsan'));
    expect(thanks.map((c) => c.body.text.content)).toEqual(['感谢反馈，我们会改进这个回答。']);
  });

  it('/export sends an admin the XLSX file: uploaded as media, then a file message', async () => {
    await h.records.users.create({ identity: wecomIdentity('admin01'), name: '王局长', status: 'active', isAdmin: true });
    const since = h.wecom.calls.length;
    await h.wecom.sendText('admin01', '/export');
    const file = await h.wecom.waitFor((c) => isSendTo('admin01')(c) && c.body.msgtype === 'file', { since });
    const upload = h.wecom.calls.slice(since).find((c) => c.path === '/cgi-bin/media/upload')!;
    expect(upload.body.filename).toMatch(/\.xlsx$/);
    expect(upload.body.size).toBeGreaterThan(1000);
    expect(file.body.file.media_id).toBe(upload.result.media_id);
  });

  it('a reminder through the app’s outbox reaches a WeCom member, its button on a card', async () => {
    const since = h.wecom.calls.length;
    const delivered = await h.app.outbox.sendTo([wecomIdentity('zhangsan')], { blocks: [para('📝 每周学法考试'), para('提醒：您还没有完成本周的学法考试。')], buttons: [[{ text: '开始答题', data: 'qz:s' }]] });
    expect(delivered).toBe(true);
    const card = await h.wecom.waitFor(isSendTo('zhangsan'), { since });
    expect(card.body.msgtype).toBe('template_card');
    expect(card.body.template_card.main_title.title).toBe('📝 每周学法考试');
    expect(card.body.template_card.sub_title_text).toBe('提醒：您还没有完成本周的学法考试。');
    expect(card.body.template_card.button_list).toEqual([{ text: '开始答题', style: 1, key: 'qz:s' }]);
  });

  it('tells a member that only text can be read when they send a picture', async () => {
    const since = h.wecom.calls.length;
    await h.wecom.sendOther('zhangsan', 'image');
    const reply = await h.wecom.waitFor(isSendTo('zhangsan'), { since });
    expect(reply.body.text.content).toBe(NOT_TEXT);
  });

  it('refuses a push whose signature does not match, and nothing is answered', async () => {
    const push = await h.wecom.sendText('zhangsan', '预算年度是怎么规定的？');
    await h.core.drain();
    const since = h.wecom.calls.length;
    const tampered = push.query.replace(/msg_signature=[0-9a-f]+/, `msg_signature=${'1'.repeat(40)}`);
    const refused = await h.wecom.redeliver({ ...push, query: tampered });
    expect(refused.status).toBe(403);
    await h.core.drain();
    expect(h.wecom.calls.slice(since)).toHaveLength(0);
  });

  it('fetches a new token and retries once when WeCom says the token expired (42001)', async () => {
    const tokensBefore = h.wecom.calls.filter(isGettoken).length;
    h.wecom.expireTokens();
    const since = h.wecom.calls.length;
    await h.wecom.sendText('zhangsan', '预算法第18条');
    await h.wecom.waitForCount(isSendTo('zhangsan'), 2, { since });
    expect(h.wecom.calls.slice(since).some((c) => c.errcode === 42001)).toBe(true);
    expect(h.wecom.calls.filter(isGettoken).length).toBe(tokensBefore + 1);
  });

  it('recovers from a revoked token (40014) the same way', async () => {
    h.wecom.revokeTokens();
    const since = h.wecom.calls.length;
    await h.wecom.sendText('zhangsan', '预算法第18条');
    const [text] = await h.wecom.waitForCount(isSendTo('zhangsan'), 2, { since });
    expect(text!.body.text.content).toContain('第十八条');
    expect(h.wecom.calls.slice(since).filter((c) => c.errcode === 40014)).toHaveLength(1);
  });

  it('backs off and retries when WeCom answers the rate-limit errcode 45009, delivering once', async () => {
    h.wecom.failNext('/cgi-bin/message/send', 45009, 2);
    const since = h.wecom.calls.length;
    await h.wecom.sendText('zhangsan', '预算法第18条');
    await h.wecom.waitForCount(isSendTo('zhangsan'), 2, { since });
    const sends = h.wecom.calls.slice(since).filter((c) => c.path === '/cgi-bin/message/send');
    expect(sends.map((c) => c.errcode)).toEqual([45009, 45009, 0, 0]);
    // Delivered once: the answer and its card, no duplicate from the retries.
    expect(sends.filter((c) => c.errcode === 0).map((c) => c.body.msgtype)).toEqual(['text', 'template_card']);
  });
});

describe('registration over WeCom', () => {
  it('a new colleague registers with /start: 职级 from nine buttons on two cards, roles toggled on a card, then active', async () => {
    const r = await startWeComHarness({ env: { REGISTRATION_POLICY: 'open' } });
    try {
      const say = async (text: string) => {
        await r.wecom.sendText('xinren', text);
        await r.core.drain();
      };
      const press = async (label: string) => {
        const card = r.wecom.screen('xinren').filter((m) => m.kind === 'card' && m.buttons.some((b) => b.text.includes(label))).at(-1)!;
        await r.wecom.press('xinren', card.id, card.buttons.find((b) => b.text.includes(label))!.key);
        await r.core.drain();
      };
      await say('/start');
      await say('钱七');
      await say('预算科');
      const rankCards = r.wecom.screen('xinren').filter((m) => m.kind === 'card');
      expect(rankCards.map((c) => c.buttons.length)).toEqual([6, 3]);
      // Both cards are one message: a press on the second is a press on the rank prompt.
      expect(new Set(rankCards.map((c) => c.id.split('-')[0])).size).toBe(1);
      await press('一级科员');
      await press('预算管理岗');
      expect(lastCard(r.wecom, 'xinren').buttons.map((b) => b.text)).toContain('✅ 预算管理岗');
      await press('完成');
      const user = (await r.records.users.findByIdentity(wecomIdentity('xinren')))!;
      expect(user).toMatchObject({ name: '钱七', department: '预算科', rank: '一级科员', roles: ['预算管理岗'], status: 'active' });
    } finally {
      await r.stop();
    }
  });
});

describe('the access token', () => {
  it('is cached, and fetched anew shortly before it expires without waiting for WeCom to refuse it', async () => {
    const wecom = await startWeComServer();
    let clock = 1_000_000;
    const api = createWeComApi({ apiRoot: wecom.apiRoot, corpId: wecom.corpId, secret: wecom.secret, logger: silentLogger, now: () => clock });
    try {
      const first = await api.token();
      expect(await api.token()).toBe(first);
      clock += 7200_000 - 60_000; // a minute before expiry
      const second = await api.token();
      expect(second).not.toBe(first);
      expect(wecom.calls.filter(isGettoken)).toHaveLength(2);
      expect(wecom.calls.some((c) => c.errcode === 42001)).toBe(false);
    } finally {
      await wecom.close();
    }
  });

  it('is fetched once for fifty replies at once', async () => {
    const wecom = await startWeComServer();
    const api = createWeComApi({ apiRoot: wecom.apiRoot, corpId: wecom.corpId, secret: wecom.secret, logger: silentLogger });
    try {
      const tokens = await Promise.all(Array.from({ length: 50 }, () => api.token()));
      expect(new Set(tokens).size).toBe(1);
      expect(wecom.calls.filter(isGettoken)).toHaveLength(1);
    } finally {
      await wecom.close();
    }
  });
});

describe('starting WeCom with wrong settings', () => {

  async function startWith(env: Record<string, string>) {
    const dir = await mkdtemp(join(tmpdir(), 'pufa-wecom-start-'));
    const config = loadConfig({ LOG_LEVEL: 'silent', ADMIN_WEB_PORT: '0', ADMIN_WEB_TOKEN: 'test-token-1234567890abc', ...env }, { dataDir: join(dir, 'data') }, dir);
    const app = createApp(config, silentLogger, { answerer: scriptedAnswerer(), quiz: false, roles: [] });
    let stderr = '';
    const io = { stdin: process.stdin, stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } };
    const started = await startTransports(app, io, new AbortController().signal);
    return {
      app,
      started,
      stderr: () => stderr,
      async stop() {
        for (const s of started.services.reverse()) await s.stop();
        await app.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }

  it('npm start runs WeCom beside the dashboard, attached to the outbox as channel wecom', async () => {
    const wecom = await startWeComServer();
    const port = await freePort();
    wecom.callbackUrl = `http://127.0.0.1:${port}/wecom/callback`;
    const run = await startWith({ ...wecom.env, WECOM_LISTEN_PORT: String(port) });
    try {
      expect(run.started.services.map((s) => s.name)).toEqual(['dashboard', 'wecom']);
      expect(run.stderr()).toContain(`普法助手已在企业微信上线（应用 ${wecom.agentId}），回调地址：${wecom.callbackUrl}`);
      expect(run.app.outbox.channels()).toEqual(['wecom']);
      const verified = await wecom.verifyUrl();
      expect(verified.text).toBe(verified.echo);
    } finally {
      await run.stop();
      await wecom.close();
    }
  });

  it('a wrong secret is told in one Chinese line and the dashboard keeps running', async () => {
    const wecom = await startWeComServer();
    const run = await startWith({ ...wecom.env, WECOM_SECRET: 'wrong-secret' });
    try {
      const lines = run.stderr().split('\n').filter((l) => l.includes('企业微信未能启动'));
      expect(lines).toEqual(['企业微信未能启动：企业微信拒绝了应用 Secret：请检查 WECOM_SECRET（应用管理 → 自建应用 → Secret），Secret 重置后须同步更新。']);
      expect(run.started.services.map((s) => s.name)).toEqual(['dashboard']);
    } finally {
      await run.stop();
      await wecom.close();
    }
  });

  it('an unreachable API root is named, with the setting to change', async () => {
    const wecom = await startWeComServer();
    const root = `http://127.0.0.1:${await freePort()}`;
    const run = await startWith({ ...wecom.env, WECOM_API_ROOT: root });
    try {
      expect(run.stderr()).toContain(`企业微信未能启动：无法连接企业微信接口（${root}）`);
      expect(run.stderr()).toContain('WECOM_API_ROOT');
      expect(run.started.services.map((s) => s.name)).toEqual(['dashboard']);
    } finally {
      await run.stop();
      await wecom.close();
    }
  });

  it('settings that are only half there are named at start', () => {
    let err: unknown;
    try {
      loadConfig({ WECOM_CORP_ID: 'ww123', WECOM_SECRET: 's' });
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toContain('WECOM_AGENT_ID、WECOM_TOKEN、WECOM_ENCODING_AES_KEY');
    expect(() => loadConfig({ WECOM_ENCODING_AES_KEY: 'short' })).toThrow('WECOM_ENCODING_AES_KEY');
  });

  it('a refused secret reaches the operator as WeCom’s own errcode and a Chinese sentence', async () => {
    const wecom = await startWeComServer();
    const api = createWeComApi({ apiRoot: wecom.apiRoot, corpId: wecom.corpId, secret: 'nope', logger: silentLogger });
    try {
      const err = await api.token().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PufaError);
      expect((err as Error).message).toContain('errcode 40001');
      expect((err as PufaError).userMessage).toContain('WECOM_SECRET');
    } finally {
      await wecom.close();
    }
  });
});

