/** What the bot benchmarks share: a data directory with an index, and latency summaries. */
import { mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { percentile } from '../src/metrics.ts';
import { indexStatus, runIngest } from '../src/search/index.ts';

/** "median 12 ms · p95 30 ms · max 41 ms (n=20)" */
export function formatLatency(xs: number[]): string {
  return `median ${percentile(xs, 50).toFixed(0)} ms · p95 ${percentile(xs, 95).toFixed(0)} ms · max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`;
}

/**
 * A fresh work directory whose data/ holds an index: the one of `data` (linked, read-only use) or a
 * checklist-only index of lawsDir built here.
 */
export async function prepareBenchData(prefix: string, opts: { data?: string; lawsDir: string; knowledgeDir: string }) {
  const work = await mkdtemp(join(tmpdir(), prefix));
  const dataDir = join(work, 'data');
  await mkdir(dataDir, { recursive: true });
  if (opts.data) {
    await symlink(join(resolve(opts.data), 'index'), join(dataDir, 'index'));
  } else {
    const config = loadConfig({ LOG_LEVEL: 'error' }, { dataDir, lawsDir: opts.lawsDir, knowledgeDir: opts.knowledgeDir });
    if ((await indexStatus(config)) !== 'fresh') {
      process.stderr.write(`building a checklist-only index of ${opts.lawsDir}…\n`);
      const s = await runIngest(config, { checklistOnly: true });
      process.stderr.write(`index: ${s.laws} laws, ${s.articles} articles, ${s.seconds.toFixed(1)} s\n`);
    }
  }
  return { work, dataDir };
}

/** The question the transport benchmarks ask, and the citation its reply must carry. */
export const BENCH_QUESTION = '预算年度是怎么规定的？';
export const BENCH_CITATION = '《中华人民共和国预算法》第十八条';

/**
 * The flags of a transport's ask benchmark (bench-bot, bench-wecom): --data --laws --knowledge --users
 * --rounds --gap-ms (a person asks again after reading the answer; services pace messages to one person).
 */
export function askBenchArgs() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      laws: { type: 'string' },
      knowledge: { type: 'string' },
      users: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '20' },
      'gap-ms': { type: 'string', default: '1000' },
    },
  });
  const repo = resolve(import.meta.dirname, '..');
  return {
    data: values.data,
    users: Number(values.users),
    rounds: Number(values.rounds),
    gapMs: Number(values['gap-ms']),
    repo,
    lawsDir: resolve(values.laws ?? process.env.LAWS_DIR ?? join(repo, '../shared/corpus/laws')),
    knowledgeDir: resolve(values.knowledge ?? join(repo, 'knowledge')),
  };
}
