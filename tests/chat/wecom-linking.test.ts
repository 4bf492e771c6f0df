/**
 * One person on Telegram and WeCom over the real transports: the Telegram bot against the local Bot API
 * server and the WeCom transport against the local WeCom stand-in, one chat core, starting from a
 * records database of the Telegram era. A Telegram user binds WeCom with a one-time code; an admin
 * configured as a WeCom identity broadcasts, and each colleague gets it over the channel they have.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWeComTransport, type RunningWeCom } from '../../src/chat/wecom/transport.ts';
import { silentLogger } from '../../src/log.ts';
import { startWeComServer, type WeComServer } from '../helpers/wecom-server.ts';
import { TELEGRAM_ERA_FILE } from '../records/fixtures/make-telegram-era.ts';
import { isSend, startHarness, user, type Harness } from './harness.ts';
import { isSendTo, wecomIdentity } from './wecom-harness.ts';

const ZHANG = user(2001, '张三'); // of the Telegram-era database: quiz attempts, results, Q&A
const LI = user(2002, '李四');

let h: Harness;
let wecom: WeComServer;
let running: RunningWeCom;
let detach: () => void;
beforeAll(async () => {
  wecom = await startWeComServer();
  h = await startHarness({ database: TELEGRAM_ERA_FILE, now: () => new Date('2026-11-25T02:00:00.000Z'), env: { ...wecom.env, ADMIN_IDS: 'wecom:wangju' } });
  const transport = createWeComTransport({ core: h.core, config: h.config.wecom!, logger: silentLogger });
  running = await transport.start();
  wecom.callbackUrl = running.url;
  detach = h.app.outbox.attach('wecom', { output: transport.output, privateChat: (id) => id });
});
afterAll(async () => {
  detach?.();
  await running?.stop();
  await h?.stop();
  await wecom?.close();
});

/** A member writes over WeCom; the text of what pufa sends back (texts and cards). */
async function say(userid: string, text: string): Promise<string> {
  const since = wecom.calls.length;
  await wecom.sendText(userid, text);
  await h.core.drain();
  return wecom.calls
    .slice(since)
    .filter(isSendTo(userid))
    .map((c) => (c.body.msgtype === 'text' ? c.body.text.content : `${c.body.template_card?.main_title?.title}\n${c.body.template_card?.sub_title_text ?? ''}`))
    .join('\n');
}

it('a Telegram user from the previous schema binds the same person on WeCom and sees their records there', async () => {
  expect(await say('zhangsan', '/me')).toContain('您还没有注册');
  const since = h.api.calls.length;
  h.api.text(ZHANG, '/bind');
  const shown = String((await h.api.waitFor(isSend(ZHANG.id), { since })).payload.text);
  const code = /绑定码：(\d{6})/.exec(shown)![1]!;
  expect(await say('zhangsan', `/bind ${code}`)).toContain('绑定成功！此企业微信账号已与「张三」的资料关联');
  const me = await say('zhangsan', '/me');
  expect(me).toContain('学员编号：PF-ZHANGSAN03');
  expect(me).toContain('聊天账号：Telegram 2001、企业微信 zhangsan');
  expect((await h.records.users.findByIdentity(wecomIdentity('zhangsan')))!.id).toBe((await h.records.users.findByIdentity({ channel: 'telegram', id: '2001' }))!.id);
});

it('an admin configured as wecom:wangju broadcasts; WeCom-only colleagues get it over WeCom, Telegram ones over Telegram', async () => {
  await h.records.users.create({ identity: wecomIdentity('zhaoyi'), name: '赵一', department: '国库科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
  const tgSince = h.api.calls.length;
  const wcSince = wecom.calls.length;
  const reply = await say('wangju', '/broadcast 本周五下午三点在三楼会议室学习新修订的《会计法》。');
  expect(reply).toMatch(/已发送/);
  const toZhaoyi = wecom.calls.slice(wcSince).filter(isSendTo('zhaoyi'));
  expect(toZhaoyi.map((c) => c.body.text.content)).toEqual(['📢 通知\n\n本周五下午三点在三楼会议室学习新修订的《会计法》。']);
  const toLi = h.api.calls.slice(tgSince).filter(isSend(LI.id));
  expect(toLi.map((c) => String(c.payload.text))).toHaveLength(1);
  expect(String(toLi[0]!.payload.text)).toContain('三楼会议室');
});
