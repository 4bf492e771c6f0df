/**
 * A newcomer's first `npm start` with an empty laws folder: offer to download the checklist's laws from the
 * configured mirror (LAWS_MIRROR_URL) when it can be reached, and say in two lines what to do when it cannot.
 * Only a terminal is asked; a service without one is told the command to run.
 */
import type { Readable } from 'node:stream';
import { userMessageOf } from '../errors.ts';
import { fetchChecklistLaws } from './commands/laws.ts';
import type { CommandContext } from './context.ts';

/** How long the mirror may take to answer the probe before we call it unreachable. */
const PROBE_MS = 5_000;

/** Whether the mirror answers at all (its index file), and why not. */
async function probeMirror(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/db.sqlite3`, { method: 'HEAD', signal: AbortSignal.timeout(Math.min(timeoutMs, PROBE_MS)) });
    return res.ok ? undefined : `HTTP ${res.status}`;
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    if (e.name === 'TimeoutError') return '连接超时';
    return e.cause?.code === 'ENOTFOUND' || e.cause?.code === 'EAI_AGAIN' ? '找不到服务器，可能未联网' : (e.cause?.code ?? '无法连接');
  }
}

/** One line typed on `input`, leaving whatever follows it unread (the chat reads it next). */
export function readOneLine(input: Readable): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buf = '';
    const done = (line: string | undefined, rest = '') => {
      input.off('readable', onReadable);
      input.off('end', onEnd);
      if (rest) input.unshift(Buffer.from(rest));
      resolve(line);
    };
    const onReadable = () => {
      for (let chunk = input.read(); chunk !== null; chunk = input.read()) {
        buf += String(chunk);
        const i = buf.indexOf('\n');
        if (i >= 0) return done(buf.slice(0, i).replace(/\r$/, ''), buf.slice(i + 1));
      }
    };
    const onEnd = () => done(buf || undefined);
    input.on('readable', onReadable);
    input.on('end', onEnd);
    onReadable();
  });
}

/**
 * Offer the download; true when laws were downloaded (the caller then builds the index with them).
 * @example if (lawFiles === 0) await offerLawsFetch(ctx)
 */
export async function offerLawsFetch(ctx: CommandContext): Promise<boolean> {
  const { config, io } = ctx;
  const mirror = config.lawsMirror.url;
  const unreachable = await probeMirror(mirror, config.lawsMirror.timeoutMs);
  if (unreachable) {
    io.stderr.write(
      `法规目录 ${config.lawsDir} 里还没有法规文件，法规镜像 ${mirror} 也连不上（${unreachable}）。\n` +
        '请把法规文件（DOCX、Markdown、TXT 或 PDF）放进该目录，或把 LAWS_MIRROR_URL 设为本单位能访问的镜像后运行 npx pufa laws fetch，然后重新启动。\n',
    );
    return false;
  }
  if (!io.stdin.isTTY) {
    io.stderr.write(`法规目录 ${config.lawsDir} 里还没有法规文件。运行 npx pufa laws fetch 可从 ${mirror} 下载必学清单中的法规，然后重新启动。\n`);
    return false;
  }
  io.stderr.write(`法规目录 ${config.lawsDir} 里还没有法规文件。现在从 ${mirror} 下载必学清单中的法规吗？[Y/n] `);
  const answer = ((await readOneLine(io.stdin)) ?? 'n').trim().toLowerCase();
  if (!['', 'y', 'yes', '是', '好', '要'].includes(answer)) {
    io.stderr.write('好的，暂不下载。以后可以运行 npx pufa laws fetch。\n');
    return false;
  }
  try {
    const r = await fetchChecklistLaws(ctx, io.stderr);
    return r.downloaded > 0;
  } catch (err) {
    ctx.fileLogger.error('first-run fetch failed', { error: err as Error });
    io.stderr.write(`${userMessageOf(err)}\n`);
    return false;
  }
}
