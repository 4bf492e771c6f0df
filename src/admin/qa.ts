/**
 * The Q&A log for admins (questions, answers, citations, 👍/👎), and pinning a corrected answer into
 * knowledge/faq as a YAML file in the format src/answer/faq.ts reads.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { faqFileSchema, loadFaqFiles } from '../answer/faq.ts';
import { PufaError } from '../errors.ts';
import { ARTICLE_NUMERAL, articleLabel, parseArticleRef } from '../knowledge/article-reference.ts';
import type { LawCatalog } from '../knowledge/catalog.ts';
import { citationLabel } from '../knowledge/citation-label.ts';
import type { Logger } from '../log.ts';
import type { FeedbackFilter, QaCitation, QaEntry } from '../records/types.ts';
import type { Records } from '../records/ports.ts';
import { writeAtomic } from './knowledge-files.ts';

export type { FeedbackFilter };

export interface QaRow {
  id: number;
  userId: number;
  userName: string;
  department: string;
  question: string;
  answer: string;
  mode: string;
  citations: QaCitation[];
  latencyMs: number;
  feedback: 1 | -1 | null;
  createdAt: string;
}

export const QA_PAGE_SIZE = 50;

/** The log as admins read it: entries with the asker's name and department. */
export function createQaLogView(records: Pick<Records, 'qa' | 'users'>) {
  async function withAskers(entries: QaEntry[]): Promise<QaRow[]> {
    const ids = [...new Set(entries.map((e) => e.userId))];
    const askers = new Map(await Promise.all(ids.map(async (id) => [id, await records.users.get(id)] as const)));
    return entries.map((e) => ({
      id: e.id,
      userId: e.userId,
      userName: askers.get(e.userId)?.name ?? '',
      department: askers.get(e.userId)?.department ?? '',
      question: e.question,
      answer: e.answer,
      mode: e.mode,
      citations: e.citations,
      latencyMs: e.latencyMs,
      feedback: e.feedback,
      createdAt: e.createdAt,
    }));
  }
  return {
    async list(opts: { feedback?: FeedbackFilter; page?: number } = {}): Promise<{ rows: QaRow[]; total: number }> {
      const page = Math.max(1, opts.page ?? 1);
      const { entries, total } = await records.qa.page({ feedback: opts.feedback ?? 'all', limit: QA_PAGE_SIZE, offset: (page - 1) * QA_PAGE_SIZE });
      return { rows: await withAskers(entries), total };
    },
    async get(id: number): Promise<QaRow | undefined> {
      const e = await records.qa.get(id);
      return e && (await withAskers([e]))[0];
    },
  };
}

export interface PinnedFaq {
  id: string;
  questions: string[];
  answer: string;
  articles: { law: string; article: number | string }[];
}

/** An article line of the pin form: the law, then its article with or without 第…条 (「预算法 18」「《预算法》第十八条」「刑法 120 之一」). */
const PIN_ARTICLE = new RegExp(`^《?(.+?)》?\\s*(第?\\s*${ARTICLE_NUMERAL}\\s*条?(?:\\s*之\\s*${ARTICLE_NUMERAL})?)$`);

/** Parse the pin form: questions one per line, articles as 「预算法 18」 one per line; validated by the FAQ schema. */
export function faqEntryFromForm(qaId: number, form: { questions: string; answer: string; articles: string }): PinnedFaq {
  const lines = (s: string) =>
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  const articles = lines(form.articles).map((l) => {
    const m = PIN_ARTICLE.exec(l);
    if (!m) throw new PufaError(`无法识别的条文：「${l}」，请写成「预算法 18」或「预算法 第十八条」。`);
    const n = m[2]!.replace(/\s/g, '');
    return { law: m[1]!.trim(), article: /^\d+$/.test(n) ? Number(n) : n };
  });
  const entry: PinnedFaq = { id: `qa-${qaId}`, questions: lines(form.questions), answer: form.answer.trim(), articles };
  const parsed = faqFileSchema.safeParse({ entries: [entry] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[2] ?? '');
    const what = { questions: '问题（每行一种问法，至少两个字）', answer: '答案', articles: '依据条文' }[field] ?? field;
    throw new PufaError(`内容不完整：${what} —— ${issue.message}`);
  }
  // The file keeps what the admin wrote (第十八条 stays 第十八条); the schema only checked it.
  return entry;
}

/**
 * The pins of an entry that name no article of the index's current version (「预算法第九百九十九条」), as
 * sentences for the admin; empty when every pin resolves. A pin that does not resolve would be skipped by
 * the answer layer, so the form refuses it.
 */
export function unresolvedPins(entry: PinnedFaq, catalog: Pick<LawCatalog, 'resolve'>): string[] {
  const out: string[] = [];
  for (const pin of entry.articles) {
    const ref = parseArticleRef(pin.article);
    const versions = catalog.resolve(pin.law);
    const current = versions.find((v) => v.status === 'current') ?? versions[0];
    const label = ref ? citationLabel({ law: current?.title ?? pin.law, article: ref.number, articleSuffix: ref.suffix }) : `${pin.law} ${pin.article}`;
    if (!current) out.push(`知识库中没有《${pin.law}》`);
    else if (!ref || !current.articles.some((a) => a.number === ref.number && a.suffix === ref.suffix)) {
      const last = current.articles[current.articles.length - 1];
      out.push(`${label}不存在（《${current.title}》${current.version ? `${current.version} 版` : ''}共 ${current.articles.length} 条${last ? `，最后一条是${last.label}` : ''}）`);
    }
  }
  return out;
}

/** Every pinned answer in knowledge/faq, with the file it is in and the pins that no longer resolve. */
export async function listPinnedFaq(faqDir: string, catalog: Pick<LawCatalog, 'resolve'> | undefined, logger: Logger): Promise<(PinnedFaq & { problems: string[] })[]> {
  const entries = await loadFaqFiles(faqDir, logger);
  return entries.map((e) => {
    const entry: PinnedFaq = { id: e.id, questions: e.questions, answer: e.answer, articles: e.articles.map((a) => ({ law: a.law, article: articleLabel(a.article.number, a.article.suffix) })) };
    return { ...entry, problems: catalog ? unresolvedPins(entry, catalog) : [] };
  });
}

/**
 * Write the entry as knowledge/faq/admin-qa-<id>.yaml (replacing an earlier pin of the same question),
 * atomically. Returns the file path. The answer layer reads it the next time it loads the FAQ.
 */
export async function writePinnedFaq(
  faqDir: string,
  entry: PinnedFaq,
  meta: { by: string; at: Date; qaId: number },
): Promise<string> {
  await mkdir(faqDir, { recursive: true });
  const file = join(faqDir, `admin-${entry.id}.yaml`);
  const header = [
    `# 由管理后台收录：问答记录 #${meta.qaId}，${meta.by}，${meta.at.toISOString()}（UTC）`,
    '# 格式见 src/answer/faq.ts；可手工修改，保存后重启机器人生效。',
  ].join('\n');
  const body = stringify({ entries: [entry] }, { lineWidth: 0 });
  await writeAtomic(file, `${header}\n${body}`);
  return file;
}
