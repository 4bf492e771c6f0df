/**
 * A local HTTP server on 127.0.0.1 that speaks enough of the Telegram Bot API for the real grammY bot:
 * getMe, getUpdates (long poll), sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery,
 * sendChatAction, setMyCommands, deleteWebhook, setWebhook… It records every call the bot makes and lets a
 * test play users: send text (with entities), press buttons, redeliver an update, fail the next call.
 *
 * @example
 * const api = await startBotApiServer();
 * const bot = createTelegramBot(api.token, { core, config: { telegram: { ...t, apiRoot: api.apiRoot } }, logger });
 * api.text(alice, '/help'); const reply = await api.waitFor((c) => c.method === 'sendMessage');
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callLog, readBody } from './stand-in.ts';

export interface TgUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  is_bot?: boolean;
}

export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
  first_name?: string;
}

export interface RecordedCall {
  method: string;
  // Whatever the bot sent: JSON payloads are loosely typed by nature.
  payload: Record<string, any>;
  /** performance.now() when the call arrived. */
  at: number;
  /** The message returned (send/edit calls). */
  result?: any;
  /** True when the bot had hung up before its answer was ready (it stopped waiting for this call). */
  clientGone?: boolean;
}

export interface ApiError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

export interface Update {
  update_id: number;
  message?: any;
  callback_query?: any;
}

export interface BotApiServer {
  token: string;
  apiRoot: string;
  botUser: Required<Pick<TgUser, 'id' | 'first_name' | 'username'>> & { is_bot: true };
  calls: RecordedCall[];
  /** A user writes in a chat (private with them by default); commands and @mentions get their entities. */
  text(from: TgUser, text: string, opts?: { chat?: TgChat; replyToMessageId?: number }): Update;
  /** A user presses an inline button under a message the bot sent. */
  press(from: TgUser, message: { chatId: number; messageId: number }, data: string): Update;
  /** Queue an update exactly as given (an update id you choose). */
  push(update: Update): void;
  /** Deliver an already delivered update again, whatever offset the bot has confirmed. */
  redeliver(update: Update): void;
  /** The next call of `method` fails with this error (for 429 / 5xx handling). */
  failNext(method: string, error: ApiError): void;
  /** The next call of `method` is answered only when the returned function is called (a slow Telegram). */
  hold(method: string): () => void;
  /** sendMessage to this chat fails like a user who never opened a private chat with the bot. */
  blockChat(chatId: number): void;
  /** Resolves with the first call (from `since` on) matching the predicate; rejects after `timeoutMs`. */
  waitFor(pred: (c: RecordedCall) => boolean, opts?: { since?: number; timeoutMs?: number }): Promise<RecordedCall>;
  /** Resolves when `n` calls match. */
  waitForCount(pred: (c: RecordedCall) => boolean, n: number, opts?: { since?: number; timeoutMs?: number }): Promise<RecordedCall[]>;
  /** When an update was handed to the bot (getUpdates response), by update id. */
  servedAt: Map<number, number>;
  /** How many times each update was handed to the bot. */
  servedCount: Map<number, number>;
  /** Text of sendMessage calls to a chat, in order. */
  sentTexts(chatId: number): string[];
  close(): Promise<void>;
}

const POLL_CAP_MS = 2_000;

/** An uploaded file as the test sees it (sendDocument and friends send multipart/form-data). */
export interface UploadedFile {
  filename: string;
  data: Buffer;
}

/**
 * Parse a multipart upload the way the Bot API does: plain fields are strings (objects JSON-encoded),
 * files are parts referenced as attach://<name>, which are resolved in place. Lenient like Telegram:
 * grammY writes `content-disposition:form-data;name="x"` without spaces and unquoted UTF-8 file names,
 * which WHATWG FormData parsing rejects.
 */
function parseMultipart(raw: Buffer, contentType: string): Record<string, any> {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) throw new Error('multipart without boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const files = new Map<string, UploadedFile>();
  const fields: Record<string, any> = {};
  let pos = raw.indexOf(delimiter);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) throw new Error('unterminated multipart body');
    const part = raw.subarray(start + 2, next - 2); // drop the CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const data = part.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="?([^";\r\n]*)"?/i.exec(headers)?.[1];
    if (name === undefined) throw new Error('multipart part without a name');
    if (filename !== undefined) files.set(name, { filename, data: Buffer.from(data) });
    else {
      const value = data.toString('utf8');
      fields[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    }
    pos = next;
  }
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string' && v.startsWith('attach://')) fields[k] = files.get(v.slice('attach://'.length));
  }
  for (const [name, file] of files) if (!(name in fields)) fields[name] = file;
  return fields;
}

function entitiesOf(text: string) {
  const entities: { type: string; offset: number; length: number }[] = [];
  const cmd = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(text);
  if (cmd) entities.push({ type: 'bot_command', offset: 0, length: cmd[0].length });
  for (const m of text.matchAll(/(^|[^\w/])(@[A-Za-z0-9_]{5,})/g)) {
    const offset = m.index! + m[1]!.length;
    if (!cmd || offset >= cmd[0].length) entities.push({ type: 'mention', offset, length: m[2]!.length });
  }
  return entities.length ? entities : undefined;
}

export async function startBotApiServer(opts: { token?: string; username?: string } = {}): Promise<BotApiServer> {
  const token = opts.token ?? '123456:TEST-token';
  const botUser = { id: Number(token.split(':')[0]), is_bot: true as const, first_name: '普法助手', username: opts.username ?? 'pufa_test_bot' };
  const log = callLog<RecordedCall>((c) => `${c.method} ${JSON.stringify(c.payload).slice(0, 160)}`);
  const calls = log.calls;
  const queue: { update: Update; force: boolean }[] = [];
  const pollers = new Set<() => void>();
  const failures = new Map<string, ApiError[]>();
  const blocked = new Set<number>();
  const holds = new Map<string, Promise<void>[]>();
  const servedAt = new Map<number, number>();
  const servedCount = new Map<number, number>();
  let nextUpdateId = 1;
  let nextMessageId = 1000;
  let confirmed = 0;
  const now = () => Math.floor(Date.now() / 1000);

  const chatOf = (id: number | string): TgChat => {
    const n = Number(id);
    return n < 0 ? { id: n, type: 'supergroup', title: '测试群' } : { id: n, type: 'private', first_name: '用户' };
  };

  const wake = () => {
    for (const p of [...pollers]) p();
  };

  function record(call: RecordedCall) {
    log.record(call);
  }

  function takeUpdates(offset: number | undefined, limit: number): Update[] {
    if (offset !== undefined && offset > confirmed) confirmed = offset;
    // Confirmed updates are gone for good (as in Telegram), unless a test forces a redelivery.
    for (let i = queue.length - 1; i >= 0; i--) if (!queue[i]!.force && queue[i]!.update.update_id < confirmed) queue.splice(i, 1);
    const out: Update[] = [];
    for (let i = 0; i < queue.length && out.length < limit; ) {
      const q = queue[i]!;
      out.push(q.update);
      if (q.force) queue.splice(i, 1);
      else i++;
    }
    return out;
  }

  async function handle(method: string, payload: Record<string, any>, signal: { closed: boolean }): Promise<{ status: number; body: unknown }> {
    const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
    const held = holds.get(method)?.shift();
    if (held) {
      record({ method: `held:${method}`, payload, at: performance.now() });
      await held;
    }
    const fail = failures.get(method)?.shift();
    if (fail) {
      record({ method, payload, at: performance.now(), result: { failed: fail.error_code } });
      return { status: fail.error_code, body: { ok: false, ...fail } };
    }
    switch (method) {
      case 'getMe':
        return ok({ ...botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
      case 'getUpdates': {
        const limit = Number(payload.limit ?? 100);
        const offset = payload.offset === undefined ? undefined : Number(payload.offset);
        let updates = takeUpdates(offset, limit);
        if (!updates.length && Number(payload.timeout ?? 0) > 0) {
          await new Promise<void>((resolve) => {
            const done = () => {
              pollers.delete(done);
              clearTimeout(timer);
              resolve();
            };
            const timer = setTimeout(done, Math.min(Number(payload.timeout) * 1000, POLL_CAP_MS));
            pollers.add(done);
          });
          if (signal.closed) return ok([]);
          updates = takeUpdates(offset, limit);
        }
        if (signal.closed) return ok([]);
        const t = performance.now();
        for (const u of updates) {
          if (!servedAt.has(u.update_id)) servedAt.set(u.update_id, t);
          servedCount.set(u.update_id, (servedCount.get(u.update_id) ?? 0) + 1);
        }
        return ok(updates);
      }
      case 'sendMessage': {
        if (blocked.has(Number(payload.chat_id))) {
          record({ method, payload, at: performance.now(), result: { failed: 403 } });
          return { status: 403, body: { ok: false, error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" } };
        }
        const message = {
          message_id: nextMessageId++,
          date: now(),
          chat: chatOf(payload.chat_id),
          from: botUser,
          text: payload.text,
          reply_markup: payload.reply_markup,
        };
        record({ method, payload, at: performance.now(), result: message });
        return ok(message);
      }
      case 'editMessageText': {
        const message = {
          message_id: Number(payload.message_id),
          date: now(),
          edit_date: now(),
          chat: chatOf(payload.chat_id),
          from: botUser,
          text: payload.text,
          reply_markup: payload.reply_markup,
        };
        record({ method, payload, at: performance.now(), result: message });
        return ok(message);
      }
      case 'sendDocument': {
        const file = payload.document as UploadedFile | undefined;
        const message = {
          message_id: nextMessageId++,
          date: now(),
          chat: chatOf(payload.chat_id),
          from: botUser,
          caption: payload.caption,
          document: file ? { file_id: `doc-${nextMessageId}`, file_unique_id: `u${nextMessageId}`, file_name: file.filename, file_size: file.data.length } : undefined,
        };
        record({ method, payload, at: performance.now(), result: message });
        return ok(message);
      }
      case 'getWebhookInfo':
        return ok({ url: '', has_custom_certificate: false, pending_update_count: queue.length });
      case 'answerCallbackQuery':
      case 'sendChatAction':
      case 'setMyCommands':
      case 'deleteWebhook':
      case 'setWebhook':
      case 'editMessageReplyMarkup':
      case 'deleteMessage':
        record({ method, payload, at: performance.now() });
        return ok(true);
      default:
        record({ method, payload, at: performance.now() });
        return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    }
  }

  const server: Server = createServer(async (req, res) => {
    const state = { closed: false };
    res.on('close', () => {
      state.closed = true;
    });
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const send = (status: number, body: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!m || m[1] !== token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    let payload: Record<string, any> = {};
    if (raw.length) {
      try {
        payload = contentType.startsWith('multipart/form-data') ? parseMultipart(raw, contentType) : JSON.parse(raw.toString('utf8'));
      } catch {
        return send(400, { ok: false, error_code: 400, description: 'Bad Request: cannot parse the request body' });
      }
    }
    const before = calls.length;
    const { status, body } = await handle(m[2]!, payload, state);
    for (const c of calls.slice(before)) if (c.payload === payload) c.clientGone = state.closed;
    send(status, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const api: BotApiServer = {
    token,
    apiRoot: `http://127.0.0.1:${port}`,
    botUser,
    calls,
    servedAt,
    servedCount,
    text(from, text, o = {}) {
      const chat = o.chat ?? { id: from.id, type: 'private' as const, first_name: from.first_name };
      const update: Update = {
        update_id: nextUpdateId++,
        message: {
          message_id: nextMessageId++,
          date: now(),
          chat,
          from: { is_bot: false, ...from },
          text,
          entities: entitiesOf(text),
          reply_to_message: o.replyToMessageId
            ? { message_id: o.replyToMessageId, date: now(), chat, from: botUser, text: '…' }
            : undefined,
        },
      };
      api.push(update);
      return update;
    },
    press(from, message, data) {
      const update: Update = {
        update_id: nextUpdateId++,
        callback_query: {
          id: `cb${nextUpdateId}`,
          from: { is_bot: false, ...from },
          chat_instance: 'ci',
          data,
          message: { message_id: message.messageId, date: now(), chat: chatOf(message.chatId), from: botUser, text: '…' },
        },
      };
      api.push(update);
      return update;
    },
    push(update) {
      nextUpdateId = Math.max(nextUpdateId, update.update_id + 1);
      queue.push({ update, force: false });
      wake();
    },
    redeliver(update) {
      queue.push({ update, force: true });
      wake();
    },
    failNext(method, error) {
      failures.set(method, [...(failures.get(method) ?? []), error]);
    },
    hold(method) {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      holds.set(method, [...(holds.get(method) ?? []), gate]);
      return release;
    },
    blockChat(chatId) {
      blocked.add(chatId);
    },
    waitForCount: log.waitForCount,
    async waitFor(pred, o) {
      return (await api.waitForCount(pred, 1, o))[0]!;
    },
    sentTexts(chatId) {
      return calls.filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === chatId && !c.result?.failed).map((c) => c.payload.text as string);
    },
    async close() {
      wake();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return api;
}
