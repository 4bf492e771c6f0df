/**
 * The run-until-stopped lifecycle every long-running command shares (pufa chat, bot, admin, start):
 * start the services, wait for Ctrl-C / SIGTERM (or for a service that ends by itself, like a terminal
 * chat reaching EOF), then stop them in reverse order, each stop awaited even when another fails.
 */
import type { Logger } from '../log.ts';

/** Something started that must be stopped before the process exits. */
export interface Stoppable {
  /** Name for the operator's log ('telegram', 'dashboard', …). */
  name: string;
  stop(): Promise<void>;
  /** Resolves when the service ends on its own (a terminal chat at EOF); the others then stop too. */
  done?: Promise<void>;
}

/** An AbortSignal for Ctrl-C and SIGTERM, and a function to stop listening. */
export function stopSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

export interface RunOptions {
  logger: Logger;
  /** Told once the services are up (e.g. 「按 Ctrl-C 停止。」) and once stopping begins. */
  say?: (line: string) => void;
  /** Stop here instead of at the process signals (tests). */
  signal?: AbortSignal;
}

/**
 * Start the services, wait for the stop signal or for one that ends by itself, then stop all in reverse
 * order. `start` receives the signal so a slow start (connecting) can be cut short.
 * @example await runUntilStopped((signal) => startTransports(app, signal), { logger, say: (l) => stderr.write(l + '\n') })
 */
export async function runUntilStopped(start: (signal: AbortSignal) => Promise<Stoppable[]>, opts: RunOptions): Promise<void> {
  const own = opts.signal ? undefined : stopSignal();
  const signal = opts.signal ?? own!.signal;
  let services: Stoppable[] = [];
  try {
    services = await start(signal);
    // Nothing started (cancelled while connecting, or nothing could start): nothing to wait for.
    if (!services.length) return;
    const ended = services.flatMap((s) => (s.done ? [s.done] : []));
    if (!signal.aborted) {
      await Promise.race([new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true })), ...ended]);
    }
    if (signal.aborted) opts.say?.('正在停止：等待处理中的消息完成…');
  } finally {
    await stopAll(services, opts.logger);
    own?.dispose();
  }
}

/** Stop in reverse order of starting; a failing stop is logged and the others still run. */
export async function stopAll(services: Stoppable[], logger: Logger): Promise<void> {
  for (const s of [...services].reverse()) {
    try {
      await s.stop();
    } catch (err) {
      logger.error('stop failed', { service: s.name, error: err as Error });
    }
  }
}
