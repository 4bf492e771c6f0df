/**
 * Knowledge from the web, page by page (app.request, real files on disk, the real checklist index): uploads
 * are size-limited, their names sanitised and their content checked before anything lands in the folders;
 * the checklist editor saves only what the checklist loader accepts; drafted 常见问法 are reviewed and
 * accepted (or discarded); a pinned FAQ answer to an article that does not exist is refused.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeFileName } from '../../src/admin/knowledge-files.ts';
import { createAdminApp, type KnowledgeView } from '../../src/admin/web/app.ts';
import { PufaError } from '../../src/errors.ts';
import { loadChecklist } from '../../src/knowledge/checklist.ts';
import { silentLogger } from '../../src/log.ts';
import { getChecklistIndex, makeKnowledgeDir } from '../helpers/test-index.ts';
import { cookieOf, termFixture, type Fixture } from './fixture.ts';

const TOKEN = 'correct-horse-battery-staple-42';
const MAX = 64 * 1024;
let f: Fixture;
let app: ReturnType<typeof createAdminApp>;
let cookie: string;
let lawsDir: string;
let knowledgeDir: string;

const get = (path: string) => app.request(path, { headers: { cookie } });
const csrf = async () => /name="_csrf" value="([^"]+)"/.exec(await (await get('/knowledge')).text())![1]!;
const post = async (path: string, fields: Record<string, string>) =>
  app.request(path, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: await csrf(), ...fields }).toString() });
async function upload(name: string, data: Uint8Array | string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('_csrf', await csrf());
  form.set('kind', fields.kind ?? 'law');
  if (fields.category) form.set('category', fields.category);
  form.set('file', new Blob([typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data)]), name);
  return app.request('/knowledge/upload', { method: 'POST', body: form, headers: { cookie } });
}
const LAW_TEXT = '# 某区测试办法\n\n第一条　为了测试，制定本办法。\n\n第二条　本办法自公布之日起施行。\n';

beforeAll(async () => {
  f = await termFixture();
  const knowledge = (await getChecklistIndex()).index as unknown as KnowledgeView;
  lawsDir = join(f.dir, 'laws');
  await mkdir(join(lawsDir, '经济法'), { recursive: true });
  knowledgeDir = await makeKnowledgeDir(join(f.dir, 'knowledge'));
  app = createAdminApp({
    records: f.records,
    stats: f.stats,
    token: TOKEN,
    knowledge: async () => knowledge,
    faqDir: join(knowledgeDir, 'faq'),
    folders: { lawsDir, knowledgeDir, maxFileBytes: MAX },
    logger: silentLogger,
    now: f.now,
  });
  const page = await app.request('/login');
  const nonce = cookieOf(page, 'pufa_admin_login')!;
  const res = await app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pufa_admin_login=${nonce}` },
    body: new URLSearchParams({ _login: nonce, token: TOKEN, next: '/' }).toString(),
  });
  cookie = `pufa_admin_session=${cookieOf(res, 'pufa_admin_session')}`;
});
afterAll(() => f?.close());

describe('uploads', () => {
  it('sanitises names: no folders, no reserved or control characters, no leading dot, a supported extension', () => {
    expect(sanitizeFileName('../../etc/预算法(2018-12-29).md')).toBe('预算法(2018-12-29).md');
    expect(sanitizeFileName('C:\\Users\\x\\a<b>:c"|?*.DOCX')).toBe('abc.docx');
    expect(sanitizeFileName('..\u0000hidden.txt')).toBe('hidden.txt');
    expect(sanitizeFileName('  办法\u200b .pdf  ')).toBe('办法.pdf');
    expect([...sanitizeFileName(`${'长'.repeat(300)}.md`)].length).toBe(103);
    for (const bad of ['x.exe', 'x.doc', 'noext', '.md', '../']) expect(() => sanitizeFileName(bad), bad).toThrow(PufaError);
  });

  it('writes a good law file into its category folder, atomically (no temporary file left)', async () => {
    const res = await upload('../某区测试办法.md', LAW_TEXT, { category: '经济法' });
    expect(res.status).toBe(303);
    expect(await readFile(join(lawsDir, '经济法', '某区测试办法.md'), 'utf8')).toBe(LAW_TEXT);
    expect(await readdir(join(lawsDir, '经济法'))).toEqual(['某区测试办法.md']);
    expect(existsSync(join(f.dir, '某区测试办法.md'))).toBe(false);
    const again = await upload('某区测试办法.md', LAW_TEXT.replace('测试，', '再次测试，'), { category: '经济法' });
    expect(new URL(again.headers.get('location')!, 'http://x').searchParams.get('flash')).toContain('已替换');
    expect((await f.records.audit.recent(3)).filter((a) => a.action === 'admin.knowledge.upload')).toHaveLength(2);
  });

  it('a report goes to knowledge/reports; a .docx is read by the real reader', async () => {
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: ['某区财政局2025年度工作报告', '一、总体情况', '今年全局完成了各项工作。'].map((t) => new Paragraph({ children: [new TextRun(t)] })) }] }));
    const res = await upload('2025年度工作报告.docx', new Uint8Array(docx), { kind: 'report' });
    expect(res.status).toBe(303);
    expect(existsSync(join(knowledgeDir, 'reports', '2025年度工作报告.docx'))).toBe(true);
  });

  it('refuses, in Chinese, what would not load: wrong type, empty, too large, not a law, a broken docx; nothing is written', async () => {
    const before = await readdir(lawsDir, { recursive: true });
    const cases: [string, Uint8Array | string, RegExp][] = [
      ['病毒.exe', 'MZ', /不支持的文件类型/],
      ['空.md', '', /空的/],
      ['大.md', 'x'.repeat(MAX + 1), /过大/],
      ['不是法规.md', '今天天气很好。\n明天也很好。\n', /没有识别出任何条文/],
      ['坏的.docx', 'PK not really a zip', /无法读取/],
    ];
    for (const [name, data, message] of cases) {
      const res = await upload(name, data);
      expect([res.status, name]).toEqual([400, name]);
      expect(await res.text(), name).toMatch(message);
    }
    // A body far over the limit is cut off before it is read.
    const huge = await upload('巨大.md', 'x'.repeat(MAX + 256 * 1024));
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('文件过大');
    expect(await readdir(lawsDir, { recursive: true })).toEqual(before);
  });
});

describe('the ingest preview', () => {
  it('lists what is new, changed, removed and skipped, with reasons', async () => {
    await writeFile(join(lawsDir, '经济法', '说明.html'), '<p>x</p>');
    const html = await (await get('/knowledge/plan')).text();
    // The serving index (the checklist laws from the shared corpus) knows none of this folder's files.
    expect(html).toContain('laws/经济法/某区测试办法.md');
    expect(html).toMatch(/《某区测试办法》[^<]*2 条；新法规/);
    expect(html).toMatch(/laws\/经济法\/说明\.html<\/span><\/td><td class="wide" data-label="说明"><span class="cell">不支持网页文件/);
    expect(html).toMatch(/data-plan="removed">\d+</);
    expect(html).toContain('文件已删除或移走');
  });
});

describe('the checklist editor', () => {
  it('shows the file, refuses what the loader refuses (naming the field), saves what it accepts', async () => {
    const page = await (await get('/knowledge/checklist')).text();
    expect(page).toContain('全体干部');
    const bad = await post('/knowledge/checklist', { text: 'roles:\n  - name: 全体干部\n    laws:\n      - title: 预算法\n        keyArticles: [十八]\n' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/keyArticles/);
    const loop = await post('/knowledge/checklist', { text: 'roles:\n  - name: 甲\n    extends: 乙\n  - name: 乙\n    extends: 甲\n' });
    expect(await loop.text()).toContain('互相继承');
    const ok = await post('/knowledge/checklist', { text: 'roles:\n  - name: 全体干部\n    laws:\n      - title: 预算法\n        keyArticles: [18]\n  - name: 领导干部\n    extends: 全体干部\n    laws:\n      - title: 行政处罚法\n' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('已保存：2 个角色');
    expect((await loadChecklist(knowledgeDir)).roles.map((r) => r.name)).toEqual(['全体干部', '领导干部']);
    expect((await readdir(join(knowledgeDir, 'checklists'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('drafted 常见问法', () => {
  it('are listed, shown, accepted without their 【草稿】 lines (then used), or discarded', async () => {
    const dir = join(knowledgeDir, 'questions');
    await writeFile(join(dir, '测试条例.draft.yaml'), '# 【草稿】由大模型草拟，未经审阅，不得直接使用。\n# 【草稿】请逐条审阅。\nlaw: 中华人民共和国预算法\nversion: 2018-12-29\narticles:\n  第十八条: [预算年度从哪天算起？, 一年的预算什么时候开始？]\n');
    await writeFile(join(dir, '坏草稿.draft.yaml'), 'law: [\n');
    const list = await (await get('/knowledge/drafts')).text();
    expect(list).toContain('测试条例.draft.yaml');
    expect(list).toContain('有误');
    const view = await (await get(`/knowledge/drafts?name=${encodeURIComponent('测试条例.draft.yaml')}`)).text();
    expect(view).toContain('2 条问法');
    const bad = await post('/knowledge/drafts/accept', { name: '坏草稿.draft.yaml' });
    expect(await bad.text()).toContain('不能采用');
    expect((await post('/knowledge/drafts/accept', { name: '../../etc/passwd' })).status).toBe(400);
    const ok = await post('/knowledge/drafts/accept', { name: '测试条例.draft.yaml' });
    expect(ok.status).toBe(303);
    const accepted = await readFile(join(dir, '测试条例.yaml'), 'utf8');
    expect(accepted).not.toContain('【草稿】');
    expect(accepted).toContain('预算年度从哪天算起？');
    expect(existsSync(join(dir, '测试条例.draft.yaml'))).toBe(false);
    // The next ingest uses it: the preview lists it as new.
    expect(await (await get('/knowledge/plan')).text()).toMatch(/questions\/测试条例\.yaml[\s\S]*?常见问法：《中华人民共和国预算法》，2 条问法/);
    expect((await post('/knowledge/drafts/discard', { name: '坏草稿.draft.yaml' })).status).toBe(303);
    expect(existsSync(join(dir, '坏草稿.draft.yaml'))).toBe(false);
  });
});

describe('pinned FAQ answers', () => {
  it('a pin to an article that does not exist (预算法第九百九十九条) is refused; a real one is written and listed', async () => {
    const [qa] = (await f.records.qa.page({ limit: 1, offset: 0 })).entries;
    const pin = (articles: string) => post(`/qa/${qa!.id}/pin`, { questions: '预算年度怎么规定？\n预算年度从哪天开始？', answer: '自公历1月1日起，至12月31日止。', articles });
    const refused = await pin('预算法 第九百九十九条');
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).toContain('《中华人民共和国预算法》第九百九十九条不存在');
    expect(text).toContain('最后一条是第一百零一条');
    expect(await pin('不存在的法 第一条').then((r) => r.text())).toContain('知识库中没有《不存在的法》');
    expect(existsSync(join(knowledgeDir, 'faq', `admin-qa-${qa!.id}.yaml`))).toBe(false);
    expect((await pin('预算法 第十八条')).status).toBe(303);
    await writeFile(join(knowledgeDir, 'faq', 'old.yaml'), 'entries:\n  - id: old\n    questions: [很久以前的问题]\n    answer: 旧答案。\n    articles: [{ law: 预算法, article: 999 }]\n');
    const list = await (await get('/knowledge/faq')).text();
    expect(list).toMatch(new RegExp(`data-id="qa-${qa!.id}"[\\s\\S]*?使用中`));
    expect(list).toMatch(/data-id="old"[\s\S]*?不会使用：《中华人民共和国预算法》第九百九十九条不存在/);
  });
});
