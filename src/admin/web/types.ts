/**
 * The dashboard's shared types: what the app is built from (AdminWebDeps) and what every page gets
 * (PageDeps). In their own module so the pages and the app both import them, and never each other.
 */
import type { Context } from 'hono';
import type { html } from 'hono/html';
import type { LawCatalog } from '../../knowledge/catalog.ts';
import type { Logger } from '../../log.ts';
import type { Records } from '../../records/ports.ts';
import type { IndexManifest } from '../../search/types.ts';
import type { AdminStats } from '../stats.ts';
import type { AdminSession, AdminSessions } from './auth.ts';

/** What the knowledge page shows: the index's manifest and catalog (undefined when no index is built). */
export interface KnowledgeView {
  manifest: IndexManifest & {
    checklistLaws?: string[];
    duplicates?: { kept: string; dropped: string }[];
    articleQuestions?: { count: number; articles: number; unapplied: string[] };
  };
  catalog: LawCatalog;
}

export interface AdminWebDeps {
  /** The records ports (any adapter); the app only reads and audits through them. */
  records: Records;
  stats: AdminStats;
  /** ADMIN_WEB_TOKEN; without it only one-time chat links (/web) log in. */
  token?: string;
  /** The index, loaded on first use (it is large); undefined when none is built. */
  knowledge?: () => Promise<KnowledgeView | undefined>;
  /** knowledge/faq: where pinned answers are written. */
  faqDir: string;
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
  render(c: AdminContext, title: string, active: string, body: ReturnType<typeof html>, opts?: { scripts?: string[]; flash?: string; status?: 200 | 400 | 404 }): Response | Promise<Response>;
}
