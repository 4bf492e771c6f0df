/**
 * The annual summary and the period report after a simulated year (52 weeks ending in the first week of 2027,
 * so all of 2026 is over): server time of the 2026 summary page, its XLSX and the year's report page, each the
 * median of several requests through the dashboard app (no network).
 *
 *   node bin/pufa-script.js scripts/bench-annual.ts [--users 40] [--runs 9]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAdminStats } from '../src/admin/stats.ts';
import { createAdminApp } from '../src/admin/web/app.ts';
import { issueLoginTicket } from '../src/admin/tickets.ts';
import { silentLogger } from '../src/log.ts';
import { openSqliteRecords } from '../src/records/index.ts';
import { simulateTerm } from '../tests/helpers/simulate-term.ts';

const { values } = parseArgs({ options: { users: { type: 'string', default: '40' }, runs: { type: 'string', default: '9' } } });
const NOW = new Date('2027-01-06T04:00:00Z');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const dir = await mkdtemp(join(tmpdir(), 'pufa-bench-annual-'));
try {
  const records = openSqliteRecords(join(dir, 'pufa.sqlite'));
  const t = performance.now();
  const term = await simulateTerm(records, { users: Number(values.users), weeks: 52, now: NOW });
  process.stderr.write(`simulated ${values.users} people × 52 weeks (${term.attempts} attempts, ${term.answers} answers) in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const stats = createAdminStats(records, { timezone: 'Asia/Shanghai', now: () => NOW });
  const app = createAdminApp({ records, stats, faqDir: join(dir, 'faq'), logger: silentLogger, now: () => NOW });
  const login = await app.request(`/login/link?t=${await issueLoginTicket(records.sessions, term.admin.id, NOW)}`);
  const cookie = /pufa_admin_session=[^;]+/.exec(login.headers.getSetCookie().join('\n'))![0];
  for (const path of ['/reports/annual?period=2026', '/reports/download?period=2026', '/reports?period=2026', '/questions?period=2026']) {
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < Number(values.runs); i++) {
      const t0 = performance.now();
      const res = await app.request(path, { headers: { cookie } });
      bytes = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
      ms.push(performance.now() - t0);
    }
    console.log(`${path}: median ${median(ms).toFixed(0)} ms over ${ms.length} requests, ${(bytes / 1024).toFixed(0)} KB`);
  }
  await records.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
