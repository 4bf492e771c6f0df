/**
 * The quiz's calendar (croner): the week's quiz opens on Monday at QUIZ_OPEN_AT with a message to every
 * active user, and reminders go out on Thursday and Sunday at their configured times to those who have not
 * finished it. Each (user, week, kind) is sent once, also across restarts (reminders_sent). `runDue(at)`
 * does the work for an instant and is what the tests call; the cron jobs only call it at the right times.
 */
import { Cron } from 'croner';
import type { Logger } from '../log.ts';
import type { ReminderTarget, TrainingRepository } from '../records/training.ts';
import type { QuizSettings } from './session.ts';
import { quizWeekOf, weekSchedule, type QuizWeek } from './week.ts';

export type ReminderKind = 'open' | 'thursday' | 'sunday';

export interface ReminderDeps {
  training: TrainingRepository;
  settings: Pick<QuizSettings, 'timezone' | 'openAt' | 'remindThursdayAt' | 'remindSundayAt' | 'passMark'>;
  /** Deliver one reminder (the chat renders it); a rejection gives the claim back for a later run. */
  send(target: ReminderTarget, kind: ReminderKind, week: QuizWeek): Promise<void>;
  now?: () => Date;
  logger?: Logger;
  /** Reminders delivered at once (the transport paces them further). */
  concurrency?: number;
}

export interface ReminderRun {
  week: string;
  /** The reminder due at that instant (the latest of the week's that has come), if any. */
  kind?: ReminderKind;
  sent: number;
  failed: number;
}

export interface ReminderScheduler {
  /** Send what is due at `at` (default now) and not sent yet. */
  runDue(at?: Date): Promise<ReminderRun>;
  /** Schedule the three weekly runs (and catch up once now). */
  start(): void;
  /** Stop the schedule and wait for a run in progress. */
  stop(): Promise<void>;
}

/**
 * The reminder due at an instant: the latest of the week's open / Thursday / Sunday times that has passed.
 * Only the latest is sent, so a bot that was down on Thursday does not send two reminders on Sunday.
 */
export function dueReminder(at: Date, settings: ReminderDeps['settings']): { week: QuizWeek; kind?: ReminderKind } {
  const week = quizWeekOf(at, settings.timezone);
  const s = weekSchedule(week, settings, settings.timezone);
  const t = at.getTime();
  const kind: ReminderKind | undefined =
    t >= s.remindSundayAt.getTime() ? 'sunday' : t >= s.remindThursdayAt.getTime() ? 'thursday' : t >= s.opensAt.getTime() ? 'open' : undefined;
  return { week, kind };
}

const cronAt = (hhmm: string, day: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return `0 ${m} ${h} * * ${day}`;
};

/**
 * @example const reminders = createReminderScheduler({ training, settings: config.quiz, send }); reminders.start(); … await reminders.stop();
 */
export function createReminderScheduler(deps: ReminderDeps): ReminderScheduler {
  const { training, settings } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.logger;
  const concurrency = Math.max(1, deps.concurrency ?? 8);
  let jobs: Cron[] = [];
  let running: Promise<ReminderRun> | undefined;

  async function run(at: Date): Promise<ReminderRun> {
    const { week, kind } = dueReminder(at, settings);
    if (!kind) return { week: week.key, sent: 0, failed: 0 };
    const targets = await training.reminderTargets(week.key, kind, { unfinishedOnly: true });
    let sent = 0;
    let failed = 0;
    const queue = [...targets];
    const worker = async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        // The claim comes first: two schedulers (or a restart mid-run) never send the same reminder twice.
        if (!(await training.claimReminder(t.userId, week.key, kind, at))) continue;
        if (kind === 'open') await training.ensureWeek(t.userId, week.key, settings.passMark, at);
        try {
          await deps.send(t, kind, week);
          sent++;
        } catch (err) {
          failed++;
          await training.releaseReminder(t.userId, week.key, kind);
          log?.warn('reminder not delivered', { user: t.userId, kind, week: week.key, error: err as Error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    if (sent || failed) log?.info('reminders sent', { week: week.key, kind, sent, failed });
    return { week: week.key, kind, sent, failed };
  }

  const scheduler: ReminderScheduler = {
    runDue(at = now()) {
      // One run at a time: a cron tick during a catch-up run waits for it (and then finds nothing left).
      const next = (running ?? Promise.resolve()).catch(() => undefined).then(() => run(at));
      running = next;
      return next;
    },
    start() {
      if (jobs.length) return;
      const tick = () =>
        void scheduler.runDue().catch((err) => log?.error('reminder run failed', { error: err as Error }));
      const options = { timezone: settings.timezone, protect: true };
      jobs = [
        new Cron(cronAt(settings.openAt, 'MON'), options, tick),
        new Cron(cronAt(settings.remindThursdayAt, 'THU'), options, tick),
        new Cron(cronAt(settings.remindSundayAt, 'SUN'), options, tick),
      ];
      tick();
    },
    async stop() {
      for (const j of jobs) j.stop();
      jobs = [];
      await running?.catch(() => undefined);
    },
  };
  return scheduler;
}
