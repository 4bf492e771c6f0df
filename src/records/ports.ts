/** All records ports together: what an adapter (SQLite today, PostgreSQL tomorrow) provides. */
import type { AdminCredentialStore } from './admin-credentials.ts';
import type { Inbox } from './inbox.ts';
import type { TrainingReadModel } from './read-model.ts';
import type { ReminderLog, TrainingRepository } from './training.ts';
import type {
  AuditLogRepository,
  IdentityRepository,
  LinkCodeStore,
  ProcessedUpdates,
  QaLogRepository,
  SessionStore,
  UserRepository,
} from './types.ts';

/** Every records port, as one adapter (SQLite today) provides them. */
export interface Records {
  users: UserRepository;
  identities: IdentityRepository;
  linkCodes: LinkCodeStore;
  qa: QaLogRepository;
  audit: AuditLogRepository;
  updates: ProcessedUpdates;
  /** Messages accepted but perhaps not yet answered (a bot killed mid-question answers them at its next start). */
  inbox: Inbox;
  sessions: SessionStore;
  /** Quiz attempts, answers, weekly results, review cards, xAPI statements (src/records/training.ts). */
  training: TrainingRepository;
  /** Reminders sent, once per person, week and kind (the quiz's calendar and the admins' /pending). */
  reminders: ReminderLog;
  /** The dashboard's, the admin commands' and the exports' statistics. */
  stats: TrainingReadModel;
  /** Dashboard passwords of named admins (hashed). */
  adminCredentials: AdminCredentialStore;
  /** A consistent copy of the whole database, safe while others write. Resolves with the bytes copied. */
  backup(destination: string): Promise<number>;
  close(): Promise<void>;
}
