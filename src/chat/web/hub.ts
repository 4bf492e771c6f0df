/**
 * The web chat's conversations: for each chat (one person's web identity) the messages on their screen and
 * the pages that have it open. Every change is pushed to every open page (a phone and a desk computer
 * see the same chat); a page that connects gets the whole chat at once, so a reload or a reconnect
 * shows exactly where the person was.
 *
 * Messages live in memory (the latest HISTORY_LIMIT per chat). A message sent while none of the person's
 * pages is open (a reminder, a broadcast, an approval) is also kept in the records' session store, so it
 * is shown at their next visit even after a restart.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../log.ts';
import type { SessionStore } from '../../records/types.ts';
import type { Block, Button, OutDocument } from '../types.ts';

/** One message as the page shows it. */
export interface WebMessage {
  id: string;
  /** 'bot': from pufa; 'me': what the person sent (echoed to all their pages). */
  from: 'bot' | 'me';
  blocks: Block[];
  buttons: Button[][];
  /** A file to download (an admin's /export). */
  file?: { id: string; name: string; size: number };
  at: string;
}

/** What the server pushes to a page. */
export type WebEvent =
  | { t: 'snapshot'; messages: WebMessage[] }
  | { t: 'message'; m: WebMessage }
  | { t: 'edit'; m: WebMessage }
  /** The answer to a button press (a short notice; `alert`: one that needs reading). */
  | { t: 'answer'; id: string; text?: string; alert?: boolean }
  | { t: 'typing' };

export interface WebClient {
  push(event: WebEvent): void;
}

export interface HubOptions {
  /** Where messages for a closed page wait for the next visit. */
  store: SessionStore;
  logger: Logger;
  now?: () => Date;
  historyLimit?: number;
  inboxLimit?: number;
  /** How long a downloadable file stays available. */
  fileTtlMs?: number;
}

export const HISTORY_LIMIT = 100;
/** Messages kept for a person whose page is closed (the newest). */
export const INBOX_LIMIT = 50;
const FILE_TTL_MS = 60 * 60_000;
const FILES_PER_CHAT = 5;

interface StoredFile {
  doc: OutDocument;
  expiresAt: number;
}

interface ChatState {
  messages: WebMessage[];
  clients: Set<WebClient>;
  files: Map<string, StoredFile>;
  inboxLoaded: boolean;
}

const inboxKey = (chatId: string) => `webchat-inbox:${chatId}`;

export interface ChatHub {
  /** Open a page on a chat: it gets the snapshot first, then every change. Returns the disconnect function. */
  connect(chatId: string, client: WebClient): Promise<() => void>;
  /** Add a message; returns it with its id. */
  post(chatId: string, m: Omit<WebMessage, 'id' | 'at'>): Promise<WebMessage>;
  /** Replace a message's content (or show it anew under the same id when it is no longer on screen). */
  replace(chatId: string, id: string, m: Pick<WebMessage, 'blocks' | 'buttons'>): Promise<WebMessage>;
  message(chatId: string, id: string): WebMessage | undefined;
  /** A notice that is not a message (a button's answer, typing). */
  notify(chatId: string, event: WebEvent): void;
  /** Does any page have this chat open now? */
  online(chatId: string): boolean;
  /** Keep a file for download from this chat; returns its id. */
  putFile(chatId: string, doc: OutDocument): string;
  file(chatId: string, id: string): OutDocument | undefined;
}

export function createChatHub(opts: HubOptions): ChatHub {
  const now = opts.now ?? (() => new Date());
  const historyLimit = opts.historyLimit ?? HISTORY_LIMIT;
  const inboxLimit = opts.inboxLimit ?? INBOX_LIMIT;
  const fileTtlMs = opts.fileTtlMs ?? FILE_TTL_MS;
  const chats = new Map<string, ChatState>();
  // Ids stay unique across restarts, so a stored quiz message id never names another message.
  const prefix = randomBytes(4).toString('hex');
  let counter = 0;
  const newId = () => `${prefix}${(++counter).toString(36)}`;

  const state = (chatId: string): ChatState => {
    let s = chats.get(chatId);
    if (!s) chats.set(chatId, (s = { messages: [], clients: new Set(), files: new Map(), inboxLoaded: false }));
    return s;
  };

  const broadcast = (s: ChatState, event: WebEvent) => {
    for (const c of s.clients) {
      try {
        c.push(event);
      } catch (err) {
        opts.logger.debug('web chat: push failed', { error: err as Error });
      }
    }
  };

  /** Messages kept while the person was away (possibly by an earlier run), merged in once. */
  async function loadInbox(chatId: string, s: ChatState) {
    if (s.inboxLoaded) return;
    s.inboxLoaded = true;
    const waiting = await opts.store.get<WebMessage[]>(inboxKey(chatId));
    if (!waiting?.length) return;
    const have = new Set(s.messages.map((m) => m.id));
    s.messages.push(...waiting.filter((m) => !have.has(m.id)));
    s.messages.sort((a, b) => a.at.localeCompare(b.at));
    trim(s);
  }

  function trim(s: ChatState) {
    if (s.messages.length > historyLimit) s.messages.splice(0, s.messages.length - historyLimit);
  }

  /** Nobody is looking: keep the message for the next visit. */
  async function keepForLater(chatId: string, m: WebMessage) {
    const key = inboxKey(chatId);
    const waiting = (await opts.store.get<WebMessage[]>(key)) ?? [];
    const i = waiting.findIndex((w) => w.id === m.id);
    if (i >= 0) waiting[i] = m;
    else waiting.push(m);
    await opts.store.set(key, waiting.slice(-inboxLimit));
  }

  return {
    async connect(chatId, client) {
      const s = state(chatId);
      await loadInbox(chatId, s);
      s.clients.add(client);
      client.push({ t: 'snapshot', messages: s.messages });
      // Shown now: the stored copies are not needed any more.
      await opts.store.delete(inboxKey(chatId));
      return () => {
        s.clients.delete(client);
      };
    },
    async post(chatId, m) {
      const s = state(chatId);
      const message: WebMessage = { ...m, id: newId(), at: now().toISOString() };
      s.messages.push(message);
      trim(s);
      broadcast(s, { t: 'message', m: message });
      if (!s.clients.size) await keepForLater(chatId, message);
      return message;
    },
    async replace(chatId, id, m) {
      const s = state(chatId);
      const i = s.messages.findIndex((x) => x.id === id);
      if (i < 0) {
        // Gone from memory (a restart): show it anew, under the id its sender keeps (the quiz's message).
        const message: WebMessage = { from: 'bot', ...m, id, at: now().toISOString() };
        s.messages.push(message);
        trim(s);
        broadcast(s, { t: 'message', m: message });
        if (!s.clients.size) await keepForLater(chatId, message);
        return message;
      }
      const message: WebMessage = { ...s.messages[i]!, ...m };
      s.messages[i] = message;
      broadcast(s, { t: 'edit', m: message });
      if (!s.clients.size) await keepForLater(chatId, message);
      return message;
    },
    message: (chatId, id) => chats.get(chatId)?.messages.find((m) => m.id === id),
    notify(chatId, event) {
      const s = chats.get(chatId);
      if (s) broadcast(s, event);
    },
    online: (chatId) => Boolean(chats.get(chatId)?.clients.size),
    putFile(chatId, doc) {
      const s = state(chatId);
      const t = now().getTime();
      for (const [k, f] of s.files) if (f.expiresAt <= t) s.files.delete(k);
      while (s.files.size >= FILES_PER_CHAT) s.files.delete(s.files.keys().next().value!);
      const id = randomBytes(12).toString('base64url');
      s.files.set(id, { doc, expiresAt: t + fileTtlMs });
      return id;
    },
    file(chatId, id) {
      const f = chats.get(chatId)?.files.get(id);
      return f && f.expiresAt > now().getTime() ? f.doc : undefined;
    },
  };
}
