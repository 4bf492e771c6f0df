/**
 * The records ports: small repository interfaces the chat core (and later quizzes and the admin
 * dashboard) talk to. SQLite implements them today; a PostgreSQL adapter would implement the same,
 * which is why every method returns a promise even though better-sqlite3 itself is synchronous.
 */

export type UserStatus = 'pending' | 'active' | 'disabled';

/** Where a person talks to pufa from: a Telegram, DingTalk or Feishu account, or the operator's local terminal. */
export interface Identity {
  channel: 'telegram' | 'local' | 'dingtalk' | 'feishu';
  /** Telegram user id (digits) or the local account name. */
  id: string;
}

export interface UserRecord {
  id: number;
  /** Opaque, random staff id (used as the xAPI actor and in exports); never derived from the Telegram id. */
  staffId: string;
  telegramId: string | null;
  localId: string | null;
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
}

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

export interface Records {
  users: UserRepository;
  qa: QaLogRepository;
  audit: AuditLogRepository;
  updates: ProcessedUpdates;
  sessions: SessionStore;
  /** A consistent copy of the whole database, safe while others write. Resolves with the bytes copied. */
  backup(destination: string): Promise<number>;
  close(): Promise<void>;
}
