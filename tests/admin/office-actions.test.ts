/**
 * Acting from the web after a simulated term: this week's pending people per department with 「提醒」 — sent
 * over each person's channel through the app's outbox, once per person and week whoever presses (shared with
 * /pending in chat); registration approvals that notify the applicant and cannot be decided twice; the audit
 * log viewer; question analysis down to the options chosen; assets compressed and cached.
 */
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_REMINDER_KIND } from '../../src/admin/remind.ts';
import { createAdminApp } from '../../src/admin/web/app.ts';
import { assetPath, assets } from '../../src/admin/web/assets.ts';
import { createOutbox } from '../../src/app/outbox.ts';
import { textMessage } from '../../src/chat/format.ts';
import { issueLoginTicket } from '../../src/admin/tickets.ts';
import { silentLogger } from '../../src/log.ts';
import { recordingOutput, type RecordingOutput } from '../helpers/recording-output.ts';
import { termFixture, type Fixture } from './fixture.ts';

let f: Fixture;
let app: ReturnType<typeof createAdminApp>;
let out: RecordingOutput;
let cookie: string;

const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers: { cookie, ...headers } });
const csrf = async () => /name="_csrf" value="([^"]+)"/.exec(await (await get('/pending')).text())![1]!;
const post = async (path: string, fields: Record<string, string>) =>
  app.request(path, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: await csrf(), ...fields }).toString() });

beforeAll(async () => {
  f = await termFixture();
  const outbox = createOutbox(silentLogger);
  out = recordingOutput();
  outbox.attach('telegram', { output: out, privateChat: (id) => id });
  app = createAdminApp({ records: f.records, stats: f.stats, faqDir: join(f.dir, 'faq'), messenger: { sendTo: (ids, text) => outbox.sendTo(ids, textMessage(text)) }, logger: silentLogger, now: f.now });
  const res = await app.request(`/login/link?t=${await issueLoginTicket(f.records.sessions, f.term.admin.id, f.now())}`);
  cookie = /pufa_admin_session=[^;]+/.exec(res.headers.getSetCookie().join('\n'))![0];
});
afterAll(() => f?.close());

describe('pending people and 提醒', () => {
  it('lists this week\'s pending people per department, exactly those the records say', async () => {
    const html = await (await get('/pending')).text();
    const pending = await f.stats.pending('2026-W48');
    expect(html).toContain(`data-testid="pending-count">${pending.length}<`);
    for (const p of pending) expect(html).toContain(`data-user="${p.userId}"`);
    for (const d of new Set(pending.map((p) => p.department))) expect(html).toContain(`data-department="${d}"`);
  });

  it('reminds one person over their channel, then their department, then everyone — each person once', async () => {
    const pending = await f.stats.pending('2026-W48');
    const first = pending[0]!;
    const tgOf = (userId: number) => f.term.users.find((u) => u.id === userId)!.identities.find((i) => i.channel === 'telegram')!.id;
    let res = await post('/pending/remind', { user: String(first.userId) });
    expect(await res.text()).toContain('已提醒 1 人');
    expect(out.sent.map((s) => s.chatId)).toEqual([tgOf(first.userId)]);
    expect(out.sent[0]!.text).toContain('本周（2026-W48）的学法考试您还没有完成');

    // The same person again: not sent twice (the web and /pending share the record).
    res = await post('/pending/remind', { user: String(first.userId) });
    expect(await res.text()).toContain('1 人本周已提醒过');
    expect(out.sent).toHaveLength(1);

    const dept = pending.filter((p) => p.department === first.department);
    res = await post('/pending/remind', { department: first.department });
    expect(await res.text()).toContain(`已提醒 ${dept.length - 1} 人`);
    res = await post('/pending/remind', { all: '1' });
    expect(await res.text()).toContain(`已提醒 ${pending.length - dept.length} 人`);
    expect(out.sent.map((s) => s.chatId).sort()).toEqual(pending.map((p) => tgOf(p.userId)).sort());
    expect(new Set(out.sent.map((s) => s.chatId)).size).toBe(pending.length);
    expect((await f.records.reminders.remindersSent('2026-W48', ADMIN_REMINDER_KIND)).size).toBe(pending.length);
    const page = await (await get('/pending')).text();
    expect(page.match(/已提醒/g)!.length).toBeGreaterThanOrEqual(pending.length);
    const audit = (await f.records.audit.recent(10)).filter((a) => a.action === 'admin.remind');
    expect(audit.every((a) => a.actorUserId === f.term.admin.id && a.detail.via === 'web')).toBe(true);
  });
});

describe('registration approvals', () => {
  it('approves a pending applicant once, tells them, and refuses a second decision', async () => {
    const applicant = f.term.pendingUser;
    const list = await (await get('/approvals')).text();
    expect(list).toContain(`data-user="${applicant.id}"`);
    const before = out.sent.length;
    const ok = await post(`/approvals/${applicant.id}`, { action: 'ok' });
    expect(await ok.text()).toContain('已通过，已通知本人');
    expect((await f.records.users.get(applicant.id))!.status).toBe('active');
    expect(out.sent.slice(before).map((s) => [s.chatId, s.text.includes('注册申请已通过')])).toEqual([['9199999', true]]);
    const again = await post(`/approvals/${applicant.id}`, { action: 'no' });
    expect(again.status).toBe(409);
    expect((await f.records.users.get(applicant.id))!.status).toBe('active');
    const entry = (await f.records.audit.recent(5)).find((a) => a.action === 'registration.approve')!;
    expect([entry.actorUserId, entry.targetUserId, entry.detail.via]).toEqual([f.term.admin.id, applicant.id, 'web']);
  });
});

describe('the audit log viewer', () => {
  it('pages the log newest first, with names and local times, filtered by action and by actor', async () => {
    const all = await (await get('/audit')).text();
    const total = (f.records.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
    expect(all).toContain(`data-testid="audit-count">${total}<`);
    expect(all).toContain('通过注册申请');
    expect(all).toContain('时间（北京时间）');
    const newest = (await f.records.audit.recent(1))[0]!;
    const local = new Date(Date.parse(newest.at) + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    expect(all).toContain(local);
    const reminders = await (await get('/audit?action=admin.remind')).text();
    expect(reminders.match(/data-action="admin\.remind"/g)!.length).toBe(4);
    expect(reminders).not.toContain('data-action="registration.approve"');
    const mine = await (await get(`/audit?actor=${f.term.admin.id}`)).text();
    expect(mine).not.toMatch(/data-field="actor"><span class="cell">系统/);
  });
});

describe('question analysis', () => {
  it('for each question: answered, right, and which wrong option was chosen; from a weak article to its questions', async () => {
    const weak = await (await get('/weak?period=2026-W37~2026-W48')).text();
    const link = /href="(\/questions\?[^"]+)"/.exec(weak)![1]!.replace(/&amp;/g, '&');
    const params = new URL(link, 'http://x').searchParams;
    const html = await (await get(link)).text();
    const rows = f.records.db
      .prepare(
        `SELECT a.question_id AS id, COUNT(*) AS answered, SUM(a.correct) AS right, SUM(a.chosen = '[1]') AS chose_b
         FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id
         WHERE t.week BETWEEN '2026-W37' AND '2026-W48' AND a.law = ? AND a.article = ? GROUP BY a.question_id`,
      )
      .all(params.get('law'), Number(params.get('n'))) as { id: string; answered: number; right: number; chose_b: number }[];
    expect(rows.length).toBeGreaterThan(0);
    // One table row per question: split the page at the rows.
    const segments = new Map(html.split('<tr data-question="').slice(1).map((seg) => [seg.slice(0, seg.indexOf('"')), seg.slice(0, seg.indexOf('</tr>'))]));
    for (const r of rows) {
      const seg = segments.get(r.id)!;
      expect(seg, r.id).toBeDefined();
      const cell = (field: string) => Number(new RegExp(`data-field="${field}"><span class="cell">(\\d+)<`).exec(seg)![1]);
      expect([cell('answered'), cell('right')], r.id).toEqual([r.answered, r.right]);
      // The simulated wrong answers all chose the second option: B, or 错误 for a true/false question.
      const wrong = /data-chosen="(B|错误)">\1<\/span> (\d+) 人次/.exec(seg);
      expect(wrong ? Number(wrong[2]) : 0, r.id).toBe(r.chose_b);
    }
    expect(html).toContain('data-testid="histogram"');
  });

  it('the score histogram counts the finished week scores of the eligible', async () => {
    const html = await (await get('/questions?period=2026-W48')).text();
    const bins = [...html.matchAll(/<g data-label="([^"]+)" data-value="(\d+)">/g)].map((m) => Number(m[2]));
    const scores = f.records.db
      .prepare(`SELECT r.score FROM weekly_results r JOIN users u ON u.id = r.user_id WHERE r.week = '2026-W48' AND r.status IN ('completed', 'passed') AND u.status = 'active'`)
      .all() as { score: number }[];
    const expected = Array.from({ length: 10 }, () => 0);
    for (const s of scores) expected[Math.min(9, Math.floor(s.score / 10))]!++;
    expect(bins).toEqual(expected);
  });
});

describe('assets', () => {
  it('are served under hashed names, compressed (brotli or gzip) and cached for a year with an ETag', async () => {
    const path = assetPath('chart.umd.min.js');
    expect(path).toMatch(/^\/assets\/chart\.[0-9a-f]{10}\.umd\.min\.js$/);
    const br = await get(path, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    const body = Buffer.from(await br.arrayBuffer());
    const plain = assets().get('chart.umd.min.js')!.identity;
    expect(body.length).toBeLessThan(plain.length / 2);
    expect(brotliDecompressSync(body).equals(plain)).toBe(true);
    const gz = await get(path, { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).equals(plain)).toBe(true);
    const again = await get(path, { 'if-none-match': br.headers.get('etag')! });
    expect(again.status).toBe(304);
    // The stylesheet is public (the login page needs it); pages link the hashed name.
    expect((await app.request(assetPath('style.css'))).status).toBe(200);
    expect(await (await app.request('/login')).text()).toContain(`href="${assetPath('style.css')}"`);
    // Pages themselves are compressed too.
    const page = await get('/people', { 'accept-encoding': 'gzip' });
    expect(page.headers.get('content-encoding')).toBe('gzip');
  });
});
