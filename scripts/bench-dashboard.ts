/**
 * The dashboard's heaviest pages, over HTTP from a real `pufa admin` process: the knowledge page over a given
 * index (cold: the first request, which opens the index; warm: the next ones) and its size, plain and as sent
 * (gzip). Each run is a fresh process on a fresh records database beside the index; medians over the runs.
 *
 *   node bin/pufa-script.js scripts/bench-dashboard.ts --data DIR [--laws DIR] [--runs 5] [--warm 10] [--pufa bin/pufa.js]
 *
 * `--pufa` runs another checkout's bin/pufa.js (to compare with an earlier version on the same index).
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { prepareBenchData } from './bench-support.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    laws: { type: 'string', default: resolve('../shared/corpus/laws') },
    knowledge: { type: 'string', default: resolve('knowledge') },
    runs: { type: 'string', default: '5' },
    warm: { type: 'string', default: '10' },
    pufa: { type: 'string', default: resolve('bin/pufa.js') },
    path: { type: 'string', default: '/knowledge' },
  },
});
if (!values.data) {
  process.stderr.write('usage: bench-dashboard.ts --data DIR (a data directory with a built index)\n');
  process.exit(2);
}
const TOKEN = 'bench-dashboard-token-7c1e';
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** GET with gzip accepted: milliseconds to the last byte, bytes on the wire, bytes of the page. */
function get(url: string, cookie: string): Promise<{ ms: number; wire: number; plain: number; status: number }> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const req = request(url, { headers: { cookie, 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const plain = res.headers['content-encoding'] === 'gzip' ? gunzipSync(body).length : body.length;
        done({ ms: performance.now() - t0, wire: body.length, plain, status: res.statusCode ?? 0 });
      });
    });
    req.on('error', fail);
    req.end();
  });
}

async function oneRun(): Promise<{ cold: number; warm: number; wire: number; plain: number }> {
  const { work, dataDir } = await prepareBenchData('pufa-bench-dashboard-', { data: values.data, lawsDir: values.laws!, knowledgeDir: values.knowledge! });
  const child = spawn(process.execPath, [values.pufa!, 'admin', '--port', '0', '--data', dataDir, '--laws', values.laws!, '--knowledge', values.knowledge!], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ADMIN_WEB_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const url = await new Promise<string>((ok, fail) => {
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /管理后台：(http:\/\/[^/\s]+)\//.exec(err);
        if (m) ok(m[1]!);
      });
      child.once('exit', (code) => fail(new Error(`pufa admin exited ${code}: ${err}`)));
    });
    const page = await fetch(`${url}/login`);
    const nonce = /pufa_admin_login=([^;]+)/.exec(page.headers.getSetCookie().join('\n'))![1]!;
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pufa_admin_login=${nonce}` },
      body: new URLSearchParams({ _login: nonce, token: TOKEN, next: '/' }),
    });
    const cookie = /pufa_admin_session=[^;]+/.exec(login.headers.getSetCookie().join('\n'))![0];
    const cold = await get(`${url}${values.path}`, cookie);
    if (cold.status !== 200) throw new Error(`${values.path}: HTTP ${cold.status}`);
    const warm: number[] = [];
    for (let i = 0; i < Number(values.warm); i++) warm.push((await get(`${url}${values.path}`, cookie)).ms);
    return { cold: cold.ms, warm: median(warm), wire: cold.wire, plain: cold.plain };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(work, { recursive: true, force: true });
  }
}

const results = [];
for (let i = 0; i < Number(values.runs); i++) {
  const r = await oneRun();
  results.push(r);
  process.stderr.write(`run ${i + 1}: cold ${r.cold.toFixed(0)} ms, warm median ${r.warm.toFixed(1)} ms, ${(r.plain / 1024).toFixed(1)} KB (${(r.wire / 1024).toFixed(1)} KB sent)\n`);
}
console.log(
  `${values.path} over ${join(values.data!, 'index')}, ${results.length} runs (${values.pufa}): ` +
    `cold median ${median(results.map((r) => r.cold)).toFixed(0)} ms · warm median ${median(results.map((r) => r.warm)).toFixed(1)} ms · ` +
    `${(median(results.map((r) => r.plain)) / 1024).toFixed(1)} KB, ${(median(results.map((r) => r.wire)) / 1024).toFixed(1)} KB sent`,
);
