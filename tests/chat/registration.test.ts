import { afterEach, describe, expect, it } from 'vitest';
import type { TgUser } from '../helpers/bot-api-server.ts';
import { ADMIN, alice, buttonsOf, isSend, messageOf, ROLES, sendContaining, startHarness, user, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});


/** Fill in the registration form the way a person would: type, tap, tap, tap. Returns the final reply. */
async function register(h: Harness, who: TgUser, form = { name: '张三', department: '预算科' }) {
  const { api } = h;
  const chat = who.id;
  const since = api.calls.length;
  api.text(who, '/start');
  await api.waitFor(sendContaining(chat, '请输入您的姓名'), { since });
  api.text(who, form.name);
  await api.waitFor(sendContaining(chat, '科室'), { since });
  api.text(who, form.department);
  const rankMsg = await api.waitFor(sendContaining(chat, '职级'), { since });
  const rank = buttonsOf(rankMsg).find((b) => b.text === '一级主任科员')!;
  api.press(who, messageOf(rankMsg), rank.data);
  const rolesMsg = await api.waitFor(sendContaining(chat, '岗位角色'), { since });
  const roleButtons = buttonsOf(rolesMsg);
  expect(roleButtons.map((b) => b.text)).toEqual([...ROLES, '完成']);
  // Multi-select: pick two roles, the message is edited to show the ticks.
  api.press(who, messageOf(rolesMsg), roleButtons[1]!.data);
  await api.waitFor((c) => c.method === 'editMessageText' && String(c.payload.text).includes('已选：预算管理岗'), { since });
  api.press(who, messageOf(rolesMsg), roleButtons[0]!.data);
  const edited = await api.waitFor((c) => c.method === 'editMessageText' && String(c.payload.text).includes('预算管理岗、全体干部'), { since });
  expect(buttonsOf(edited).map((b) => b.text)).toContain('✅ 预算管理岗');
  const before = api.calls.length;
  api.press(who, messageOf(rolesMsg), roleButtons.at(-1)!.data);
  return api.waitFor((c) => isSend(chat)(c) && /注册|申请|资料已保存/.test(String(c.payload.text)), { since: before });
}

describe('registration policies', () => {
  it('approval (the default): the request waits for an admin, who approves it with a button', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
    const { api, records } = h;
    const done = await register(h, alice);
    expect(done.payload.text).toContain('等待管理员审核');
    const pending = (await records.users.findByIdentity({ channel: 'telegram', id: String(alice.id) }))!;
    expect(pending).toMatchObject({ status: 'pending', name: '张三', department: '预算科', rank: '一级主任科员', roles: ['预算管理岗', '全体干部'] });

    // The admin is told, with approve / reject buttons.
    const card = await api.waitFor(sendContaining(ADMIN.id, '新的注册申请'));
    expect(card.payload.text).toContain('张三');
    const [approve] = buttonsOf(card);
    expect(approve!.text).toContain('通过');

    // Still pending: a question is refused, nothing is answered.
    let since = api.calls.length;
    api.text(alice, '预算年度是怎么规定的？');
    const refusal = await api.waitFor(isSend(alice.id), { since });
    expect(refusal.payload.text).toContain('等待管理员审核');

    since = api.calls.length;
    api.press(ADMIN, messageOf(card), approve!.data);
    const notice = await api.waitFor(sendContaining(alice.id, '已通过'), { since });
    expect(notice.payload.text).toContain('注册申请已通过');
    await api.waitFor((c) => c.method === 'answerCallbackQuery', { since });
    await api.waitFor((c) => c.method === 'editMessageText' && String(c.payload.text).includes('已通过（王局长）'), { since });
    expect((await records.users.get(pending.id))!.status).toBe('active');
    expect((await records.audit.recent())[0]).toMatchObject({ action: 'registration.approve', targetUserId: pending.id });

    // A second tap (another admin, or a double tap) changes nothing and says so.
    since = api.calls.length;
    api.press(ADMIN, messageOf(card), approve!.data);
    const second = await api.waitFor((c) => c.method === 'answerCallbackQuery', { since });
    expect(second.payload.text).toContain('已处理');
    expect(await records.audit.recent()).toHaveLength(1);

    since = api.calls.length;
    api.text(alice, '预算年度是怎么规定的？');
    const answer = await api.waitFor(isSend(alice.id), { since });
    expect(answer.payload.text).toContain('《中华人民共和国预算法》第十八条');
  });

  it('approval: a rejected applicant is told, and stays refused', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id), REGISTRATION_POLICY: 'approval' } });
    const { api, records } = h;
    await register(h, alice);
    const card = await api.waitFor(sendContaining(ADMIN.id, '新的注册申请'));
    let since = api.calls.length;
    api.press(ADMIN, messageOf(card), buttonsOf(card)[1]!.data);
    await api.waitFor(sendContaining(alice.id, '未通过'), { since });
    expect((await records.users.findByIdentity({ channel: 'telegram', id: String(alice.id) }))!.status).toBe('disabled');
    expect((await records.audit.recent())[0]!.action).toBe('registration.reject');
    since = api.calls.length;
    api.text(alice, '/law 预算法 18');
    const refusal = await api.waitFor(isSend(alice.id), { since });
    expect(refusal.payload.text).toContain('已停用');
  });

  it('open: registration is active at once and no admin is bothered', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id), REGISTRATION_POLICY: 'open' } });
    const done = await register(h, alice);
    expect(done.payload.text).toContain('注册成功');
    expect((await h.records.users.findByIdentity({ channel: 'telegram', id: String(alice.id) }))!.status).toBe('active');
    expect(h.api.calls.some(isSend(ADMIN.id))).toBe(false);
  });

  it('allowlist: only listed people may register; others are told their id to pass on', async () => {
    const bob = user(3003, '李四');
    h = await startHarness({ env: { REGISTRATION_POLICY: 'allowlist', ALLOWLIST_TELEGRAM_IDS: String(alice.id) } });
    const { api, records } = h;
    api.text(bob, '/start');
    const refusal = await api.waitFor(isSend(bob.id));
    expect(refusal.payload.text).toContain('仅对单位名单内的人员开放');
    expect(refusal.payload.text).toContain(String(bob.id));
    expect(await records.users.findByIdentity({ channel: 'telegram', id: String(bob.id) })).toBeUndefined();

    const done = await register(h, alice);
    expect(done.payload.text).toContain('注册成功');
    expect((await records.users.findByIdentity({ channel: 'telegram', id: String(alice.id) }))!.status).toBe('active');
  });

  it('an unregistered user gets a clear message and nothing else; the answerer is never asked', async () => {
    h = await startHarness();
    const { api } = h;
    const stranger = user(4004, '路人');
    api.text(stranger, '预算年度是怎么规定的？');
    const reply = await api.waitFor(isSend(stranger.id));
    expect(reply.payload.text).toContain('请发送 /start');
    api.text(stranger, '/me');
    await api.waitForCount(isSend(stranger.id), 2);
    expect(api.sentTexts(stranger.id)[1]).toContain('还没有注册');
    expect(h.answerer.questions).toEqual([]);
    expect(api.calls.filter(isSend(stranger.id))).toHaveLength(2);
  });

  it('admins listed in ADMIN_TELEGRAM_IDS can ask at once, and /start completes their profile', async () => {
    h = await startHarness({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) } });
    const { api, records } = h;
    api.text(ADMIN, '/me');
    const me = await api.waitFor(isSend(ADMIN.id));
    expect(me.payload.text).toContain('管理员');
    expect(me.payload.text).toContain('资料尚不完整');
    const done = await register(h, ADMIN, { name: '王局长', department: '办公室' });
    expect(done.payload.text).toContain('资料已保存');
    expect(await records.users.findByIdentity({ channel: 'telegram', id: String(ADMIN.id) })).toMatchObject({
      department: '办公室',
      isAdmin: true,
      status: 'active',
    });
  });

  it('a question typed mid-form is not taken for a name, and an abandoned form expires', async () => {
    let clock = Date.parse('2025-03-03T09:00:00+08:00');
    h = await startHarness({ env: { REGISTRATION_POLICY: 'open' }, now: () => new Date(clock) });
    const { api } = h;
    api.text(alice, '/start');
    await api.waitFor(sendContaining(alice.id, '请输入您的姓名'));
    let since = api.calls.length;
    api.text(alice, '预算年度是怎么规定的？');
    const hint = await api.waitFor(isSend(alice.id), { since });
    expect(hint.payload.text).toContain('/cancel');
    // An hour later the form is gone: the same line is read as a question (and refused: not registered yet).
    clock += 60 * 60_000;
    since = api.calls.length;
    api.text(alice, '张三');
    const refused = await api.waitFor(isSend(alice.id), { since });
    expect(refused.payload.text).toContain('还没有注册');
    expect(await h.records.users.findByIdentity({ channel: 'telegram', id: String(alice.id) })).toBeUndefined();
  });
});
