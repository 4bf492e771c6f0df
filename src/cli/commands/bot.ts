/** `pufa bot`: the Telegram bot only (long polling, or a webhook when WEBHOOK_URL is set), with the quiz reminders. */
import { runUntilStopped } from '../../app/lifecycle.ts';
import { startReminders, startTelegram } from '../../app/transports.ts';
import { PufaError } from '../../errors.ts';
import type { Command, CommandContext } from '../context.ts';

export async function runBot(ctx: CommandContext): Promise<number> {
  if (!ctx.config.telegram.token) throw new PufaError('未设置 TELEGRAM_BOT_TOKEN：请在 .env 中填写机器人令牌（向 @BotFather 申请）。');
  const say = (line: string) => void ctx.io.stderr.write(line + '\n');
  await runUntilStopped(
    async (signal) => {
      let telegram;
      try {
        telegram = await startTelegram(ctx.app, ctx.io, signal);
      } catch (err) {
        // Ctrl-C while connecting is a normal way to stop, not an error.
        if (signal.aborted) return [];
        throw err;
      }
      const reminders = await startReminders(ctx.app);
      say('按 Ctrl-C 停止。');
      return [telegram!, ...(reminders ? [reminders] : [])];
    },
    { logger: ctx.logger, say },
  );
  return 0;
}

export const command: Command = {
  name: 'bot',
  summary: '运行 Telegram 机器人（需要 TELEGRAM_BOT_TOKEN；设置 WEBHOOK_URL 时使用 webhook）。',
  usage: 'pufa bot [--data DIR] [--knowledge DIR] [--laws DIR]',
  run: runBot,
};
