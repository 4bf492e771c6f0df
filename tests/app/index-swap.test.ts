/**
 * Knowledge from the web, through the app as npm start wires it: an admin uploads a law as .docx on the
 * dashboard and starts an ingest there; while it builds, questions keep being answered from the old index
 * (asked continuously, every one answered from the text of the law); once it is published the app switches —
 * the answerer the chat core holds looks the new law up, the quiz reads its articles, the dashboard counts it.
 */
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.ts';
import { startDashboard } from '../../src/app/transports.ts';
import type { Stoppable } from '../../src/app/lifecycle.ts';
import { issueLoginTicket } from '../../src/admin/tickets.ts';
import { silentLogger } from '../../src/log.ts';
import { runIngest } from '../../src/search/index.ts';
import { CORPUS_LAWS_DIR, makeKnowledgeDir, testConfig } from '../helpers/test-index.ts';

const NEW_LAW = [
  '某区财政资金监督试行条例',
  '（2025年6月30日某区人民政府第十次常务会议通过）',
  '第一章　总　　则',
  '第一条　为了加强本区财政资金监督，提高资金使用效益，制定本条例。',
  '第二条　本区各预算单位使用财政资金，适用本条例。',
  '第二章　监督检查',
  '第三条　区财政部门每年对重点项目资金开展一次绩效评价，评价结果向社会公开。',
  '第四条　预算单位应当在收到整改通知之日起三十日内报送整改情况。',
  '第三章　附　　则',
  '第五条　本条例自2025年8月1日起施行。',
];
const ARTICLE_3 = '区财政部门每年对重点项目资金开展一次绩效评价，评价结果向社会公开。';
const BUDGET_18 = '预算年度自公历一月一日起，至十二月三十一日止。';

let root: string;
let app: App;
let dashboard: Stoppable & { url: string };
let cookie: string;

async function docx(paragraphs: string[]): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] })) }] }));
}

const csrfOf = async (path: string) => {
  const html = await (await fetch(`${dashboard.url}${path}`, { headers: { cookie } })).text();
  return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-swap-'));
  // A laws folder of the economic laws (the budget law among them), copied from the shared corpus.
  const laws = join(root, 'laws', '经济法');
  await mkdir(laws, { recursive: true });
  for (const name of (await readdir(join(CORPUS_LAWS_DIR, '经济法'))).filter((n) => n.endsWith('.md')).sort().slice(0, 40)) {
    await cp(join(CORPUS_LAWS_DIR, '经济法', name), join(laws, name));
  }
  await cp(join(CORPUS_LAWS_DIR, '经济法', '预算法(2018-12-29).md'), join(laws, '预算法(2018-12-29).md'));
  const config = testConfig(root, { lawsDir: join(root, 'laws'), env: { ADMIN_WEB_PORT: '0' } });
  await makeKnowledgeDir(config.knowledgeDir);
  await runIngest(config);
  app = createApp(config, silentLogger);
  const admin = await app.records().users.create({ identity: { channel: 'telegram', id: '777' }, name: '李主任', status: 'active', isAdmin: true });
  const sink = { write: () => true };
  dashboard = await startDashboard(app, { stdin: process.stdin, stdout: sink, stderr: sink }, { port: 0 });
  const login = await fetch(`${dashboard.url}/login/link?t=${await issueLoginTicket(app.records().sessions, admin.id, new Date())}`, { redirect: 'manual' });
  cookie = /pufa_admin_session=[^;]+/.exec(login.headers.getSetCookie().join('\n'))![0];
}, 300_000);

afterAll(async () => {
  await dashboard?.stop();
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

describe('a law uploaded from the web, ingested from the web, while questions are answered', () => {
  it('before: the new law is unknown; the budget law is answered by lookup', async () => {
    const answerer = await app.answerer();
    const before = await answerer.answer('某区财政资金监督试行条例第三条');
    expect(before.answer).not.toContain(ARTICLE_3);
    const budget = await answerer.answer('预算法第十八条');
    expect([budget.mode, budget.citations[0]?.text]).toEqual(['lookup', BUDGET_18]);
    expect(await app.quiz()).toBeDefined();
  });

  it('uploads, ingests with questions asked throughout, then answers the new law', async () => {
    // Upload on the dashboard: a multipart form with the session's CSRF token.
    const form = new FormData();
    form.set('_csrf', await csrfOf('/knowledge'));
    form.set('kind', 'law');
    form.set('category', '经济法');
    form.set('file', new Blob([new Uint8Array(await docx(NEW_LAW))]), '某区财政资金监督试行条例.docx');
    const up = await fetch(`${dashboard.url}/knowledge/upload`, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' });
    expect(up.status).toBe(303);
    expect(new URL(up.headers.get('location')!, dashboard.url).searchParams.get('flash')).toMatch(/《某区财政资金监督试行条例》（?[^，]*，5 条/);

    // The preview names it as new.
    const plan = await (await fetch(`${dashboard.url}/knowledge/plan`, { headers: { cookie } })).text();
    expect(plan).toMatch(/data-plan="added">1</);
    expect(plan).toContain('laws/经济法/某区财政资金监督试行条例.docx');

    // Start the ingest on the dashboard, then keep asking until it is done.
    const start = await fetch(`${dashboard.url}/knowledge/ingest`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: await csrfOf('/knowledge') }).toString(),
      redirect: 'manual',
    });
    expect(start.status).toBe(303);
    const answerer = await app.answerer();
    const during: { mode: string; text?: string; phase: string }[] = [];
    const progress = new Set<string>();
    for (;;) {
      const status = (await (await fetch(`${dashboard.url}/knowledge/ingest/status`, { headers: { cookie } })).json()) as { state: string; phase: string | null; line: string };
      if (status.state !== 'running') {
        expect(status.state, status.line).toBe('done');
        break;
      }
      if (status.phase) progress.add(status.phase);
      const a = await answerer.answer('预算法第十八条');
      during.push({ mode: a.mode, text: a.citations[0]?.text, phase: status.phase ?? '' });
    }
    // Answered throughout, every time from the law's text.
    expect(during.length).toBeGreaterThan(2);
    expect(during.every((d) => d.mode === 'lookup' && d.text === BUDGET_18)).toBe(true);
    expect([...progress].some((p) => p === 'read' || p === 'embed')).toBe(true);

    // After: the same answerer (the one the chat core holds) finds the uploaded law by lookup.
    const after = await answerer.answer('某区财政资金监督试行条例第三条');
    expect(after.mode).toBe('lookup');
    expect(after.citations[0]).toMatchObject({ law: '某区财政资金监督试行条例', article: 3, text: ARTICLE_3 });
    expect((await app.answerer()).answer).toBe(answerer.answer);
    // The quiz reads the new catalog; the dashboard's knowledge page counts the law.
    const quiz = (await app.quiz())!;
    expect(quiz.service.articleText({ law: '某区财政资金监督试行条例', article: '第三条', articleNumber: 3, articleSuffix: 0, version: '' })?.text).toBe(ARTICLE_3);
    const knowledge = await (await fetch(`${dashboard.url}/knowledge?q=${encodeURIComponent('财政资金监督')}`, { headers: { cookie } })).text();
    expect(knowledge).toContain('data-law="某区财政资金监督试行条例"');
    expect(knowledge).toContain('新索引已启用');
    const audit = await app.records().audit.recent(5);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['admin.knowledge.upload', 'admin.knowledge.ingest']));
    expect(audit.find((a) => a.action === 'admin.knowledge.ingest')!.actorUserId).not.toBeNull();
  }, 300_000);
});
