import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('works offline with no settings at all', () => {
    const c = loadConfig({}, {}, '/srv/pufa');
    expect(c.dataDir).toBe('/srv/pufa/data');
    expect(c.knowledgeDir).toBe('/srv/pufa/knowledge');
    expect(c.lawsDir).toBe('/srv/pufa/knowledge/laws');
    expect(c.llm).toBeUndefined();
    expect(c.embedder.kind).toBe('local');
    expect(c.chat.registrationPolicy).toBe('approval');
    expect(c.quiz.timezone).toBe('Asia/Shanghai');
  });

  it('lets command-line flags override the environment', () => {
    const c = loadConfig({ PUFA_DATA_DIR: '/a', LAWS_DIR: '/laws-env' }, { dataDir: '/b', lawsDir: '../laws' }, '/srv/pufa');
    expect(c.dataDir).toBe('/b');
    expect(c.lawsDir).toBe('/srv/laws');
  });

  it('treats empty values in .env as unset', () => {
    const c = loadConfig({ LAWS_DIR: '', OPENAI_API_KEY: '', QUIZ_SIZE: '' }, {}, '/x');
    expect(c.lawsDir).toBe('/x/knowledge/laws');
    expect(c.llm).toBeUndefined();
    expect(c.quiz.size).toBe(10);
  });

  it('enables the LLM with a key, or with a base URL alone for a keyless local server', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-1' }).llm?.apiKey).toBe('sk-1');
    const local = loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'qwen2.5' });
    expect(local.llm).toMatchObject({ baseURL: 'http://127.0.0.1:11434/v1', model: 'qwen2.5' });
  });

  it('takes the organisation URL for training records without a trailing slash', () => {
    expect(loadConfig({}).quiz.xapiHomePage).toBe('https://pufa.example.gov.cn');
    expect(loadConfig({ XAPI_HOMEPAGE: 'https://czj.example.gov.cn/' }).quiz.xapiHomePage).toBe('https://czj.example.gov.cn');
  });

  it('parses admin id lists', () => {
    expect(loadConfig({ ADMIN_TELEGRAM_IDS: '123, 456 789' }).telegram.adminIds).toEqual(['123', '456', '789']);
  });

  it('names every bad setting in one Chinese message', () => {
    let err: unknown;
    try {
      loadConfig({ QUIZ_SIZE: 'ten', REGISTRATION_POLICY: 'everyone', ADMIN_TELEGRAM_IDS: 'bob', OPENAI_BASE_URL: 'not a url' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.message).toContain('配置有误');
    expect(e.issues.map((i) => i.setting).sort()).toEqual(
      ['ADMIN_TELEGRAM_IDS', 'OPENAI_BASE_URL', 'QUIZ_SIZE', 'REGISTRATION_POLICY'].sort(),
    );
  });

  it('refuses a webhook without a bot token', () => {
    expect(() => loadConfig({ WEBHOOK_URL: 'https://bot.example.org/hook' })).toThrow(/TELEGRAM_BOT_TOKEN/);
  });
});

describe('.env.example', () => {
  it('lists every setting the schema knows, and nothing else', async () => {
    const { readFile } = await import('node:fs/promises');
    const { envSchema } = await import('../../src/config.ts');
    const text = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    const listed = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(envSchema.shape).sort());
    // The template itself must be a valid configuration.
    const env = Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(() => loadConfig(env)).not.toThrow();
  });
});

describe('DingTalk and Feishu settings', () => {
  it('enable each transport only with both credentials, and name the missing one', () => {
    expect(loadConfig({}).dingtalk).toBeUndefined();
    expect(loadConfig({ DINGTALK_CLIENT_ID: 'dingabc', DINGTALK_CLIENT_SECRET: 's' }).dingtalk).toEqual({
      clientId: 'dingabc',
      clientSecret: 's',
      robotCode: 'dingabc',
      cardTemplateId: undefined,
      apiRoot: 'https://api.dingtalk.com',
    });
    expect(() => loadConfig({ DINGTALK_CLIENT_ID: 'dingabc' })).toThrow(/设置了 DINGTALK_CLIENT_ID 但没有 DINGTALK_CLIENT_SECRET/);
    expect(() => loadConfig({ FEISHU_APP_SECRET: 's' })).toThrow(/设置了 FEISHU_APP_SECRET 但没有 FEISHU_APP_ID/);
  });

  it('takes feishu, lark or a private deployment URL as FEISHU_DOMAIN, and checks the App ID', () => {
    const base = { FEISHU_APP_ID: 'cli_0123456789abcdef', FEISHU_APP_SECRET: 's' };
    expect(loadConfig(base).feishu?.domain).toBe('https://open.feishu.cn');
    expect(loadConfig({ ...base, FEISHU_DOMAIN: 'lark' }).feishu?.domain).toBe('https://open.larksuite.com');
    expect(loadConfig({ ...base, FEISHU_DOMAIN: 'https://open.example.gov.cn/' }).feishu?.domain).toBe('https://open.example.gov.cn');
    expect(() => loadConfig({ ...base, FEISHU_APP_ID: 'myapp' })).toThrow(/FEISHU_APP_ID/);
    expect(() => loadConfig({ ...base, FEISHU_DOMAIN: 'dingtalk' })).toThrow(/FEISHU_DOMAIN/);
  });
});
