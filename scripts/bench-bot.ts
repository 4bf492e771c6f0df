/**
 * Benchmark of the Telegram bot against the local Bot API server (tests/helpers/bot-api-server.ts):
 *  1. an admin from ADMIN_TELEGRAM_IDS asks 「预算年度是怎么规定的？」 N times: time from the update being
 *     served (getUpdates response) to the reply carrying 《中华人民共和国预算法》第十八条;
 *  2. 50 registered users ask at the same moment: every one answered, none twice; latency per user.
 * The bot is the real `pufa bot` process (bin/pufa.js) with the production settings (throttler included).
 *
 *   node bin/pufa-script.js scripts/bench-bot.ts [--data DIR] [--laws DIR] [--users 50] [--rounds 20] [--gap-ms 1000]
 *
 * Without --data, a checklist-only index of LAWS_DIR (default ../shared/corpus/laws) is built in a temp dir.
 */
import { askBenchArgs, BENCH_CITATION, BENCH_QUESTION, formatLatency, prepareBenchData } from './bench-support.ts';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openRecords } from '../src/records/index.ts';
import { startBotApiServer, type RecordedCall } from '../tests/helpers/bot-api-server.ts';

const { data, users: USERS, rounds: ROUNDS, gapMs: GAP_MS, repo, lawsDir, knowledgeDir } = askBenchArgs();
const QUESTION = BENCH_QUESTION;
const CITATION = BENCH_CITATION;


const { work, dataDir } = await prepareBenchData('pufa-bench-bot-', { data, lawsDir, knowledgeDir });

const api = await startBotApiServer();
const ADMIN = { id: 1001, first_name: '王局长' };
const staff = Array.from({ length: USERS }, (_, i) => ({ id: 200_000 + i, first_name: `同事${i + 1}` }));

// The 50 colleagues registered and approved before the bot starts, as a running office would have them.
const records = openRecords({ dataDir });
for (const u of staff) {
  await records.users.create({ identity: { channel: 'telegram', id: String(u.id) }, name: u.first_name, department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
}
await records.close();

const bot = spawn(process.execPath, [join(repo, 'bin/pufa.js'), 'bot', '--data', dataDir, '--laws', lawsDir, '--knowledge', knowledgeDir], {
  cwd: work,
  env: { PATH: process.env.PATH, LOG_LEVEL: 'error', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ADMIN_TELEGRAM_IDS: String(ADMIN.id) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const exited = new Promise<number | null>((r) => bot.on('exit', r));

const replyTo = (chatId: number) => (c: RecordedCall) => c.method === 'sendMessage' && Number(c.payload.chat_id) === chatId;
let failures = 0;
try {
  await api.waitFor((c) => c.method === 'setMyCommands', { timeoutMs: 60_000 });

  // 1. One admin, one question at a time.
  const single: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i) await new Promise((r) => setTimeout(r, GAP_MS));
    const since = api.calls.length;
    const update = api.text(ADMIN, QUESTION);
    const reply = await api.waitFor(replyTo(ADMIN.id), { since, timeoutMs: 30_000 });
    if (!String(reply.payload.text).includes(CITATION)) {
      failures++;
      console.log(`   round ${i + 1}: reply without the citation: ${String(reply.payload.text).slice(0, 80)}`);
    }
    single.push(reply.at - api.servedAt.get(update.update_id)!);
  }

  // 2. Fifty colleagues at once.
  const since = api.calls.length;
  const t0 = performance.now();
  const updates = staff.map((u) => api.text(u, QUESTION));
  await api.waitForCount((c) => c.method === 'sendMessage' && staff.some((u) => replyTo(u.id)(c)), USERS, { since, timeoutMs: 120_000 });
  const wall = performance.now() - t0;
  // Stop the bot (it finishes what is in flight) before counting, so a late duplicate would be seen.
  bot.kill('SIGTERM');
  const code = await exited;
  const burst: number[] = [];
  let missing = 0;
  let twice = 0;
  let wrong = 0;
  for (const [i, u] of staff.entries()) {
    const replies = api.calls.slice(since).filter(replyTo(u.id));
    if (replies.length === 0) missing++;
    if (replies.length > 1) twice++;
    if (replies[0] && !String(replies[0].payload.text).includes(CITATION)) wrong++;
    if (replies[0]) burst.push(replies[0].at - api.servedAt.get(updates[i]!.update_id)!);
  }

  console.log(`bench-bot — real \`pufa bot\` process against the local Bot API server (${api.apiRoot})`);
  console.log(`1. admin asks 「${QUESTION}」 ×${ROUNDS} (${GAP_MS} ms apart), update served → reply with ${CITATION}:`);
  console.log(`   ${formatLatency(single)}; replies without the citation: ${failures}; within 1 s: ${single.filter((x) => x <= 1000).length}/${ROUNDS}`);
  console.log(`2. ${USERS} users ask at once: answered ${USERS - missing}/${USERS}, twice ${twice}, without the citation ${wrong}`);
  console.log(`   per user (served → reply): ${formatLatency(burst)}; all ${USERS} answered after ${wall.toFixed(0)} ms`);
  console.log(`   bot exit code after SIGTERM: ${code}`);
  process.exitCode = failures || missing || twice || wrong || code !== 0 ? 1 : 0;
} finally {
  if (bot.exitCode === null) bot.kill('SIGKILL');
  await api.close();
  if (existsSync(work)) await rm(work, { recursive: true, force: true });
}
