/**
 * Fill a data directory's records with a simulated term (40 users, 12 weeks of quizzes), to try the admin
 * chat commands, exports and dashboard on realistic data:
 *   node bin/pufa-script.js scripts/simulate-term.ts --data /tmp/pufa-demo [--users 40] [--weeks 12] [--seed 1] [--now 2026-11-27T04:00:00Z]
 * Refuses a database that already has users (it never mixes simulated people into real records).
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { openSqliteRecords } from '../src/records/index.ts';
import { simulateTerm } from '../tests/helpers/simulate-term.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    users: { type: 'string', default: '40' },
    weeks: { type: 'string', default: '12' },
    seed: { type: 'string', default: '1' },
    now: { type: 'string' },
  },
});
if (!values.data) {
  console.error('用法：node bin/pufa-script.js scripts/simulate-term.ts --data DIR [--users 40] [--weeks 12] [--seed 1] [--now ISO时间]');
  process.exit(2);
}
const file = join(resolve(values.data), 'pufa.sqlite');
const records = openSqliteRecords(file);
try {
  const existing = (await records.users.list()).length;
  if (existing > 0) {
    console.error(`${file} 中已有 ${existing} 个用户：模拟数据只写入空数据库。`);
    process.exitCode = 1;
  } else {
    const term = await simulateTerm(records, {
      users: Number(values.users),
      weeks: Number(values.weeks),
      seed: values.seed,
      now: values.now ? new Date(values.now) : undefined,
    });
    console.log(
      `已写入模拟学期：${term.users.length} 人，${term.weeks[0]} 至 ${term.currentWeek}，${term.attempts} 次作答、${term.answers} 道题。数据库：${file}`,
    );
  }
} finally {
  await records.close();
}
