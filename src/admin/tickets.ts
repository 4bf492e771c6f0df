/**
 * One-time login links for the dashboard: an admin asks for one in chat (/web) and opens it on the
 * machine that serves the dashboard. Tickets live in the records' session store, so the bot and the
 * dashboard may run in different processes; only a hash of the ticket is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SessionStore } from '../records/types.ts';

export const TICKET_TTL_MS = 10 * 60_000;

interface StoredTicket {
  userId: number;
  expiresAt: number;
}

const keyOf = (ticket: string) => `admin-web-ticket:${createHash('sha256').update(ticket).digest('hex')}`;

/** A fresh ticket for a user (the caller checks the user is an admin). */
export async function issueLoginTicket(sessions: SessionStore, userId: number, now: Date): Promise<string> {
  const ticket = randomBytes(24).toString('base64url');
  await sessions.set(keyOf(ticket), { userId, expiresAt: now.getTime() + TICKET_TTL_MS } satisfies StoredTicket);
  return ticket;
}

/** The user id a ticket was issued to, once: the ticket is gone afterwards; undefined if unknown or expired. */
export async function redeemLoginTicket(sessions: SessionStore, ticket: string, now: Date): Promise<number | undefined> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(ticket)) return undefined;
  const key = keyOf(ticket);
  const stored = await sessions.get<StoredTicket>(key);
  if (!stored) return undefined;
  await sessions.delete(key);
  return stored.expiresAt > now.getTime() ? stored.userId : undefined;
}
