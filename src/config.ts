/**
 * The only module that reads settings. `loadConfig` is a pure function of the environment it is given,
 * so tests build configs from literals and nothing reads process.env at import time.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { formatIdentity, parseIdentity } from './records/identities.ts';
import type { Identity } from './records/types.ts';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(def));
const num = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(emptyToUndefined, z.coerce.number().min(min).max(max).default(def));
const bool = (def: boolean) =>
  z.preprocess(
    (v) => {
      const s = emptyToUndefined(v);
      if (s === undefined) return undefined;
      return ['1', 'true', 'yes', 'on'].includes(String(s).toLowerCase());
    },
    z.boolean().default(def),
  );
const splitList = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(/[,\s]+/)
        .map((s) => s.trim())
        .filter(Boolean)
    : v;
const idList = z.preprocess(splitList, z.array(z.string().regex(/^-?\d+$/, '应为以逗号分隔的数字 Telegram ID')).default([]));
/** 'wecom:zhangsan, telegram:123456': identities on any channel (a Telegram id is digits). */
const identityList = z.preprocess(
  splitList,
  z
    .array(
      z.string().refine((s) => {
        const i = parseIdentity(s);
        return Boolean(i && i.channel !== 'local' && (i.channel !== 'telegram' || /^-?\d+$/.test(i.id)));
      }, '应为以逗号分隔的「渠道:账号」，如 wecom:zhangsan, telegram:123456（渠道：telegram、wecom、web、dingtalk、feishu）'),
    )
    .default([]),
);
const hhmm = (def: string) =>
  z.preprocess(emptyToUndefined, z.string().regex(/^\d{1,2}:\d{2}$/, '应为 HH:MM 格式').default(def));

/** The open platforms FEISHU_DOMAIN may name instead of a URL. */
const FEISHU_DOMAINS: Record<string, string> = { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' };

/** The shortest ADMIN_WEB_TOKEN accepted, and how many different characters it must use. */
export const MIN_TOKEN_LENGTH = 16;
const MIN_TOKEN_DISTINCT = 10;

/**
 * Why a dashboard token is too weak to guard the records, or undefined. 16 characters of at least 10 different
 * ones rule out words and short numbers; a random token of that length (openssl rand -base64 18 gives 24
 * characters) is far beyond online guessing even without the login throttle.
 */
export function tokenWeakness(token: string): string | undefined {
  const chars = [...token];
  if (chars.length < MIN_TOKEN_LENGTH) {
    return `口令太短（${chars.length} 个字符）：至少 ${MIN_TOKEN_LENGTH} 个字符，可用 openssl rand -base64 18 生成`;
  }
  if (new Set(chars).size < MIN_TOKEN_DISTINCT) {
    return `口令太简单：至少要有 ${MIN_TOKEN_DISTINCT} 个不同的字符，可用 openssl rand -base64 18 生成`;
  }
  return undefined;
}

/** Every setting pufa understands, by its environment variable name. Keep .env.example in step. */
export const envSchema = z.object({
  PUFA_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  KNOWLEDGE_DIR: z.preprocess(emptyToUndefined, z.string().default('./knowledge')),
  LAWS_DIR: optionalString,
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
  LOG_FILE_MAX_MB: int(10, 0, 1024),
  INGEST_MAX_FILE_MB: int(10, 1, 1024),

  EMBEDDER: z.preprocess(emptyToUndefined, z.enum(['local', 'openai']).default('local')),
  EMBEDDING_MODEL: z.preprocess(emptyToUndefined, z.string().default('text-embedding-3-small')),
  EMBEDDING_BASE_URL: optionalUrl,
  EMBEDDING_API_KEY: optionalString,
  EMBEDDING_BATCH_SIZE: int(64, 1, 2048),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: z.preprocess(emptyToUndefined, z.string().default('gpt-4o-mini')),
  OPENAI_TIMEOUT_MS: int(30_000, 1000),
  OPENAI_MAX_RETRIES: int(2, 0, 10),
  LLM_STREAM: bool(true),

  LAWS_MIRROR_URL: z.preprocess(
    emptyToUndefined,
    z.url().default('https://raw.githubusercontent.com/LawRefBook/Laws/master'),
  ),
  LAWS_FETCH_TIMEOUT_MS: int(20_000, 100),

  ANSWER_MIN_SCORE: num(0, 0, 1e9),
  CONTEXT_TTL_MINUTES: int(30, 1),

  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: optionalUrl,
  WEBHOOK_URL: optionalUrl,
  WEBHOOK_SECRET: optionalString,
  WEBHOOK_PORT: int(8443, 1, 65535),
  ADMIN_TELEGRAM_IDS: idList,
  ADMIN_IDS: identityList,
  REGISTRATION_POLICY: z.preprocess(emptyToUndefined, z.enum(['open', 'approval', 'allowlist']).default('approval')),
  ALLOWLIST_TELEGRAM_IDS: idList,
  ALLOWLIST_IDS: identityList,
  RATE_LIMIT_PER_MINUTE: int(20, 1),
  CALLBACK_RATE_LIMIT_PER_MINUTE: int(40, 1),

  WECOM_CORP_ID: optionalString,
  WECOM_AGENT_ID: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).optional()),
  WECOM_SECRET: optionalString,
  WECOM_TOKEN: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9]{1,32}$/, '应为 1–32 位英文字母或数字（企业微信后台「接收消息」的 Token）').optional()),
  WECOM_ENCODING_AES_KEY: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9]{43}$/, '应为 43 位英文字母或数字（企业微信后台「接收消息」的 EncodingAESKey）').optional()),
  WECOM_API_ROOT: z.preprocess(emptyToUndefined, z.url().default('https://qyapi.weixin.qq.com')),
  WECOM_OAUTH_ROOT: z.preprocess(emptyToUndefined, z.url().default('https://open.weixin.qq.com')),
  WECOM_LISTEN_HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  WECOM_LISTEN_PORT: int(8090, 0, 65535),
  WECOM_CALLBACK_PATH: z.preprocess(emptyToUndefined, z.string().regex(/^\/\S*$/, '应以 / 开头，例如 /wecom/callback').default('/wecom/callback')),

  TIMEZONE: z.preprocess(emptyToUndefined, z.string().default('Asia/Shanghai')),
  QUIZ_SIZE: int(10, 1, 100),
  QUIZ_PASS_MARK: int(60, 0, 100),
  QUIZ_HOURS_PER_PASS: num(0.5, 0, 100),
  QUIZ_ATTEMPTS_PER_WEEK: int(3, 1, 100),
  QUIZ_GRADING: z.preprocess(emptyToUndefined, z.enum(['best', 'last']).default('best')),
  QUIZ_OPEN_AT: hhmm('09:00'),
  QUIZ_REMIND_THURSDAY_AT: hhmm('15:00'),
  QUIZ_REMIND_SUNDAY_AT: hhmm('10:00'),
  XAPI_HOMEPAGE: z.preprocess(emptyToUndefined, z.url().default('https://pufa.example.gov.cn')),

  ADMIN_WEB_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  ADMIN_WEB_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  ADMIN_WEB_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .superRefine((token, ctx) => {
        const weakness = token === undefined ? undefined : tokenWeakness(token);
        if (weakness) ctx.addIssue({ code: 'custom', message: weakness });
      }),
  ),

  // DingTalk robot in Stream mode (钉钉 / 浙政钉-style private deployments through DINGTALK_API_ROOT).
  DINGTALK_CLIENT_ID: optionalString,
  DINGTALK_CLIENT_SECRET: optionalString,
  DINGTALK_ROBOT_CODE: optionalString,
  DINGTALK_CARD_TEMPLATE_ID: optionalString,
  DINGTALK_API_ROOT: z.preprocess(emptyToUndefined, z.url().default('https://api.dingtalk.com')),
  // Feishu / Lark bot over the long connection: feishu, lark, or the URL of a private deployment.
  FEISHU_APP_ID: z.preprocess(emptyToUndefined, z.string().regex(/^cli_[0-9a-fA-F]{16}$/, '应为飞书开放平台的 App ID（cli_ 加 16 位十六进制）').optional()),
  FEISHU_APP_SECRET: optionalString,
  FEISHU_DOMAIN: z.preprocess(
    emptyToUndefined,
    z.union([z.enum(['feishu', 'lark']), z.url()], { error: '应为 feishu、lark 或私有部署的网址' }).default('feishu'),
  ),

  WEB_CHAT_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  WEB_CHAT_HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  WEB_CHAT_URL: optionalUrl,
  WEB_CHAT_LINK_HOURS: int(24, 1, 24 * 30),
  WEB_CHAT_SESSION_DAYS: int(30, 1, 365),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  dataDir: string;
  knowledgeDir: string;
  /** Where law files are read from: LAWS_DIR, else knowledge/laws. */
  lawsDir: string;
  /** Which setting chose lawsDir, so a missing folder is reported by the name the operator used. */
  lawsDirSetting: 'LAWS_DIR' | '--laws' | 'default';
  logLevel: Env['LOG_LEVEL'];
  /** The operator's log file in the data directory: rotated at this size (0: no log file). */
  logFileMaxBytes: number;
  /** Knowledge files larger than this are named and skipped at ingest. */
  ingest: { maxFileBytes: number };
  embedder: {
    kind: Env['EMBEDDER'];
    model: string;
    baseURL?: string;
    apiKey?: string;
    batchSize: number;
    timeoutMs: number;
    maxRetries: number;
  };
  /** Present only when an OpenAI-compatible chat endpoint is configured (a key, or a base URL for a keyless local server). */
  llm?: { apiKey: string; baseURL?: string; model: string; timeoutMs: number; maxRetries: number; stream: boolean };
  lawsMirror: { url: string; timeoutMs: number };
  answer: { minScore: number; contextTtlMinutes: number };
  /** Who may do what in chat, on every channel. */
  chat: {
    /** Admins from the start: ADMIN_TELEGRAM_IDS (as Telegram identities) and ADMIN_IDS. */
    admins: Identity[];
    registrationPolicy: Env['REGISTRATION_POLICY'];
    /** Who may register under 'allowlist' (admins always may): ALLOWLIST_TELEGRAM_IDS and ALLOWLIST_IDS. */
    allowlist: Identity[];
    rateLimitPerMinute: number;
    /** Button presses per user and minute (taps beyond it get a short notice and do nothing). */
    callbackRateLimitPerMinute: number;
  };
  telegram: {
    token?: string;
    apiRoot?: string;
    webhook?: { url: string; secret?: string; port: number };
    /** The Telegram ids among chat.admins (their command menus show the admin commands). */
    adminIds: string[];
  };
  quiz: {
    timezone: string;
    size: number;
    passMark: number;
    hoursPerPass: number;
    attemptsPerWeek: number;
    grading: Env['QUIZ_GRADING'];
    openAt: string;
    remindThursdayAt: string;
    remindSundayAt: string;
    /** The organisation's URL: xAPI actors are accounts on it, quiz activities live under it (/xapi/…). */
    xapiHomePage: string;
  };
  adminWeb: { port?: number; host: string; token?: string };
  /** Present when DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET are set. */
  dingtalk?: {
    clientId: string;
    clientSecret: string;
    /** The robot's code (企业内部应用: the same as the client id). */
    robotCode: string;
    /** A card template with `markdown` and `buttons` variables: messages become interactive cards; without one, buttons are numbered. */
    cardTemplateId?: string;
    /** OpenAPI root (gateway, token, robot and card APIs) without a trailing slash. */
    apiRoot: string;
  };
  /** Present when FEISHU_APP_ID and FEISHU_APP_SECRET are set. */
  feishu?: { appId: string; appSecret: string; /** Open platform root: https://open.feishu.cn, https://open.larksuite.com or a private one. */ domain: string };
  /** The intranet web chat: on when a port is set. */
  webChat: {
    port?: number;
    /** Where it listens (default every address: staff reach it over the intranet). */
    host: string;
    /** The address staff open, for the links in /weblink (WEB_CHAT_URL); without it, http://host:port. */
    publicUrl?: string;
    /** How long a sign-in link or code from /weblink works. */
    linkTtlMs: number;
    /** The longest life of a signed-in browser. */
    sessionMaxAgeMs: number;
  };
  /** Present when WECOM_CORP_ID is set: the self-built app (企业微信自建应用; 政务微信 with its own API root). */
  wecom?: WeComConfig;
}

export interface WeComConfig {
  corpId: string;
  agentId: number;
  secret: string;
  /** The callback's Token and EncodingAESKey (应用管理 → 接收消息 → 设置 API 接收). */
  token: string;
  encodingAesKey: string;
  /** https://qyapi.weixin.qq.com, or the 政务微信 / private deployment's address (no trailing slash). */
  apiRoot: string;
  /** Where WeCom's web sign-in page is (the web chat's OAuth): https://open.weixin.qq.com, or the deployment's own. */
  oauthRoot: string;
  /** Where the callback server listens; the admin console's URL must reach host:port + path. */
  listen: { host: string; port: number; path: string };
}

/** zod's issues in the operator's language (zod's own words are English); loadConfig adds the value given. */
const chineseIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return '应为整数';
      return issue.expected === 'number' ? '应为数字' : '应为文字';
    case 'too_small':
      return `${issue.origin === 'string' ? '长度' : ''}应不小于 ${issue.minimum}`;
    case 'too_big':
      return `${issue.origin === 'string' ? '长度' : ''}应不大于 ${issue.maximum}`;
    case 'invalid_value':
      return `应为 ${issue.values.map(String).join('、')} 之一`;
    case 'invalid_format':
      return issue.format === 'url' ? '应为完整的网址，如 https://example.org' : '格式不对';
    default:
      return undefined;
  }
};

/** Settings whose value must never be echoed back in an error message. */
const SECRET = /TOKEN|KEY|SECRET/;

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: { setting: string; problem: string }[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Telegram ids and 'channel:id' entries as one list of identities, each once, in the order given. */
function identities(telegramIds: string[], entries: string[]): Identity[] {
  const all = [...telegramIds.map((id): Identity => ({ channel: 'telegram', id })), ...entries.map((s) => parseIdentity(s)!)];
  return [...new Map(all.map((i) => [formatIdentity(i), i])).values()];
}

/** Command-line flags that override the environment (`--data`, `--knowledge`, `--laws`). */
export interface ConfigOverrides {
  dataDir?: string;
  knowledgeDir?: string;
  lawsDir?: string;
}

/**
 * Validate the environment once and build the typed config.
 * @example loadConfig({ PUFA_DATA_DIR: '/tmp/x' }, { lawsDir: '../shared/corpus/laws' })
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  overrides: ConfigOverrides = {},
  cwd: string = process.cwd(),
): Config {
  const parsed = envSchema.safeParse(env, { error: chineseIssue });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const setting = String(i.path[0] ?? '?');
      const value = env[setting];
      const given = value !== undefined && value.trim() !== '' && !SECRET.test(setting) ? `（现为「${value}」）` : '';
      return { setting, problem: i.message + given };
    });
    const lines = issues.map((i) => `  ${i.setting}: ${i.problem}`).join('\n');
    throw new ConfigError(`配置有误，请检查以下设置（.env 或环境变量）：\n${lines}`, issues);
  }
  const e = parsed.data;
  if (e.WEBHOOK_URL && !e.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError('配置有误：设置了 WEBHOOK_URL 但没有 TELEGRAM_BOT_TOKEN', [
      { setting: 'WEBHOOK_URL', problem: 'requires TELEGRAM_BOT_TOKEN' },
    ]);
  }
  for (const [a, b] of [['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET'], ['FEISHU_APP_ID', 'FEISHU_APP_SECRET']] as const) {
    if (Boolean(e[a]) !== Boolean(e[b])) {
      const [set, missing] = e[a] ? [a, b] : [b, a];
      throw new ConfigError(`配置有误：设置了 ${set} 但没有 ${missing}，两者需同时设置`, [{ setting: missing, problem: `required with ${set}` }]);
    }
  }
  const wecom = wecomConfig(e);
  const knowledgeDir = resolve(cwd, overrides.knowledgeDir ?? e.KNOWLEDGE_DIR);
  const llmConfigured = Boolean(e.OPENAI_API_KEY || e.OPENAI_BASE_URL);
  const admins = identities(e.ADMIN_TELEGRAM_IDS, e.ADMIN_IDS);
  return {
    dataDir: resolve(cwd, overrides.dataDir ?? e.PUFA_DATA_DIR),
    knowledgeDir,
    lawsDir: resolve(cwd, overrides.lawsDir ?? e.LAWS_DIR ?? resolve(knowledgeDir, 'laws')),
    lawsDirSetting: overrides.lawsDir !== undefined ? '--laws' : e.LAWS_DIR !== undefined ? 'LAWS_DIR' : 'default',
    logLevel: e.LOG_LEVEL,
    logFileMaxBytes: e.LOG_FILE_MAX_MB * 1024 * 1024,
    ingest: { maxFileBytes: e.INGEST_MAX_FILE_MB * 1024 * 1024 },
    embedder: {
      kind: e.EMBEDDER,
      model: e.EMBEDDING_MODEL,
      baseURL: e.EMBEDDING_BASE_URL ?? e.OPENAI_BASE_URL,
      apiKey: e.EMBEDDING_API_KEY ?? e.OPENAI_API_KEY,
      batchSize: e.EMBEDDING_BATCH_SIZE,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
    },
    llm: llmConfigured
      ? {
          // Local servers (Ollama, vLLM) accept any key; the SDK insists on one.
          apiKey: e.OPENAI_API_KEY ?? 'no-key',
          baseURL: e.OPENAI_BASE_URL,
          model: e.OPENAI_MODEL,
          timeoutMs: e.OPENAI_TIMEOUT_MS,
          maxRetries: e.OPENAI_MAX_RETRIES,
          stream: e.LLM_STREAM,
        }
      : undefined,
    lawsMirror: { url: e.LAWS_MIRROR_URL.replace(/\/+$/, ''), timeoutMs: e.LAWS_FETCH_TIMEOUT_MS },
    answer: { minScore: e.ANSWER_MIN_SCORE, contextTtlMinutes: e.CONTEXT_TTL_MINUTES },
    chat: {
      admins,
      registrationPolicy: e.REGISTRATION_POLICY,
      allowlist: identities(e.ALLOWLIST_TELEGRAM_IDS, e.ALLOWLIST_IDS),
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      callbackRateLimitPerMinute: e.CALLBACK_RATE_LIMIT_PER_MINUTE,
    },
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT,
      webhook: e.WEBHOOK_URL ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, port: e.WEBHOOK_PORT } : undefined,
      adminIds: admins.filter((i) => i.channel === 'telegram').map((i) => i.id),
    },
    quiz: {
      timezone: e.TIMEZONE,
      size: e.QUIZ_SIZE,
      passMark: e.QUIZ_PASS_MARK,
      hoursPerPass: e.QUIZ_HOURS_PER_PASS,
      attemptsPerWeek: e.QUIZ_ATTEMPTS_PER_WEEK,
      grading: e.QUIZ_GRADING,
      openAt: e.QUIZ_OPEN_AT,
      remindThursdayAt: e.QUIZ_REMIND_THURSDAY_AT,
      remindSundayAt: e.QUIZ_REMIND_SUNDAY_AT,
      xapiHomePage: e.XAPI_HOMEPAGE.replace(/\/+$/, ''),
    },
    adminWeb: { port: e.ADMIN_WEB_PORT, host: e.ADMIN_WEB_HOST, token: e.ADMIN_WEB_TOKEN },
    dingtalk:
      e.DINGTALK_CLIENT_ID && e.DINGTALK_CLIENT_SECRET
        ? {
            clientId: e.DINGTALK_CLIENT_ID,
            clientSecret: e.DINGTALK_CLIENT_SECRET,
            robotCode: e.DINGTALK_ROBOT_CODE ?? e.DINGTALK_CLIENT_ID,
            cardTemplateId: e.DINGTALK_CARD_TEMPLATE_ID,
            apiRoot: e.DINGTALK_API_ROOT.replace(/\/+$/, ''),
          }
        : undefined,
    feishu:
      e.FEISHU_APP_ID && e.FEISHU_APP_SECRET
        ? { appId: e.FEISHU_APP_ID, appSecret: e.FEISHU_APP_SECRET, domain: FEISHU_DOMAINS[e.FEISHU_DOMAIN] ?? e.FEISHU_DOMAIN.replace(/\/+$/, '') }
        : undefined,
    webChat: {
      port: e.WEB_CHAT_PORT,
      host: e.WEB_CHAT_HOST,
      publicUrl: e.WEB_CHAT_URL?.replace(/\/+$/, ''),
      linkTtlMs: e.WEB_CHAT_LINK_HOURS * 3600_000,
      sessionMaxAgeMs: e.WEB_CHAT_SESSION_DAYS * 24 * 3600_000,
    },
    wecom,
  };
}

/** WeCom is on when WECOM_CORP_ID is set; then every other credential must be there too. */
function wecomConfig(e: Env): WeComConfig | undefined {
  const required = {
    WECOM_CORP_ID: e.WECOM_CORP_ID,
    WECOM_AGENT_ID: e.WECOM_AGENT_ID,
    WECOM_SECRET: e.WECOM_SECRET,
    WECOM_TOKEN: e.WECOM_TOKEN,
    WECOM_ENCODING_AES_KEY: e.WECOM_ENCODING_AES_KEY,
  };
  const given = Object.entries(required).filter(([, v]) => v !== undefined);
  if (!given.length) return undefined;
  const missing = Object.entries(required).filter(([, v]) => v === undefined).map(([k]) => k);
  if (missing.length) {
    throw new ConfigError(`配置有误：企业微信还缺少以下设置（在企业微信管理后台的自建应用页面查看）：${missing.join('、')}`, missing.map((setting) => ({ setting, problem: 'required for WeCom' })));
  }
  return {
    corpId: e.WECOM_CORP_ID!,
    agentId: e.WECOM_AGENT_ID!,
    secret: e.WECOM_SECRET!,
    token: e.WECOM_TOKEN!,
    encodingAesKey: e.WECOM_ENCODING_AES_KEY!,
    apiRoot: e.WECOM_API_ROOT.replace(/\/+$/, ''),
    oauthRoot: e.WECOM_OAUTH_ROOT.replace(/\/+$/, ''),
    listen: { host: e.WECOM_LISTEN_HOST, port: e.WECOM_LISTEN_PORT, path: e.WECOM_CALLBACK_PATH },
  };
}
