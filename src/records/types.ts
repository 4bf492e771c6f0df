/**
 * The records ports of people and logs: small repository interfaces the chat core, the quizzes and the
 * admin dashboard talk to (the training ports are in training.ts, the statistics in read-model.ts, all of
 * them together in ports.ts). SQLite implements them today; a PostgreSQL adapter would implement the same,
 * which is why every method returns a promise even though better-sqlite3 itself is synchronous.
 */
export type UserStatus = 'pending' | 'active' | 'disabled';

/** The channels pufa has (or is getting) a transport for. */
export const KNOWN_CHANNELS = ['telegram', 'local', 'wecom', 'web', 'dingtalk', 'feishu'] as const;
export type KnownChannel = (typeof KNOWN_CHANNELS)[number];
/**
 * Where a person talks to pufa from. The set is open (a new transport brings its own id); 'local' is the
 * operator's terminal, which is not staff and is never counted or messaged.
 */
export type ChannelId = KnownChannel | (string & {});

/** One way to reach a person: a channel and the person's id there. */
export interface Identity {
  channel: ChannelId;
  /** The id on that channel: Telegram user id (digits), WeCom userid, the local account name, … */
  id: string;
}

export interface UserRecord {
  id: number;
  /** Opaque, random staff id (used as the xAPI actor and in exports); never derived from a channel id. */
  staffId: string;
  /** Every channel identity of this person, oldest first (at least one). */
  identities: Identity[];
  name: string;
  department: string;
  /** 职级. */
  rank: string;
  /** Checklist roles, in the order chosen. */
  roles: string[];
  status: UserStatus;
  isAdmin: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  identity: Identity;
  name: string;
  department?: string;
  rank?: string;
  roles?: string[];
  status: UserStatus;
  isAdmin?: boolean;
}

export type UserPatch = Partial<Pick<UserRecord, 'name' | 'department' | 'rank' | 'roles' | 'isAdmin'>>;

export interface UserRepository {
  get(id: number): Promise<UserRecord | undefined>;
  findByIdentity(identity: Identity): Promise<UserRecord | undefined>;
  findByStaffId(staffId: string): Promise<UserRecord | undefined>;
  /** Creates the user; if the identity already exists, returns the existing one unchanged. */
  create(user: NewUser): Promise<UserRecord>;
  update(id: number, patch: UserPatch): Promise<UserRecord>;
  /** Compare-and-set: changes the status only if it is currently `from`; false when someone else got there first. */
  transition(id: number, from: UserStatus, to: UserStatus): Promise<boolean>;
  list(filter?: { status?: UserStatus; isAdmin?: boolean }): Promise<UserRecord[]>;
  /**
   * People whose name contains `text`, or whose staff id is `text` (any case): exact names and staff ids
   * first, then by name; at most `limit` (20).
   */
  search(text: string, limit?: number): Promise<UserRecord[]>;
}

export type AttachOutcome =
  /** The identity was nobody's: now it is this person's. */
  | { kind: 'attached'; user: UserRecord }
  /** It was this person's already. */
  | { kind: 'already'; user: UserRecord }
  /** It belonged to a record with nothing in it (no quiz, result or question): that record was folded in and is gone. */
  | { kind: 'merged'; user: UserRecord; mergedUserId: number }
  /** It belongs to another person who has records: refused, nothing changed. */
  | { kind: 'taken'; owner: UserRecord }
  | { kind: 'missing' };

export type DetachOutcome = 'detached' | 'unknown' | 'last';

/** Linking one person's identities across channels. */
export interface IdentityRepository {
  /**
   * Attach an identity to a person (atomically). An identity of an empty record (registered or not, but
   * without quiz attempts, results, review cards, xAPI statements or Q&A) is moved over and the empty
   * record removed, its audit entries and reminders kept on the person; one with records is refused.
   */
  attach(userId: number, identity: Identity): Promise<AttachOutcome>;
  /** Remove an identity from its person; refused ('last') when it is the person's only one. */
  detach(identity: Identity): Promise<DetachOutcome>;
}

/** One-time codes that let a person attach a second channel (/bind): stored hashed, taken once. */
export interface LinkCodeStore {
  /**
   * Keep a code for a user until `expiresAt`, replacing the user's earlier code. False when another live
   * code has the same hash (the caller draws a new code).
   */
  issue(input: { userId: number; codeHash: string; expiresAt: Date; at: Date }): Promise<boolean>;
  /** Take a live code, once: the user it was issued to; undefined when unknown, taken or expired. */
  redeem(codeHash: string, at: Date): Promise<number | undefined>;
  /** Remember a failed attempt (a wrong code) by a redeemer ('wecom:zhangsan'). */
  recordFailure(redeemer: string, at: Date): Promise<void>;
  /** Failed attempts since `since`, by one redeemer or by everyone. */
  failures(since: Date, redeemer?: string): Promise<number>;
  /** Void every live code (someone may be guessing). Resolves with how many were voided. */
  voidAll(): Promise<number>;
}

export type Feedback = 1 | -1;

export interface QaCitation {
  doc: string;
  law?: string;
  article?: number;
  articleSuffix?: number;
  articleLabel?: string;
  version?: string;
  status?: string;
  section?: string;
  text: string;
}

export interface QaEntry {
  id: number;
  userId: number;
  chatId: string;
  question: string;
  answer: string;
  mode: string;
  citations: QaCitation[];
  related: QaCitation[];
  latencyMs: number;
  feedback: Feedback | null;
  createdAt: string;
}

export type NewQaEntry = Omit<QaEntry, 'id' | 'feedback' | 'createdAt'>;

export interface QaLogRepository {
  add(entry: NewQaEntry): Promise<QaEntry>;
  get(id: number): Promise<QaEntry | undefined>;
  /** Sets the asker's feedback (the last tap wins); false if the entry is not this user's. */
  setFeedback(id: number, userId: number, feedback: Feedback): Promise<boolean>;
  countByUser(userId: number): Promise<number>;
  recent(opts?: { userId?: number; limit?: number }): Promise<QaEntry[]>;
  /** A page of the log, newest first, by feedback ('none' = not rated), with the total that matches. */
  page(opts: { feedback?: FeedbackFilter; limit: number; offset: number }): Promise<{ entries: QaEntry[]; total: number }>;
}

/** Which entries of the Q&A log: all, 👍, 👎, or not rated. */
export type FeedbackFilter = 'all' | 'up' | 'down' | 'none';

export interface AuditEntry {
  id: number;
  at: string;
  actorUserId: number | null;
  action: string;
  targetUserId: number | null;
  detail: Record<string, unknown>;
}

export interface AuditLogRepository {
  add(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<AuditEntry>;
  recent(limit?: number): Promise<AuditEntry[]>;
  /** A page of the log, newest first, of one action (or actions starting with `action.`) and/or one actor, with the total that matches. */
  page(opts: { action?: string; actorUserId?: number; limit: number; offset: number }): Promise<{ entries: AuditEntry[]; total: number }>;
  /** The actions in the log, with how often each occurs, most frequent first. */
  actions(): Promise<{ action: string; count: number }[]>;
}

/** Remembers which transport updates were handled, so a redelivered one is handled once. */
export interface ProcessedUpdates {
  /** True the first time a (source, id) pair is claimed, false ever after. */
  claim(source: string, updateId: string): Promise<boolean>;
  /** Forget claims older than the given time (Telegram redelivers for at most a day). */
  prune(olderThan: Date): Promise<number>;
}

/** Short-lived conversation state (a registration form in progress), keyed by chat and user. */
export interface SessionStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}
