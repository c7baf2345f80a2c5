/**
 * Control round trip, PING → PONG, one request at a time, against the simulator (in a process of its own) or
 * Debian's real wpa_supplicant (-Dwired on a veth pair in a network namespace created and removed here; root
 * only). Five clients, one after the other, on the same daemon:
 * - native: our WpaCtrlClient.request() (the built dist, as the agent runs it: on our wdk-dgram addon when it
 *   is built, which the run reports);
 * - fallback: the same client forced onto node-unix-socket (what runs where the addon could not be built);
 * - wpa-cli: our WpaCliTransport (one interactive wpa_cli child, `raw PING` typed per request);
 * - spawn: one `wpa_cli -p DIR -i IF ping` process per request (fewer requests: each costs milliseconds);
 * - c: the minimal C client (bench/ping-client.c, built with cc -O2), the practical limit.
 * The clients take turns in rounds. Times are wall-clock nanoseconds per request (process.hrtime.bigint();
 * CLOCK_MONOTONIC in C).
 *
 * Placement: the daemon starts with this process's CPU affinity. `--daemon-cpu N` then pins it (all its threads,
 * `taskset -a -p -c N`) to CPU N; run this script under `taskset -c M` to pin the clients (this process and every
 * child it spawns: wpa_cli, the C client). The affinities actually in force are printed and recorded.
 *
 * Usage: tsx bench/round-trip.ts --target sim|real [--requests N] [--spawn-requests N] [--daemon-cpu N]
 *                                [--c-client PATH] [--json FILE]
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { WpaCliTransport, WpaCtrlClient } from '../dist/index.js';
import { RealWpaSupplicant, WPA_CLI, realDaemonUnavailable } from '../test/support/real-wpa-supplicant.js';
import { percentiles, writeResult, type Percentiles } from '@wdk/testing/bench';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'sim' },
    requests: { type: 'string', default: '10000' },
    'spawn-requests': { type: 'string', default: '200' },
    'daemon-cpu': { type: 'string' },
    'c-client': { type: 'string' },
    json: { type: 'string' },
  },
});
const target = values.target;
if (target !== 'sim' && target !== 'real') throw new Error('--target must be sim or real');
const requests = Number(values.requests);
const spawnRequests = Number(values['spawn-requests']);
const daemonCpu = values['daemon-cpu'];
if (daemonCpu !== undefined && !/^\d+$/.test(daemonCpu)) throw new Error('--daemon-cpu must be a CPU number');
// At least 1 000 unmeasured requests: fewer leave the JIT cold and the native figures meaningless.
const warmup = Math.max(1000, Math.round(requests / 10));

const work = mkdtempSync(join(tmpdir(), 'wdk-bench-rt-'));
const cClient = values['c-client'] ?? (await buildCClient(work));

interface Daemon {
  /** The daemon's process (for the simulator, its Node process; for the real one, wpa_supplicant itself). */
  pid: number;
  ctrlDir: string;
  ifname: string;
  describe: string;
  stop(): Promise<void>;
}

/**
 * The clients take turns in ROUNDS rounds (C, native, fallback, wpa_cli transport, wpa_cli per command, each its
 * share of the requests), so that a change of load on a shared machine weighs on all of them alike.
 */
const ROUNDS = 10;
const daemon = target === 'sim' ? await startSimulator(work) : await startRealDaemon();
const placement = await place(daemon).catch(async (error: unknown) => {
  await daemon.stop();
  rmSync(work, { recursive: true, force: true });
  throw error;
});
console.log(
  `${target} placement: daemon on CPU ${placement.daemon}, clients (this process and its children) on CPU ${placement.clients}`,
);
const samples = {
  c: [] as number[],
  native: [] as number[],
  fallback: [] as number[],
  wpaCli: [] as number[],
  spawn: [] as number[],
};
const native = await WpaCtrlClient.connect({
  ctrlDir: daemon.ctrlDir,
  ifname: daemon.ifname,
  localDir: work,
});
const nativeBackend = native.backend;
const fallback = await WpaCtrlClient.connect({
  ctrlDir: daemon.ctrlDir,
  ifname: daemon.ifname,
  localDir: work,
  backend: 'node-unix-socket',
});
const wpaCli = await WpaCliTransport.connect({ ctrlDir: daemon.ctrlDir, ifname: daemon.ifname });
try {
  const nativePing = async (): Promise<void> => expectPong(await native.request('PING'));
  const fallbackPing = async (): Promise<void> => expectPong(await fallback.request('PING'));
  const wpaCliPing = async (): Promise<void> => expectPong(await wpaCli.request('PING'));
  const spawnPing = async (): Promise<void> => {
    const { stdout } = await run(WPA_CLI, ['-p', daemon.ctrlDir, '-i', daemon.ifname, 'ping']);
    expectPong(stdout);
  };
  // Warm-up, not measured: the JIT, the daemon, the page cache for wpa_cli.
  await measureC(daemon, warmup);
  await timed(warmup, nativePing);
  await timed(warmup, fallbackPing);
  await timed(warmup, wpaCliPing);
  await timed(Math.max(5, Math.round(spawnRequests / 10)), spawnPing);
  const share = (total: number, round: number): number =>
    Math.floor((total * (round + 1)) / ROUNDS) - Math.floor((total * round) / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    samples.c.push(...(await measureC(daemon, share(requests, round))));
    samples.native.push(...(await timed(share(requests, round), nativePing)));
    samples.fallback.push(...(await timed(share(requests, round), fallbackPing)));
    samples.wpaCli.push(...(await timed(share(requests, round), wpaCliPing)));
    samples.spawn.push(...(await timed(share(spawnRequests, round), spawnPing)));
  }
} finally {
  await native.close();
  await fallback.close();
  await wpaCli.close();
  await daemon.stop();
  rmSync(work, { recursive: true, force: true });
}
const results = {
  c: { ...percentiles(samples.c), requests: samples.c.length },
  native: { ...percentiles(samples.native), requests: samples.native.length, backend: nativeBackend },
  fallback: {
    ...percentiles(samples.fallback),
    requests: samples.fallback.length,
    backend: 'node-unix-socket',
  },
  wpaCli: { ...percentiles(samples.wpaCli), requests: samples.wpaCli.length },
  spawn: { ...percentiles(samples.spawn), requests: samples.spawn.length },
};
report('c', results.c);
report('native', results.native);
report('fallback', results.fallback);
report('wpa-cli', results.wpaCli);
report('spawn', results.spawn);

const result = {
  name: `round-trip-${target}`,
  target,
  daemon: daemon.describe,
  /** The CPUs each side was allowed to run on (Cpus_allowed_list), as measured. */
  placement,
  requests,
  spawnRequests,
  warmup,
  rounds: ROUNDS,
  clients: results,
  ratios: {
    /** How many times faster than our wpa_cli transport (median). */
    wpaCliOverNative: results.wpaCli.p50 / results.native.p50,
    /** How many times faster than one wpa_cli process per command (median). */
    spawnOverNative: results.spawn.p50 / results.native.p50,
    /** How many times slower than the C client (median): the floor wants ≤ 3. */
    nativeOverC: results.native.p50 / results.c.p50,
    /** The node-unix-socket fallback against the C client (median). */
    fallbackOverC: results.fallback.p50 / results.c.p50,
    /**
     * How many times faster the C client (the practical limit) is than our wpa_cli transport (median), under
     * this placement: where it is below 20, the ≥ 20× floor is out of reach for a client that waits for its
     * reply as C does. (Across CPUs a client that spins for the reply saves its own wake-up and can beat C.)
     */
    wpaCliOverC: results.wpaCli.p50 / results.c.p50,
  },
};
console.log(
  `ratios (median): native is ${result.ratios.wpaCliOverNative.toFixed(1)}× faster than the wpa_cli transport, ` +
    `${result.ratios.spawnOverNative.toFixed(0)}× faster than wpa_cli per command, ` +
    `${result.ratios.nativeOverC.toFixed(2)}× the C client (the node-unix-socket fallback ` +
    `${result.ratios.fallbackOverC.toFixed(2)}×); the C client is ` +
    `${result.ratios.wpaCliOverC.toFixed(1)}× faster than the wpa_cli transport`,
);
writeResult(values.json, result);

function report(client: string, stats: Percentiles & { requests: number; backend?: string | null }): void {
  console.log(
    `${target} ${client.padEnd(8)} ${String(stats.requests).padStart(6)} requests: p50 ${us(stats.p50)} µs, p99 ${us(stats.p99)} µs` +
      (stats.backend ? ` (${stats.backend})` : ''),
  );
}

function us(ns: number): string {
  return (ns / 1000).toFixed(1);
}

async function timed(count: number, request: () => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await request();
    samples.push(Number(process.hrtime.bigint() - start));
  }
  return samples;
}

function expectPong(reply: string): void {
  if (reply.trim() !== 'PONG') throw new Error(`PING answered ${JSON.stringify(reply)}`);
}

/** Runs the C client for `count` requests; one round-trip time (ns) per request. */
async function measureC(d: Daemon, count: number): Promise<number[]> {
  const { stdout } = await run(cClient, [join(d.ctrlDir, d.ifname), String(count)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const times = stdout.trim().split('\n').map(Number);
  if (times.length !== count) throw new Error(`the C client measured ${times.length} of ${count}`);
  return times;
}

/**
 * Pins the daemon to --daemon-cpu (every thread it has; threads it starts later inherit the mask) and reads back
 * the CPUs each side may run on.
 */
async function place(d: Daemon): Promise<{ daemon: string; clients: string; daemonCpu: number | null }> {
  if (daemonCpu !== undefined) await run('taskset', ['-a', '-p', '-c', daemonCpu, String(d.pid)]);
  const masks = new Set(
    readdirSync(`/proc/${d.pid}/task`).map((thread) => cpusAllowed(`/proc/${d.pid}/task/${thread}/status`)),
  );
  return {
    daemon: [...masks].join(' / '),
    clients: cpusAllowed('/proc/self/status'),
    daemonCpu: daemonCpu === undefined ? null : Number(daemonCpu),
  };
}

function cpusAllowed(statusFile: string): string {
  const list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(statusFile, 'utf8'))?.[1];
  if (list === undefined) throw new Error(`no Cpus_allowed_list in ${statusFile}`);
  return list;
}

async function buildCClient(directory: string): Promise<string> {
  const output = join(directory, 'ping-client');
  await run('cc', ['-O2', '-o', output, fileURLToPath(new URL('./ping-client.c', import.meta.url))]);
  return output;
}

/** The simulator as a process of its own (`runSimCli`, what `wdk sim` runs), so the client has this one. */
async function startSimulator(directory: string): Promise<Daemon> {
  const ctrlDir = join(directory, 'ctrl');
  const index = new URL('../dist/index.js', import.meta.url).href;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { runSimCli } = await import(${JSON.stringify(index)}); process.exitCode = await runSimCli(process.argv.slice(1));`,
      '--',
      '--ctrl-dir',
      ctrlDir,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const ifname = 'p2p-dev-wlan0';
  await until(() => existsSync(join(ctrlDir, ifname)) || child.exitCode !== null, 10_000);
  if (child.exitCode !== null) throw new Error(`the simulator exited with ${child.exitCode}`);
  if (child.pid === undefined) throw new Error('the simulator has no pid');
  return {
    pid: child.pid,
    ctrlDir,
    ifname,
    describe: 'simulator (wdk sim, its own Node process)',
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function startRealDaemon(): Promise<Daemon> {
  const unavailable = realDaemonUnavailable();
  if (unavailable !== null) throw new Error(`cannot run the real wpa_supplicant: ${unavailable}`);
  const real = new RealWpaSupplicant();
  try {
    await real.setUp();
  } catch (error) {
    await real.cleanUp();
    throw error;
  }
  const { stdout } = await run('/usr/sbin/wpa_supplicant', ['-v']);
  const version = /wpa_supplicant v\S+/.exec(stdout)?.[0] ?? 'wpa_supplicant';
  const pid = real.pid;
  if (pid === null) throw new Error('wpa_supplicant has no pid');
  return {
    pid,
    ctrlDir: real.ctrlDir,
    ifname: real.ifname,
    describe: `${version} -Dwired on a veth pair in network namespace ${real.namespace}`,
    stop: () => real.cleanUp(),
  };
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
