/**
 * The terminal transport: a REPL over injected streams. Buttons become numbered choices (type the
 * number); piped input is answered line by line and the chat ends at EOF.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChatCore } from '../core.ts';
import { plainText } from '../format.ts';
import type { Button, ChatOutput, MessageRef, OutMessage, OutputAbilities, Sender } from '../types.ts';

export interface TerminalChatOptions {
  core: ChatCore;
  input: Readable & { isTTY?: boolean };
  output: { write(s: string): unknown };
  /** The local account; the core treats it as a registered admin. */
  user: { id: string; name: string };
  /** Banner and prompt (default: when the input is a terminal). Piped runs echo each question instead. */
  interactive?: boolean;
  /** Ends the chat (Ctrl-C, SIGTERM) after the line being handled. */
  signal?: AbortSignal;
  /** Where files sent to the chat (an admin's /export) are saved (default ./data/exports). */
  filesDir?: string;
  /** Told the chat's output port once it exists (the app attaches it to its outbox). */
  onOutput?: (output: ChatOutput) => void;
}

const CHAT_ID = 'local';

/** A terminal prints plain text of any length; buttons are numbered, an edit prints anew, and only its operator is reached. */
export const TERMINAL_ABILITIES: OutputAbilities = {
  maxMessageLength: Number.MAX_SAFE_INTEGER,
  formatting: 'plain',
  editsInPlace: false,
  buttons: 'numbered',
  reachesOthers: false,
};

interface Choice {
  button: Button;
  message: MessageRef;
}

/** The output port that prints to the terminal and remembers the latest buttons as numbered choices. */
export function terminalOutput(write: (s: string) => void, filesDir: string = join(process.cwd(), 'data', 'exports')): ChatOutput & { choices: Choice[] } {
  let next = 1;
  const state = {
    choices: [] as Choice[],
    print(msg: OutMessage, ref: MessageRef, edited: boolean) {
      const body = plainText(msg.blocks);
      write(`${edited ? '（已更新）\n' : ''}${body}\n`);
      if (msg.buttons?.length) {
        const choices: Choice[] = [];
        const lines = msg.buttons.map((row) =>
          row
            .map((button) => {
              choices.push({ button, message: ref });
              return `[${choices.length}] ${button.text}`;
            })
            .join('   '),
        );
        write(`${lines.map((l) => `  ${l}`).join('\n')}\n  （输入编号选择）\n`);
        state.choices = choices;
      }
      write('\n');
    },
  };
  return {
    abilities: TERMINAL_ABILITIES,
    get choices() {
      return state.choices;
    },
    async send(_chatId, msg) {
      const ref = { chatId: CHAT_ID, messageId: String(next++) };
      state.print(msg, ref, false);
      return [ref];
    },
    async edit(ref, msg) {
      state.print(msg, ref, true);
    },
    async answerCallback(_id, o = {}) {
      if (o.text) write(`» ${o.text}\n\n`);
    },
    async typing() {},
    async sendDocument(_chatId, doc) {
      await mkdir(filesDir, { recursive: true });
      const path = join(filesDir, basename(doc.filename));
      await writeFile(path, doc.data);
      write(`${doc.caption ? `${doc.caption}\n` : ''}📎 文件已保存：${path}\n\n`);
    },
  };
}

/**
 * Run the chat until EOF or the signal; every line is handled before the next is read.
 * @example await runTerminalChat({ core, input: process.stdin, output: process.stdout, user: { id: 'alice', name: 'alice' } })
 */
export async function runTerminalChat(opts: TerminalChatOptions): Promise<void> {
  const { core, input, signal } = opts;
  const write = (s: string) => void opts.output.write(s);
  const interactive = opts.interactive ?? Boolean(input.isTTY);
  const out = terminalOutput(write, opts.filesDir);
  opts.onOutput?.(out);
  const from: Sender = {
    identity: { channel: 'local', id: opts.user.id },
    name: opts.user.name,
    privateChatId: CHAT_ID,
  };
  // A terminal needs readline's output to echo what is typed; a pipe needs none.
  const rl = createInterface({
    input,
    output: interactive ? (opts.output as Writable) : undefined,
    terminal: interactive,
    crlfDelay: Infinity,
  });
  rl.on('SIGINT', () => rl.close());
  const onAbort = () => rl.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (interactive) {
    write('普法助手 · 终端对话\n直接输入问题，例如「预算年度是怎么规定的？」；/help 查看命令；按钮显示为编号，输入编号即可选择；Ctrl-D 或 Ctrl-C 退出。\n\n');
    rl.setPrompt('› ');
    rl.prompt();
  }
  let callbacks = 0;
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line) {
        if (!interactive) write(`› ${line}\n`);
        const n = /^\d{1,2}$/.test(line) ? Number(line) : 0;
        const choice = n ? out.choices[n - 1] : undefined;
        if (choice) {
          await core.handle(
            {
              kind: 'callback',
              chatId: CHAT_ID,
              chatType: 'private',
              from,
              callbackId: `local-${++callbacks}`,
              data: choice.button.data,
              message: choice.message,
            },
            out,
          );
        } else {
          await core.handle({ kind: 'text', chatId: CHAT_ID, chatType: 'private', from, text: line }, out);
        }
      }
      if (signal?.aborted) break;
      if (interactive) rl.prompt();
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    rl.close();
    await core.drain();
    if (interactive) write('\n再见！\n');
  }
}
