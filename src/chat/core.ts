/**
 * The conversation core: one place that decides what every incoming message or button press means,
 * for every transport. Features plug in commands, callbacks and text handlers; the core does the
 * common work: redelivery dedupe, who the sender is, access checks, rate limits, error boundary.
 */
import { userMessageOf } from '../errors.ts';
import type { Inbox } from '../records/inbox.ts';
import type { UserRecord } from '../records/types.ts';
import { listed } from './channels.ts';
import { textMessage } from './format.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';
import type {
  Access,
  CallbackDef,
  ChatContext,
  ChatDeps,
  ChatFeature,
  ChatOutput,
  CommandDef,
  IncomingEvent,
  MessageRef,
  Outbox,
  OutMessage,
} from './types.ts';
import { MSG } from './messages.ts';

export interface ChatCore {
  /**
   * Record a message as received, before the transport acknowledges it (only text with a delivery id, and only
   * with an inbox). Handling it later marks it answered; a process stopped in between answers it at resume().
   */
  accept(event: IncomingEvent): Promise<void>;
  handle(event: IncomingEvent, out: ChatOutput): Promise<void>;
  /**
   * At a transport's start: the messages of `source` accepted earlier and never answered are answered now
   * (received within ANSWER_LATE_MS), or their sender is told to ask again (within EXPIRE_MS), or dropped.
   */
  resume(source: string, out: ChatOutput): Promise<void>;
  /** Commands for menus (Telegram setMyCommands): public ones first. */
  commands(): { name: string; description: string; access: Access }[];
  /** Resolves when every message being handled now has been answered. */
  drain(): Promise<void>;
  readonly features: readonly ChatFeature[];
}

export interface ChatCoreOptions extends Omit<ChatDeps, 'now' | 'roles' | 'outbox'> {
  /** How features reach other people; without one, nobody outside the current chat can be reached. */
  outbox?: Outbox;
  now?: () => Date;
  roles?: () => string[];
  /** Every feature, in dispatch order (the composition root, src/app/features.ts, decides which). */
  features: ChatFeature[];
  rateLimiter?: RateLimiter;
  /** Where accepted messages are recorded until answered (without one, a message in flight at a hard stop is lost). */
  inbox?: Inbox;
}

/** A pending message this recent is still answered after a restart; an older one gets a note to ask again. */
export const ANSWER_LATE_MS = 60 * 60_000;
/** Pending messages older than this are dropped without a word (their sender has long moved on). */
export const EXPIRE_MS = 24 * 3600_000;

const TYPING_REPEAT_MS = 4_500;

const toMessage = (m: OutMessage | string): OutMessage => (typeof m === 'string' ? textMessage(m) : m);

/**
 * @example
 * const core = createChatCore({ records, answerer, config, logger, features: chatFeatures(parts) });
 * await core.handle({ kind: 'text', chatId: '1', chatType: 'private', from, text: '/help' }, output);
 */
export function createChatCore(opts: ChatCoreOptions): ChatCore {
  const deps: ChatDeps = {
    records: opts.records,
    outbox: opts.outbox ?? { sendTo: async () => false },
    answerer: opts.answerer,
    config: opts.config,
    logger: opts.logger,
    now: opts.now ?? (() => new Date()),
    roles: opts.roles ?? (() => []),
  };
  const features = opts.features;
  const commands = new Map<string, CommandDef>();
  const callbacks = new Map<string, CallbackDef>();
  for (const f of features) {
    for (const c of f.commands ?? []) {
      if (commands.has(c.name)) throw new Error(`command /${c.name} registered twice`);
      commands.set(c.name, c);
    }
    for (const c of f.callbacks ?? []) {
      if (callbacks.has(c.prefix)) throw new Error(`callback prefix ${c.prefix} registered twice`);
      callbacks.set(c.prefix, c);
    }
  }
  const limiter = opts.rateLimiter ?? createRateLimiter(opts.config.chat.rateLimitPerMinute, deps.now);
  // Button presses have their own budget: each may send a message, and a burst of taps must not queue minutes of them.
  const tapLimiter = createRateLimiter(opts.config.chat.callbackRateLimitPerMinute, deps.now);
  const inflight = new Set<Promise<void>>();
  const inbox = opts.inbox;
  /** Inbox messages being handled in this process (a redelivery meanwhile is not handled twice). */
  const handling = new Set<string>();
  const inboxKey = (u: { source: string; id: string }) => `${u.source}\0${u.id}`;
  const log = opts.logger;

  /**
   * Find the sender's record by their channel identity; admins from the settings (ADMIN_IDS,
   * ADMIN_TELEGRAM_IDS) and the local operator are provisioned on sight.
   */
  async function resolveUser(event: IncomingEvent): Promise<UserRecord | undefined> {
    const { identity, name } = event.from;
    const users = deps.records.users;
    let user = await users.findByIdentity(identity);
    const configuredAdmin = identity.channel === 'local' || listed(opts.config.chat.admins, identity);
    if (!configuredAdmin) return user;
    if (!user) {
      user = await users.create({ identity, name: name || '管理员', status: 'active', isAdmin: true });
      log.info('admin provisioned', { userId: user.id, channel: identity.channel });
      return user;
    }
    if (!user.isAdmin) user = await users.update(user.id, { isAdmin: true });
    if (user.status !== 'active') {
      await users.transition(user.id, user.status, 'active');
      user = (await users.get(user.id))!;
    }
    return user;
  }

  function makeContext(event: IncomingEvent, out: ChatOutput, state: { answered: boolean; personal: boolean }): ChatContext {
    const isGroup = event.chatType === 'group';
    const ctx: ChatContext = {
      event,
      deps,
      out,
      user: undefined,
      isGroup,
      features,
      require: (access) => allowed(ctx, access),
      async reply(m) {
        if (state.personal && isGroup) return ctx.replyPrivately(m);
        return out.send(event.chatId, toMessage(m));
      },
      async replyPrivately(m) {
        if (!isGroup) return out.send(event.chatId, toMessage(m));
        try {
          const refs = await out.send(event.from.privateChatId, toMessage(m));
          await out.send(event.chatId, textMessage(MSG.sentPrivately));
          return refs;
        } catch (err) {
          // Telegram refuses to open a private chat the user never started.
          log.warn('private message failed', { error: err as Error });
          return out.send(event.chatId, textMessage(MSG.startPrivateFirst));
        }
      },
      edit: (ref: MessageRef, m) => out.edit(ref, toMessage(m)),
      async answerCallback(text, alert) {
        if (event.kind !== 'callback' || state.answered) return;
        state.answered = true;
        await out.answerCallback(event.callbackId, { text, alert });
      },
      async withTyping(task) {
        const ping = () => out.typing(event.chatId).catch((err) => log.debug('typing failed', { error: err as Error }));
        void ping();
        const timer = setInterval(ping, TYPING_REPEAT_MS);
        try {
          return await task();
        } finally {
          clearInterval(timer);
        }
      },
    };
    return ctx;
  }

  /** Refuse with a clear message unless the sender may use something at `access`; true when allowed. */
  async function allowed(ctx: ChatContext, access: Access): Promise<boolean> {
    if (access === 'anyone') return true;
    const u = ctx.user;
    let refusal: string | undefined;
    if (!u) refusal = ctx.isGroup ? MSG.unregisteredInGroup : MSG.unregistered;
    else if (u.status === 'pending') refusal = MSG.pending;
    else if (u.status === 'disabled') refusal = MSG.disabled;
    else if (access === 'admin' && !u.isAdmin) refusal = MSG.adminOnly;
    if (!refusal) return true;
    if (ctx.event.kind === 'callback') await ctx.answerCallback(refusal, true);
    else await ctx.reply(refusal);
    return false;
  }

  async function dispatchText(ctx: ChatContext, text: string, state: { personal: boolean }) {
    const trimmed = text.trim();
    if (!trimmed) return;
    const m = /^\/([A-Za-z0-9_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(trimmed);
    if (m) {
      const name = m[1]!.toLowerCase();
      const cmd = commands.get(name);
      if (!cmd) {
        await ctx.reply(MSG.unknownCommand(name));
        return;
      }
      state.personal = Boolean(cmd.personal);
      if (!(await allowed(ctx, cmd.access))) return;
      await cmd.run(ctx, (m[2] ?? '').trim());
      return;
    }
    for (const f of features) {
      if (f.onText && (await f.onText(ctx, trimmed))) return;
    }
  }

  async function dispatchCallback(ctx: ChatContext, data: string) {
    const i = data.indexOf(':');
    const prefix = i < 0 ? data : data.slice(0, i);
    const cb = callbacks.get(prefix);
    if (!cb) {
      await ctx.answerCallback(MSG.expired);
      return;
    }
    if (!(await allowed(ctx, cb.access))) return;
    await cb.run(ctx, i < 0 ? '' : data.slice(i + 1));
  }

  async function handleEvent(event: IncomingEvent, out: ChatOutput) {
    const state = { answered: false, personal: false };
    const ctx = makeContext(event, out, state);
    // Text with a delivery id goes through the inbox (its row is the dedupe); button presses through claims.
    const inboxed = inbox && event.kind === 'text' && event.update ? event.update : undefined;
    let mine = false;
    try {
      if (inboxed) {
        const seen = await inbox!.receive(inboxed.source, inboxed.id, event);
        if (seen === 'done' || handling.has(inboxKey(inboxed))) {
          log.info('redelivered update skipped', { source: inboxed.source, id: inboxed.id });
          return;
        }
        handling.add(inboxKey(inboxed));
        mine = true;
      } else if (event.update && !(await deps.records.updates.claim(event.update.source, event.update.id))) {
        log.info('redelivered update skipped', { source: event.update.source, id: event.update.id });
        return;
      }
      ctx.user = await resolveUser(event);
      if (event.kind === 'text') {
        if (event.from.identity.channel !== 'local') {
          const decision = limiter.hit(`${event.from.identity.channel}:${event.from.identity.id}`);
          if (decision === 'limited') await ctx.reply(MSG.rateLimited(deps.config.chat.rateLimitPerMinute));
          if (decision !== 'ok') return;
        }
        await dispatchText(ctx, event.text, state);
      } else {
        if (event.from.identity.channel !== 'local') {
          const decision = tapLimiter.hit(`${event.from.identity.channel}:${event.from.identity.id}`);
          if (decision === 'limited') await ctx.answerCallback(MSG.tappedTooFast);
          if (decision !== 'ok') return;
        }
        await dispatchCallback(ctx, event.data);
      }
    } catch (err) {
      log.error('handling failed', { kind: event.kind, chat: event.chatId, error: err as Error });
      try {
        if (event.kind === 'callback' && !state.answered) await ctx.answerCallback(userMessageOf(err), true);
        else await out.send(event.chatId, textMessage(userMessageOf(err)));
      } catch (sendErr) {
        log.error('could not report the failure to the user', { error: sendErr as Error });
      }
    } finally {
      if (inboxed && mine) {
        handling.delete(inboxKey(inboxed));
        await inbox!.finish(inboxed.source, inboxed.id, 'answered').catch((err) => log.error('inbox not updated', { error: err as Error }));
      }
      // Telegram shows a spinner until every callback query is answered.
      if (event.kind === 'callback' && !state.answered) {
        state.answered = true;
        await out.answerCallback(event.callbackId).catch((err) => log.warn('answerCallback failed', { error: err as Error }));
      }
    }
  }

  async function resume(source: string, out: ChatOutput) {
    if (!inbox) return;
    const now = deps.now().getTime();
    for (const entry of await inbox.pending<IncomingEvent>(source)) {
      const event = entry.event;
      if (handling.has(inboxKey({ source, id: entry.id })) || event.kind !== 'text') continue;
      const age = now - entry.receivedAt.getTime();
      if (age > EXPIRE_MS) {
        await inbox.finish(source, entry.id, 'expired');
      } else if (age > ANSWER_LATE_MS) {
        await out.send(event.chatId, textMessage(MSG.restartedTooLate(event.text))).catch((err) =>
          log.warn('restart note not delivered', { error: err as Error }),
        );
        await inbox.finish(source, entry.id, 'told');
      } else {
        log.info('answering a message accepted before a restart', { source, id: entry.id });
        await track(handleEvent(event, out));
      }
    }
  }

  function track(p: Promise<void>): Promise<void> {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    return p;
  }

  return {
    features,
    async accept(event) {
      if (inbox && event.kind === 'text' && event.update) await inbox.receive(event.update.source, event.update.id, event);
    },
    resume: (source, out) => track(resume(source, out)),
    handle: (event, out) => track(handleEvent(event, out)),
    commands() {
      const order: Access[] = ['anyone', 'active', 'admin'];
      return [...commands.values()]
        .sort((a, b) => order.indexOf(a.access) - order.indexOf(b.access))
        .map(({ name, description, access }) => ({ name, description, access }));
    },
    async drain() {
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
  };
}
