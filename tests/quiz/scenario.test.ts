import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatModel } from '../../src/llm/chat-model.ts';
import { loadPrompt } from '../../src/llm/prompts.ts';
import type { LawVersion } from '../../src/knowledge/types.ts';
import { createScenarioGenerator, type ScenarioGenerator } from '../../src/quiz/scenario.ts';
import { corpus } from './corpus.ts';

/** A local server speaking the chat-completions API; each test sets the reply it returns. */
let reply = '';
let lastRequest: { model?: string; messages?: { role: string; content: string }[] } = {};
let server: Server;
let budget: LawVersion;
let gen: ScenarioGenerator;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      lastRequest = JSON.parse(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          created: 0,
          model: lastRequest.model,
          choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  budget = (await corpus()).catalog.resolve('预算法')[0]!;
  gen = createScenarioGenerator({
    model: createChatModel({ apiKey: 'test', baseURL: `http://127.0.0.1:${port}/v1`, model: 'test-model', timeoutMs: 5000, maxRetries: 0, stream: false }),
    prompt: await loadPrompt('quiz-scenario'),
  });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const article14 = () => budget.articles.find((a) => a.number === 14)!;

describe('LLM scenario questions', () => {
  it('accepts a reply whose key the article supports, and cites the article', async () => {
    reply = JSON.stringify({
      type: 'single',
      stem: '区人大常委会批准本区决算后，区财政局应当在多长时间内将决算向社会公开？',
      options: ['十日内', '十五日内', '二十日内', '三十日内'],
      answer: [2],
      basis: '应当在批准后二十日内由本级政府财政部门向社会公开',
      explanation: '批准后二十日内公开。',
    });
    const r = await gen.generate(budget, article14(), 'single');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.promptId).toBe('quiz-scenario.v1');
    expect(r.question).toMatchObject({ type: 'single', answer: [2], law: '中华人民共和国预算法', article: '第十四条', version: '2018-12-29', source: 'llm' });
    expect(r.question.explanation.startsWith('依据《中华人民共和国预算法》第十四条：经本级人民代表大会')).toBe(true);
    // The article went to the model as data in the user message.
    expect(lastRequest.messages?.at(-1)?.content).toContain('应当在批准后二十日内由本级政府财政部门向社会公开');
  });

  it('rejects a key the article does not support', async () => {
    reply = JSON.stringify({
      type: 'single',
      stem: '区人大常委会批准本区决算后，区财政局应当在多长时间内将决算向社会公开？',
      options: ['十日内', '十五日内', '二十日内', '四十五日内'],
      answer: [3],
      basis: '应当在批准后二十日内由本级政府财政部门向社会公开',
    });
    const r = await gen.generate(budget, article14(), 'single');
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.reason).toContain('四十五日内');
  });

  it('rejects a basis that is not the article’s text', async () => {
    reply = JSON.stringify({
      type: 'judge',
      stem: '部门预算批复后，各部门应当在三十日内向社会公开。',
      options: ['正确', '错误'],
      answer: [0],
      basis: '批复后三十日内由各部门向社会公开',
    });
    const r = await gen.generate(budget, article14(), 'judge');
    expect(r).toMatchObject({ ok: false, reason: '所引依据不是条文原文' });
  });

  it('rejects malformed JSON and replies that miss fields', async () => {
    reply = '```json\n{"type": "single", "stem": "缺了引号 }\n```';
    const bad = await gen.generate(budget, article14());
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toMatch(/JSON/);
    reply = JSON.stringify({ type: 'single', stem: '区财政局应当在多长时间内公开决算？', options: ['十日', '二十日', '三十日', '六十日'], answer: [1] });
    const missing = await gen.generate(budget, article14());
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.reason).toContain('basis');
  });
});
