/**
 * Curated questions an admin writes in knowledge/quizzes/*.yaml, each pinned to an article. Validated by
 * zod; errors name the file and the field. A question pinned to an older version of a law, or whose
 * `quote` the current article no longer contains, is retired (listed, not asked).
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { LawCatalog } from '../knowledge/catalog.ts';
import { citationLabel } from '../knowledge/citation-label.ts';
import { parseArticleRef } from '../knowledge/article-reference.ts';
import { PufaError } from '../errors.ts';
import { compact } from './generate/text.ts';
import { factKey, JUDGE_OPTIONS, OPTION_LETTERS, questionId, type Question } from './types.ts';

const text = z.string().trim().min(1, '不能为空');

/** An answer as admins write it: 0-based indexes, letters (A, "A,C"), or 正确/错误 for 判断题. */
const answerSchema = z.union([
  z.number().int().min(0),
  z.boolean(),
  z.string().trim().min(1, '不能为空'),
  z.array(z.union([z.number().int().min(0), z.string().trim().min(1)])).min(1, '至少一个答案'),
]);

const questionSchema = z.strictObject({
  law: text,
  /** 18, "18", "第十八条" or "第十条之一". */
  article: z.union([z.number().int().positive(), text]),
  /** Pin to a version (YYYY-MM-DD); retired once the law is amended. */
  version: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为 YYYY-MM-DD').optional(),
  type: z.enum(['single', 'multiple', 'judge'], { message: '应为 single（单选）、multiple（多选）或 judge（判断）' }),
  stem: text,
  options: z.array(text).min(2, '至少两个选项').max(8, '最多八个选项').optional(),
  answer: answerSchema,
  explanation: z.string().optional(),
  /** Words the article must contain for the question to stay valid (after an amendment, say). */
  quote: z.string().optional(),
});

const fileSchema = z.strictObject({
  title: z.string().optional(),
  questions: z.array(questionSchema).min(1, '至少需要一道题'),
});

export type CuratedQuestionInput = z.infer<typeof questionSchema>;

export interface RetiredCurated {
  file: string;
  index: number;
  reason: string;
}

export interface SkippedCurated {
  file: string;
  /** What is wrong with it, in Chinese, naming each bad field (questions[2].answer：…). */
  reason: string;
}

export interface CuratedLoad {
  questions: Question[];
  retired: RetiredCurated[];
  /** Files that loaded. */
  sources: string[];
  /** Files that could not be used: one broken file costs only its own questions. */
  skipped: SkippedCurated[];
}

function fieldPath(path: PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('') || '（整个文件）';
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[k] : undefined), data);
}

function curatedError(file: string, problems: string[], cause?: unknown): PufaError {
  return new PufaError(`题库文件 ${file} 有误：\n${problems.map((p) => `  ${p}`).join('\n')}`, { cause });
}

function answerIndexes(answer: CuratedQuestionInput['answer'], type: string, optionCount: number): number[] | string {
  const one = (a: number | string | boolean): number | undefined => {
    if (typeof a === 'boolean') return a ? 0 : 1;
    if (typeof a === 'number') return a;
    if (type === 'judge' && /^(正确|对|true|√)$/i.test(a)) return 0;
    if (type === 'judge' && /^(错误|错|false|×)$/i.test(a)) return 1;
    const i = OPTION_LETTERS.indexOf(a.toUpperCase());
    return i >= 0 ? i : undefined;
  };
  const list = Array.isArray(answer)
    ? answer
    : typeof answer === 'string' && type !== 'judge'
      ? answer.split(/[\s,，、]+/).filter(Boolean)
      : [answer];
  const out = list.map(one);
  if (out.some((i) => i === undefined)) return '无法识别（写选项字母 A、B…，或从 0 开始的序号；判断题写 正确/错误）';
  const idx = [...new Set(out as number[])].sort((a, b) => a - b);
  if (idx.some((i) => i >= optionCount)) return `超出选项范围（共 ${optionCount} 个选项）`;
  if ((type === 'single' || type === 'judge') && idx.length !== 1) return '单选题和判断题只能有一个答案';
  if (type === 'multiple' && idx.length < 2) return '多选题至少两个答案';
  return idx;
}

/**
 * Validate one parsed file against the schema and the catalog.
 * @throws PufaError naming the file and each bad field (questions[2].answer：…).
 */
export function parseCuratedFile(data: unknown, file: string, catalog: LawCatalog): { questions: Question[]; retired: RetiredCurated[] } {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    throw curatedError(
      file,
      parsed.error.issues.map((i) => `${fieldPath(i.path)}：${i.code !== 'unrecognized_keys' && valueAt(data, i.path) === undefined ? '缺少此项' : i.message}`),
      parsed.error,
    );
  }
  const problems: string[] = [];
  const questions: Question[] = [];
  const retired: RetiredCurated[] = [];
  parsed.data.questions.forEach((q, index) => {
    const at = `questions[${index}]`;
    const versions = catalog.resolve(q.law);
    const current = versions.find((v) => v.status === 'current') ?? versions[0];
    if (!current) return void problems.push(`${at}.law：法规库中没有「${q.law}」`);
    const ref = parseArticleRef(q.article);
    if (!ref) return void problems.push(`${at}.article：无法识别条号「${q.article}」（写 18 或 第十八条）`);
    const options = q.type === 'judge' ? [...JUDGE_OPTIONS] : q.options;
    if (!options) return void problems.push(`${at}.options：单选题和多选题需要选项`);
    if (q.type === 'single' && options.length !== 4) return void problems.push(`${at}.options：单选题应有 4 个选项`);
    if (new Set(options).size !== options.length) return void problems.push(`${at}.options：选项重复`);
    const answer = answerIndexes(q.answer, q.type, options.length);
    if (typeof answer === 'string') return void problems.push(`${at}.answer：${answer}`);
    if (q.version && !versions.some((v) => v.version === q.version)) {
      return void problems.push(`${at}.version：「${current.title}」没有 ${q.version} 版本`);
    }
    const law = q.version ? versions.find((v) => v.version === q.version)! : current;
    const article = law.articles.find((a) => a.number === ref.number && a.suffix === ref.suffix);
    if (!article) return void problems.push(`${at}.article：《${law.title}》（${law.version}）没有第 ${q.article} 条`);
    if (law !== current) {
      return void retired.push({ file, index, reason: `《${law.title}》已修订（现行版本 ${current.version}），本题按 ${law.version} 版本编写` });
    }
    if (q.quote && !compact(article.text).includes(compact(q.quote))) {
      return void retired.push({ file, index, reason: `${article.label}已不含「${q.quote}」` });
    }
    const note = q.explanation?.trim();
    questions.push({
      id: questionId(law.title, law.version, article.label, q.type, compact(q.stem), 'curated'),
      type: q.type,
      stem: q.stem.trim(),
      options,
      answer,
      law: law.title,
      article: article.label,
      articleNumber: article.number,
      articleSuffix: article.suffix,
      version: law.version,
      explanation: `依据${citationLabel({ law: law.title, articleLabel: article.label })}：${compact(article.text)}${note ? ` ${note}` : ''}`,
      kind: 'curated',
      source: 'curated',
      fact: factKey(law.title, law.version, article.label, compact(q.stem)),
    });
  });
  if (problems.length) throw curatedError(file, problems);
  return { questions, retired };
}

/**
 * Read every knowledge/quizzes/*.yaml|yml file; none gives an empty bank. A file that cannot be parsed or
 * fails validation is skipped and named in `skipped` (with every problem it has); the others load.
 */
export async function loadCuratedQuestions(knowledgeDir: string, catalog: LawCatalog): Promise<CuratedLoad> {
  const dir = join(knowledgeDir, 'quizzes');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => ['.yaml', '.yml'].includes(extname(n).toLowerCase())).sort();
  const out: CuratedLoad = { questions: [], retired: [], sources: [], skipped: [] };
  for (const name of names) {
    const rel = `quizzes/${name}`;
    try {
      let data: unknown;
      try {
        data = parseYaml(await readFile(join(dir, name), 'utf8'));
      } catch (cause) {
        throw curatedError(rel, [`无法解析 YAML（${(cause as Error).message.split('\n')[0]}）`], cause);
      }
      const { questions, retired } = parseCuratedFile(data, rel, catalog);
      out.questions.push(...questions);
      out.retired.push(...retired);
      out.sources.push(rel);
    } catch (err) {
      if (!(err instanceof PufaError)) throw err;
      out.skipped.push({ file: rel, reason: err.userMessage });
    }
  }
  return out;
}
