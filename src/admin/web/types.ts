/**
 * The dashboard's shared types: what the app is built from (AdminWebDeps) and what every page gets
 * (PageDeps). In their own module so the pages and the app both import them, and never each other.
 */
import type { Context } from 'hono';
import type { html } from 'hono/html';
import type { LawCatalog } from '../../knowledge/catalog.ts';
import type { Logger } from '../../log.ts';
import type { Records } from '../../records/ports.ts';
import type { IngestProgress } from '../../search/ingest.ts';
import type { IndexManifest } from '../../search/types.ts';
import type { Messenger } from '../messenger.ts';
import type { AdminStats } from '../stats.ts';
import type { AdminSession, AdminSessions } from './auth.ts';

/** What the knowledge page shows: the index's manifest and catalog (undefined when no index is built). */
export interface KnowledgeView {
  manifest: IndexManifest & {
    checklistLaws?: string[];
    duplicates?: { kept: string; dropped: string }[];
    articleQuestions?: { count: number; articles: number; unapplied: string[]; sources?: Record<string, string> };
    listing?: Record<string, string>;
    checklistOnly?: boolean;
  };
  catalog: LawCatalog;
}

/** Where knowledge files live (the configured folders) and how large one may be. */
export interface KnowledgeFolders {
  lawsDir: string;
  knowledgeDir: string;
  maxFileBytes: number;
}

/** An ingest started from the dashboard, as the page shows it. */
export interface IngestJobState {
  state: 'idle' | 'running' | 'done' | 'failed';
  /** Who started it (the admin's name). */
  by?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The last progress event of the build. */
  progress?: IngestProgress;
  /** 'building' while the index is built, 'switching' while the app opens it and changes over. */
  step?: 'building' | 'switching';
  /** What the finished build holds. */
  summary?: { files: number; laws: number; versions: number; articles: number; documents: number; chunks: number; seconds: number; skipped: { path: string; reason: string }[] };
  /** Why it failed, in Chinese. */
  error?: string;
}

/** Building a new index while the old one keeps answering, then switching the app over (src/app/index-holder.ts). */
export interface IngestControl {
  state(): IngestJobState;
  /** Start an ingest unless one is running (false then). `replace` lets it drop most laws (see the ingest guard). */
  start(opts: { replace: boolean; by: string }): boolean;
}

export interface AdminWebDeps {
  /** The records ports (any adapter); the app only reads and audits through them. */
  records: Records;
  stats: AdminStats;
  /** ADMIN_WEB_TOKEN: the bootstrap login until a named admin has set a password; without it only chat links (/web) and passwords log in. */
  token?: string;
  /** The index, loaded on first use (it is large); undefined when none is built. */
  knowledge?: () => Promise<KnowledgeView | undefined>;
  /** knowledge/faq: where pinned answers are written. */
  faqDir: string;
  /** The knowledge folders, for uploads, the ingest preview, the checklist and the drafts (pages say so when absent). */
  folders?: KnowledgeFolders;
  /** Starts an ingest from the dashboard (absent: the page says to run npx pufa ingest). */
  ingest?: IngestControl;
  /** Reaches people over the running chat transports (reminders, registration results). */
  messenger?: Messenger;
  logger: Logger;
  now?: () => Date;
  /** Session lifetime settings (tests shorten them). */
  sessionIdleMs?: number;
}

export type AdminEnv = { Variables: { session: AdminSession } };
export type AdminContext = Context<AdminEnv>;

export interface PageDeps extends AdminWebDeps {
  now: () => Date;
  sessions: AdminSessions;
  /** Audit an admin action of this session. */
  audit(c: AdminContext, action: string, detail?: Record<string, unknown>, targetUserId?: number | null): Promise<void>;
  /** Render a page inside the frame, with the session's CSRF token and name. */
  render(
    c: AdminContext,
    title: string,
    active: string,
    body: ReturnType<typeof html>,
    opts?: { scripts?: string[]; flash?: string; status?: 200 | 400 | 403 | 404 | 409 | 413 | 503; refresh?: number },
  ): Response | Promise<Response>;
}
