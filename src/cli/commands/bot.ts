/** `pufa bot`: the Telegram bot only (long polling, or a webhook when WEBHOOK_URL is set). */
import { openChatRuntime, type ChatRuntime } from '../../chat/runtime.ts';
import type { ChatOutput } from '../../chat/types.ts';
import { PufaError } from '../../errors.ts';
import { identityOn } from '../../records/identities.ts';
import type { Command, CommandContext } from '../context.ts';
import { stopSignal } from './chat.ts';

export async function runBot(ctx: CommandContext): Promise<number> {
  const token = ctx.config.telegram.token;
  if (!token) throw new PufaError('未设置 TELEGRAM_BOT_TOKEN：请在 .env 中填写机器人令牌（向 @BotFather 申请）。');
  const { signal, dispose } = stopSignal();
  const { createTelegramBot } = await import('../../chat/telegram/bot.ts');
  const runtime = await openChatRuntime({ config: ctx.config, logger: ctx.logger });
  let reminders: Awaited<ReturnType<typeof startQuizReminders>>;
  try {
    const telegram = createTelegramBot(token, { core: runtime.core, config: ctx.config, logger: ctx.logger.child('telegram') });
    ctx.io.stderr.write('正在连接 Telegram…\n');
    let running;
    try {
      running = await telegram.start(signal);
    } catch (err) {
      // Ctrl-C while connecting is a normal way to stop, not an error.
      if (signal.aborted) return 0;
      throw err;
    }
    reminders = await startQuizReminders(runtime, telegram.output, ctx);
    ctx.io.stderr.write(
      `普法助手已在 Telegram 上线（@${telegram.bot.botInfo.username}，${running.mode === 'webhook' ? 'webhook' : '长轮询'}）。按 Ctrl-C 停止。\n`,
    );
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    ctx.io.stderr.write('正在停止：等待处理中的消息完成…\n');
    await reminders?.stop();
    await running.stop();
  } finally {
    await reminders?.stop();
    await runtime.close();
    dispose();
  }
  return 0;
}

export const command: Command = {
  name: 'bot',
  summary: '运行 Telegram 机器人（需要 TELEGRAM_BOT_TOKEN；设置 WEBHOOK_URL 时使用 webhook）。',
  usage: 'pufa bot [--data DIR] [--knowledge DIR] [--laws DIR]',
  run: runBot,
};

/** The quiz's Monday / Thursday / Sunday messages, sent through the bot while it runs. */
async function startQuizReminders(runtime: ChatRuntime, output: ChatOutput, ctx: CommandContext) {
  if (!runtime.quiz) return undefined;
  const [{ createReminderScheduler }, { reminderMessage }] = await Promise.all([
    import('../../quiz/reminders.ts'),
    import('../../chat/features/quiz.ts'),
  ]);
  const settings = ctx.config.quiz;
  const reminders = createReminderScheduler({
    training: runtime.quiz.training,
    settings,
    logger: ctx.logger.child('reminders'),
    channels: ['telegram'],
    send: async (target, kind, week) => void (await output.send(identityOn(target.identities, 'telegram')!, reminderMessage(kind, week, settings))),
  });
  reminders.start();
  return reminders;
}
