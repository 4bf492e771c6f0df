/**
 * The dashboard's limits: a 300 MB POST to /login is refused without the process growing (a real `pufa admin`
 * process, its peak memory read from /proc), and the login throttle stops guessing without locking out the
 * real admin.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminApp } from '../../src/admin/web/app.ts';
import { silentLogger } from '../../src/log.ts';
import { REPO_ROOT } from '../helpers/test-index.ts';
import { cookieOf, termFixture, type Fixture } from './fixture.ts';

const TOKEN = 'correct-horse-battery-staple-42';
const MB = 1024 * 1024;

/** Peak resident memory of a process (VmHWM), in bytes. */
async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/**
 * POST `total` bytes to `url` over a plain socket, with a declared length or chunked, reading whatever the
 * server answers while we keep sending (a server that refuses early closes the connection mid-upload; the
 * write errors that follow are expected and ignored).
 */
function streamPost(url: string, total: number, chunked: boolean): Promise<{ status: number; body: string; sent: number }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let sent = 0;
    const chunk = Buffer.alloc(MB, 'a');
    const finish = () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4), sent });
    };
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    socket.on('error', () => undefined);
    socket.on('close', finish);
    const head = [`POST ${pathname} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Content-Type: application/x-www-form-urlencoded'];
    head.push(chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${total}`);
    socket.write(head.join('\r\n') + '\r\n\r\n');
    const pump = () => {
      while (sent < total && !socket.destroyed && !received) {
        sent += chunk.length;
        const ok = chunked ? socket.write(`${chunk.length.toString(16)}\r\n`) && socket.write(chunk) && socket.write('\r\n') : socket.write(chunk);
        if (!ok) return void socket.once('drain', pump);
      }
      if (sent >= total && !socket.destroyed) socket.end(chunked ? '0\r\n\r\n' : '');
    };
    pump();
  });
}

describe('request bodies', () => {
  let child: ChildProcess;
  let url: string;
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await termFixture();
    child = spawn(process.execPath, [join(REPO_ROOT, 'bin/pufa.js'), 'admin', '--port', '0', '--data', fixture.config.dataDir, '--knowledge', fixture.config.knowledgeDir], {
      cwd: fixture.dir,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ADMIN_WEB_TOKEN: TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /管理后台：(http:\/\/[^/\s]+)\//.exec(err);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`pufa admin exited ${code}: ${err}`)));
    });
  });
  afterAll(async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await fixture.close();
  });

  it('refuses a 300 MB POST to /login (declared or chunked) and stays under 300 MB of memory', async () => {
    const declared = await streamPost(`${url}/login`, 300 * MB, false);
    expect(declared.status).toBe(413);
    expect(declared.body).toContain('提交的内容过大');
    expect(declared.sent).toBeLessThan(300 * MB);
    const chunked = await streamPost(`${url}/login`, 300 * MB, true);
    expect(chunked.status).toBe(413);
    expect(chunked.sent).toBeLessThan(300 * MB);
    expect(await peakRss(child.pid!)).toBeLessThan(300 * MB);
    // Still serving afterwards.
    expect((await fetch(`${url}/login`)).status).toBe(200);
  });
});

describe('login throttle', () => {
  let fixture: Fixture;
  let app: ReturnType<typeof createAdminApp>;
  beforeAll(async () => {
    fixture = await termFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });
  const fresh = () => {
    app = createAdminApp({ records: fixture.records, stats: fixture.stats, token: TOKEN, faqDir: join(fixture.dir, 'faq'), logger: silentLogger, now: fixture.now });
  };

  /** One login attempt from a browser holding `cookies` (all from the same local address). */
  async function attempt(token: string, cookies: Record<string, string> = {}) {
    const page = await app.request('/login', { headers: { cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ') } });
    const nonce = cookieOf(page, 'pufa_admin_login')!;
    const jar = { ...cookies, pufa_admin_login: nonce };
    const res = await app.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ') },
      body: new URLSearchParams({ _login: nonce, token, next: '/' }).toString(),
    });
    return { location: res.headers.get('location'), session: cookieOf(res, 'pufa_admin_session'), device: cookieOf(res, 'pufa_admin_device') };
  }

  it('a script repeating one stale token never locks the admin out', async () => {
    fresh();
    for (let i = 0; i < 50; i++) expect((await attempt('old-token-from-last-year')).location).toBe('/login?failed=1');
    expect((await attempt(TOKEN)).session).toBeTruthy();
  });

  it('guessing is stopped after 10 different wrong tokens a minute from one address', async () => {
    fresh();
    for (let i = 0; i < 10; i++) expect((await attempt(`guess-${i}`)).location).toBe('/login?failed=1');
    expect((await attempt('guess-10')).location).toBe('/login?failed=busy');
    // A new browser with the right token is refused too: nothing tells it apart from the guesser.
    expect((await attempt(TOKEN)).location).toBe('/login?failed=busy');
  });

  it('a browser that logged in before gets in with the right token during a flood of guesses', async () => {
    fresh();
    const first = await attempt(TOKEN);
    expect(first.device).toMatch(/^[\w-]{16}\.\d+\.[\w-]{43}$/);
    for (let i = 0; i < 100; i++) await attempt(`flood-${i}`);
    expect((await attempt(TOKEN)).location).toBe('/login?failed=busy');
    const trusted = await attempt(TOKEN, { pufa_admin_device: first.device! });
    expect(trusted.session).toBeTruthy();
    expect(trusted.location).toBe('/');
    // A forged or foreign device cookie buys nothing.
    const forged = first.device!.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await attempt(TOKEN, { pufa_admin_device: forged })).location).toBe('/login?failed=busy');
  });
});
