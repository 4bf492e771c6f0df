/**
 * The bureau's own order of things (knowledge/organization.yaml): 职级 from the most senior down, and the
 * departments in the order the office lists them. Reports and the dashboard sort ranks and departments by
 * it; names not in the lists follow in pinyin order, and an empty one (未填写) comes last.
 *
 * @example const org = await loadOrganization(config.knowledgeDir); rows.sort(byOrder(org.ranks, (r) => r.rank))
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isNotFound, PufaError } from '../errors.ts';

/** Common 职级 of a district bureau, most senior first (registration offers them as buttons). */
export const DEFAULT_RANKS = [
  '局领导',
  '四级调研员及以上',
  '一级主任科员',
  '二级主任科员',
  '三级主任科员',
  '四级主任科员',
  '一级科员',
  '二级科员',
  '其他',
];

export const ORGANIZATION_FILE = 'organization.yaml';

const names = z.array(z.string().trim().min(1, '不能为空')).refine((l) => new Set(l).size === l.length, '有重复的名称');
const fileSchema = z.strictObject({
  ranks: names.optional(),
  departments: names.optional(),
});

export interface Organization {
  /** 职级, most senior first. */
  ranks: string[];
  /** Departments in the office's order (empty: pinyin order). */
  departments: string[];
  /** The file they came from, or undefined for the defaults. */
  source?: string;
}

const collator = new Intl.Collator('zh-Hans-CN-u-co-pinyin');

/** A comparator: names in `order` by their place, then the others by pinyin, '' last. */
export function orderOf(order: readonly string[]): (a: string, b: string) => number {
  const place = new Map(order.map((n, i) => [n, i]));
  return (a, b) => {
    if (a === b) return 0;
    if (!a || !b) return a ? -1 : 1;
    const pa = place.get(a);
    const pb = place.get(b);
    if (pa !== undefined || pb !== undefined) return (pa ?? Infinity) - (pb ?? Infinity);
    return collator.compare(a, b);
  };
}

/** Parse the file's text; throws PufaError naming the field. */
export function parseOrganization(text: string, file = ORGANIZATION_FILE): Organization {
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (cause) {
    throw new PufaError(`${file} 不是有效的 YAML：${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const r = fileSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const what = i.code === 'unrecognized_keys' ? `不认识的字段：${i.keys.join('、')}（只能有 ranks、departments）` : i.message;
    throw new PufaError(`${file} 有误：${i.path.join('.') || '（整个文件）'}：${what}`);
  }
  return { ranks: r.data.ranks ?? DEFAULT_RANKS, departments: r.data.departments ?? [], source: file };
}

/**
 * The organisation file of a knowledge folder, re-read when it changes; the defaults when there is none. A
 * broken file throws (the caller shows the message).
 */
export function organizationSource(knowledgeDir: string): () => Promise<Organization> {
  const file = join(knowledgeDir, ORGANIZATION_FILE);
  let cached: { mtimeMs: number; value: Organization } | undefined;
  return async () => {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(file)).mtimeMs;
    } catch (err) {
      if (isNotFound(err)) return { ranks: DEFAULT_RANKS, departments: [] };
      throw err;
    }
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, value: parseOrganization(await readFile(file, 'utf8'), `knowledge/${ORGANIZATION_FILE}`) };
    return cached.value;
  };
}
