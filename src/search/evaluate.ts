/**
 * Retrieval evaluation over question files in the format of ../shared/eval/*.jsonl:
 * `{"id", "question", "gold": [{"law", "article"}] | [{"doc": "report", "quote"}], "kind"}`.
 * A law gold is found when a hit cites that law and article; a report gold when a hit's text contains the
 * quote (white space ignored). Questions without gold (out of scope) count for latency only.
 */
import { percentile } from '../metrics.ts';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { PufaError } from '../errors.ts';
import { normalizeLawName } from '../knowledge/catalog.ts';
import type { Retriever, SearchHit } from './types.ts';

const goldSchema = z.union([
  z.object({ law: z.string(), article: z.number().int(), suffix: z.number().int().optional() }),
  z.object({ doc: z.string(), quote: z.string() }),
]);

export const questionSchema = z.object({
  id: z.string(),
  question: z.string().min(1),
  gold: z.array(goldSchema),
  kind: z.string().default('other'),
  note: z.string().optional(),
});

export type EvalQuestion = z.infer<typeof questionSchema>;
export type Gold = z.infer<typeof goldSchema>;

/** Read one or more question files; a bad line is reported with its file and line number. */
export async function readQuestions(files: string[]): Promise<EvalQuestion[]> {
  const out: EvalQuestion[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new PufaError(`无法读取问题文件：${file}`, { cause });
    }
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed;
      try {
        parsed = questionSchema.safeParse(JSON.parse(line));
      } catch (cause) {
        throw new PufaError(`问题文件 ${basename(file)} 第 ${i + 1} 行不是合法的 JSON`, { cause });
      }
      if (!parsed.success) {
        throw new PufaError(`问题文件 ${basename(file)} 第 ${i + 1} 行格式不对：${parsed.error.issues[0]?.message ?? ''}`);
      }
      out.push(parsed.data);
    });
  }
  return out;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** Whether a hit satisfies one gold item. */
export function hitMatches(hit: SearchHit, gold: Gold): boolean {
  const c = hit.chunk;
  if ('law' in gold) {
    return (
      c.doc === 'law' &&
      c.article === gold.article &&
      (c.articleSuffix ?? 0) === (gold.suffix ?? 0) &&
      normalizeLawName(c.title) === normalizeLawName(gold.law)
    );
  }
  return c.doc === gold.doc && squash(c.text).includes(squash(gold.quote));
}

/**
 * recall@k counts each gold article (a question with two gold articles and one found scores 0.5); hit@k
 * counts a question as found when any of its gold articles is in the top k.
 */
export interface Metrics {
  n: number;
  'recall@1': number;
  'recall@5': number;
  'recall@10': number;
  'hit@1': number;
  'hit@5': number;
  'hit@10': number;
  mrr: number;
  [key: `recall@${number}` | `hit@${number}`]: number;
}

export interface EvalReport extends Metrics {
  p50_ms: number;
  p95_ms: number;
  by_kind: Record<string, Metrics>;
  /** Per question: rank of the first gold hit (0 = not found in the hits). */
  questions: { id: string; kind: string; rank: number; found: number; gold: number }[];
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

function aggregate(rows: { hits: SearchHit[]; gold: Gold[] }[], ks: number[]): Metrics {
  const m: Record<string, number> = { n: rows.length };
  for (const k of ks) {
    const sum = rows.reduce((s, r) => {
      const top = r.hits.slice(0, k);
      return s + r.gold.filter((g) => top.some((h) => hitMatches(h, g))).length / r.gold.length;
    }, 0);
    m[`recall@${k}`] = rows.length ? round(sum / rows.length) : 0;
  }
  for (const k of ks) {
    const hits = rows.filter((r) => r.hits.slice(0, k).some((h) => r.gold.some((g) => hitMatches(h, g)))).length;
    m[`hit@${k}`] = rows.length ? round(hits / rows.length) : 0;
  }
  const rr = rows.reduce((s, r) => {
    const i = r.hits.findIndex((h) => r.gold.some((g) => hitMatches(h, g)));
    return s + (i < 0 ? 0 : 1 / (i + 1));
  }, 0);
  m.mrr = rows.length ? round(rr / rows.length) : 0;
  return m as unknown as Metrics;
}

/**
 * Run every question through the retriever and score the hits.
 * @example const report = await evaluate(index, await readQuestions(['dev-a.jsonl']), { k: 10 })
 */
export async function evaluate(retriever: Retriever, questions: EvalQuestion[], opts: { k?: number } = {}): Promise<EvalReport> {
  const ks = [...new Set([1, 5, 10, opts.k ?? 10])].sort((a, b) => a - b);
  const depth = Math.max(...ks);
  const rows: { q: EvalQuestion; hits: SearchHit[]; gold: Gold[] }[] = [];
  const times: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    const hits = await retriever.search(q.question, { k: depth });
    times.push(performance.now() - t);
    rows.push({ q, hits, gold: q.gold });
  }
  const scored = rows.filter((r) => r.gold.length > 0);
  const byKind: Record<string, Metrics> = {};
  for (const kind of [...new Set(scored.map((r) => r.q.kind))].sort()) {
    byKind[kind] = aggregate(scored.filter((r) => r.q.kind === kind), ks);
  }
  return {
    ...aggregate(scored, ks),
    p50_ms: round(percentile(times, 50), 2),
    p95_ms: round(percentile(times, 95), 2),
    by_kind: byKind,
    questions: scored.map((r) => {
      const i = r.hits.findIndex((h) => r.gold.some((g) => hitMatches(h, g)));
      return {
        id: r.q.id,
        kind: r.q.kind,
        rank: i + 1,
        found: r.gold.filter((g) => r.hits.some((h) => hitMatches(h, g))).length,
        gold: r.gold.length,
      };
    }),
  };
}
