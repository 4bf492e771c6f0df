/**
 * Benchmark of the intranet web chat: a real `pufa start` process (bin/pufa.js) with WEB_CHAT_PORT set,
 * spoken to over HTTP exactly as the page does (sign-in link, session cookie, CSRF token, the event
 * stream and /api/send; tests/helpers/web-chat-client.ts):
 *  1. one colleague asks 「预算年度是怎么规定的？」 N times: time from posting the message to the reply
 *     carrying 《中华人民共和国预算法》第十八条 arriving on the event stream;
 *  2. M colleagues, each with their page open, ask at the same moment: every one answered once, with the citation.
 *
 *   node bin/pufa-script.js scripts/bench-webchat.ts [--data DIR] [--laws DIR] [--rounds 20] [--users 50] [--gap-ms 1000]
 *
 * Without --data, a checklist-only index of LAWS_DIR (default ../shared/corpus/laws) is built in a temp dir.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createSignInGrants } from '../src/chat/web/signin.ts';
import { openRecords } from '../src/records/index.ts';
import { freePort } from '../tests/chat/web-harness.ts';
import { messageText, WebChatClient } from '../tests/helpers/web-chat-client.ts';
import { askBenchArgs, BENCH_CITATION as CITATION, BENCH_QUESTION as QUESTION, formatLatency, prepareBenchData } from './bench-support.ts';

const { data, users: USERS, rounds: ROUNDS, gapMs: GAP_MS, repo, lawsDir, knowledgeDir } = askBenchArgs();
const { work, dataDir } = await prepareBenchData('pufa-bench-webchat-', { data, lawsDir, knowledgeDir });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;

// Colleagues registered before the start, each with a sign-in link (as /weblink issues them).
const records = openRecords({ dataDir });
const grants = createSignInGrants(records.sessions, () => new Date());
const links: string[] = [];
for (let i = 0; i <= USERS; i++) {
  const u = await records.users.create({ identity: { channel: 'telegram', id: String(300_000 + i) }, name: `同事${i}`, department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
  links.push(`${base}/signin/link?t=${(await grants.issue(u.id, 3600_000)).token}`);
}
await records.close();

const pufa = spawn(process.execPath, [join(repo, 'bin/pufa.js'), 'start', '--data', dataDir, '--laws', lawsDir, '--knowledge', knowledgeDir], {
  cwd: work,
  env: { PATH: process.env.PATH, LOG_LEVEL: 'error', WEB_CHAT_PORT: String(port), WEB_CHAT_HOST: '127.0.0.1' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const exited = new Promise<number | null>((r) => pufa.on('exit', r));

async function waitForServer() {
  for (let i = 0; i < 600; i++) {
    if (pufa.exitCode !== null) throw new Error('pufa start exited early');
    try {
      if ((await fetch(`${base}/signin`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the web chat did not come up within 60 s');
}

/** Post the question and wait for the reply with the citation: ms from posting to its arrival. */
async function ask(c: WebChatClient): Promise<{ ms: number; cited: boolean }> {
  const reply = c.nextBotMessage((m) => m.buttons.length > 0 || messageText(m).includes(CITATION), 30_000);
  const t0 = performance.now();
  const res = await c.send(QUESTION);
  if (res.status !== 202) throw new Error(`send refused: HTTP ${res.status}`);
  const r = await reply;
  return { ms: r.at - t0, cited: messageText(r.m).includes(CITATION) };
}

const clients: WebChatClient[] = [];
let failures = 0;
try {
  await waitForServer();
  const signIn = async (link: string) => {
    const c = new WebChatClient(base);
    await c.signInWithLink(link);
    await c.connect();
    clients.push(c);
    return c;
  };

  // 1. One colleague, one question at a time.
  const one = await signIn(links[0]!);
  const single: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i) await new Promise((r) => setTimeout(r, GAP_MS));
    const r = await ask(one);
    if (!r.cited) failures++;
    single.push(r.ms);
  }

  // 2. Everyone at once, each with their page open.
  const many = await Promise.all(links.slice(1).map(signIn));
  const t0 = performance.now();
  const burst = await Promise.all(many.map(ask));
  const wall = performance.now() - t0;
  // Stop pufa (it finishes what is in flight) before counting, so a late duplicate would be seen.
  pufa.kill('SIGTERM');
  const code = await exited;
  let twice = 0;
  for (const c of many) {
    const replies = c.events.filter((e) => e.event.t === 'message' && e.event.m.from === 'bot' && messageText(e.event.m).includes(CITATION));
    if (replies.length !== 1) twice++;
  }
  const wrong = burst.filter((r) => !r.cited).length;

  console.log(`bench-webchat — real \`pufa start\` process with the web chat on ${base}, driven over HTTP as the page does`);
  console.log(`1. one colleague asks 「${QUESTION}」 ×${ROUNDS} (${GAP_MS} ms apart), message posted → reply with ${CITATION} on the event stream:`);
  console.log(`   ${formatLatency(single)}; replies without the citation: ${failures}; within 1 s: ${single.filter((x) => x <= 1000).length}/${ROUNDS}`);
  console.log(`2. ${USERS} colleagues ask at once: answered ${burst.length}/${USERS}, not exactly once ${twice}, without the citation ${wrong}`);
  console.log(`   per colleague (posted → reply): ${formatLatency(burst.map((r) => r.ms))}; all ${USERS} answered after ${wall.toFixed(0)} ms; within 1 s: ${burst.filter((r) => r.ms <= 1000).length}/${USERS}`);
  console.log(`   pufa exit code after SIGTERM: ${code}`);
  process.exitCode = failures || twice || wrong || code !== 0 ? 1 : 0;
} finally {
  for (const c of clients) c.disconnect();
  if (pufa.exitCode === null) pufa.kill('SIGKILL');
  if (existsSync(work)) await rm(work, { recursive: true, force: true });
}
