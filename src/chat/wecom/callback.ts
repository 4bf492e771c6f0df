/**
 * WeCom's callback protocol (接收消息与事件): the msg_signature check and AES decryption with the official
 * @wecom/crypto, and the flat XML WeCom sends. Both the URL verification (GET with echostr) and every
 * message (POST with an encrypted <xml><Encrypt>…</Encrypt></xml>) go through `openEnvelope`.
 */
import { decrypt, getSignature } from '@wecom/crypto';

export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  /** The receiver id inside every encrypted payload: the corp id for a self-built app. */
  corpId: string;
}

export interface SignedQuery {
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
}

/** Why a callback was refused (for the operator's log; WeCom only sees the HTTP status). */
export class CallbackRejected extends Error {
  constructor(readonly reason: string) {
    super(`WeCom callback rejected: ${reason}`);
    this.name = 'CallbackRejected';
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decodeEntities = (s: string) => s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITIES[e]!);

/**
 * The child elements of WeCom's <xml> as strings (CDATA or plain text). WeCom's messages are flat; a
 * nested element (SelectedItems of a vote card) is kept as its raw inner XML.
 */
export function parseXml(xml: string): Record<string, string> {
  const root = /<xml>([\s\S]*)<\/xml>/.exec(xml);
  if (!root) throw new CallbackRejected('not a WeCom XML document');
  const out: Record<string, string> = {};
  const body = root[1]!;
  const open = /<([A-Za-z_][\w.-]*)>/g;
  let m: RegExpExecArray | null;
  while ((m = open.exec(body))) {
    const name = m[1]!;
    const close = body.indexOf(`</${name}>`, open.lastIndex);
    if (close < 0) throw new CallbackRejected(`unclosed <${name}>`);
    const inner = body.slice(open.lastIndex, close);
    const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(inner);
    out[name] = cdata ? cdata[1]! : decodeEntities(inner.trim());
    open.lastIndex = close + name.length + 3;
  }
  return out;
}

/**
 * Check the signature over `encrypted` and decrypt it; the payload must be addressed to this corp.
 * @example const plain = openEnvelope(secrets, query, xml.Encrypt) // the inner XML, or the echostr's text
 */
export function openEnvelope(secrets: CallbackSecrets, query: SignedQuery, encrypted: string | undefined): string {
  const { msg_signature: signature, timestamp, nonce } = query;
  if (!signature || !timestamp || !nonce || !encrypted) throw new CallbackRejected('missing msg_signature, timestamp, nonce or ciphertext');
  if (getSignature(secrets.token, timestamp, nonce, encrypted) !== signature) throw new CallbackRejected('signature mismatch (check WECOM_TOKEN)');
  let opened: { message: string; id: string };
  try {
    opened = decrypt(secrets.encodingAesKey, encrypted);
  } catch (err) {
    throw new CallbackRejected(`cannot decrypt (check WECOM_ENCODING_AES_KEY): ${(err as Error).message}`);
  }
  if (opened.id !== secrets.corpId) throw new CallbackRejected(`addressed to ${JSON.stringify(opened.id)}, not this corp (check WECOM_CORP_ID)`);
  return opened.message;
}

/** What pufa takes from a decrypted callback. */
export type Inbound =
  | { kind: 'text'; from: string; msgId: string; text: string; agentId: string; createTime: string }
  | { kind: 'card'; from: string; key: string; taskId: string; responseCode?: string; agentId: string; createTime: string }
  | { kind: 'unsupported'; from: string; msgId?: string; msgType: string; agentId: string; createTime: string }
  | { kind: 'ignored'; from: string; what: string };

/** Classify a decrypted message: text in, a template-card button press, a message type pufa cannot read, or an event it ignores. */
export function readInbound(xml: Record<string, string>): Inbound {
  const from = xml.FromUserName ?? '';
  const agentId = xml.AgentID ?? '';
  const createTime = xml.CreateTime ?? '';
  const type = xml.MsgType ?? '';
  if (type === 'text') return { kind: 'text', from, msgId: xml.MsgId ?? `${from}:${createTime}`, text: xml.Content ?? '', agentId, createTime };
  if (type === 'event') {
    if (xml.Event === 'template_card_event' && xml.EventKey && xml.TaskId) {
      return { kind: 'card', from, key: xml.EventKey, taskId: xml.TaskId, responseCode: xml.ResponseCode || undefined, agentId, createTime };
    }
    return { kind: 'ignored', from, what: `event ${xml.Event ?? '?'}` };
  }
  return { kind: 'unsupported', from, msgId: xml.MsgId, msgType: type, agentId, createTime };
}
