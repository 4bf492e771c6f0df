/**
 * xAPI (Experience API 1.0.3) statements for finished quiz attempts, for export to a learning record store.
 * The actor is the opaque staff id (never the Telegram id); the statement id is a name-based UUID (v5)
 * of staff id + week + attempt, so recording the same attempt twice yields the same statement.
 */
import { createHash } from 'node:crypto';

export const XAPI_VERBS = {
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'zh-CN': '通过', 'en-US': 'passed' } },
  failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'zh-CN': '未通过', 'en-US': 'failed' } },
} as const;

export const ASSESSMENT_ACTIVITY_TYPE = 'http://adlnet.gov/expapi/activities/assessment';

/** Namespace for pufa's statement ids (a fixed random UUID). */
export const PUFA_XAPI_NAMESPACE = '6f1c9a52-3b7e-4d0a-9c55-2e8f1b7a4d93';

/**
 * A name-based UUID, version 5 (SHA-1), per RFC 4122 §4.3.
 * @example uuidV5('S0017|2026-W48|1', PUFA_XAPI_NAMESPACE)
 */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new RangeError(`not a UUID: ${namespace}`);
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** ISO 8601 duration of milliseconds, as xAPI wants it: PT12M5.3S. */
export function isoDuration(ms: number): string {
  const totalSeconds = Math.max(0, ms) / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = Math.round((totalSeconds % 60) * 100) / 100;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

export interface AttemptStatementInput {
  /** Opaque staff id (工号 or a generated id), never a chat id. */
  staffId: string;
  /** The account's home page: where the staff id is issued (e.g. the bureau's site or the pufa admin URL). */
  homePage: string;
  /** Base IRI of the quiz activities: https://pufa.example.gov.cn/xapi. */
  activityBase: string;
  weekKey: string;
  attempt: number;
  /** 0–100. */
  score: number;
  passMark: number;
  correct: number;
  total: number;
  durationMs: number;
  /** When the attempt finished. */
  finishedAt: Date;
}

export interface XapiStatement {
  id: string;
  actor: { objectType: 'Agent'; account: { homePage: string; name: string } };
  verb: (typeof XAPI_VERBS)[keyof typeof XAPI_VERBS];
  object: {
    objectType: 'Activity';
    id: string;
    definition: { type: string; name: Record<string, string> };
  };
  result: {
    score: { scaled: number; raw: number; min: number; max: number };
    success: boolean;
    completion: true;
    duration: string;
    extensions: Record<string, unknown>;
  };
  context: { platform: string; language: string; extensions: Record<string, unknown> };
  timestamp: string;
  version: '1.0.3';
}

/**
 * The statement for one finished attempt.
 * @example buildAttemptStatement({ staffId: 'S0017', homePage: 'https://pufa.example', activityBase: 'https://pufa.example/xapi', weekKey: '2026-W48', attempt: 1, score: 80, passMark: 60, correct: 8, total: 10, durationMs: 300000, finishedAt: new Date() })
 */
export function buildAttemptStatement(i: AttemptStatementInput): XapiStatement {
  const success = i.score >= i.passMark;
  const base = i.activityBase.replace(/\/+$/, '');
  const [year, week] = i.weekKey.split('-W');
  return {
    id: uuidV5(`${i.staffId}|${i.weekKey}|${i.attempt}`, PUFA_XAPI_NAMESPACE),
    actor: { objectType: 'Agent', account: { homePage: i.homePage, name: i.staffId } },
    verb: success ? XAPI_VERBS.passed : XAPI_VERBS.failed,
    object: {
      objectType: 'Activity',
      id: `${base}/quiz/${i.weekKey}`,
      definition: {
        type: ASSESSMENT_ACTIVITY_TYPE,
        name: { 'zh-CN': `${year}年第${Number(week)}周学法考试`, 'en-US': `Weekly law quiz ${i.weekKey}` },
      },
    },
    result: {
      score: { scaled: Math.round((i.score / 100) * 10_000) / 10_000, raw: i.score, min: 0, max: 100 },
      success,
      completion: true,
      duration: isoDuration(i.durationMs),
      extensions: { [`${base}/extensions/correct`]: i.correct, [`${base}/extensions/total`]: i.total },
    },
    context: {
      platform: 'pufa',
      language: 'zh-CN',
      extensions: { [`${base}/extensions/attempt`]: i.attempt, [`${base}/extensions/pass-mark`]: i.passMark },
    },
    timestamp: i.finishedAt.toISOString(),
    version: '1.0.3',
  };
}
