/** `pufa laws fetch|check`: get the checklist's laws into the laws folder, and see which are missing. */
import { PufaError } from '../../errors.ts';
import { checklistFilter, loadChecklist, resolveChecklist } from '../../knowledge/checklist.ts';
import { fetchLaws } from '../../authoring/laws-fetch.ts';
import { loadKnowledge } from '../../knowledge/load.ts';
import type { Command, CommandContext } from '../context.ts';

/**
 * Download the checklist's laws into the laws folder, printing each file to `out`; also the first-run offer of
 * `pufa start`. Returns how many files failed or were missing (0: all there).
 */
export async function fetchChecklistLaws(ctx: CommandContext, out: { write(s: string): unknown }, opts: { mirrorUrl?: string; force?: boolean } = {}): Promise<{ downloaded: number; problems: number }> {
  const { config } = ctx;
  const checklist = await loadChecklist(config.knowledgeDir);
  const laws = checklist.roles.flatMap((r) => r.laws);
  if (laws.length === 0) {
    throw new PufaError(`没有找到必学清单（${config.knowledgeDir}/checklists/*.yaml），不知道要下载哪些法规。`);
  }
  const mirrorUrl = opts.mirrorUrl ?? config.lawsMirror.url;
  out.write(`从 ${mirrorUrl} 下载必学清单中的法规到 ${config.lawsDir} …\n`);
  const result = await fetchLaws({
    mirrorUrl,
    timeoutMs: config.lawsMirror.timeoutMs,
    lawsDir: config.lawsDir,
    laws,
    overwrite: opts.force,
    logger: ctx.logger,
    onFile: (e) => {
      if (e.status === 'downloaded') out.write(`  已下载  ${e.path}\n`);
      else if (e.status === 'failed') out.write(`  失败    ${e.path}（${e.reason}）\n`);
    },
  });
  out.write(
    `完成：新下载 ${result.downloaded.length} 个文件，已有 ${result.existing.length} 个` +
      (result.failed.length ? `，失败 ${result.failed.length} 个` : '') +
      '。\n',
  );
  if (result.missing.length) {
    out.write(`镜像中找不到：${result.missing.join('、')}。请从国家法律法规数据库（flk.npc.gov.cn）下载 DOCX 放入 ${config.lawsDir}。\n`);
  }
  return { downloaded: result.downloaded.length, problems: result.failed.length + result.missing.length };
}

async function fetchCommand(ctx: CommandContext): Promise<number> {
  const r = await fetchChecklistLaws(ctx, ctx.io.stdout, { mirrorUrl: ctx.values.mirror as string | undefined, force: Boolean(ctx.values.force) });
  if (r.downloaded) ctx.io.stdout.write('下一步：运行 npx pufa ingest 重建索引。\n');
  return r.problems ? 1 : 0;
}

async function checkCommand(ctx: CommandContext): Promise<number> {
  const { config, io } = ctx;
  const checklist = await loadChecklist(config.knowledgeDir);
  const { catalog, skipped } = await loadKnowledge({
    lawsDir: config.lawsDir,
    knowledgeDir: config.knowledgeDir,
    logger: ctx.logger,
    only: checklistFilter(checklist),
  });
  const { entries, missing } = resolveChecklist(checklist, catalog);
  for (const role of checklist.roles) {
    const mine = entries.filter((e) => e.role === role.name);
    const found = mine.filter((e) => e.lawId).length;
    io.stdout.write(`${role.name}：${found}/${mine.length} 部已就绪\n`);
  }
  for (const s of skipped) io.stdout.write(`  跳过 ${s.path}：${s.reason}\n`);
  if (missing.length) {
    io.stdout.write(`缺少：${missing.join('、')}\n可运行 npx pufa laws fetch 下载，或把文件放入 ${config.lawsDir}。\n`);
    return 1;
  }
  io.stdout.write(`必学清单中的法规都在 ${config.lawsDir} 中。\n`);
  return 0;
}

export const command: Command = {
  name: 'laws',
  summary: '管理法规文件：fetch 从镜像下载必学清单中的法规；check 检查清单中的法规是否齐全',
  usage: 'pufa laws fetch [--mirror URL] [--force] [--laws DIR] | pufa laws check [--laws DIR]',
  options: {
    mirror: { type: 'string' },
    force: { type: 'boolean' },
  },
  async run(ctx) {
    const sub = ctx.positionals[0];
    if (sub === 'fetch') return fetchCommand(ctx);
    if (sub === 'check') return checkCommand(ctx);
    ctx.io.stderr.write(`用法：${this.usage}\n`);
    return 2;
  },
};
