/**
 * What `pufa start` does before serving: build the index when it is missing or stale, and never let that
 * stop the service. A refused replacement (ingest guard) or a failed re-ingest leaves the previous index
 * serving, said in one line; only a first build that fails is fatal (there is nothing to serve).
 */
import { PufaError, userMessageOf } from '../errors.ts';
import { questionBankArtefact } from '../quiz/bank-file.ts';
import { indexStatus, runIngest } from '../search/index.ts';
import { guardIngest, IndexKeptError, servingManifest } from '../search/ingest-guard.ts';
import { stat } from 'node:fs/promises';
import { loadChecklist } from '../knowledge/checklist.ts';
import { sourceFilesUnder } from '../knowledge/load.ts';
import type { CommandContext } from './context.ts';
import { offerLawsFetch } from './first-run.ts';
import { ingestProgressBar } from './ingest-progress.ts';

/** Law files in the laws folder (0 when it is empty; undefined when it does not exist). */
async function lawFileCount(lawsDir: string): Promise<number | undefined> {
  const s = await stat(lawsDir).catch(() => undefined);
  if (!s?.isDirectory()) return undefined;
  return (await sourceFilesUnder(lawsDir, 'laws', (p) => !/readme\.md$/i.test(p))).length;
}

/** Whether the checklist names any law to download (a broken checklist is reported later by the ingest). */
async function checklistNamesLaws(knowledgeDir: string): Promise<boolean> {
  try {
    return (await loadChecklist(knowledgeDir)).roles.some((r) => r.laws.length > 0);
  } catch {
    return false;
  }
}

export async function prepareIndex(ctx: CommandContext, opts: { replace?: boolean } = {}): Promise<void> {
  const { config, io } = ctx;
  // A newcomer's empty laws folder (and nothing better serving): offer to download the checklist's laws first.
  let offered = false;
  if ((await lawFileCount(config.lawsDir)) === 0 && !((await servingManifest(config.dataDir))?.counts.laws ?? 0) && (await checklistNamesLaws(config.knowledgeDir))) {
    offered = true;
    await offerLawsFetch(ctx);
  }
  // The quiz's question bank is built into the index: a generator of another version makes it stale.
  const artefacts = [questionBankArtefact(config.knowledgeDir)];
  const status = await indexStatus(config, { artefacts });
  if (status === 'fresh') return;
  if (status === 'stale') {
    // Checked before saying anything: a refused update is one line, not "updating…" and then "kept".
    try {
      await guardIngest(config, await servingManifest(config.dataDir), opts);
    } catch (err) {
      if (!(err instanceof PufaError)) throw err;
      io.stderr.write((err instanceof IndexKeptError ? err.userMessage : `${err.userMessage} 继续使用原索引。`) + '\n');
      return;
    }
  }
  io.stderr.write(
    status === 'missing' ? `首次运行：正在建立知识库索引（法规目录 ${config.lawsDir}），请稍候…\n` : '知识库文件有变化：正在更新索引…\n',
  );
  let summary;
  const bar = io.stderr.isTTY ? ingestProgressBar(io.stderr) : undefined;
  try {
    summary = await runIngest(config, { logger: ctx.logger, onProgress: bar?.onProgress, replace: opts.replace, artefacts });
  } catch (err) {
    if (status === 'missing') throw err;
    ctx.fileLogger.error('re-ingest failed, serving the previous index', { error: err as Error });
    // The guard's and the store's messages already say that the old index keeps serving.
    const message = err instanceof PufaError ? userMessageOf(err) : '索引更新失败（详情见日志）。';
    io.stderr.write((message.includes('原索引') ? message : `${message} 继续使用原索引。`) + '\n');
    return;
  } finally {
    bar?.stop();
  }
  io.stderr.write(
    `索引完成：${summary.laws} 部法规、${summary.articles} 条、${summary.documents} 份文档，用时 ${summary.seconds.toFixed(1)} 秒。\n`,
  );
  if (summary.skipped.length) {
    io.stderr.write(`跳过的文件 ${summary.skipped.length} 个（${summary.skipped.slice(0, 3).map((f) => `${f.path}：${f.reason}`).join('；')}${summary.skipped.length > 3 ? '；…' : ''}），详见 npx pufa ingest。\n`);
  }
  if (summary.laws === 0 && !offered) {
    io.stderr.write(
      `提示：法规目录（${config.lawsDir}）里还没有法规文件，目前只能依据单位自己的文档作答。` +
        '请把法规文件（Markdown、TXT、DOCX 或 PDF）放入该目录，或设置 LAWS_DIR，或运行 npx pufa laws fetch 下载必学清单中的法规，然后重新启动。\n',
    );
  }
}
