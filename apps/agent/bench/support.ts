/** Shared by the agent's benchmarks: the built agent, a logger that costs what production's does. */
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
