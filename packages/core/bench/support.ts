/** Shared by core's benchmarks: percentiles and the result file the orchestrator (scripts/bench.mjs) reads. */
import { writeFileSync } from 'node:fs';

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  count: number;
}

/** Nearest-rank percentiles of `samples` (any unit). */
export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return {
    p50: rank(0.5),
    p99: rank(0.99),
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    count: sorted.length,
  };
}

/** Writes the result as JSON to `file`, if one was given. */
export function writeResult(file: string | undefined, result: object): void {
  if (file !== undefined) writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}
