/**
 * Decision latency: from a whitelisted phone's P2P-GO-NEG-REQUEST leaving the simulator's socket to the
 * agent's P2P_CONNECT reaching it (decision-probe.ts says where the two instants are taken). The agent is the
 * built one (dist), started in this process with startAgent on a fresh database; the simulator runs in a child
 * process (sim-process.ts), as wpa_supplicant does, so it reads P2P_CONNECT when the datagram arrives and not
 * when the agent's event loop next yields. (With the agent's own in-process simulator the figure also counts
 * the agent's work after sending — database commits, socket.io pushes —; a worker thread is no way out: the
 * socket addon is not thread-safe.)
 *
 * --pace settled (default): each request arrives once the agent has persisted everything about the previous
 *   one (kiosk.flush()), as when phones come one at a time.
 * --pace back-to-back: the next request follows as soon as the simulator has removed the group, so it often
 *   lands while the agent still commits the previous session (store/history-writer.ts: the commit on the
 *   event loop, its fsync on libuv's thread pool).
 *
 * Usage: tsx bench/decision-latency.ts [--pace settled|back-to-back] [--requests N] [--time-scale S] [--json FILE]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { WpaCtrlClient, type WpaEvent } from '@wdk/core';
import { simProcess } from './sim-process.js';
import { percentiles, writeResult } from '@wdk/testing/bench';
import { benchLogger, builtAgent } from './support.js';

const { startAgent, resolveAgentConfig } = await builtAgent();
const { values } = parseArgs({
  options: {
    pace: { type: 'string', default: 'settled' },
    requests: { type: 'string', default: '1000' },
    'time-scale': { type: 'string', default: '0.01' },
    json: { type: 'string' },
  },
});
const pace = values.pace;
if (pace !== 'settled' && pace !== 'back-to-back') throw new Error('--pace must be settled or back-to-back');
const requests = Number(values.requests);
const timeScale = Number(values['time-scale']);
const address = '42:00:00:00:5a:00';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wdk-bench-decision-'));
const ctrlDir = path.join(dir, 'ctrl');
const sim = await simProcess({ ctrlDir, timeScale, address });
const config = resolveAgentConfig(
  { ctrlDir, dhcp: false, db: `file:${path.join(dir, 'kiosk.db')}`, host: '127.0.0.1', port: 0 },
  {},
);
const agent = await startAgent(config, { logger: benchLogger() });
const api = async (method: string, route: string, body?: unknown): Promise<void> => {
  const response = await fetch(`http://127.0.0.1:${agent.port}${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const payload = (await response.json()) as { status: string; error?: { message: string } };
  if (payload.status !== 'ok') throw new Error(`${method} ${route}: ${payload.error?.message}`);
};
// The agent removes a group as soon as its last client left, so every request is a fresh negotiation.
await api('PUT', '/api/settings', { idleGraceMs: 0 });
await api('POST', '/api/whitelist', { address, label: 'bench phone' });

// Where the time goes, stamped inside the agent with the same clock: the control client announcing the parsed
// P2P-GO-NEG-REQUEST (right after it read the datagram), and the engine asking for P2P_CONNECT (the datagram is
// sent synchronously within that call). Instrumentation only: the two methods are wrapped, not changed.
let receivedAt = 0n;
let requestedAt = 0n;
const emit = WpaCtrlClient.prototype.emit;
WpaCtrlClient.prototype.emit = function (this: WpaCtrlClient, name: string, ...args: unknown[]): boolean {
  if (name === 'event' && (args[0] as WpaEvent).type === 'P2P-GO-NEG-REQUEST')
    receivedAt = process.hrtime.bigint();
  return (emit as (this: WpaCtrlClient, name: string, ...rest: unknown[]) => boolean).call(
    this,
    name,
    ...args,
  );
} as typeof emit;
const request = WpaCtrlClient.prototype.request;
WpaCtrlClient.prototype.request = function (this: WpaCtrlClient, command, options) {
  if (command.startsWith('P2P_CONNECT ')) requestedAt = process.hrtime.bigint();
  return request.call(this, command, options);
};

interface Sample {
  total: number;
  toAgent: number;
  inAgent: number;
  toSimulator: number;
}

async function cycle(): Promise<Sample> {
  receivedAt = 0n;
  requestedAt = 0n;
  const { sentAt, arrivedAt } = await sim.cycle();
  const sent = BigInt(sentAt);
  const arrived = BigInt(arrivedAt);
  if (pace === 'settled') await agent.kiosk.flush();
  return {
    total: Number(arrived - sent),
    toAgent: Number(receivedAt - sent),
    inAgent: Number(requestedAt - receivedAt),
    toSimulator: Number(arrived - requestedAt),
  };
}

const loopDelay = monitorEventLoopDelay({ resolution: 1 });
const warmup = Math.min(50, Math.ceil(requests / 10));
const samples: Sample[] = [];
let seconds: number;
try {
  for (let i = 0; i < warmup; i++) await cycle();
  loopDelay.enable();
  const started = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) samples.push(await cycle());
  seconds = Number(process.hrtime.bigint() - started) / 1e9;
  loopDelay.disable();
} finally {
  await agent.close();
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
}

const ms = (part: keyof Sample) => {
  const p = percentiles(samples.map((sample) => sample[part] / 1e6));
  return { p50: p.p50, p99: p.p99, max: p.max };
};
const stats = percentiles(samples.map((sample) => sample.total));
const result = {
  name: `decision-latency-${pace}`,
  pace,
  requests,
  warmup,
  timeScale,
  p50Ms: stats.p50 / 1e6,
  p95Ms: stats.p95 / 1e6,
  p99Ms: stats.p99 / 1e6,
  maxMs: stats.max / 1e6,
  meanMs: stats.mean / 1e6,
  /** How late the agent's event loop ran timers meanwhile (database commits block it). */
  eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  eventLoopDelayMaxMs: loopDelay.max / 1e6,
  /** The total in three legs (ms): simulator → agent's control client, the agent itself, agent → simulator. */
  legs: { toAgent: ms('toAgent'), inAgent: ms('inAgent'), toSimulator: ms('toSimulator') },
  seconds,
};
console.log(
  `decision latency (${pace}), ${requests} requests: p50 ${result.p50Ms.toFixed(3)} ms, ` +
    `p99 ${result.p99Ms.toFixed(3)} ms, max ${result.maxMs.toFixed(3)} ms; ` +
    `in the agent p50 ${result.legs.inAgent.p50.toFixed(3)} ms, p99 ${result.legs.inAgent.p99.toFixed(3)} ms; ` +
    `event loop delay p99 ${result.eventLoopDelayP99Ms.toFixed(1)} ms, max ${result.eventLoopDelayMaxMs.toFixed(1)} ms`,
);
writeResult(values.json, result);
