/**
 * The ingest guard: a serving index is never replaced by one with far fewer laws unless the operator asks
 * (`--replace`). Rebuilding a whole law collection takes minutes; a restart without LAWS_DIR, a mistyped
 * path or an unmounted share must not silently swap 1,564 laws for none.
 *
 * The rule: the laws folder must hold at least half as many law files as went into the serving index
 * (checked before anything is read, so a refusal is instant), and the new build at least half its laws
 * (checked after reading). Ordinary edits add or
 * remove a few files; losing half the collection at once is almost always the wrong folder. Narrowing on
 * purpose (switching a whole-corpus index to --checklist-only) is one --replace away.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { PufaError } from '../errors.ts';
import { sourceFilesUnder } from '../knowledge/load.ts';
import { currentBuildDir, FILES } from './store.ts';

/** A new build keeps at least this share of the serving index's law files and laws, or is refused. */
export const KEEP_AT_LEAST = 0.5;

/** Where a build's laws came from, as remembered in its manifest. */
export interface LawsOrigin {
  lawsDir: string;
  /** Law files that went into the build (with --checklist-only, only the checklist's). */
  files: number;
  /** Distinct laws in the build. */
  laws: number;
}

/** What a guard needs of the serving build's manifest (older manifests lack `origin`). */
export interface ServingManifest {
  origin?: LawsOrigin;
  sources: Record<string, string>;
  counts: { laws: number };
}

/** The guard refused: the previous index keeps serving. `pufa start` prints the message and goes on. */
export class IndexKeptError extends PufaError {
  constructor(message: string) {
    super(message);
    this.name = 'IndexKeptError';
  }
}

/** The laws folder does not exist: an error naming the setting that chose it. */
export class LawsFolderMissingError extends PufaError {
  constructor(config: Pick<Config, 'lawsDir' | 'lawsDirSetting'>) {
    const how =
      config.lawsDirSetting === 'default'
        ? '（未设置 LAWS_DIR，默认用 knowledge/laws）：请创建该文件夹并放入法规文件，或用 LAWS_DIR / --laws 指定法规目录。'
        : `：请检查 ${config.lawsDirSetting} 的设置。`;
    super(`法规目录不存在：${config.lawsDir}${how}`);
    this.name = 'LawsFolderMissingError';
  }
}

/** The manifest of the index serving now, or undefined (none, or unreadable: then nothing is worth guarding). */
export async function servingManifest(dataDir: string): Promise<ServingManifest | undefined> {
  const dir = await currentBuildDir(dataDir);
  if (!dir) return undefined;
  try {
    return JSON.parse(await readFile(join(dir, FILES.manifest), 'utf8')) as ServingManifest;
  } catch {
    return undefined;
  }
}

export function originOf(manifest: ServingManifest): LawsOrigin | undefined {
  if (manifest.origin) return manifest.origin;
  const files = Object.keys(manifest.sources ?? {}).filter((k) => k.startsWith('laws/')).length;
  return { lawsDir: '（未记录）', files, laws: manifest.counts.laws };
}

const settingOf = (config: Pick<Config, 'lawsDirSetting'>) =>
  config.lawsDirSetting === 'default' ? '未设置 LAWS_DIR' : config.lawsDirSetting;

function kept(config: Pick<Config, 'lawsDir' | 'lawsDirSetting'>, found: string, serving: LawsOrigin): IndexKeptError {
  const from = serving.lawsDir === config.lawsDir ? '' : `，来自 ${serving.lawsDir}`;
  return new IndexKeptError(
    `法规目录 ${config.lawsDir}（${settingOf(config)}）中${found}，而正在使用的索引有 ${serving.laws} 部法规${from}：` +
      '保留原索引继续使用；确要替换，请加 --replace 重新运行。',
  );
}

/**
 * Check before an ingest reads anything. Throws LawsFolderMissingError for a missing folder, IndexKeptError
 * when the folder holds far fewer law files than the serving index was built from.
 * @example const guard = await guardIngest(config, servingManifest, { replace: false }); …; guard.checkLaws(catalogLaws)
 */
export async function guardIngest(
  config: Pick<Config, 'lawsDir' | 'lawsDirSetting'>,
  serving: ServingManifest | undefined,
  opts: { replace?: boolean } = {},
): Promise<{ files: number; checkLaws(laws: number): void }> {
  const folder = await stat(config.lawsDir).catch(() => undefined);
  if (!folder?.isDirectory()) {
    const origin = serving && originOf(serving);
    if (origin && origin.laws > 0 && !opts.replace) throw kept(config, '什么也没有（文件夹不存在）', origin);
    throw new LawsFolderMissingError(config);
  }
  const files = (await sourceFilesUnder(config.lawsDir, 'laws', (p) => !/readme\.md$/i.test(p))).length;
  const origin = serving && !opts.replace ? originOf(serving) : undefined;
  if (origin && origin.laws > 0 && files < origin.files * KEEP_AT_LEAST) {
    throw kept(config, files === 0 ? '没有法规文件' : `只有 ${files} 个法规文件`, origin);
  }
  return {
    files,
    checkLaws(laws) {
      if (origin && origin.laws > 0 && laws < origin.laws * KEEP_AT_LEAST) {
        throw kept(config, laws === 0 ? '读不出任何法规' : `只读出 ${laws} 部法规`, origin);
      }
    },
  };
}
