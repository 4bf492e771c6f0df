/**
 * The Q&A log for admins (questions, answers, citations, 👍/👎), and pinning a corrected answer into
 * knowledge/faq as a YAML file in the format src/answer/faq.ts reads.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { faqFileSchema } from '../answer/faq.ts';
import { PufaError } from '../errors.ts';
import type { QaCitation } from '../records/types.ts';

export type FeedbackFilter = 'all' | 'up' | 'down' | 'none';

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

export function createQaLogView(db: Database.Database) {
  type Row = Omit<QaRow, 'citations'> & { citations: string };
  const select = `SELECT q.id, q.user_id AS userId, u.name AS userName, u.department, q.question, q.answer, q.mode,
      q.citations, q.latency_ms AS latencyMs, q.feedback, q.created_at AS createdAt
    FROM qa_log q JOIN users u ON u.id = q.user_id`;
  const toRow = (r: Row): QaRow => ({ ...r, citations: JSON.parse(r.citations) as QaCitation[] });
  const where = (f: FeedbackFilter) =>
    f === 'up' ? 'WHERE q.feedback = 1' : f === 'down' ? 'WHERE q.feedback = -1' : f === 'none' ? 'WHERE q.feedback IS NULL' : '';
  return {
    list(opts: { feedback?: FeedbackFilter; page?: number } = {}): { rows: QaRow[]; total: number } {
      const f = opts.feedback ?? 'all';
      const page = Math.max(1, opts.page ?? 1);
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM qa_log q ${where(f)}`).get() as { n: number }).n;
      const rows = db
        .prepare(`${select} ${where(f)} ORDER BY q.id DESC LIMIT ? OFFSET ?`)
        .all(QA_PAGE_SIZE, (page - 1) * QA_PAGE_SIZE) as Row[];
      return { rows: rows.map(toRow), total };
    },
    get(id: number): QaRow | undefined {
      const r = db.prepare(`${select} WHERE q.id = ?`).get(id) as Row | undefined;
      return r && toRow(r);
    },
  };
}

export interface PinnedFaq {
  id: string;
  questions: string[];
  answer: string;
  articles: { law: string; article: number | string }[];
}

/** Parse the pin form: questions one per line, articles as 「预算法 18」 one per line; validated by the FAQ schema. */
export function faqEntryFromForm(qaId: number, form: { questions: string; answer: string; articles: string }): PinnedFaq {
  const lines = (s: string) =>
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  const articles = lines(form.articles).map((l) => {
    const m = /^《?(.+?)》?\s*(第?\s*[0-9一二三四五六七八九十百千零〇两]+\s*条?(?:之[0-9一二三四五六七八九十]+)?)$/.exec(l);
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
    `# 由管理后台收录：问答记录 #${meta.qaId}，${meta.by}，${meta.at.toISOString()}`,
    '# 格式见 src/answer/faq.ts；可手工修改，保存后重启机器人生效。',
  ].join('\n');
  const body = stringify({ entries: [entry] }, { lineWidth: 0 });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${header}\n${body}`, 'utf8');
  await rename(tmp, file);
  return file;
}
