/**
 * A newcomer's first `npm start` with an empty laws folder: in a terminal it offers to download the checklist's
 * laws from the mirror (a LawRefBook mirror on 127.0.0.1); without a network it says in two lines what to do,
 * and the chat that opens does not pass the bureau's report off as law.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_LAWS_YET } from '../../src/answer/answerer.ts';
import { runPufa } from '../helpers/run-pufa.ts';
import { CORPUS_LAWS_DIR, REPO_ROOT, SEED_DIR } from '../helpers/test-index.ts';
import { buildLawRefBookIndex, serveMirror, type MirrorServer } from '../knowledge/helpers/lawrefbook-mirror.ts';

const ARTICLE_18 = '预算年度自公历一月一日起，至十二月三十一日止。';
let root: string;
let mirror: MirrorServer;

/** A bureau's fresh checkout: the checklist (two laws), the report, an empty laws folder. */
async function newcomer(name: string) {
  const dir = join(root, name);
  const knowledge = join(dir, 'knowledge');
  await mkdir(join(knowledge, 'checklists'), { recursive: true });
  await mkdir(join(knowledge, 'reports'), { recursive: true });
  await mkdir(join(dir, 'laws'));
  for (const f of await readdir(SEED_DIR)) await cp(join(SEED_DIR, f), join(knowledge, 'reports', f));
  await cp(join(REPO_ROOT, 'knowledge', 'quizzes'), join(knowledge, 'quizzes'), { recursive: true });
  await writeFile(join(knowledge, 'checklists', 'must-know.yaml'), 'roles:\n  - name: 全体干部\n    laws:\n      - title: 预算法\n      - title: 会计法\n');
  return { dir, flags: ['--data', join(dir, 'data'), '--knowledge', knowledge, '--laws', join(dir, 'laws')], laws: join(dir, 'laws') };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-first-run-'));
  const mirrorRoot = join(root, 'mirror');
  await mkdir(join(mirrorRoot, '经济法'), { recursive: true });
  for (const f of ['预算法(2018-12-29).md', '会计法(2024-06-28).md']) await cp(join(CORPUS_LAWS_DIR, '经济法', f), join(mirrorRoot, '经济法', f));
  await buildLawRefBookIndex(mirrorRoot, join(root, 'db.sqlite3'));
  mirror = await serveMirror(mirrorRoot, join(root, 'db.sqlite3'));
});
afterAll(async () => {
  await mirror.close();
  await rm(root, { recursive: true, force: true });
});

/** A port nothing listens on: a mirror that cannot be reached. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('first npm start with an empty laws folder', () => {
  it('in a terminal: offers the download, fetches the checklist laws, builds the index and answers from the law', async () => {
    const { dir, flags, laws } = await newcomer('tty');
    // A real terminal: `script` gives the command a pseudo-terminal, so it is asked exactly as a person is.
    const command = [process.execPath, join(REPO_ROOT, 'bin/pufa.js'), 'start', ...flags].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: dir,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'error', LAWS_MIRROR_URL: mirror.url, TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let seen = '';
    const waitFor = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no «${text}» in:\n${seen}`)), 60_000);
        const check = () => seen.includes(text) && (clearTimeout(timer), child.stdout.off('data', check), resolve());
        child.stdout.on('data', check);
        check();
      });
    child.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    await waitFor('[Y/n]');
    expect(seen).toContain(`现在从 ${mirror.url} 下载必学清单中的法规吗？`);
    child.stdin.write('y\r');
    await waitFor('普法助手 · 终端对话');
    expect(seen).toContain('已下载  经济法/预算法(2018-12-29).md');
    expect(seen).toMatch(/索引完成：2 部法规/);
    child.stdin.write('预算年度是怎么规定的？\r');
    await waitFor(ARTICLE_18);
    child.stdin.write('\x04');
    expect(await exited).toBe(0);
    expect((await readdir(join(laws, '经济法'))).sort()).toEqual(['会计法(2024-06-28).md', '预算法(2018-12-29).md']);
    expect(seen).not.toContain(NO_LAWS_YET);
  });

  it('without a network: two lines on what to do; the chat says the report is not law; /quiz names the cause', async () => {
    const { dir, flags } = await newcomer('offline');
    const run = await runPufa(['start', ...flags], {
      env: { LOG_LEVEL: 'warn', LAWS_MIRROR_URL: `http://127.0.0.1:${await closedPort()}` },
      cwd: dir,
      stdin: '预算年度是怎么规定的？\n/quiz\n',
    });
    expect(run.code).toBe(0);
    const lines = run.err.trim().split('\n');
    const at = lines.findIndex((l) => l.includes('里还没有法规文件'));
    expect(lines[at]).toMatch(/法规镜像 http:\/\/127\.0\.0\.1:\d+ 也连不上（ECONNREFUSED）。$/);
    expect(lines[at + 1]).toMatch(/^请把法规文件.*LAWS_MIRROR_URL.*npx pufa laws fetch，然后重新启动。$/);
    expect(lines.filter((l) => l.includes('还没有法规文件'))).toHaveLength(1);
    expect(run.err).not.toContain('题库文件');
    expect(run.out).toContain(NO_LAWS_YET);
    expect(run.out).toContain('知识库里还没有法规原文，暂时无法出题。');
  });

  it('without a terminal (a service): one line naming the command, nothing downloaded', async () => {
    const { dir, flags, laws } = await newcomer('service');
    const run = await runPufa(['start', ...flags], { env: { LOG_LEVEL: 'warn', LAWS_MIRROR_URL: mirror.url }, cwd: dir, stdin: '' });
    expect(run.code).toBe(0);
    expect(run.err).toContain(`运行 npx pufa laws fetch 可从 ${mirror.url} 下载必学清单中的法规，然后重新启动。`);
    expect(await readdir(laws)).toEqual([]);
  });
});
