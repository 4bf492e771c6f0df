/**
 * Answer evaluation over the question files `pufa eval` reads: accuracy@1 (the answer's first citation is a
 * gold article or holds the gold report quote), the share of no-basis replies (on answerable questions it
 * should be low, on out-of-scope ones high), fabricated citations (cited text the index does not hold) and
 * answer latency.
 */
import { percentile } from '../metrics.ts';
import type { Config } from '../config.ts';
import { normalizeLawName } from '../knowledge/catalog.ts';
import type { Logger } from '../log.ts';
import { createAnswerer } from './answerer.ts';
import type { EvalQuestion, Gold } from '../search/evaluate.ts';
import type { KnowledgeIndex } from '../search/types.ts';
import type { AnswerCitation, Answerer, AnswerMode } from './types.ts';

const squash = (s: string) => s.replace(/\s+/g, '');

export function citationMatches(c: AnswerCitation, gold: Gold): boolean {
  if ('law' in gold) {
    return c.doc === 'law' && c.article === gold.article && (c.articleSuffix ?? 0) === (gold.suffix ?? 0) && normalizeLawName(c.law ?? '') === normalizeLawName(gold.law);
  }
  return c.doc === gold.doc && squash(c.text).includes(squash(gold.quote));
}

/** Whether the index holds this citation's text verbatim (an article of that law version, or a section). */
export function isGrounded(c: AnswerCitation, index: KnowledgeIndex): boolean {
  if (c.doc === 'law') {
    const law = index.catalog.resolve(c.law ?? '').find((v) => v.version === c.version);
    return Boolean(law?.articles.some((a) => a.number === c.article && a.suffix === (c.articleSuffix ?? 0) && a.text === c.text));
  }
  return index.documents.some((d) => d.title === c.law && d.sections.some((s) => s.text === c.text || s.text.includes(c.text)));
}

export interface AnswerRecord {
  id: string;
  kind: string;
  question: string;
  mode: AnswerMode;
  correct: boolean;
  first?: string;
  ms: number;
}

export interface AnswerGroup {
  n: number;
  'accuracy@1': number;
  no_basis: number;
}

export interface AnswerEvalReport {
  /** Questions with gold. */
  answerable: AnswerGroup & { by_kind: Record<string, AnswerGroup> };
  /** Questions without gold (out of scope): only the no-basis share matters. */
  out_of_scope: { n: number; no_basis: number };
  /** Citations whose text the index does not hold. Must be 0. */
  fabricated: number;
  p50_ms: number;
  p95_ms: number;
  records: AnswerRecord[];
}

function group(records: AnswerRecord[]): AnswerGroup {
  const n = records.length;
  const r = (x: number) => Math.round((n ? x / n : 0) * 1000) / 1000;
  return { n, 'accuracy@1': r(records.filter((x) => x.correct).length), no_basis: r(records.filter((x) => x.mode === 'none').length) };
}

/** Answer every question in turn (no conversation: each stands alone) and score the replies. */
export async function evaluateAnswers(answerer: Answerer, index: KnowledgeIndex, questions: EvalQuestion[]): Promise<AnswerEvalReport> {
  const records: AnswerRecord[] = [];
  let fabricated = 0;
  for (const q of questions) {
    const t0 = performance.now();
    const a = await answerer.answer(q.question);
    const ms = performance.now() - t0;
    for (const c of [...a.citations, ...a.related]) if (!isGrounded(c, index)) fabricated++;
    const first = a.citations[0];
    records.push({
      id: q.id,
      kind: q.kind,
      question: q.question,
      mode: a.mode,
      correct: a.mode !== 'none' && first !== undefined && q.gold.some((g) => citationMatches(first, g)),
      first: first ? `${first.law ?? ''}${first.articleLabel ?? first.section ?? ''}` : undefined,
      ms,
    });
  }
  const withGold = records.filter((r) => questions.find((q) => q.id === r.id)!.gold.length > 0);
  const without = records.filter((r) => !withGold.includes(r));
  const kinds = [...new Set(withGold.map((r) => r.kind))];
  const oos = without.length;
  return {
    answerable: { ...group(withGold), by_kind: Object.fromEntries(kinds.map((k) => [k, group(withGold.filter((r) => r.kind === k))])) },
    out_of_scope: { n: oos, no_basis: Math.round((oos ? without.filter((r) => r.mode === 'none').length / oos : 0) * 1000) / 1000 },
    fabricated,
    p50_ms: Math.round(percentile(records.map((r) => r.ms), 50) * 10) / 10,
    p95_ms: Math.round(percentile(records.map((r) => r.ms), 95) * 10) / 10,
    records,
  };
}

/** `pufa eval --answers`: answer every question and format the report (one JSON object with --json). */
export async function runAnswerEval(index: KnowledgeIndex, config: Config, questions: EvalQuestion[], json: boolean, logger?: Logger): Promise<string> {
  const answerer = createAnswerer({ index, config, logger });
  const r = await evaluateAnswers(answerer, index, questions);
  const { records, ...summary } = r;
  if (json) return JSON.stringify(summary);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `有标准答案的题 ${r.answerable.n} 道：答案准确率@1 ${r.answerable['accuracy@1'].toFixed(3)}，答“无依据” ${pct(r.answerable.no_basis)}`,
    ...Object.entries(r.answerable.by_kind).map(([k, g]) => `  ${k.padEnd(12)} ${String(g.n).padStart(3)} 题  准确率@1 ${g['accuracy@1'].toFixed(3)}  无依据 ${pct(g.no_basis)}`),
    `超范围题（无标准答案）${r.out_of_scope.n} 道：答“无依据” ${pct(r.out_of_scope.no_basis)}`,
    `无出处的引用：${r.fabricated}`,
    `作答耗时：p50 ${r.p50_ms} ms，p95 ${r.p95_ms} ms`,
  ];
  const wrong = records.filter((x) => !x.correct && x.kind !== 'out_of_scope' && questions.find((q) => q.id === x.id)!.gold.length);
  if (wrong.length) lines.push('未答对：', ...wrong.map((x) => `  ${x.id} [${x.mode}] ${x.first ?? '—'} ← ${x.question}`));
  return lines.join('\n');
}
