/**
 * `pufa questions draft`: the real command, through the CLI entry, against a small index and a local
 * chat-completions server. A good reply becomes a question file the loader accepts and the search uses; bad
 * batches and bad questions are dropped and named while the rest is written; nothing is ever overwritten.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runPufa } from '../helpers/run-pufa.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { parseQuestionFile } from '../../src/knowledge/article-questions.ts';
import { formatArticleList, parseArticleRange, screenQuestion } from '../../src/authoring/question-drafts.ts';
import { openIndex, runIngest } from '../../src/search/index.ts';
import { startChatServer, type ChatRequest, type ChatServer } from '../answer/chat-completions-server.ts';
import { NEW_RULE, OLD_RULE, writeFixtureKnowledge } from '../search/fixtures.ts';

let root: string;
let dirs: { lawsDir: string; knowledgeDir: string };
let config: Config;
let server: ChatServer;

// Shares no content word with 示范管理法第二条 (示范年度自公历一月一日起，至十二月三十一日止).
const EVERYDAY = '年底最后一天花的钱记在哪一年？';
const GOOD: Record<string, string[]> = {
  第一条: ['这部法是为了管什么才定的？', '示范资金为什么要专门立法？'],
  第二条: [EVERYDAY, '我们的年度是按自然年算的吗？', '年度从哪天开始算起？'],
  第三条: ['上级能不经预算调走区里的钱吗？', '市里临时要抽我们的资金可以吗？', '上面要用下面的钱要走什么程序？'],
  第四条: ['违反这部法最多罚多少钱？', '罚款的上限是多少？'],
};

/** The article labels a batch request sends (【第一条】…). */
const labelsOf = (req: ChatRequest) => [...(req.messages.find((m) => m.role === 'user')?.content ?? '').matchAll(/【(第.+?条)】/g)].map((m) => m[1]!);

/** A model that answers every article of the batch with GOOD, in a ```json fence as models often do. */
const goodReply = (req: ChatRequest) =>
  '好的，以下是问法：\n```json\n' + JSON.stringify({ articles: labelsOf(req).map((article) => ({ article, questions: GOOD[article] ?? [] })) }) + '\n```';

/** Run `pufa …` in-process with captured output, on the test's folders. */
const pufa = (args: string[], env: Record<string, string> = llmEnv()) =>
  runPufa([...args, '--data', config.dataDir, '--laws', dirs.lawsDir, '--knowledge', dirs.knowledgeDir], { env, cwd: root });

function llmEnv(): Record<string, string> {
  return { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'draft-model', OPENAI_MAX_RETRIES: '0', LOG_LEVEL: 'warn' };
}

async function readDraft(path: string) {
  const text = await readFile(path, 'utf8');
  const set = parseQuestionFile(parseYaml(text), 'questions/x.yaml');
  if ('problems' in set) throw new Error(`draft rejected by the loader: ${set.problems.join('; ')}`);
  if (set.kind !== 'law') throw new Error('a draft is for a law');
  return { text, set };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pufa-drafts-'));
  dirs = await writeFixtureKnowledge(root);
  config = loadConfig({ LOG_LEVEL: 'silent' }, { ...dirs, dataDir: join(root, 'data') }, root);
  await runIngest(config);
  server = await startChatServer();
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('screening and helpers', () => {
  it('keeps 6–40 characters without article numbers, once', () => {
    const seen = new Set<string>();
    expect(screenQuestion('预算年度从哪天算起？', seen)).toBeUndefined();
    expect(screenQuestion('预算年度 从哪天算起?', seen)).toBe('重复');
    expect(screenQuestion('几号？', seen)).toMatch(/^太短/);
    expect(screenQuestion('问'.repeat(41), seen)).toMatch(/^太长/);
    expect(screenQuestion('第十八条说预算年度怎么算？', seen)).toBe('引用了条号');
    expect(screenQuestion('按第 18 条年度怎么算？', seen)).toBe('引用了条号');
  });

  it('reads --articles ranges and lists labels as runs', () => {
    const sel = parseArticleRange('1-3,7')!;
    expect([1, 3, 4, 7, 8].map(sel)).toEqual([true, true, false, true, false]);
    expect(parseArticleRange('3-1')).toBeUndefined();
    expect(parseArticleRange('第一条')).toBeUndefined();
    const order = ['第一条', '第二条', '第三条', '第四条', '第五条'].map((label) => ({ label }) as never);
    expect(formatArticleList(['第一条', '第二条', '第三条', '第五条'], order)).toBe('第一条至第三条、第五条');
  });
});

describe('pufa questions draft', () => {
  const defaultPath = () => join(dirs.knowledgeDir, 'questions', '示范管理法.draft.yaml');
  const reviewedPath = () => join(dirs.knowledgeDir, 'questions', '示范管理法.yaml');

  it('writes a reviewed-to-be question file the loader accepts, and the search then uses it', async () => {
    const firstHit = async () => {
      const [hit] = await (await openIndex(config)).search(EVERYDAY, { k: 5 });
      return hit && `${hit.chunk.title}${hit.chunk.articleLabel ?? ''}`;
    };
    expect(await firstHit()).not.toBe('中华人民共和国示范管理法第二条');
    server.respond({ kind: 'reply', text: goodReply });
    const before = server.requests.length;
    const { code, out, err } = await pufa(['questions', 'draft', '示范管理法', '--batch', '2']);
    expect(err).toBe('');
    expect(code).toBe(0);

    // Two batches of the current version's articles, through the versioned prompt.
    const sent = server.requests.slice(before);
    expect(sent.map(labelsOf)).toEqual([['第一条', '第二条'], ['第三条', '第四条']]);
    expect(sent[0]!.model).toBe('draft-model');
    expect(sent[0]!.messages[0]!.content).toContain('口语');
    expect(sent[1]!.messages[1]!.content).toContain(NEW_RULE);
    expect(sent[1]!.messages[1]!.content).not.toContain(OLD_RULE);

    const { text, set } = await readDraft(defaultPath());
    expect(text).toMatch(/^# 常见问法：同事们会怎么问《中华人民共和国示范管理法》（2023-06-01 版）的条文。/);
    expect(text).toMatch(/【草稿】由大模型 draft-model 按提示词 article-questions\.v1 于 \d{4}-\d{2}-\d{2} 草拟/);
    expect(text).not.toContain('没有草拟出问法');
    expect(set).toMatchObject({ law: '中华人民共和国示范管理法', version: '2023-06-01' });
    expect(set.articles.map((a) => [a.number, a.questions])).toEqual([1, 2, 3, 4].map((n) => [n, GOOD[`第${'一二三四'[n - 1]}条`]]));

    expect(out).toContain('4 条条文中 4 条有问法，共写入 10 个问法');
    expect(out).toContain(`已写入：${defaultPath()}`);
    expect(out).toContain('然后把文件名中的 .draft 去掉（示范管理法.yaml）再运行 npx pufa ingest。改名之前，草稿不会被使用。');

    // Unreviewed, the draft is listed by ingest and not used.
    const unreviewed = await runIngest(config);
    expect(unreviewed.articleQuestions).toEqual({ count: 0, articles: 0, unapplied: [], drafts: ['questions/示范管理法.draft.yaml'] });
    expect(await firstHit()).not.toBe('中华人民共和国示范管理法第二条');
    // Reviewed and saved under its own name, it is (the draft stays beside it, still unused).
    await copyFile(defaultPath(), reviewedPath());
    const s = await runIngest(config);
    expect(s.articleQuestions).toEqual({ count: 10, articles: 4, unapplied: [], drafts: ['questions/示范管理法.draft.yaml'] });
    expect(await firstHit()).toBe('中华人民共和国示范管理法第二条');
  });

  it('drops a batch with bad JSON, a failed request and bad questions, names them, and writes the rest', async () => {
    server.respond(
      { kind: 'reply', text: '好的：{"articles": [{"article": "第一条", "questions": ["采购条例管什么？",' },
      { kind: 'status', status: 400 },
      {
        kind: 'reply',
        text: JSON.stringify({
          articles: [
            { article: '第三条', questions: ['第三条说评审专家怎么选？', '评审专家能由我们自己指定吗？', '评审专家能由我们自己指定吗', '专家？'] },
            { article: '第九条', questions: ['这条不在这一批里吗？'] },
          ],
        }),
      },
    );
    const out = join(root, 'drafts', '采购条例.yaml');
    const r = await pufa(['questions', 'draft', '示范采购条例', '--batch', '1', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('第 1/3 批（第一条）：失败，回复不是合法的 JSON');
    expect(r.out).toContain('3 条条文中 1 条有问法，共写入 1 个问法');
    expect(r.out).toContain('没有问法的条文 2 条：第一条、第二条');
    expect(r.out).toMatch(/失败的批次 2 个[^\n]*\n  第 1 批（第一条）：回复不是合法的 JSON[^\n]*\n  第 2 批（第二条）：请求大模型失败/);
    expect(r.out).toContain('丢弃的问法 3 个');
    expect(r.out).toContain('第三条「第三条说评审专家怎么选？」：引用了条号');
    expect(r.out).toContain('第三条「评审专家能由我们自己指定吗」：重复');
    expect(r.out).toContain('第三条「专家？」：太短');
    expect(r.out).toContain(`已写入：${out}`);
    expect(r.out).toContain('放入 knowledge/questions/ 后运行 npx pufa ingest');
    // One operator log line per failed batch, with the batch and the reason.
    expect(r.err).toMatch(/WARN pufa:questions: question draft batch failed law="示范采购条例" batch="1\/3" articles="第一条" reason="回复不是合法的 JSON/);
    expect(r.err).toMatch(/batch="2\/3" articles="第二条" reason="请求大模型失败/);

    const { text, set } = await readDraft(out);
    expect(set.articles).toEqual([{ number: 3, suffix: 0, questions: ['评审专家能由我们自己指定吗？'] }]);
    expect(text).toContain('# 【草稿】以下条文没有草拟出问法：第一条、第二条');
  });

  it('stops sending after repeated failures and writes nothing when nothing came back', async () => {
    server.respond({ kind: 'status', status: 400 });
    const before = server.requests.length;
    const out = join(root, 'drafts', '全部失败.yaml');
    const r = await pufa(['questions', 'draft', '示范管理法', '--batch', '1', '--out', out]);
    expect(r.code).toBe(1);
    expect(server.requests.length - before).toBe(3);
    expect(r.out).toContain('第 4/4 批（第四条）：失败，未发送：此前连续 3 批请求大模型失败，其余 1 批不再发送');
    expect(r.err).toContain('没有得到任何可用的问法，未写入文件');
    expect(existsSync(out)).toBe(false);
  });

  it('never overwrites a question file', async () => {
    const before = await readFile(defaultPath(), 'utf8');
    const requests = server.requests.length;
    const again = await pufa(['questions', 'draft', '中华人民共和国示范管理法']);
    expect(again.code).toBe(2);
    expect(again.err).toContain(`已有这部法规的草稿：${defaultPath()}，不会覆盖`);
    expect(again.err).toContain('--out');
    const explicit = await pufa(['questions', 'draft', '示范管理法', '--out', defaultPath()]);
    expect(explicit.code).toBe(2);
    expect(explicit.err).toContain('文件已存在');
    expect(await readFile(defaultPath(), 'utf8')).toBe(before);
    expect(server.requests.length).toBe(requests);

    // With --out, a second draft goes next to it, and the existing file is pointed out.
    server.respond({ kind: 'reply', text: goodReply });
    const other = join(root, '示范管理法-第二稿.yaml');
    const r = await pufa(['questions', 'draft', '示范管理法', '--articles', '2', '--out', other]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('注意：questions/示范管理法.yaml 已有这部法规的常见问法');
    expect((await readDraft(other)).set.articles.map((a) => a.number)).toEqual([2]);
    expect(await readFile(defaultPath(), 'utf8')).toBe(before);
  });

  it('says which settings to make when no LLM is configured, and names an unknown law', async () => {
    const noLlm = await pufa(['questions', 'draft', '示范采购条例'], { LOG_LEVEL: 'warn' });
    expect(noLlm.code).not.toBe(0);
    expect(noLlm.err).toContain('草拟常见问法需要大模型，但没有配置');
    expect(noLlm.err).toContain('OPENAI_API_KEY');
    expect(noLlm.err).toContain('OPENAI_BASE_URL');
    expect(existsSync(join(dirs.knowledgeDir, 'questions', '示范采购条例.yaml'))).toBe(false);

    const unknown = await pufa(['questions', 'draft', '示范不存在法']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('索引中没有法规「示范不存在法」');

    const range = await pufa(['questions', 'draft', '示范采购条例', '--articles', '第一条']);
    expect(range.code).toBe(2);
    expect(range.err).toContain('参数有误：--articles');

    const help = await pufa(['questions', '--help']);
    expect(help.out).toContain('用法：pufa questions draft <法规名>');
  });
});
