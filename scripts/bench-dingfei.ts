/**
 * Benchmark of the DingTalk and Feishu transports against their local stand-ins (tests/helpers/
 * dingtalk-server.ts, feishu-server.ts): a registered colleague asks 「预算年度是怎么规定的？」 N times on each;
 * the time is from the event being written to the bot's connection to the reply carrying
 * 《中华人民共和国预算法》第十八条 arriving at the stand-in. The bot is the real `pufa start` process
 * (bin/pufa.js) running both transports at once, with the production settings.
 *
 *   node bin/pufa-script.js scripts/bench-dingfei.ts [--data DIR] [--laws DIR] [--rounds 20] [--gap-ms 300]
 *
 * Without --data, a checklist-only index of LAWS_DIR (default ../shared/corpus/laws) is built in a temp dir.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openRecords } from '../src/records/index.ts';
import { startDingTalkServer } from '../tests/helpers/dingtalk-server.ts';
import { startFeishuServer } from '../tests/helpers/feishu-server.ts';
import { formatLatency, prepareBenchData } from './bench-support.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    laws: { type: 'string' },
    knowledge: { type: 'string' },
    rounds: { type: 'string', default: '20' },
    'gap-ms': { type: 'string', default: '300' },
  },
});
const ROUNDS = Number(values.rounds);
const GAP_MS = Number(values['gap-ms']);
const QUESTION = '预算年度是怎么规定的？';
const CITATION = '《中华人民共和国预算法》第十八条';
const repo = resolve(import.meta.dirname, '..');
const lawsDir = resolve(values.laws ?? process.env.LAWS_DIR ?? join(repo, '../shared/corpus/laws'));
const knowledgeDir = resolve(values.knowledge ?? join(repo, 'knowledge'));

const { work, dataDir } = await prepareBenchData('pufa-bench-dingfei-', { data: values.data, lawsDir, knowledgeDir });
const dt = await startDingTalkServer({ cardTemplateId: 'pufa-card.schema' });
const fs = await startFeishuServer();
const dingUser = { staffId: '0420001', nick: '张三' };
const feishuUser = { openId: 'ou_bench', name: '李四' };

const records = openRecords({ dataDir });
await records.users.create({ identity: { channel: 'dingtalk', id: dingUser.staffId }, name: dingUser.nick, department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
await records.users.create({ identity: { channel: 'feishu', id: feishuUser.openId }, name: feishuUser.name, department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
await records.close();

const bot = spawn(process.execPath, [join(repo, 'bin/pufa.js'), 'start', '--data', dataDir, '--laws', lawsDir, '--knowledge', knowledgeDir], {
  cwd: work,
  env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ...dt.env({ cardTemplateId: 'pufa-card.schema' }), ...fs.env() },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const exited = new Promise<number | null>((r) => bot.on('exit', r));
const pause = () => new Promise((r) => setTimeout(r, GAP_MS));

try {
  await dt.waitUntil(() => dt.connected(), 120_000, 'the robot on DingTalk');
  await fs.waitUntil(() => fs.connected(), 120_000, 'the bot on Feishu');

  const ding: number[] = [];
  let dingWrong = 0;
  for (let i = 0; i < ROUNDS; i++) {
    if (i) await pause();
    const since = dt.messages.length;
    const { frame } = dt.write(dingUser, QUESTION);
    const reply = await dt.waitForMessage((m) => m.chatId === `user:${dingUser.staffId}`, { since, timeoutMs: 30_000 });
    if (!reply.text.includes(CITATION)) dingWrong++;
    ding.push(reply.at - dt.servedAt.get(frame.headers.messageId!)!);
  }

  const feishu: number[] = [];
  let feishuWrong = 0;
  for (let i = 0; i < ROUNDS; i++) {
    if (i) await pause();
    const since = fs.messages.length;
    const ev = fs.write(feishuUser, QUESTION);
    const reply = await fs.waitForMessage((m) => m.chatId === fs.privateChat(feishuUser), { since, timeoutMs: 30_000 });
    if (!reply.text.includes(CITATION)) feishuWrong++;
    feishu.push(reply.at - ev.servedAt!);
  }
  bot.kill('SIGTERM');
  const code = await exited;

  console.log(`bench-dingfei — real \`pufa start\` process (DingTalk Stream + Feishu long connection) against local stand-ins`);
  console.log(`DingTalk: 「${QUESTION}」 ×${ROUNDS}, frame written → card with ${CITATION}: ${formatLatency(ding)}; without the citation: ${dingWrong}; within 1 s: ${ding.filter((x) => x <= 1000).length}/${ROUNDS}`);
  console.log(`Feishu:   「${QUESTION}」 ×${ROUNDS}, event frame written → card with ${CITATION}: ${formatLatency(feishu)}; without the citation: ${feishuWrong}; within 1 s: ${feishu.filter((x) => x <= 1000).length}/${ROUNDS}`);
  console.log(`exit code after SIGTERM: ${code}`);
  process.exitCode = dingWrong || feishuWrong || code !== 0 ? 1 : 0;
} finally {
  if (bot.exitCode === null) bot.kill('SIGKILL');
  await dt.close();
  await fs.close();
  if (existsSync(work)) await rm(work, { recursive: true, force: true });
}
