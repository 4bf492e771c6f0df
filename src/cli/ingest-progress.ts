/** The progress bar `pufa ingest` and `pufa start` draw on a terminal while the index is built. */
import cliProgress from 'cli-progress';
import type { IngestProgress } from '../search/index.ts';

const PHASES = { read: '读取文件', embed: '计算向量' } as const;

/**
 * A bar on `stream` fed by runIngest's progress reports; `stop` clears it (call it in a finally).
 * @example const bar = ingestProgressBar(process.stderr); try { await runIngest(config, { onProgress: bar.onProgress }) } finally { bar.stop() }
 */
export function ingestProgressBar(stream: Pick<NodeJS.WritableStream, 'write'> & { isTTY?: boolean }): { onProgress: (p: IngestProgress) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    // Only drawn on a terminal (process.stderr), which has the cursor methods cli-progress calls.
    { format: '{phase} [{bar}] {value}/{total}', stream: stream as NodeJS.WritableStream, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let phase: IngestProgress['phase'] | undefined;
  return {
    onProgress(p) {
      if (p.phase === 'end') {
        bar.stop();
      } else if (p.phase !== phase) {
        bar.start(p.total, p.done, { phase: PHASES[p.phase] });
      } else {
        bar.setTotal(p.total);
        bar.update(p.done);
      }
      phase = p.phase;
    },
    stop: () => bar.stop(),
  };
}
