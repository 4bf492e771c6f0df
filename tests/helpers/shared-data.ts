/**
 * Where the tests find ../shared (the law corpus, the bureau's report and the dev question sets, kept
 * beside the repository and never copied into it), and the folders and configs built from it.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../../src/config.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DIR = resolve(REPO_ROOT, '../shared');
export const CORPUS_LAWS_DIR = join(SHARED_DIR, 'corpus/laws');
export const SEED_DIR = join(SHARED_DIR, 'seed');
export const EVAL_DIR = join(SHARED_DIR, 'eval');

/** Fails with one line that says what is missing, instead of a raw ENOENT deep inside a test. */
export function requireShared(): void {
  for (const dir of [CORPUS_LAWS_DIR, SEED_DIR, EVAL_DIR]) {
    if (!existsSync(dir)) {
      throw new Error(
        `The tests need ../shared beside the repository (the law corpus, the bureau's report and the eval sets): ${dir} is missing. See README「测试」.`,
      );
    }
  }
}

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
