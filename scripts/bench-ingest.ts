/**
 * `npm run bench:ingest`: ingest the whole corpus and the checklist subset, then measure index size, load
 * time, search latency and recall on the dev questions, beside the MiniSearch baseline. Each step runs in its
 * own child process (peak RSS is per process); figures are medians over BENCH_RUNS runs (default 3).
 *   LAWS_DIR (default ../shared/corpus/laws), BENCH_EVAL_DIR (default ../shared/eval), BENCH_RUNS
 */
import { median } from '../src/metrics.ts';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const lawsDir = resolve(process.env.LAWS_DIR ?? join(repo, '../shared/corpus/laws'));
const evalDir = resolve(process.env.BENCH_EVAL_DIR ?? join(repo, '../shared/eval'));
const seedDir = join(repo, '../shared/seed');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const questions = ['dev-a.jsonl', 'dev-b.jsonl'].map((f) => join(evalDir, f));

function child(args: string[]): Record<string, number> {
  const out = execFileSync(process.execPath, [join(repo, 'bin/pufa-script.js'), join(repo, 'scripts/bench-child.ts'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
}

async function duBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? await duBytes(p) : (await stat(p)).size;
  }
  return n;
}

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) n += e.isDirectory() ? await countFiles(join(dir, e.name)) : 1;
  return n;
}

const work = await mkdtemp(join(tmpdir(), 'pufa-bench-'));
try {
  // The knowledge folder: the repository's checklist and colleagues' questions, and the bureau's report.
  const knowledgeDir = join(work, 'knowledge');
  await cp(join(repo, 'knowledge/checklists'), join(knowledgeDir, 'checklists'), { recursive: true });
  await cp(join(repo, 'knowledge/questions'), join(knowledgeDir, 'questions'), { recursive: true });
  await cp(seedDir, join(knowledgeDir, 'reports'), { recursive: true });
  const totalFiles = await countFiles(lawsDir);
  console.log(`法规目录 ${lawsDir}（${totalFiles} 个文件），每项取 ${runs} 次的中位数\n`);

  const rows: string[][] = [];
  const fmt = (x: number, d = 1) => x.toFixed(d);
  for (const [name, flag, only] of [
    ['全部法规', [], 'all'],
    ['必学清单', ['--checklist-only'], 'checklist'],
  ] as const) {
    const ingests: Record<string, number>[] = [];
    const queries: Record<string, number>[] = [];
    const baselines: Record<string, number>[] = [];
    let size = 0;
    for (let i = 0; i < runs; i++) {
      const dataDir = join(work, `data-${only}-${i}`);
      const ing = child(['ingest', lawsDir, knowledgeDir, dataDir, ...flag]);
      ingests.push(ing);
      size = await duBytes(String(ing.dir));
      queries.push(child(['query', dataDir, ...questions]));
      baselines.push(child(['baseline', lawsDir, knowledgeDir, only, ...questions]));
      await rm(dataDir, { recursive: true, force: true });
    }
    const m = (list: Record<string, number>[], key: string) => median(list.map((x) => x[key]!));
    const files = ingests[0]!.files!;
    rows.push(
      [`${name}：pufa`, `${files}`, fmt(m(ingests, 'seconds')), fmt(files / m(ingests, 'seconds'), 0), `${fmt(m(ingests, 'rssMb'), 0)}`,
        fmt(size / 1e6), fmt(m(queries, 'loadMs'), 0), fmt(m(queries, 'p50'), 2), fmt(m(queries, 'p95'), 2), fmt(m(queries, 'r5'), 3), fmt(m(queries, 'mrr'), 3)],
      [`${name}：基线 MiniSearch`, `${files}`, fmt(m(baselines, 'buildSeconds')), fmt(files / m(baselines, 'buildSeconds'), 0), `${fmt(m(baselines, 'rssMb'), 0)}`,
        '-', '-', fmt(m(baselines, 'p50'), 2), fmt(m(baselines, 'p95'), 2), fmt(m(baselines, 'r5'), 3), fmt(m(baselines, 'mrr'), 3)],
      [`${name}：比值 pufa/基线`, '', fmt(m(ingests, 'seconds') / m(baselines, 'buildSeconds'), 2), '', fmt(m(ingests, 'rssMb') / m(baselines, 'rssMb'), 2),
        '', '', fmt(m(queries, 'p50') / m(baselines, 'p50'), 3), fmt(m(queries, 'p95') / m(baselines, 'p95'), 3), fmt(m(queries, 'r5') / m(baselines, 'r5'), 2), fmt(m(queries, 'mrr') / m(baselines, 'mrr'), 2)],
    );
  }
  const header = ['索引', '文件', '建索引 s', '文件/s', '峰值 RSS MB', '索引 MB', '加载 ms', '检索 p50 ms', '检索 p95 ms', 'Recall@5', 'MRR'];
  console.log('| ' + header.join(' | ') + ' |');
  console.log('|' + header.map(() => '---').join('|') + '|');
  for (const r of rows) console.log('| ' + r.join(' | ') + ' |');
  console.log('\n（基线的“建索引”含读取与解析文件；Recall@5 / MRR 为 dev-a + dev-b 共 70 题）');
} finally {
  await rm(work, { recursive: true, force: true });
}
