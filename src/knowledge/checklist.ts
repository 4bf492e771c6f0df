/**
 * The must-know checklist (应知应会法律法规清单): roles → laws → optional key articles, kept by the office
 * in knowledge/checklists/*.yaml|yml|json and validated here. Laws are named as people write them
 * (预算法, 政府信息公开条例) and resolved through the catalog; a role may extend another (领导干部 extends
 * 全体干部) and then lists the inherited laws first.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PufaError } from '../errors.ts';
import type { LawCatalog } from './catalog.ts';
import { bookKey, lastNameSegment, lawNameKey, lawNameStem } from './law-names.ts';

const text = z.string().trim().min(1, '不能为空');

const lawSchema = z.strictObject({
  title: text,
  books: z.array(text).min(1, '列出至少一编，或删去 books').optional(),
  keyArticles: z.array(z.number().int('应为整数条号（第十八条写 18）').positive('应为正整数')).optional(),
  note: z.string().optional(),
});

const roleSchema = z.strictObject({
  name: text,
  extends: text.optional(),
  description: z.string().optional(),
  laws: z.array(lawSchema).default([]),
});

const fileSchema = z.strictObject({
  title: z.string().optional(),
  note: z.string().optional(),
  roles: z.array(roleSchema).min(1, '至少需要一个角色'),
});

export interface ChecklistLaw {
  /** The name as written in the checklist (预算法); resolve it through the catalog. */
  title: string;
  /** Only these books of a code (民法典: 总则编, 合同编). */
  books?: string[];
  /** Article numbers to stress in quizzes and answers (18 = 第十八条). */
  keyArticles?: number[];
  note?: string;
}

export interface ChecklistRole {
  name: string;
  /** The role this one adds to (领导干部 extends 全体干部); its laws are already included in `laws`. */
  extends?: string;
  description?: string;
  /** Every law of the role, inherited ones first. */
  laws: ChecklistLaw[];
}

export interface Checklist {
  roles: ChecklistRole[];
  /** Files the checklist was read from (relative to the knowledge folder). */
  sources: string[];
}

const CHECKLIST_DIR = 'checklists';
const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** A zod issue path as people read it: roles[2]（政府采购岗）.laws[0].title. */
function describePath(path: PropertyKey[], data: unknown): string {
  let out = '';
  let node: unknown = data;
  for (const key of path) {
    if (typeof key === 'number') {
      out += `[${key}]`;
      node = Array.isArray(node) ? node[key] : undefined;
      const name = node && typeof node === 'object' ? ((node as { name?: unknown; title?: unknown }).name ?? (node as { title?: unknown }).title) : undefined;
      if (typeof name === 'string' && name) out += `（${name}）`;
    } else {
      out += (out ? '.' : '') + String(key);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[String(key)] : undefined;
    }
  }
  return out || '（整个文件）';
}

function checklistError(file: string, problems: string[], cause?: unknown): PufaError {
  return new PufaError(`必学清单 ${file} 有误：\n${problems.map((p) => `  ${p}`).join('\n')}`, { cause });
}

function zodMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `不认识的字段：${issue.keys.join('、')}`;
  if (issue.code === 'invalid_type') {
    if (/received undefined/.test(issue.message)) return '缺少此项';
    const expected: Record<string, string> = { number: '数字', string: '文字', array: '列表', object: '键值（name: …）' };
    return `应为${expected[issue.expected] ?? issue.expected}`;
  }
  return issue.message;
}

/** Validate one parsed checklist file; throws PufaError naming the file and the field. */
export function parseChecklist(data: unknown, file: string): z.infer<typeof fileSchema> {
  const result = fileSchema.safeParse(data);
  if (!result.success) {
    throw checklistError(
      file,
      result.error.issues.map((i) => `${describePath(i.path, data)}：${zodMessage(i)}`),
      result.error,
    );
  }
  return result.data;
}

/** Expand `extends` so that each role lists every law it must know, inherited ones first. */
function expandRoles(roles: z.infer<typeof roleSchema>[], fileOf: Map<string, string>): ChecklistRole[] {
  const byName = new Map(roles.map((r) => [r.name, r]));
  const expanded = new Map<string, ChecklistLaw[]>();
  const visit = (name: string, chain: string[]): ChecklistLaw[] => {
    const done = expanded.get(name);
    if (done) return done;
    const role = byName.get(name)!;
    if (chain.includes(name)) {
      throw checklistError(fileOf.get(name)!, [`roles（${name}）.extends：角色互相继承（${[...chain, name].join(' → ')}）`]);
    }
    const inherited: ChecklistLaw[] = [];
    if (role.extends) {
      if (!byName.has(role.extends)) {
        throw checklistError(fileOf.get(name)!, [`roles（${name}）.extends：没有名为「${role.extends}」的角色`]);
      }
      inherited.push(...visit(role.extends, [...chain, name]));
    }
    // The role's own entry for a law replaces the inherited one (e.g. other key articles).
    const own = new Set(role.laws.map((l) => lawNameKey(l.title)));
    const laws = [...inherited.filter((l) => !own.has(lawNameKey(l.title))), ...role.laws.map(copyLaw)];
    expanded.set(name, laws);
    return laws;
  };
  return roles.map((r) => ({
    name: r.name,
    ...(r.extends ? { extends: r.extends } : {}),
    ...(r.description ? { description: r.description } : {}),
    laws: visit(r.name, []),
  }));
}

function copyLaw(l: z.infer<typeof lawSchema>): ChecklistLaw {
  return {
    title: l.title,
    ...(l.books ? { books: [...l.books] } : {}),
    ...(l.keyArticles ? { keyArticles: [...l.keyArticles] } : {}),
    ...(l.note ? { note: l.note } : {}),
  };
}

/**
 * Read and validate every checklist file in knowledge/checklists/ (YAML or JSON). No folder or no file
 * gives an empty checklist; a broken file throws PufaError naming the file and the field.
 * @example const checklist = await loadChecklist('./knowledge'); checklist.roles.map((r) => r.name)
 */
export async function loadChecklist(knowledgeDir: string): Promise<Checklist> {
  const dir = join(knowledgeDir, CHECKLIST_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => EXTENSIONS.has(extname(n).toLowerCase()) && !n.startsWith('.')).sort();
  } catch (err) {
    // No checklist folder simply means no checklist yet; any other failure must be seen, not read as "none".
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { roles: [], sources: [] };
    throw new PufaError(`无法读取必学清单文件夹 ${dir}，请检查它的权限。`, { cause: err });
  }
  const roles: z.infer<typeof roleSchema>[] = [];
  const fileOf = new Map<string, string>();
  const sources: string[] = [];
  for (const name of names) {
    const rel = join(knowledgeDir, CHECKLIST_DIR, name);
    const raw = await readFile(join(dir, name), 'utf8');
    let data: unknown;
    try {
      data = extname(name).toLowerCase() === '.json' ? JSON.parse(raw) : parseYaml(raw);
    } catch (cause) {
      throw checklistError(rel, [`无法解析（${(cause as Error).message.split('\n')[0]}）`], cause);
    }
    const parsed = parseChecklist(data, rel);
    for (const role of parsed.roles) {
      const other = fileOf.get(role.name);
      if (other) throw checklistError(rel, [`roles（${role.name}）：角色重名（${other} 中已有）`]);
      fileOf.set(role.name, rel);
      roles.push(role);
    }
    sources.push(`${CHECKLIST_DIR}/${name}`);
  }
  return { roles: expandRoles(roles, fileOf), sources };
}

/** Every distinct law title the checklist names, as written, in first-seen order. */
export function checklistTitles(checklist: Checklist): string[] {
  const seen = new Map<string, string>();
  for (const role of checklist.roles) for (const law of role.laws) if (!seen.has(lawNameKey(law.title))) seen.set(lawNameKey(law.title), law.title);
  return [...seen.values()];
}

export interface ResolvedChecklistEntry {
  role: string;
  /** The catalog's full title when found (中华人民共和国预算法), else the title as written. */
  title: string;
  /** Id of the current version, when the law is in the catalog. */
  lawId?: string;
  keyArticles: number[];
  books?: string[];
}

/** Resolve every checklist law through the catalog; `missing` lists the titles (as written) not found. */
export function resolveChecklist(checklist: Checklist, catalog: LawCatalog): { entries: ResolvedChecklistEntry[]; missing: string[] } {
  const entries: ResolvedChecklistEntry[] = [];
  const missing: string[] = [];
  for (const role of checklist.roles) {
    for (const law of role.laws) {
      const versions = catalog.resolve(law.title);
      const current = versions.find((v) => v.status === 'current') ?? versions[0];
      if (!current && !missing.includes(law.title)) missing.push(law.title);
      entries.push({
        role: role.name,
        title: current?.title ?? law.title,
        ...(current ? { lawId: current.id } : {}),
        keyArticles: law.keyArticles ?? [],
        ...(law.books ? { books: law.books } : {}),
      });
    }
  }
  return { entries, missing };
}

/**
 * The `only` filter of loadKnowledge for `--checklist-only`: true for the full title of any law the
 * checklist names (all versions), compared by name key, with the kind suffix swapped where needed. For
 * a code whose entry lists books (民法典: 总则编, 合同编), only the files of those books pass.
 * @example loadKnowledge({ lawsDir, knowledgeDir, only: checklistFilter(checklist) })
 */
export function checklistFilter(checklist: Checklist): (lawTitle: string, books?: string[]) => boolean {
  const stem = lawNameStem;
  /** Name key → allowed books (undefined: the whole law). */
  const keys = new Map<string, Set<string> | undefined>();
  const add = (k: string, books: string[] | undefined) => {
    if (keys.has(k) && keys.get(k) === undefined) return;
    if (!books) return void keys.set(k, undefined);
    const set = keys.get(k) ?? new Set<string>();
    for (const b of books) set.add(bookKey(b));
    keys.set(k, set);
  };
  for (const role of checklist.roles) {
    for (const law of role.laws) {
      // The whole name, and its last segment when a category stands in front (经济法·预算法).
      for (const k of new Set([lawNameKey(law.title), lawNameKey(lastNameSegment(law.title))])) {
        add(k, law.books);
        add(stem(k), law.books);
      }
    }
  }
  return (lawTitle, books) => {
    const k = lawNameKey(lawTitle);
    const key = keys.has(k) ? k : keys.has(stem(k)) ? stem(k) : undefined;
    if (key === undefined) return false;
    const allowed = keys.get(key);
    if (!allowed || !books || books.length === 0) return true;
    return books.some((b) => allowed.has(bookKey(b)));
  };
}
