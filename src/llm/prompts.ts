/**
 * Prompts live in prompts/ as versioned files (answer.v1.md, answer.v2.md…): the newest version of a name
 * is used, and its id (answer.v1) is logged with every LLM answer so replies can be traced to their prompt.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { PufaError } from '../errors.ts';

export interface Prompt {
  /** name.vN, from the file name. */
  id: string;
  system: string;
  /** User message template with {{placeholders}}. */
  user: string;
}

/** The repository's prompts/ folder (resolved from this file, not the working directory). */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** Load the newest version of a prompt: `# system` and `# user` sections of a Markdown file. */
export async function loadPrompt(name: string, dir: string = DEFAULT_PROMPTS_DIR): Promise<Prompt> {
  const files = (await readdir(dir).catch(() => [] as string[]))
    .map((f) => ({ f, m: f.match(new RegExp(`^${name}\\.v(\\d+)\\.md$`)) }))
    .filter((x) => x.m)
    .sort((a, b) => Number(b.m![1]) - Number(a.m![1]));
  const newest = files[0];
  if (!newest) throw new PufaError('找不到提示词文件，无法使用大模型。', { detail: `no ${name}.vN.md in ${dir}` });
  const text = (await readFile(join(dir, newest.f), 'utf8')).replace(/<!--[\s\S]*?-->/g, '');
  const system = text.match(/^# system\s*\n([\s\S]*?)(?=^# user\s*$)/m)?.[1]?.trim();
  const user = text.match(/^# user\s*\n([\s\S]*)$/m)?.[1]?.trim();
  if (!system || !user) throw new PufaError('提示词文件格式有误。', { detail: `${newest.f} needs "# system" and "# user" sections` });
  return { id: `${name}.v${newest.m![1]}`, system, user };
}

/** Fill {{name}} placeholders; values are inserted as they are (callers escape data themselves). */
export function renderPrompt(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '');
}
