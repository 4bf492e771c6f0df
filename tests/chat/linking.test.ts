/**
 * One person across channels, end to end through the chat core: the real Telegram bot (against the local
 * Bot API server) on one side, a WeCom-like channel on the other (events with identity ('wecom', id)
 * handed to the same core, replies recorded, as the WeCom transport will do). Starts from a records
 * database of the Telegram era, upgraded as it opens.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BIND_CODE_TTL_MS, BIND_FAILURES_OVERALL, BIND_FAILURES_PER_SENDER } from '../../src/chat/features/bind.ts';
import type { IncomingEvent } from '../../src/chat/types.ts';
import { recordingOutput } from '../helpers/recording-output.ts';
import { TELEGRAM_ERA_FILE } from '../records/fixtures/make-telegram-era.ts';
import { isSend, startHarness, user, type Harness, type HarnessOptions } from './harness.ts';

/** People of the Telegram-era database (tests/records/fixtures/make-telegram-era.ts). */
const WANG = user(1001, '王局长'); // admin
const ZHANG = user(2001, '张三'); // quiz attempts, results, Q&A
const LI = user(2002, '李四'); // a passed week

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

let clock = new Date('2026-11-25T02:00:00.000Z');
const start = (opts: HarnessOptions = {}) =>
  startHarness({
    database: TELEGRAM_ERA_FILE,
    now: () => clock,
    ...opts,
    env: { ADMIN_TELEGRAM_IDS: String(WANG.id), ...opts.env },
  });

/** Send a Telegram message and wait for the bot's reply to that chat. */
async function telegram(who: { id: number; first_name: string }, text: string): Promise<string> {
  const since = h!.api.calls.length;
  h!.api.text(who, text);
  return String((await h!.api.waitFor(isSend(who.id), { since })).payload.text);
}

let wecomUpdate = 0;
/** A message from a WeCom account, as the WeCom transport will hand it to the core; the replies' text. */
async function wecom(id: string, text: string, name = id): Promise<string> {
  const out = recordingOutput();
  const event: IncomingEvent = {
    kind: 'text',
    update: { source: 'wecom:test', id: String(++wecomUpdate) },
    chatId: id,
    chatType: 'private',
    from: { identity: { channel: 'wecom', id }, name, privateChatId: id },
    text,
  };
  await h!.core.handle(event, out);
  expect(out.sent.every((s) => s.chatId === id)).toBe(true);
  return out.sent.map((s) => s.text).join('\n');
}

const codeIn = (text: string) => /绑定码：(\d{6})/.exec(text)?.[1];

describe('binding a second channel with a one-time code', () => {
  it('a Telegram user from the previous schema keeps their records and binds the same person on WeCom', async () => {
    clock = new Date('2026-11-25T02:00:00.000Z');
    h = await start();
    const { records } = h;
    const before = (await records.users.findByIdentity({ channel: 'telegram', id: '2001' }))!;
    expect(before).toMatchObject({ id: 3, staffId: 'PF-ZHANGSAN03', name: '张三' });

    // WeCom does not know zhangsan yet.
    expect(await wecom('zhangsan', '/me')).toContain('您还没有注册');

    const shown = await telegram(ZHANG, '/bind');
    const code = codeIn(shown)!;
    expect(code).toMatch(/^\d{6}$/);
    expect(shown).toContain('10 分钟内有效');

    expect(await wecom('zhangsan', `/bind ${code}`)).toContain('绑定成功！此企业微信账号已与「张三」的资料关联（学员编号 PF-ZHANGSAN03）');
    const me = await wecom('zhangsan', '/me');
    expect(me).toContain('学员编号：PF-ZHANGSAN03');
    expect(me).toContain('累计提问：2 次');
    expect(me).toContain('聊天账号：Telegram 2001、企业微信 zhangsan');

    // One person, one record: reached by either identity, the Telegram-era results intact.
    const bound = (await records.users.findByIdentity({ channel: 'wecom', id: 'zhangsan' }))!;
    expect(bound.id).toBe(before.id);
    expect(await records.training.weeklyResult(bound.id, '2026-W47')).toMatchObject({ status: 'passed', score: 100, attempts: 2 });
    expect((await records.training.openAttempt(bound.id, '2026-W48'))!.currentIndex).toBe(1);
    expect((await records.audit.recent(5)).find((a) => a.action === 'identity.bind')).toMatchObject({ actorUserId: 3, detail: { identity: 'wecom:zhangsan' } });

    // The code was single use; only its hash was stored.
    expect(await wecom('lisi', `/bind ${code}`)).toContain('绑定码无效、已使用或已过期');
    const stored = records.db.prepare('SELECT code_hash FROM link_codes').all() as { code_hash: string }[];
    expect(stored.some((r) => r.code_hash.includes(code))).toBe(false);
  });

  it('folds the empty record of a configured WeCom admin into their Telegram record', async () => {
    clock = new Date('2026-11-25T02:00:00.000Z');
    h = await start({ env: { ADMIN_IDS: 'wecom:wangju' } });
    const { records } = h;
    // A configured admin is provisioned on sight, on any channel: an empty record of their own.
    expect(await wecom('wangju', '/me', '王局长')).toContain('（管理员）');
    const provisioned = (await records.users.findByIdentity({ channel: 'wecom', id: 'wangju' }))!;
    expect(provisioned.id).not.toBe(2);

    const code = codeIn(await telegram(WANG, '/bind'))!;
    expect(await wecom('wangju', `/bind ${code}`)).toContain('绑定成功');
    expect((await records.users.findByIdentity({ channel: 'wecom', id: 'wangju' }))!.id).toBe(2);
    expect(await records.users.get(provisioned.id)).toBeUndefined();
    expect(await wecom('wangju', '/stats 2026-W47')).toContain('2026-W47 学法考试统计');
  });

  it('refuses to bind an account that belongs to another person with records', async () => {
    clock = new Date('2026-11-25T02:00:00.000Z');
    h = await start();
    const { records } = h;
    const other = await records.users.create({ identity: { channel: 'wecom', id: 'lisi' }, name: '另一个李四', status: 'active' });
    await records.qa.add({ userId: other.id, chatId: 'lisi', question: '问', answer: '答', mode: 'none', citations: [], related: [], latencyMs: 1 });

    const code = codeIn(await telegram(LI, '/bind'))!;
    const reply = await wecom('lisi', `/bind ${code}`);
    expect(reply).toContain('此企业微信账号已属于另一位学员（另一个李四），且已有学习或问答记录，无法合并');
    expect((await records.users.findByIdentity({ channel: 'wecom', id: 'lisi' }))!.id).toBe(other.id);
    expect((await records.users.findByIdentity({ channel: 'telegram', id: '2002' }))!.identities).toEqual([{ channel: 'telegram', id: '2002' }]);
  });

  it('only registered, active people get a code; a malformed code gets the usage', async () => {
    clock = new Date('2026-11-25T02:00:00.000Z');
    h = await start();
    expect(await telegram(user(2003, '王五'), '/bind')).toContain('等待管理员审核');
    expect(await telegram(user(2004, '赵六'), '/bind')).toContain('已停用');
    expect(await wecom('stranger', '/bind')).toContain('您还没有注册');
    expect(await wecom('stranger', '/bind 12345')).toContain('绑定码是 6 位数字');
  });
});

describe('guessing a code', () => {
  it('stops a sender after a few wrong codes, until the window has passed', async () => {
    clock = new Date('2026-11-25T02:00:00.000Z');
    h = await start();
    const code = codeIn(await telegram(ZHANG, '/bind'))!;
    const wrong = (n: number) => String((Number(code) + n) % 1_000_000).padStart(6, '0');
    for (let i = 1; i <= BIND_FAILURES_PER_SENDER; i++) expect(await wecom('guesser', `/bind ${wrong(i)}`)).toContain('绑定码无效');
    expect(await wecom('guesser', `/bind ${code}`)).toContain('输错次数过多');
    expect((await h.records.users.findByIdentity({ channel: 'wecom', id: 'guesser' }))).toBeUndefined();

    // After the window the sender may try again (with a fresh code: the first has expired by then).
    clock = new Date(clock.getTime() + BIND_CODE_TTL_MS + 1000);
    const fresh = codeIn(await telegram(ZHANG, '/bind'))!;
    expect(await wecom('guesser', `/bind ${fresh}`)).toContain('绑定成功');
  });

  it('voids every live code once too many wrong codes came from anyone, however many accounts guess', async () => {
    clock = new Date('2026-11-25T02:00:00.000Z');
    h = await start();
    const code = codeIn(await telegram(ZHANG, '/bind'))!;
    const wrong = (n: number) => String((Number(code) + n) % 1_000_000).padStart(6, '0');
    const senders = Math.ceil(BIND_FAILURES_OVERALL / BIND_FAILURES_PER_SENDER);
    let n = 0;
    for (let s = 0; s < senders; s++) {
      for (let i = 0; i < BIND_FAILURES_PER_SENDER && n < BIND_FAILURES_OVERALL; i++) await wecom(`guesser${s}`, `/bind ${wrong(++n)}`);
    }
    // The right code, from someone who has not guessed, no longer works: it was voided.
    expect(await wecom('zhangsan', `/bind ${code}`)).toContain('绑定码无效');
    expect(await h.records.users.findByIdentity({ channel: 'wecom', id: 'zhangsan' })).toBeUndefined();
  });
});

describe('admins link identities from chat', () => {
  it('/link attaches an account to a person by name or staff id, refuses a taken one, /unlink undoes it; all audited', async () => {
    clock = new Date('2026-11-25T02:00:00.000Z');
    h = await start();
    const { records } = h;
    expect(await telegram(WANG, '/link 李四 wecom:lisi')).toContain('已将企业微信账号 lisi 绑定到 李四（国库科，学员编号 PF-LISI000004）');
    expect(await wecom('lisi', '/me')).toContain('姓名：李四');
    expect(await telegram(WANG, '/link pf-lisi000004 wecom:lisi')).toContain('已属于 李四');
    expect(await telegram(WANG, '/link 张三 wecom:lisi')).toContain('已属于另一位学员 李四（国库科，学员编号 PF-LISI000004），且其已有学习或问答记录，不能改绑');
    expect(await telegram(WANG, '/link 王 wecom:x')).toContain('找到 2 人，请改用学员编号');
    expect(await telegram(WANG, '/link 无此人 wecom:x')).toContain('没有找到「无此人」');
    expect(await telegram(WANG, '/link 李四 wechat:lisi')).toContain('无法识别的账号「wechat:lisi」');
    expect(await telegram(WANG, '/link 李四')).toContain('用法：/link');

    expect(await telegram(WANG, '/unlink wecom:lisi')).toContain('已解除企业微信账号 lisi 与 李四');
    expect(await wecom('lisi', '/me')).toContain('您还没有注册');
    expect(await telegram(WANG, '/unlink telegram:2002')).toContain('是 李四（国库科，学员编号 PF-LISI000004） 唯一的聊天账号，不能解除');

    const actions = (await records.audit.recent(20)).filter((a) => a.actorUserId === 2).map((a) => [a.action, a.detail.outcome]);
    expect(actions).toContainEqual(['admin.link_identity', 'attached']);
    expect(actions).toContainEqual(['admin.link_identity', 'taken']);
    expect(actions).toContainEqual(['admin.unlink_identity', 'detached']);
    expect(await telegram(ZHANG, '/link 李四 wecom:lisi')).toContain('仅限管理员');
  });
});

describe('channel-neutral settings', () => {
  it('the allowlist takes channel:id entries and tells others their id in the form an admin can add', async () => {
    clock = new Date('2026-11-25T02:00:00.000Z');
    h = await start({ env: { REGISTRATION_POLICY: 'allowlist', ALLOWLIST_IDS: 'wecom:zhaoliu' } });
    const refused = await wecom('qianqi', '/start');
    expect(refused).toContain('请联系管理员将您的企业微信账号（wecom:qianqi）加入名单');
    expect(refused).not.toContain('Telegram');
    expect(await wecom('zhaoliu', '/start')).toContain('请输入您的姓名');
    expect(await telegram(user(3001, '路人'), '/start')).toContain('Telegram ID（3001）');
  });
});
