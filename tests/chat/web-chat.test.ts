/**
 * The web chat over HTTP, as the page speaks to it (tests/helpers/web-chat-client.ts): the production
 * wiring with records on disk and the server on 127.0.0.1. Sign-in by an issued link or code (once,
 * expiring, guessing limited), the session cookie (HttpOnly, SameSite, rotating), every route refusing
 * without a session, CSRF and origin checks, buttons that must really be there, the outbox reaching an
 * open page at once and a closed one at its next visit (also after a restart), visitors by policy, and
 * signing in from WeCom through its OAuth against a stand-in.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Bot } from 'grammy';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app/app.ts';
import { startTransports, startWebChat } from '../../src/app/transports.ts';
import { stopAll } from '../../src/app/lifecycle.ts';
import type { Answerer } from '../../src/answer/types.ts';
import { loadConfig } from '../../src/config.ts';
import { telegramOutput } from '../../src/chat/telegram/bot.ts';
import { createWebSessions, newWebId } from '../../src/chat/web/sessions.ts';
import { silentLogger } from '../../src/log.ts';
import { startBotApiServer } from '../helpers/bot-api-server.ts';
import { createSignInGrants, CODE_FAILURES_OVERALL, CODE_FAILURES_PER_CLIENT } from '../../src/chat/web/signin.ts';
import { PUBLIC_ROUTES } from '../../src/chat/web/app.ts';
import { para } from '../../src/chat/format.ts';
import { messageText, WebChatClient } from '../helpers/web-chat-client.ts';
import { startWeComServer, type WeComServer } from '../helpers/wecom-server.ts';
import { scriptedAnswerer } from './harness.ts';
import { freePort, startWebHarness, type WebHarness } from './web-harness.ts';

const QUESTION = '预算年度是怎么规定的？';
const CITATION = '《中华人民共和国预算法》第十八条';
const quiet = { stdin: process.stdin, stdout: { write: () => true }, stderr: { write: () => true } };

describe('web chat: signing in and sessions', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWebHarness();
    await h.colleague('张三');
  });
  afterAll(async () => h?.stop());

  it('refuses every route but the sign-in pages and static files without a session', async () => {
    const c = new WebChatClient(h.url);
    const home = await c.request('/');
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe('/signin');
    for (const [method, path] of [['GET', '/api/events'], ['GET', '/api/ping'], ['POST', '/api/send'], ['POST', '/api/press'], ['GET', '/api/files/abc'], ['POST', '/signout']] as const) {
      const res = await c.request(path, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await res.text()).toContain('未登录');
    }
    // Every route the web chat has is either listed as public or behind the guard.
    for (const route of h.web.routes) {
      if (PUBLIC_ROUTES.has(route)) continue;
      const [method, path] = route.split(' ') as [string, string];
      const res = await c.request(path.replace(':id', 'x'), { method, headers: { 'content-type': 'application/json', origin: new URL(h.url).origin }, body: method === 'POST' ? '{}' : undefined });
      expect([302, 401], route).toContain(res.status);
    }
  });

  it('a sign-in link opens a page with a button (a fetch alone does not use it), works once, and the cookie is HttpOnly and SameSite', async () => {
    const { link, code, printed } = await h.issue('张三');
    expect(printed).toContain('张三（预算科');
    // A link preview or a scanner fetching the link does not sign anyone in, nor use the link up.
    const preview = await fetch(link);
    expect(await preview.text()).toContain('进入普法助手');
    const c = new WebChatClient(h.url);
    const res = await c.signInWithLink(link);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.getSetCookie().find((s) => s.startsWith('pufa_chat='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(await c.openPage()).toContain('张三');
    // Used: neither the link nor its code works again.
    const again = new WebChatClient(h.url);
    expect((await again.signInWithLink(link)).headers.get('location')).toBe('/signin?failed=link');
    expect((await again.signInWithCode(code)).headers.get('location')).toBe('/signin?failed=code');
    const audit = await h.records.audit.recent(5);
    expect(audit.some((a) => a.action === 'webchat.signin' && a.detail.via === 'link')).toBe(true);
    expect(audit.some((a) => a.action === 'admin.weblink')).toBe(true);
  });

  it('after too many wrong codes from anyone, codes are closed for everyone until the window passes', async () => {
    let t = Date.parse('2026-11-25T02:00:00Z');
    const grants = createSignInGrants(h.records.sessions, () => new Date(t));
    const { code } = await grants.issue(1, 3600_000);
    for (let i = 0; i < CODE_FAILURES_OVERALL; i++) expect((await grants.redeemCode('AAAA-AAAA', `client-${i}`)).kind).toBe('invalid');
    expect((await grants.redeemCode(code, 'someone-new')).kind).toBe('busy');
    t += 16 * 60_000;
    expect(await grants.redeemCode(code.toLowerCase().replace('-', ' '), 'someone-new')).toEqual({ kind: 'ok', userId: 1 });
  });

  it('an expired link is refused', async () => {
    let t = Date.now();
    const grants = createSignInGrants(h.records.sessions, () => new Date(t));
    const { token } = await grants.issue(1, 60_000);
    t += 61_000;
    expect(await grants.redeemLink(token)).toBeUndefined();
  });

  it('signing out ends the session', async () => {
    const c = new WebChatClient(h.url);
    await c.signInWithLink((await h.issue('张三')).link);
    await c.openPage();
    const res = await c.request('/signout', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(h.url).origin }, body: new URLSearchParams({ _csrf: c.csrf }) });
    expect(res.headers.get('location')).toBe('/signin');
    expect((await c.request('/api/ping')).status).toBe(401);
  });
});

describe('web chat: sign-in codes', () => {
  it('a code signs in as typed (any case, spaces, dashes); wrong codes from one address are limited', async () => {
    const h = await startWebHarness();
    try {
      await h.colleague('吴十');
      const { code } = await h.issue('吴十');
      const typed = `${code.toLowerCase().replace('-', ' ')} `;
      const ok = await new WebChatClient(h.url).signInWithCode(typed);
      expect(ok.headers.get('location')).toBe('/');
      const c = new WebChatClient(h.url);
      const { code: second } = await h.issue('吴十');
      for (let i = 0; i < CODE_FAILURES_PER_CLIENT; i++) {
        expect((await c.signInWithCode('ZZZZ-ZZZZ')).headers.get('location')).toBe('/signin?failed=code');
      }
      // Locked out for the window, even with the right code.
      expect((await c.signInWithCode(second)).headers.get('location')).toBe('/signin?failed=busy');
      expect(await (await c.request('/signin?failed=busy')).text()).toContain('输错次数过多');
    } finally {
      await h.stop();
    }
  });
});

describe('web chat: served over https', () => {
  it('links name WEB_CHAT_URL, and the session cookie is sent over https only', async () => {
    const h = await startWebHarness({ env: { WEB_CHAT_URL: 'https://pufa.czj.example.gov.cn/' } });
    try {
      await h.colleague('陈三');
      const { link, code } = await h.issue('陈三');
      expect(link.startsWith('https://pufa.czj.example.gov.cn/signin/link?t=')).toBe(true);
      const res = await new WebChatClient(h.url).signInWithCode(code);
      expect(res.headers.getSetCookie().find((x) => x.startsWith('pufa_chat='))).toMatch(/;\s*Secure/i);
    } finally {
      await h.stop();
    }
  });
});

describe('web chat: the session cookie rotates and expires', () => {
  it('is replaced after 12 hours of use; the old one works for a minute more; 7 idle days end it', async () => {
    let t = Date.parse('2026-11-25T02:00:00Z');
    const h = await startWebHarness({ now: () => new Date(t) });
    try {
      await h.colleague('周九');
      const c = new WebChatClient(h.url);
      await c.signInWithLink((await h.issue('周九')).link);
      const first = c.cookies.get('pufa_chat')!;
      expect((await c.request('/api/ping')).status).toBe(204);
      expect(c.cookies.get('pufa_chat')).toBe(first);
      t += 13 * 3600_000;
      const rotated = await c.request('/api/ping');
      expect(rotated.status).toBe(204);
      const second = c.cookies.get('pufa_chat')!;
      expect(second).not.toBe(first);
      const old = new WebChatClient(h.url);
      old.cookies.set('pufa_chat', first);
      expect((await old.request('/api/ping')).status).toBe(204);
      t += 2 * 60_000;
      expect((await old.request('/api/ping')).status).toBe(401);
      expect((await c.request('/api/ping')).status).toBe(204);
      t += 8 * 24 * 3600_000;
      expect((await c.request('/api/ping')).status).toBe(401);
    } finally {
      await h.stop();
    }
  });
});

describe('web chat: requests', () => {
  let h: WebHarness;
  let c: WebChatClient;
  beforeAll(async () => {
    h = await startWebHarness();
    await h.colleague('李四');
    c = new WebChatClient(h.url);
    await c.signInWithLink((await h.issue('李四')).link);
    await c.connect();
  });
  afterAll(async () => {
    c?.disconnect();
    await h?.stop();
  });

  it('refuses a state-changing request without the CSRF token or from another site', async () => {
    const body = JSON.stringify({ id: 'abcdefgh1', text: QUESTION });
    const noToken = await c.request('/api/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(noToken.status).toBe(403);
    const foreign = await c.request('/api/send', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf, origin: 'http://evil.example' }, body });
    expect(foreign.status).toBe(403);
    expect(h.app.records().db.prepare('SELECT COUNT(*) AS n FROM qa_log').get()).toEqual({ n: 0 });
  });

  it('answers a question with its citation; the same request sent twice is answered once', async () => {
    const reply = c.nextBotMessage((m) => messageText(m).includes(CITATION));
    const [a, b] = await Promise.all([c.send(QUESTION, 'same-id-123'), c.send(QUESTION, 'same-id-123')]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const { m } = await reply;
    expect(m.buttons.flat().map((x) => x.text)).toContain('📖 查看全文');
    await (await h.app.chat()).drain();
    const mine = c.messages.filter((x) => x.from === 'me');
    expect(mine).toHaveLength(1);
    expect(h.records.db.prepare('SELECT COUNT(*) AS n FROM qa_log').get()).toEqual({ n: 1 });
  });

  it('a press must be on a button that is really under that message', async () => {
    const answer = c.messages.find((m) => messageText(m).includes(CITATION))!;
    const madeUp = await c.press(answer.id, 'reg:ok:1');
    expect(madeUp.status).toBe(409);
    expect(await madeUp.text()).toContain('按钮已失效');
    const full = answer.buttons.flat().find((x) => x.text.includes('查看全文'))!;
    const shown = c.nextBotMessage((m) => messageText(m).includes('预算年度自公历一月一日起'));
    expect((await c.press(answer.id, full.data)).status).toBe(202);
    await shown;
    const up = answer.buttons.flat().find((x) => x.text.includes('有帮助'))!;
    const thanks = c.next((e) => e.event.t === 'answer' && Boolean(e.event.text));
    await c.press(answer.id, up.data);
    expect((await thanks).event).toMatchObject({ t: 'answer', text: '感谢反馈！' });
    expect(h.records.db.prepare('SELECT feedback FROM qa_log').get()).toEqual({ feedback: 1 });
  });

  it('the outbox reaches an open page at once, a closed one at its next visit, also after a restart', async () => {
    const user = (await h.records.users.list()).find((u) => u.name === '李四')!;
    const web = user.identities.filter((i) => i.channel === 'web');
    expect(web).toHaveLength(1);
    const live = c.nextBotMessage((m) => messageText(m).includes('第一条通知'));
    expect(await h.app.outbox.sendTo(user.identities, { blocks: [para('第一条通知')] })).toBe(true);
    await live;
    c.disconnect();
    // The server sees the stream closed when the connection ends.
    await expect.poll(() => h.web.hub.online(web[0]!.id)).toBe(false);
    expect(await h.app.outbox.sendTo(user.identities, { blocks: [para('第二条通知：页面关闭时发出')] })).toBe(true);
    const later = new WebChatClient(h.url);
    later.cookies.set('pufa_chat', c.cookies.get('pufa_chat')!);
    await later.connect();
    expect(later.messages.map(messageText)).toContain('第二条通知：页面关闭时发出');
    later.disconnect();
  });
});

describe('web chat: kept for a closed page across a restart', () => {
  it('a message sent while the page is closed is shown at the next visit after the web chat restarted', async () => {
    const h = await startWebHarness();
    try {
      await h.colleague('王五');
      const c = new WebChatClient(h.url);
      await c.signInWithLink((await h.issue('王五')).link);
      await c.connect();
      c.disconnect();
      const user = (await h.records.users.list()).find((u) => u.name === '王五')!;
      const webId = user.identities.find((i) => i.channel === 'web')!.id;
      await expect.poll(() => h.web.hub.online(webId)).toBe(false);
      expect(await h.app.outbox.sendTo(user.identities, { blocks: [para('本周学法考试已开始')] })).toBe(true);
      await h.restartWeb();
      const later = new WebChatClient(h.url);
      later.cookies.set('pufa_chat', c.cookies.get('pufa_chat')!);
      await later.connect();
      expect(later.messages.map(messageText)).toContain('本周学法考试已开始');
      later.disconnect();
    } finally {
      await h.stop();
    }
  });
});

describe('web chat: the outbox prefers where a person is now', () => {
  it('a person on the web and on Telegram gets a notice on the open page, and on Telegram while the page is closed', async () => {
    const h = await startWebHarness();
    const api = await startBotApiServer();
    try {
      const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
      const detach = h.app.outbox.attach('telegram', { output: telegramOutput(bot, silentLogger), privateChat: (id) => id });
      // Registered on the web first, Telegram bound later: the web identity is the older one.
      const webId = newWebId();
      const created = await h.records.users.create({ identity: { channel: 'web', id: webId }, name: '郑一', department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
      await h.records.identities.attach(created.id, { channel: 'telegram', id: '8001' });
      const person = (await h.records.users.get(created.id))!;
      expect(person.identities.map((i) => i.channel)).toEqual(['web', 'telegram']);
      const page = new WebChatClient(h.url);
      page.cookies.set('pufa_chat', (await createWebSessions(h.records.sessions, h.app.now).open(webId, 'link')).token);
      await page.connect();
      const shown = page.nextBotMessage((m) => messageText(m) === '页面开着时的通知');
      expect(await h.app.outbox.sendTo(person.identities, { blocks: [para('页面开着时的通知')] })).toBe(true);
      await shown;
      page.disconnect();
      await expect.poll(() => h.web.hub.online(webId)).toBe(false);
      expect(await h.app.outbox.sendTo(person.identities, { blocks: [para('页面关着时的通知')] })).toBe(true);
      const sent = api.calls.filter((c) => c.method === 'sendMessage').map((c) => [String(c.payload.chat_id), String(c.payload.text)]);
      expect(sent).toEqual([['8001', '页面关着时的通知']]);
      // Delivered on Telegram, so not kept for the page as well.
      const later = new WebChatClient(h.url);
      later.cookies.set('pufa_chat', page.cookies.get('pufa_chat')!);
      await later.connect();
      expect(later.messages.map(messageText)).not.toContain('页面关着时的通知');
      later.disconnect();
      detach();
    } finally {
      await h.stop();
      await api.close();
    }
  });
});

describe('web chat: visitors and the registration policy', () => {
  let h: WebHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('under allowlist a visitor cannot start a session; the sign-in page asks for a code', async () => {
    h = await startWebHarness({ env: { REGISTRATION_POLICY: 'allowlist' } });
    const c = new WebChatClient(h.url);
    const page = await (await c.request('/signin')).text();
    expect(page).not.toContain('我是新用户');
    expect(page).toContain('/weblink');
    const res = await c.submitSigninForm('/signin', '/signin/visitor', {});
    expect(res.status).toBe(403);
    expect((await c.request('/api/ping')).status).toBe(401);
  });

  it('under approval a visitor registers on the page and waits for an admin', async () => {
    h = await startWebHarness({ env: { REGISTRATION_POLICY: 'approval' } });
    const c = new WebChatClient(h.url);
    expect((await c.submitSigninForm('/signin', '/signin/visitor', {})).headers.get('location')).toBe('/');
    await c.connect();
    await c.seen('请输入您的姓名');
    const step = async (text: string, expectNext: string) => {
      const next = c.nextBotMessage((m) => messageText(m).includes(expectNext));
      await c.send(text);
      return (await next).m;
    };
    await step('赵六', '第 2/4 步');
    const rank = await step('国库科', '第 3/4 步');
    const pressAndWait = async (m: { id: string; buttons: { text: string; data: string }[][] }, text: string, expectNext: string) => {
      const next = c.nextBotMessage((x) => messageText(x).includes(expectNext));
      await c.press(m.id, m.buttons.flat().find((b) => b.text.includes(text))!.data);
      return (await next).m;
    };
    const roles = await pressAndWait(rank, '一级科员', '第 4/4 步');
    const ticked = await pressAndWait(roles, '全体干部', '已选：全体干部');
    await pressAndWait(ticked, '完成', '等待管理员审核');
    const user = (await h.records.users.list()).find((u) => u.name === '赵六')!;
    expect(user.status).toBe('pending');
    expect(user.identities.map((i) => i.channel)).toEqual(['web']);
    c.disconnect();
  });
});

describe('web chat: signing in from WeCom (OAuth against the WeCom stand-in)', () => {
  let wecom: WeComServer;
  let h: WebHarness;
  beforeAll(async () => {
    wecom = await startWeComServer();
    // WeCom configured: the web chat signs in through WeCom's OAuth (the WeCom transport itself is not needed).
    h = await startWebHarness({ env: wecom.env });
    const u = await h.colleague('孙七');
    await h.records.identities.attach(u.id, { channel: 'wecom', id: 'sunqi' });
  });
  afterAll(async () => {
    await h?.stop();
    await wecom?.close();
  });

  const WXWORK = { 'user-agent': 'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 wxwork/4.1.0 MicroMessenger/7.0.1' };

  /** Open the page inside WeCom: follow the redirects a browser follows; resolves with where it ends on the web chat. */
  async function openFromWecom(c: WebChatClient): Promise<string> {
    const own = new URL(h.url).origin;
    let path = '/signin';
    let res = await c.request(path, { headers: WXWORK });
    for (let hops = 0; hops < 8 && res.status >= 300 && res.status < 400; hops++) {
      const next = new URL(res.headers.get('location')!, own);
      if (next.origin === own) {
        path = `${next.pathname}${next.search}`;
        res = await c.request(path, { headers: WXWORK });
      } else {
        res = await fetch(next, { redirect: 'manual', headers: WXWORK });
      }
    }
    return path;
  }

  it('the sign-in page offers WeCom, and inside WeCom goes there by itself', async () => {
    expect(await (await new WebChatClient(h.url).request('/signin')).text()).toContain('用企业微信登录');
  });

  it('a member with a WeCom identity is signed in as that person, without a code', async () => {
    wecom.member = 'sunqi';
    const c = new WebChatClient(h.url);
    expect(await openFromWecom(c)).toBe('/');
    expect(await c.openPage()).toContain('孙七');
    const q = wecom.calls.find((x) => x.path === '/connect/oauth2/authorize')!.body;
    expect(q.appid).toBe(wecom.corpId);
    expect(q.scope).toBe('snsapi_base');
    expect(q.agentid).toBe(String(wecom.agentId));
    expect(q.redirect_uri).toBe(`${h.url}/signin/wecom/callback`);
  });

  it('an unregistered member is told to register first; a non-member is refused', async () => {
    wecom.member = 'nobody';
    expect(await openFromWecom(new WebChatClient(h.url))).toBe('/signin?failed=unregistered');
    wecom.member = undefined;
    expect(await openFromWecom(new WebChatClient(h.url))).toBe('/signin?failed=wecom');
  });

  it('a callback whose state is not this browser’s is refused', async () => {
    const c = new WebChatClient(h.url);
    const res = await c.request('/signin/wecom/callback?code=abc&state=forged');
    expect(res.headers.get('location')).toBe('/signin?failed=wecom');
  });

  it('a revoked access token is renewed once and the sign-in goes on', async () => {
    wecom.member = 'sunqi';
    wecom.revokeTokens();
    const c = new WebChatClient(h.url);
    expect(await openFromWecom(c)).toBe('/');
    expect(wecom.calls.filter((x) => x.path === '/cgi-bin/auth/getuserinfo').map((x) => x.errcode)).toEqual(expect.arrayContaining([40014, 0]));
  });
});

describe('web chat: npm start and restarts', () => {
  it('a web chat that cannot start says so in one Chinese line naming its setting; Telegram keeps running', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pufa-web-start-'));
    const api = await startBotApiServer();
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const lines: string[] = [];
    const config = loadConfig(
      { LOG_LEVEL: 'silent', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, WEB_CHAT_PORT: String(port), WEB_CHAT_HOST: '127.0.0.1' },
      { dataDir: join(dir, 'data') },
      dir,
    );
    const app = createApp(config, silentLogger, { answerer: scriptedAnswerer(), quiz: false, roles: [] });
    const io = { stdin: process.stdin, stdout: { write: () => true }, stderr: { write: (s: string) => lines.push(s) } };
    const controller = new AbortController();
    try {
      const started = await startTransports(app, io, controller.signal);
      try {
        const said = lines.join('');
        expect(said).toContain(`网页聊天未能启动：端口 ${port} 已被占用（127.0.0.1:${port}）：请换一个 WEB_CHAT_PORT`);
        expect(said).toContain('普法助手已在 Telegram 上线');
        expect(started.chats).toBe(1);
        expect(app.outbox.channels()).toEqual(['telegram']);
      } finally {
        controller.abort();
        await stopAll(started.services, silentLogger);
      }
    } finally {
      await app.close();
      await new Promise<void>((r) => taken.close(() => r()));
      await api.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a question the page sent just before a hard stop is answered after the restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pufa-web-restart-'));
    const port = await freePort();
    const config = loadConfig({ LOG_LEVEL: 'silent', WEB_CHAT_PORT: String(port), WEB_CHAT_HOST: '127.0.0.1' }, { dataDir: join(dir, 'data') }, dir);
    const quiet = { stdin: process.stdin, stdout: { write: () => true }, stderr: { write: () => true } };
    // The first process's model does not answer: the process is stopped (as by kill -9) with the question in flight.
    let release: (err: Error) => void = () => {};
    const stuck: Answerer = { answer: () => new Promise((_, reject) => (release = reject)) };
    const first = createApp(config, silentLogger, { answerer: stuck, quiz: false, roles: [] });
    const firstWeb = (await startWebChat(first, quiet))!;
    const second = createApp(config, silentLogger, { answerer: scriptedAnswerer(), quiz: false, roles: [] });
    try {
      const user = await first.records().users.create({ identity: { channel: 'telegram', id: '9001' }, name: '冯二', department: '预算科', rank: '一级科员', roles: [], status: 'active' });
      const grant = await createSignInGrants(first.records().sessions, first.now).issue(user.id, 3600_000);
      const page = new WebChatClient(firstWeb.url);
      await page.signInWithLink(`${firstWeb.url}/signin/link?t=${grant.token}`);
      await page.connect();
      expect((await page.send(QUESTION)).status).toBe(202);
      page.disconnect();
      // The next process on the same database answers what the first one accepted and never answered.
      const secondWeb = (await startWebChat(second, quiet, { port: 0 }))!;
      try {
        const later = new WebChatClient(secondWeb.url);
        later.cookies.set('pufa_chat', page.cookies.get('pufa_chat')!);
        await later.connect();
        expect(messageText(await later.seen(CITATION))).toContain(CITATION);
        later.disconnect();
      } finally {
        await secondWeb.stop();
      }
    } finally {
      release(new Error('the first process is gone'));
      await firstWeb.stop();
      await first.close();
      await second.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
