/**
 * Reminding people who have not finished this week's quiz, from chat (/pending) or the dashboard (提醒): over
 * each person's own channel (the messenger), once per person and week whoever presses (the claim in the
 * reminder log), a claim given back when nothing could reach them so a later press tries again.
 */
import type { Logger } from '../log.ts';
import type { ReminderLog } from '../records/training.ts';
import type { Identity } from '../records/types.ts';
import { reachable, type Messenger } from './messenger.ts';

export { reachable };

/** Reminders sent by admins are recorded with this kind, once per user and week. */
export const ADMIN_REMINDER_KIND = 'admin';

export function reminderText(week: string): string {
  return `提醒：本周（${week}）的学法考试您还没有完成，请发送 /quiz 参加（约 10 道题，几分钟即可完成）。`;
}

export interface RemindOutcome {
  sent: number;
  /** Reminded before this week (by anyone): not sent again. */
  skipped: number;
  /** No identity on a channel: nobody can reach them. */
  unreachable: number;
  /** No running transport reached them (the claim was given back). */
  failed: number;
  /** The people sent to now. */
  sentTo: number[];
}

/**
 * Send this week's reminder to each person once.
 * @example await remindPeople({ reminders: records.reminders, messenger, logger }, '2026-W48', pending, new Date())
 */
export async function remindPeople(
  deps: { reminders: ReminderLog; messenger: Messenger; logger: Logger },
  week: string,
  people: { userId: number; identities: Identity[] }[],
  now: Date,
): Promise<RemindOutcome> {
  const out: RemindOutcome = { sent: 0, skipped: 0, unreachable: 0, failed: 0, sentTo: [] };
  for (const p of people) {
    const to = reachable(p.identities);
    if (!to.length) {
      out.unreachable++;
      continue;
    }
    // Claim first: a double tap or a second admin finds the row and skips this person.
    if (!(await deps.reminders.claimReminder(p.userId, week, ADMIN_REMINDER_KIND, now))) {
      out.skipped++;
      continue;
    }
    try {
      if (!(await deps.messenger.sendTo(to, reminderText(week)))) throw new Error('no running transport reaches this person');
      out.sent++;
      out.sentTo.push(p.userId);
    } catch (err) {
      await deps.reminders.releaseReminder(p.userId, week, ADMIN_REMINDER_KIND);
      out.failed++;
      deps.logger.warn('admin reminder failed', { userId: p.userId, error: err as Error });
    }
  }
  return out;
}
