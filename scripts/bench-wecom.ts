/**
 * Benchmark of WeCom against the local WeCom stand-in (tests/helpers/wecom-server.ts):
 *  1. a colleague asks 「预算年度是怎么规定的？」 N times: time from the encrypted callback arriving at pufa to
 *     the message/send call carrying 《中华人民共和国预算法》第十八条;
 *  2. 50 colleagues ask at the same moment: every one answered, none twice; latency per colleague.
 * pufa is the real `pufa start` process (bin/pufa.js) with WeCom configured and production pacing.
 *
 *   node bin/pufa-script.js scripts/bench-wecom.ts [--data DIR] [--laws DIR] [--users 50] [--rounds 20] [--gap-ms 1000]
 *
 * Without --data, a checklist-only index of LAWS_DIR (default ../shared/corpus/laws) is built in a temp dir.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openRecords } from '../src/records/index.ts';
import type { Identity } from '../src/records/types.ts';
import { freePort, startWeComServer, type WeComCall } from '../tests/helpers/wecom-server.ts';
import { askBenchArgs, BENCH_CITATION, BENCH_QUESTION, formatLatency, prepareBenchData } from './bench-support.ts';

const { data, users: USERS, rounds: ROUNDS, gapMs: GAP_MS, repo, lawsDir, knowledgeDir } = askBenchArgs();
const QUESTION = BENCH_QUESTION;
const CITATION = BENCH_CITATION;
const wecomId = (userid: string): Identity => ({ channel: 'wecom', id: userid });

const { work, dataDir } = await prepareBenchData('pufa-bench-wecom-', { data, lawsDir, knowledgeDir });
const wecom = await startWeComServer();
const asker = 'wangjuzhang';
const staff = Array.from({ length: USERS }, (_, i) => `tongshi${String(i + 1).padStart(3, '0')}`);

// The colleagues registered and approved before pufa starts, as a running office would have them.
const records = openRecords({ dataDir });
for (const userid of [asker, ...staff]) {
  await records.users.create({ identity: wecomId(userid), name: userid, department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
}
await records.close();

const port = await freePort();
wecom.callbackUrl = `http://127.0.0.1:${port}/wecom/callback`;
const pufa = spawn(process.execPath, [join(repo, 'bin/pufa.js'), 'start', '--data', dataDir, '--laws', lawsDir, '--knowledge', knowledgeDir], {
  cwd: work,
  env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ...wecom.env, WECOM_LISTEN_PORT: String(port) },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const exited = new Promise<number | null>((r) => pufa.on('exit', r));

/** The first message/send to `userid` whose text (text message or card) names the citation. */
const content = (c: WeComCall) => JSON.stringify(c.body.text ?? c.body.template_card ?? {});
const replyTo = (userid: string) => (c: WeComCall) => c.path === '/cgi-bin/message/send' && c.errcode === 0 && c.body.touser === userid && content(c).includes(CITATION);
const cardTo = (userid: string) => (c: WeComCall) => c.path === '/cgi-bin/message/send' && c.errcode === 0 && c.body.touser === userid && c.body.msgtype === 'template_card';

let failures = 0;
try {
  // Up when WeCom's URL verification passes (the admin console does the same when saving the URL).
  for (let i = 0; ; i++) {
    const ok = await wecom.verifyUrl().then((v) => v.status === 200 && v.text === v.echo, () => false);
    if (ok) break;
    if (i > 600 || pufa.exitCode !== null) throw new Error('pufa did not start its WeCom callback');
    await new Promise((r) => setTimeout(r, 100));
  }

  // 1. One colleague, one question at a time.
  const single: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i) await new Promise((r) => setTimeout(r, GAP_MS));
    const since = wecom.calls.length;
    const push = await wecom.sendText(asker, QUESTION);
    const reply = await wecom.waitFor(replyTo(asker), { since, timeoutMs: 30_000 }).catch(() => undefined);
    if (!reply) {
      failures++;
      console.log(`   round ${i + 1}: no reply with the citation`);
      continue;
    }
    single.push(reply.at - push.sentAt);
    await wecom.waitFor(cardTo(asker), { since, timeoutMs: 30_000 });
  }

  // 2. Fifty colleagues at once.
  const since = wecom.calls.length;
  const t0 = performance.now();
  const pushes = await Promise.all(staff.map((u) => wecom.sendText(u, QUESTION)));
  await wecom.waitForCount((c) => staff.some((u) => cardTo(u)(c)), USERS, { since, timeoutMs: 120_000 });
  const wall = performance.now() - t0;
  // Stop pufa (it finishes what is in flight) before counting, so a late duplicate would be seen.
  pufa.kill('SIGTERM');
  const code = await exited;
  const burst: number[] = [];
  let missing = 0;
  let twice = 0;
  for (const [i, u] of staff.entries()) {
    const replies = wecom.calls.slice(since).filter(replyTo(u));
    if (replies.length === 0) missing++;
    if (replies.length > 1) twice++;
    if (replies[0]) burst.push(replies[0].at - pushes[i]!.sentAt);
  }
  const acks = pushes.map((p) => p.answeredAt - p.sentAt);

  console.log(`bench-wecom — real \`pufa start\` process (WeCom) against the local WeCom stand-in (${wecom.apiRoot})`);
  console.log(`1. a colleague asks 「${QUESTION}」 ×${ROUNDS} (${GAP_MS} ms apart), callback sent → message/send with ${CITATION}:`);
  console.log(`   ${formatLatency(single)}; without the citation: ${failures}; within 1 s: ${single.filter((x) => x <= 1000).length}/${ROUNDS}`);
  console.log(`2. ${USERS} colleagues ask at once: answered ${USERS - missing}/${USERS}, twice ${twice}`);
  console.log(`   per colleague (callback sent → reply): ${formatLatency(burst)}; all ${USERS} answered after ${wall.toFixed(0)} ms`);
  console.log(`   callback answered (HTTP 200 to WeCom): ${formatLatency(acks)}`);
  console.log(`   pufa exit code after SIGTERM: ${code}`);
  process.exitCode = failures || missing || twice || code !== 0 ? 1 : 0;
} finally {
  if (pufa.exitCode === null) pufa.kill('SIGKILL');
  await wecom.close();
  if (existsSync(work)) await rm(work, { recursive: true, force: true });
}
