/**
 * The shared real index for tests: the must-know checklist's laws from ../shared/corpus/laws plus the
 * bureau's report, built once per test run (the first caller builds it under a lock, the others wait) and
 * opened by each test file that needs it.
 *
 * @example const { config, index } = await getChecklistIndex(); const hits = await index.search('预算年度');
 */
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { openIndex, runIngest, type OpenedIndex } from '../../src/search/index.ts';
import { questionBankArtefact } from '../../src/quiz/bank-file.ts';
import './test-index-setup.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DIR = resolve(REPO_ROOT, '../shared');
export const CORPUS_LAWS_DIR = join(SHARED_DIR, 'corpus/laws');
export const SEED_DIR = join(SHARED_DIR, 'seed');
export const EVAL_DIR = join(SHARED_DIR, 'eval');

/**
 * A knowledge folder with the repository's checklist and colleagues' questions (knowledge/questions) and
 * the bureau's report (the user's own document).
 */
export async function makeKnowledgeDir(dir: string): Promise<string> {
  await mkdir(join(dir, 'reports'), { recursive: true });
  for (const f of await readdir(SEED_DIR)) await cp(join(SEED_DIR, f), join(dir, 'reports', f));
  for (const sub of ['checklists', 'questions']) {
    const from = join(REPO_ROOT, 'knowledge', sub);
    if (existsSync(from)) await cp(from, join(dir, sub), { recursive: true });
  }
  return dir;
}

/** Config for a test index: everything under `root`, laws from the shared corpus, nothing from the environment. */
export function testConfig(root: string, overrides: { lawsDir?: string; env?: Record<string, string> } = {}): Config {
  return loadConfig(
    { LOG_LEVEL: 'silent', ...overrides.env },
    { dataDir: join(root, 'data'), knowledgeDir: join(root, 'knowledge'), lawsDir: overrides.lawsDir ?? CORPUS_LAWS_DIR },
    root,
  );
}

async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

/** Build the checklist index in `root` once; concurrent callers (other test files) wait for the first. */
async function ensureBuilt(root: string, config: Config): Promise<void> {
  const done = join(root, 'built');
  const lock = join(root, 'building');
  for (;;) {
    if (existsSync(done)) {
      const status = await readFile(done, 'utf8');
      if (status !== 'ok') throw new Error(`shared test index failed to build: ${status}`);
      return;
    }
    try {
      await mkdir(lock);
    } catch {
      await sleep(200);
      continue;
    }
    try {
      await makeKnowledgeDir(config.knowledgeDir);
      if (config.lawsDir === CORPUS_LAWS_DIR) {
        await runIngest(config, { checklistOnly: true, artefacts: [questionBankArtefact(config.knowledgeDir)] });
      } else {
        // Until the checklist module lands: the sample checklist, linked into a laws folder.
        await linkFallbackLaws(config.lawsDir);
        await runIngest(config, { artefacts: [questionBankArtefact(config.knowledgeDir)] });
      }
      await writeFile(done, 'ok');
    } catch (err) {
      await writeFile(done, String((err as Error).stack ?? err));
      throw err;
    }
    return;
  }
}

async function checklistAvailable(): Promise<boolean> {
  const dir = join(REPO_ROOT, 'knowledge/checklists');
  return existsSync(join(REPO_ROOT, 'src/knowledge/checklist.ts')) && existsSync(dir) && (await readdir(dir)).length > 0;
}

const FALLBACK_TITLES = (
  '宪法 预算法 预算法实施条例 会计法 政府采购法 保守国家秘密法 反电信网络诈骗法 禁毒法 消费者权益保护法 ' +
  '行政处罚法 行政复议法 行政诉讼法 行政许可法 政府信息公开条例 优化营商环境条例 公平竞争审查条例 信访工作条例 ' +
  '公职人员政务处分法 企业国有资产法 审计法 财政违法行为处罚处分条例 政府采购法实施条例 行政强制法 招标投标法 ' +
  '行政事业性国有资产管理条例'
).split(' ');

async function linkFallbackLaws(dir: string): Promise<void> {
  const { symlink } = await import('node:fs/promises');
  for (const category of await readdir(CORPUS_LAWS_DIR)) {
    for (const file of await readdir(join(CORPUS_LAWS_DIR, category))) {
      const stem = file.replace(/(\(.*\))?\.md$/, '');
      const wanted = category === '民法典' ? ['总则', '合同编'].includes(stem) : FALLBACK_TITLES.includes(stem);
      if (!wanted) continue;
      await mkdir(join(dir, category), { recursive: true });
      await symlink(join(CORPUS_LAWS_DIR, category, file), join(dir, category, file));
    }
  }
}

let cached: Promise<{ config: Config; index: OpenedIndex }> | undefined;

/** The checklist laws + report index shared by every test file of a run. */
export function getChecklistIndex(): Promise<{ config: Config; index: OpenedIndex }> {
  cached ??= (async () => {
    const root = inject('checklistIndexDir');
    await stat(root);
    const config = testConfig(root, (await checklistAvailable()) ? {} : { lawsDir: join(root, 'laws') });
    await ensureBuilt(root, config);
    return { config, index: await openIndex(config) };
  })();
  return cached;
}
