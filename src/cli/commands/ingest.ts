/** `pufa ingest`: build the knowledge index from the knowledge folder and the laws folder. */
import { questionBankArtefact } from '../../quiz/bank-file.ts';
import { runIngest, type IngestSummary } from '../../search/index.ts';
import type { Command } from '../context.ts';
import { ingestProgressBar } from '../ingest-progress.ts';

/** The Chinese summary printed after an ingest. */
export function formatIngestSummary(s: IngestSummary): string {
  const lines = [
    `索引完成，用时 ${s.seconds.toFixed(1)} 秒。`,
    `  文件 ${s.files} 个；法规 ${s.laws} 部（${s.versions} 个版本），条文 ${s.articles} 条；文档 ${s.documents} 份；检索片段 ${s.chunks} 个（新计算向量 ${s.embedded} 个，沿用 ${s.reused} 个）。`,
  ];
  if (s.resumed) lines.push(`  接着上次中断的建库继续：上次已算好的向量 ${s.resumed} 个直接沿用。`);
  const asked = s.articleQuestions;
  if (asked.count) lines.push(`  常见问法 ${asked.count} 条，关联到 ${asked.articles} 处条文或文档段落。`);
  for (const line of asked.unapplied) lines.push(`  未使用的常见问法：${line}`);
  if (asked.drafts.length) lines.push(`  待审阅的常见问法草稿（未使用；审阅后去掉文件名中的 .draft）：${asked.drafts.join('、')}`);
  if (s.duplicates.length) lines.push(`  重复文件 ${s.duplicates.length} 个，只收录一次（如 ${s.duplicates[0]!.dropped}）。`);
  if (s.skipped.length) {
    lines.push(`  跳过的文件 ${s.skipped.length} 个：`);
    for (const f of s.skipped) lines.push(`    ${f.path}：${f.reason}`);
  }
  for (const w of s.warnings) lines.push(`  请检查 ${w.path}：${w.reason}`);
  if (s.missingChecklistLaws.length) {
    lines.push(`  必学清单中缺少的法规 ${s.missingChecklistLaws.length} 部：${s.missingChecklistLaws.join('、')}`);
    lines.push('  （可运行 npx pufa laws fetch 下载，或把法规文件放进法规目录后重新运行 npx pufa ingest）');
  }
  return lines.join('\n');
}

export const command: Command = {
  name: 'ingest',
  summary: '建立知识库索引：读取报告、必学清单与法规文件，建立检索索引（新索引完成后才替换旧索引）。',
  usage: 'pufa ingest [--knowledge DIR] [--laws DIR] [--data DIR] [--checklist-only] [--replace]',
  options: { 'checklist-only': { type: 'boolean' }, replace: { type: 'boolean' } },
  async run(ctx) {
    const bar = ctx.io.stderr.isTTY ? ingestProgressBar(ctx.io.stderr) : undefined;
    let summary: IngestSummary;
    try {
      summary = await runIngest(ctx.config, {
        checklistOnly: ctx.values['checklist-only'] === true,
        replace: ctx.values.replace === true,
        artefacts: [questionBankArtefact(ctx.config.knowledgeDir)],
        logger: ctx.logger,
        onProgress: bar?.onProgress,
      });
    } finally {
      bar?.stop();
    }
    ctx.io.stdout.write(formatIngestSummary(summary) + '\n');
    return 0;
  },
};
