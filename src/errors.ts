/**
 * Errors that reach a user carry a Chinese sentence for them and the technical cause for the log.
 * Entry points (CLI commands, chat handlers, web routes) are the only places that turn them into output.
 */
export class PufaError extends Error {
  constructor(
    /** What the user reads: one clear Chinese sentence. */
    readonly userMessage: string,
    options: { cause?: unknown; detail?: string } = {},
  ) {
    super(options.detail ?? userMessage, { cause: options.cause });
    this.name = 'PufaError';
  }
}

/** The user-facing sentence for any error: PufaError's own, else a generic apology (details go to the log). */
export function userMessageOf(err: unknown): string {
  return err instanceof PufaError ? err.userMessage : '抱歉，处理时出现内部错误，已记录日志，请稍后再试或联系管理员。';
}

/** Whether a file-system error says the path does not exist (as opposed to unreadable, a bad disk, …). */
export function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
