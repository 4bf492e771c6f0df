/**
 * The conversation core's ports. Transports turn their updates into IncomingEvents and implement
 * ChatOutput; features (registration, questions, quizzes, admin) register commands and callbacks.
 */
import type { Answerer } from '../answer/types.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Identity, UserRecord } from '../records/types.ts';
import type { Records } from '../records/ports.ts';

/** A run of text with one style. Plain strings are unstyled. */
export type Span = string | { text: string; bold?: boolean; italic?: boolean; code?: boolean };

/**
 * A paragraph-like unit that is never split unless it alone exceeds a message; then each continuation
 * starts with `keep` (the citation it belongs to), so a reader always knows which article they read.
 */
export interface Block {
  spans: Span[];
  quote?: boolean;
  keep?: string;
}

/** A button. `data` must fit 64 bytes (Telegram's callback-data limit, the smallest of the transports'). */
export interface Button {
  text: string;
  data: string;
}

export interface OutMessage {
  blocks: Block[];
  /** Rows of buttons, shown under the (last part of the) message. */
  buttons?: Button[][];
}

export interface MessageRef {
  chatId: string;
  messageId: string;
}

/**
 * What a transport can show. The core and the features shape their output by these abilities, never by a
 * transport's name; each transport describes its own.
 */
export interface OutputAbilities {
  /** The longest message the service accepts, in its own unit (Telegram: 4,096 UTF-16 code units); longer replies are split by the transport. */
  maxMessageLength: number;
  /** The unit of maxMessageLength: UTF-16 code units (the default) or UTF-8 bytes (WeCom: 2,048 bytes a text message). */
  lengthUnit?: 'utf16' | 'utf8';
  /** How styled spans reach the reader: rendered HTML or Markdown, or plain text. */
  formatting: 'html' | 'markdown' | 'plain';
  /** Edits replace what the user sees, so a streamed answer can grow in place; otherwise an edit shows up anew. */
  editsInPlace: boolean;
  /** Buttons are tapped under the message, or shown as numbered choices the user types. */
  buttons: 'inline' | 'numbered';
  /** Reaches people other than the operator (broadcasts, reminders); a terminal reaches only the person at it. */
  reachesOthers: boolean;
  /** Shortest gap between edits of a message while an answer streams (default 1,500 ms: Telegram rate-limits edits). */
  editIntervalMs?: number;
}

/** What the core asks of a transport. */
export interface ChatOutput {
  readonly abilities: OutputAbilities;
  /** Send a message, split into parts if the transport needs to; buttons go under the last part. */
  send(chatId: string, msg: OutMessage): Promise<MessageRef[]>;
  edit(ref: MessageRef, msg: OutMessage): Promise<void>;
  answerCallback(callbackId: string, opts?: { text?: string; alert?: boolean }): Promise<void>;
  /** Show "typing…" for a few seconds. */
  typing(chatId: string): Promise<void>;
  /** Send a file (the admin's /export): a document in Telegram, a file in the data directory in the terminal. */
  sendDocument?(chatId: string, doc: OutDocument): Promise<void>;
}

export interface OutDocument {
  filename: string;
  data: Uint8Array;
  caption?: string;
}

export interface Sender {
  identity: Identity;
  /** Display name from the transport profile (first + last name). */
  name: string;
  username?: string;
  /** The private chat with this person (in Telegram the user id). */
  privateChatId: string;
}

interface EventBase {
  /** Transport delivery id, so a redelivered update is handled once. */
  update?: { source: string; id: string };
  chatId: string;
  chatType: 'private' | 'group';
  from: Sender;
}

export type IncomingEvent =
  | (EventBase & { kind: 'text'; text: string })
  | (EventBase & { kind: 'callback'; callbackId: string; data: string; message?: MessageRef });

/** Who may use a command or button. */
export type Access = 'anyone' | 'active' | 'admin';

/**
 * Sends to a person on whichever running transport reaches them (reminders, broadcasts, notices to an
 * applicant or to admins), whatever transport the current message came from.
 */
export interface Outbox {
  /** Deliver to the first of these identities whose transport is running; false when none is. Throws when sending failed. */
  sendTo(identities: Identity[], msg: OutMessage): Promise<boolean>;
}

export interface ChatDeps {
  records: Records;
  outbox: Outbox;
  answerer: Answerer;
  config: Pick<Config, 'chat'>;
  logger: Logger;
  /** Checklist role names offered at registration (read on use, so a reloaded checklist shows up). */
  roles: () => string[];
  now: () => Date;
}

export interface ChatContext {
  event: IncomingEvent;
  deps: ChatDeps;
  out: ChatOutput;
  /** The sender's user record, if any (any status). */
  user: UserRecord | undefined;
  isGroup: boolean;
  /** Reply in this chat (or, for personal commands in a group, in the private chat). */
  reply(msg: OutMessage | string): Promise<MessageRef[]>;
  /** Send to the sender's private chat; in a group, also say so there. */
  replyPrivately(msg: OutMessage | string): Promise<MessageRef[]>;
  edit(ref: MessageRef, msg: OutMessage | string): Promise<void>;
  /** Answer the callback query (once; later calls are ignored). */
  answerCallback(text?: string, alert?: boolean): Promise<void>;
  /** Run a slow task with the typing indicator on. */
  withTyping<T>(task: () => Promise<T>): Promise<T>;
  /** Check the sender may act at `access`; if not, tell them why (a clear Chinese sentence) and return false. */
  require(access: Access): Promise<boolean>;
  /** Every registered feature (for /help and /me). */
  features: readonly ChatFeature[];
}

export interface CommandDef {
  /** Without the slash: 'law'. */
  name: string;
  /** Chinese description for /help and the Telegram command menu. */
  description: string;
  /** Usage shown in /help, e.g. '/law 预算法 18'. */
  usage?: string;
  access: Access;
  /** Personal output (profile, registration): in a group the reply goes to the private chat. */
  personal?: boolean;
  run(ctx: ChatContext, args: string): Promise<void>;
}

export interface CallbackDef {
  /** Callback data starts with `${prefix}:`. */
  prefix: string;
  access: Access;
  run(ctx: ChatContext, payload: string): Promise<void>;
}

/** One feature = a module that registers commands, callbacks, text handling and /me sections. */
export interface ChatFeature {
  name: string;
  commands?: CommandDef[];
  callbacks?: CallbackDef[];
  /** Sees plain text before it is taken as a question; returns true when it consumed it. */
  onText?(ctx: ChatContext, text: string): Promise<boolean>;
  /** Extra sections for /me (the quiz adds this week's status). */
  profile?(ctx: ChatContext, user: UserRecord): Promise<Block[]> | Block[];
}
