/**
 * Benchmark of the weekly quiz: N users (300 by default) take their quiz at the same time through the local
 * Bot API server (tests/helpers/bot-api-server.ts), each pressing like a person (a pause of --think-min to
 * --think-max ms before each press). Measured on the server's clock: from a press being handed to the bot
 * (getUpdates) to the bot's edit of the quiz message — answer → feedback, 下一题 → next question. Then the
 * bot is stopped and the database checked: every answer recorded exactly once, no quiz lost or mixed.
 *
 *   node bin/pufa-script.js scripts/bench-quiz.ts [--users 300] [--runs 3] [--think-min 1000] [--think-max 3000]
 *        [--telegram-limits] [--data DIR] [--laws DIR]
 *
 * The bot runs in its own process. By default it is the app's chat core (src/app/) with the Telegram throttler's global
 * 30 messages/s cap lifted (the local server has no cap): that measures pufa. With --telegram-limits it is
 * the real `pufa bot` with the production throttler, where 300 people pressing every 2 s offer ~150 edits/s
 * and Telegram's cap, not pufa, sets the waiting time.
 */
import { median, percentile } from '../src/metrics.ts';
import { formatLatency, prepareBenchData } from './bench-support.ts';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openRecords } from '../src/records/index.ts';
import { createSqliteTraining } from '../src/records/training.ts';
import { createRandom } from '../src/quiz/random.ts';
import { startBotApiServer } from '../tests/helpers/bot-api-server.ts';
import { callDispatcher, takeQuiz, type QuizPlay } from '../tests/helpers/quiz-driver.ts';

const { values } = parseArgs({
  options: {
    child: { type: 'boolean' },
    data: { type: 'string' },
    laws: { type: 'string' },
    knowledge: { type: 'string' },
    users: { type: 'string', default: '300' },
    runs: { type: 'string', default: '3' },
    'think-min': { type: 'string', default: '1000' },
    'think-max': { type: 'string', default: '3000' },
    'telegram-limits': { type: 'boolean' },
  },
});
const repo = resolve(import.meta.dirname, '..');

if (values.child) {
  // The bot as `pufa bot` wires it, minus the throttler's global cap. Env as for the real bot.
  const { loadConfig: load } = await import('../src/config.ts');
  const { createLogger } = await import('../src/log.ts');
  const { createApp } = await import('../src/app/app.ts');
  const { createTelegramBot, DEFAULT_THROTTLE } = await import('../src/chat/telegram/bot.ts');
  const config = load(process.env, { dataDir: values.data, lawsDir: values.laws, knowledgeDir: values.knowledge });
  const logger = createLogger(config.logLevel);
  const app = createApp(config, logger);
  const telegram = createTelegramBot(config.telegram.token!, { core: await app.chat(), config, logger, throttle: { ...DEFAULT_THROTTLE, global: {} } });
  const running = await telegram.start();
  const stop = async () => {
    await running.stop();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  await new Promise(() => {});
}

const USERS = Number(values.users);
const RUNS = Number(values.runs);
const THINK_MIN = Number(values['think-min']);
const THINK_MAX = Number(values['think-max']);
const lawsDir = resolve(values.laws ?? process.env.LAWS_DIR ?? join(repo, '../shared/corpus/laws'));
const knowledgeDir = resolve(values.knowledge ?? join(repo, 'knowledge'));


const { work, dataDir } = await prepareBenchData('pufa-bench-quiz-', { data: values.data, lawsDir, knowledgeDir });

const api = await startBotApiServer();
// Each run is a fresh set of colleagues (a person takes the week's quiz once).
const people = Array.from({ length: USERS * RUNS }, (_, i) => ({ id: 400_000 + i, first_name: `同事${i + 1}` }));
const seeded = openRecords({ dataDir });
for (const p of people) {
  await seeded.users.create({ identity: { channel: 'telegram', id: String(p.id) }, name: p.first_name, department: '预算科', rank: '一级科员', roles: ['全体干部'], status: 'active' });
}
await seeded.close();

const env = { PATH: process.env.PATH, LOG_LEVEL: 'error', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, RATE_LIMIT_PER_MINUTE: '1000' };
const dirs = ['--data', dataDir, '--laws', lawsDir, '--knowledge', knowledgeDir];
const bot = values['telegram-limits']
  ? spawn(process.execPath, [join(repo, 'bin/pufa.js'), 'bot', ...dirs], { cwd: work, env, stdio: ['ignore', 'inherit', 'inherit'] })
  : spawn(process.execPath, [join(repo, 'bin/pufa-script.js'), join(repo, 'scripts/bench-quiz.ts'), '--child', ...dirs], { cwd: work, env, stdio: ['ignore', 'inherit', 'inherit'] });
const exited = new Promise<number | null>((r) => bot.on('exit', r));

let failed = false;
try {
  await api.waitFor((c) => c.method === 'setMyCommands', { timeoutMs: 120_000 });
  const d = callDispatcher(api);
  const rng = createRandom('bench-quiz');
  const think = () => THINK_MIN + rng.next() * (THINK_MAX - THINK_MIN);
  const perRun: { answer: number[]; next: number[]; all: number[]; start: number[]; wall: number }[] = [];
  const allPlays: { play: QuizPlay; u: number }[] = [];
  console.log(
    `bench-quiz — ${USERS} users take the weekly quiz at once, ${RUNS} runs, ${THINK_MIN}–${THINK_MAX} ms before each press; bot: ${values['telegram-limits'] ? '`pufa bot` (production throttler)' : 'app chat core, no global 30/s cap'}`,
  );
  for (let run = 0; run < RUNS; run++) {
    const group = people.slice(run * USERS, (run + 1) * USERS);
    const t0 = performance.now();
    const plays = await Promise.all(
      group.map((p, k) =>
        takeQuiz(api, d, p, { think, choose: (i, n) => (i + run * USERS + k) % n, timeoutMs: 300_000 }),
      ),
    );
    const wall = performance.now() - t0;
    plays.forEach((play, k) => allPlays.push({ play, u: run * USERS + k }));
    const lat = plays.flatMap((p) => p.latencies);
    const pick = (kind: string) => lat.filter((l) => l.kind === kind).map((l) => l.ms);
    const r = { answer: pick('answer'), next: pick('next'), start: pick('start'), all: lat.filter((l) => l.kind !== 'start').map((l) => l.ms), wall };
    perRun.push(r);
    console.log(`run ${run + 1}: all ${USERS} finished in ${(wall / 1000).toFixed(1)} s`);
    console.log(`  answer → feedback      ${formatLatency(r.answer)}`);
    console.log(`  下一题 → next question  ${formatLatency(r.next)}`);
    console.log(`  every press (incl. 多选 ticks) ${formatLatency(r.all)}`);
    console.log(`  /quiz → first question ${formatLatency(r.start)}`);
  }
  d.stop();
  bot.kill('SIGTERM');
  const code = await exited;

  // The records: exactly once, nothing lost, nothing mixed.
  const records = openRecords({ dataDir });
  const training = createSqliteTraining(records.db);
  let lost = 0;
  let mixed = 0;
  let wrongCount = 0;
  for (const { play, u } of allPlays) {
    const user = await records.users.findByIdentity({ channel: 'telegram', id: String(people[u]!.id) });
    const ids = [...play.attemptIds];
    const attempt = ids.length === 1 ? await training.getAttempt(Number(ids[0])) : undefined;
    if (!attempt || attempt.status !== 'completed') {
      lost++;
      continue;
    }
    if (attempt.userId !== user!.id) mixed++;
    const answers = await training.answers(attempt.id);
    if (answers.length !== 10 || answers.some((a, i) => a.questionIndex !== i)) wrongCount++;
    if (answers.some((a, i) => a.questionId !== attempt.questions[i]!.id || a.chosen[0] !== (i + u) % attempt.questions[i]!.options.length)) mixed++;
  }
  const count = (sql: string) => (records.db.prepare(sql).get() as { n: number }).n;
  const totals = { answers: count('SELECT COUNT(*) AS n FROM quiz_answers'), attempts: count('SELECT COUNT(*) AS n FROM quiz_attempts'), statements: count('SELECT COUNT(*) AS n FROM xapi_statements') };
  await records.close();
  const expected = USERS * RUNS;
  console.log(`records: ${totals.attempts} attempts (expected ${expected}), ${totals.answers} answers (expected ${expected * 10}), ${totals.statements} xAPI statements`);
  console.log(`  quizzes lost ${lost}, mixed ${mixed}, users without exactly 10 answers ${wrongCount}; bot exit code ${code}`);
  const p95s = perRun.map((r) => percentile(r.all, 95));
  const p50s = perRun.map((r) => median(r.all));
  console.log(
    `over ${RUNS} runs: press → edit median ${p50s.map((x) => x.toFixed(0)).join(' / ')} ms, p95 ${p95s.map((x) => x.toFixed(0)).join(' / ')} ms; median of p95s ${median(p95s).toFixed(0)} ms (bar: ≤ 300 ms)`,
  );
  failed = lost > 0 || mixed > 0 || wrongCount > 0 || totals.answers !== expected * 10 || totals.attempts !== expected || totals.statements !== expected;
} finally {
  if (bot.exitCode === null) bot.kill('SIGKILL');
  await api.close();
  if (existsSync(work)) await rm(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
