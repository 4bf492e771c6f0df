/** Summary statistics for evaluations and benchmarks: one definition of a percentile everywhere. */

/**
 * Nearest-rank percentile of unsorted values (p from 0 to 100); 0 for no values.
 * @example percentile([5, 1, 3], 50) // 3
 */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}
