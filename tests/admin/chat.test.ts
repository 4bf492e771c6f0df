/**
 * Admin commands through the real conversation core after a simulated term: refused to non-admins, the
 * numbers against the raw rows, the remind-all button idempotent under a double tap, /approve reusing the
 * registration buttons, /broadcast, /export as a file (the terminal port writes it), /web, the audit log.
 * The transport is a recording implementation of the ChatOutput port.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redeemLoginTicket } from '../../src/admin/tickets.ts';
import type { Answerer } from '../../src/answer/types.ts';
import { createApp, type App } from '../../src/app/app.ts';
import type { ChatCore } from '../../src/chat/core.ts';
import { MSG } from '../../src/chat/messages.ts';
import { TERMINAL_ABILITIES, terminalOutput } from '../../src/chat/terminal/repl.ts';
import type { IncomingEvent } from '../../src/chat/types.ts';
import { silentLogger } from '../../src/log.ts';
import { identityOn } from '../../src/records/identities.ts';
import type { UserRecord } from '../../src/records/types.ts';
import { recordingOutput } from '../helpers/recording-output.ts';
import { expectedWeek, termFixture, type Fixture } from './fixture.ts';

const noAnswers: Answerer = {
  async answer(question) {
    return { question, answer: '（测试中不回答问题）', mode: 'none', citations: [], related: [], ms: 0 } as never;
  },
};

const recorder = recordingOutput;

/** Hand an event to the core with this output as the Telegram transport (also for messages to other people). */
async function handle(event: IncomingEvent, out: ReturnType<typeof recorder>) {
  const detach = app.outbox.attach('telegram', { output: out, privateChat: (id) => id });
  try {
    await core.handle(event, out);
  } finally {
    detach();
  }
}

let f: Fixture;
let app: App;
let core: ChatCore;
let updates = 0;

type Person = Pick<UserRecord, 'identities' | 'name'>;
/** A person's Telegram id (their private chat with the bot). */
const tg = (u: Pick<UserRecord, 'identities'>) => identityOn(u.identities, 'telegram')!;

const fromUser = (u: Person) => ({
  identity: { channel: 'telegram' as const, id: tg(u) },
  name: u.name,
  privateChatId: tg(u),
});

async function say(u: Person, text: string, out = recorder()) {
  const event: IncomingEvent = { kind: 'text', update: { source: 'test', id: String(++updates) }, chatId: tg(u), chatType: 'private', from: fromUser(u), text };
  await handle(event, out);
  return out;
}

async function press(u: Person, data: string, out = recorder()) {
  const event: IncomingEvent = {
    kind: 'callback',
    update: { source: 'test', id: String(++updates) },
    chatId: tg(u),
    chatType: 'private',
    from: fromUser(u),
    callbackId: `cb-${updates}`,
    data,
    message: { chatId: tg(u), messageId: '1' },
  };
  await handle(event, out);
  return out;
}

const ADMIN_COMMANDS = ['/stats', '/stats 2026-W40', '/pending', '/user 王', '/weak', '/approve', '/broadcast 明天开会', '/export', '/web'];

beforeAll(async () => {
  f = await termFixture({ RATE_LIMIT_PER_MINUTE: '10000', ADMIN_WEB_PORT: '8080' });
  // The production wiring (src/app/) over the term's database, without the quiz or answers.
  app = createApp(f.config, silentLogger, { answerer: noAnswers, now: f.now, quiz: false });
  core = await app.chat();
});
afterAll(async () => {
  await app?.close();
  await f?.close();
});

describe('admin commands are for admins only', () => {
  it('a registered non-admin is refused every admin command with a clear message, and nothing is sent to others', async () => {
    const staff = f.term.users[4]!;
    for (const cmd of ADMIN_COMMANDS) {
      const out = await say(staff, cmd);
      expect(out.sent.map((s) => [s.chatId, s.text]), cmd).toEqual([[tg(staff), MSG.adminOnly]]);
      expect(out.docs).toHaveLength(0);
    }
    const cb = await press(staff, `adm:remind:2026-W48`);
    expect(cb.callbackAnswers).toEqual([MSG.adminOnly]);
    expect(cb.sent).toHaveLength(0);
  });

  it('strangers and pending users are refused too', async () => {
    const stranger: Person = { identities: [{ channel: 'telegram', id: '555000111' }], name: '路人' };
    expect((await say(stranger, '/stats')).sent[0]!.text).toBe(MSG.unregistered);
    expect((await say(f.term.pendingUser, '/pending')).sent[0]!.text).toBe(MSG.pending);
    expect((await say(f.term.disabledUser, '/export')).sent[0]!.text).toBe(MSG.disabled);
  });
});

describe('admin commands', () => {
  const admin = () => f.term.admin;

  it('/stats shows completion, pass rate and average overall, per department and per rank, with the change', async () => {
    const e = expectedWeek(f.records, '2026-W48');
    const text = (await say(admin(), '/stats')).sent[0]!.text;
    expect(text).toContain('2026-W48 学法考试统计');
    expect(text).toContain(`完成率：${e.completion}（${e.finished}/${e.eligible} 人）`);
    expect(text).toContain(`通过率：${e.pass}`);
    expect(text).toContain(`平均分：${e.avg}`);
    expect(text).toMatch(/较上周 [↑↓]/);
    expect(text).toContain('各科室');
    expect(text).toContain('各职级');
    const d = e.byDepartment.get('预算科')!;
    expect(text).toContain(`预算科：完成 ${((100 * d.finished) / d.eligible).toFixed(1)}%（${d.finished}/${d.eligible}）`);
    const w40 = expectedWeek(f.records, '2026-W40');
    expect((await say(admin(), '/stats 2026-w40')).sent[0]!.text).toContain(`完成率：${w40.completion}（${w40.finished}/${w40.eligible} 人）`);
    expect((await say(admin(), '/stats 第四十周')).sent[0]!.text).toContain('周次格式有误');
  });

  it('/pending lists who has not finished; the remind button reminds each once, a double tap reminds nobody twice', async () => {
    const pending = await f.stats.pending();
    const out = await say(admin(), '/pending');
    expect(out.sent[0]!.text).toContain(`本周（2026-W48）未完成：${pending.length} 人`);
    for (const p of pending) expect(out.sent[0]!.text).toContain(p.name);
    const button = out.sent[0]!.msg.buttons![0]![0]!;
    expect(button.data).toBe('adm:remind:2026-W48');
    expect(Buffer.byteLength(button.data)).toBeLessThanOrEqual(64);

    const first = await press(admin(), button.data);
    const reminders = first.sent.filter((s) => s.text.includes('本周（2026-W48）的学法考试您还没有完成'));
    expect(reminders.map((s) => s.chatId).sort()).toEqual(pending.map((p) => tg(p)).sort());
    expect(first.callbackAnswers[0]).toBe(`已提醒 ${pending.length} 人。`);
    const rows = f.records.db.prepare(`SELECT user_id FROM reminders_sent WHERE week = '2026-W48' AND kind = 'admin'`).all() as { user_id: number }[];
    expect(rows.map((r) => r.user_id).sort((a, b) => a - b)).toEqual(pending.map((p) => p.userId).sort((a, b) => a - b));

    // A double tap (and another admin pressing the same button) sends nothing more.
    const [again, twice] = await Promise.all([press(admin(), button.data), press(admin(), button.data)]);
    expect([...again.sent, ...twice.sent].filter((s) => s.text.includes('学法考试您还没有完成'))).toHaveLength(0);
    expect(again.callbackAnswers[0]).toContain('不再重复发送');
    expect((await say(admin(), '/pending')).sent[0]!.text).toContain('已提醒');

    const audit = await f.records.audit.recent(10);
    // Newest first: the two taps that sent nothing, then the one that reminded everyone.
    expect(audit.filter((a) => a.action === 'admin.remind').map((a) => a.detail.sent)).toEqual([0, 0, pending.length]);
  });

  it("/user shows one person's history; several matches become buttons", async () => {
    const u = f.term.users[6]!;
    const text = (await say(admin(), `/user ${u.name}`)).sent[0]!.text;
    expect(text).toContain(u.name);
    expect(text).toContain(u.staffId);
    const h = (await f.stats.history(u.id))!;
    expect(text).toContain(`通过 ${h.weeksPassed} 周，累计学时 ${h.totalHours}`);
    const many = await say(admin(), '/user 王');
    if (many.sent[0]!.msg.buttons) {
      const data = many.sent[0]!.msg.buttons[0]![0]!.data;
      expect(data).toMatch(/^adm:user:\d+$/);
      expect((await press(admin(), data)).sent[0]!.text).toContain('学员编号');
    }
    expect((await say(admin(), '/user 不存在的人')).sent[0]!.text).toContain('没有找到');
  });

  it('/weak lists this month’s most-missed articles with law and article', async () => {
    const top = (await f.stats.weakArticles(undefined, 1))[0]!;
    const text = (await say(admin(), '/weak')).sent[0]!.text;
    expect(text).toContain('2026年11月最常答错的条文');
    expect(text).toMatch(new RegExp(`1\\. 《${top.law}》第.+条：答错 ${top.wrong}/${top.answers} 次`));
  });

  it('/approve shows pending registrations with the registration buttons, which approve once', async () => {
    const out = await say(admin(), '/approve');
    const card = out.sent.find((s) => s.text.includes(f.term.pendingUser.name))!;
    expect(card.msg.buttons![0]!.map((b) => b.data)).toEqual([`reg:ok:${f.term.pendingUser.id}`, `reg:no:${f.term.pendingUser.id}`]);
    await press(admin(), `reg:ok:${f.term.pendingUser.id}`);
    expect((await f.records.users.get(f.term.pendingUser.id))!.status).toBe('active');
    const again = await press(admin(), `reg:ok:${f.term.pendingUser.id}`);
    expect(again.callbackAnswers[0]).toContain('已处理');
    expect((await say(admin(), '/approve')).sent[0]!.text).toBe('没有待审核的注册申请。');
  });

  it('/broadcast sends the announcement to every active user, once each', async () => {
    const active = (await f.records.users.list({ status: 'active' })).filter((u) => identityOn(u.identities, 'telegram'));
    const out = await say(admin(), '/broadcast 本周五下午三点在三楼会议室学习新修订的《会计法》。');
    const notices = out.sent.filter((s) => s.text.includes('三楼会议室'));
    expect(notices.map((s) => s.chatId).sort()).toEqual(active.map((u) => tg(u)).sort());
    expect(out.sent.at(-1)!.text).toBe(`通知已发送给 ${active.length} 人。`);
    expect(notices.some((s) => s.chatId === tg(f.term.disabledUser))).toBe(false);
  });

  it('/export sends the XLSX file; in the terminal it is saved in the data directory', async () => {
    const out = await say(admin(), '/export 2026-W45 2026-W48');
    expect(out.docs).toHaveLength(1);
    expect(out.docs[0]!.doc.filename).toBe('pufa-学法考试-2026-W45至2026-W48.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(out.docs[0]!.doc.data) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['人员成绩', '科室汇总', '职级汇总', '易错条文', '说明']);

    const dir = await mkdtemp(join(f.dir, 'exports-'));
    let printed = '';
    const terminal = terminalOutput((s) => (printed += s), dir);
    await say(admin(), '/export', terminal as never);
    const [name] = await readdir(dir);
    expect(name).toMatch(/\.xlsx$/);
    expect(printed).toContain(`文件已保存：${join(dir, name!)}`);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load((await readFile(join(dir, name!))) as unknown as ArrayBuffer);
    expect(wb2.getWorksheet('人员成绩')!.rowCount).toBeGreaterThan(12 * 39);
  });

  it('in the terminal chat, reminders and broadcasts are refused: it cannot reach anyone else', async () => {
    const local = { identity: { channel: 'local' as const, id: 'operator' }, name: '本机用户', privateChatId: 'local' };
    const out = recorder(TERMINAL_ABILITIES);
    const before = (f.records.db.prepare('SELECT COUNT(*) AS n FROM reminders_sent').get() as { n: number }).n;
    await core.handle({ kind: 'text', chatId: 'local', chatType: 'private', from: local, text: '/broadcast 测试' }, out);
    await core.handle({ kind: 'callback', chatId: 'local', chatType: 'private', from: local, callbackId: 'x', data: 'adm:remind:2026-W48' }, out);
    expect(out.sent.map((s) => s.text)).toEqual(['终端对话只能与本机用户交流，无法向其他人员发送消息。请在 Telegram 中使用此功能。']);
    expect(out.callbackAnswers[0]).toContain('无法向其他人员发送消息');
    expect((f.records.db.prepare('SELECT COUNT(*) AS n FROM reminders_sent').get() as { n: number }).n).toBe(before);
  });

  it('/web gives a one-time dashboard link for this admin', async () => {
    const text = (await say(admin(), '/web')).sent[0]!.text;
    const ticket = /\/login\/link\?t=([A-Za-z0-9_-]+)/.exec(text)![1]!;
    expect(text).toContain('http://127.0.0.1:8080/login/link?t=');
    expect(await redeemLoginTicket(f.records.sessions, ticket, f.now())).toBe(f.term.admin.id);
    expect(await redeemLoginTicket(f.records.sessions, ticket, f.now())).toBeUndefined();
  });

  it('every admin action is in the audit log, with the admin as actor', async () => {
    const actions = new Set((await f.records.audit.recent(200)).filter((a) => a.actorUserId === f.term.admin.id).map((a) => a.action));
    for (const a of ['admin.stats', 'admin.pending', 'admin.remind', 'admin.view_user', 'admin.weak', 'admin.approve_list', 'registration.approve', 'admin.broadcast', 'admin.export', 'admin.web_link']) {
      expect(actions, a).toContain(a);
    }
  });
});
