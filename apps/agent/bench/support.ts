/** Shared by the agent's benchmarks: percentiles, the result file, a logger that costs what production's does. */
import { writeFileSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import type * as AgentModule from '../src/agent.js';
import type * as ConfigModule from '../src/config.js';

/**
 * The built agent (dist/, what production runs), typed by its sources (dist/ ships no declarations): startAgent
 * and resolveAgentConfig.
 */
export async function builtAgent(): Promise<
  Pick<typeof AgentModule, 'startAgent'> & Pick<typeof ConfigModule, 'resolveAgentConfig'>
> {
  const [agent, config] = (await Promise.all([
    import(new URL('../dist/agent.js', import.meta.url).href),
    import(new URL('../dist/config.js', import.meta.url).href),
  ])) as [typeof AgentModule, typeof ConfigModule];
  return { startAgent: agent.startAgent, resolveAgentConfig: config.resolveAgentConfig };
}

export interface Percentiles {
  p50: number;
  p95: number;
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
    p95: rank(0.95),
    p99: rank(0.99),
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    count: sorted.length,
  };
}

/** Writes the result as JSON to `file` (the orchestrator reads it), if one was given. */
export function writeResult(file: string | undefined, result: object): void {
  if (file !== undefined) writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}

/**
 * The agent's logger at its production level (info, with the same redaction), written to /dev/null: the
 * benchmark pays for formatting and writing every line the agent logs, without flooding the terminal.
 */
export function benchLogger(): Logger {
  // WDK_BENCH_LOG=FILE keeps a debug log instead, to find out why a run failed.
  const debugFile = process.env.WDK_BENCH_LOG;
  return pino(
    {
      level: debugFile ? 'debug' : 'info',
      base: { service: 'wdk-agent' },
      redact: {
        paths: ['pin', '*.pin', 'passphrase', '*.passphrase', 'passcode', '*.passcode'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: debugFile ?? '/dev/null', sync: true }),
  );
}
