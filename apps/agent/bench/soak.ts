/**
 * Soak: many connect/disconnect cycles through the agent (the built dist, startAgent with --simulate, in this
 * process) and its simulator, with several phones at once and a mix of what phones and radios do: whitelisted
 * push button (GO negotiation and provision discovery), PIN typed right and wrong, unknown push button denied
 * or approved by the operator (over the HTTP API), and faults injected with Simulator.inject (GO negotiation
 * failure, formation failure, WPS failure, EBUSY, now and then a daemon restart). The simulator runs at a small
 * time scale, and so does the agent's engine (its clock scaled alike); phones leave soon after connecting.
 *
 * Checked at the end: no group left (simulator and agent), every session in the database closed with a reason
 * (also while the agent still runs), the database intact, no unhandled rejection or exception and no error
 * logged by the agent, and the process's resident memory after the soak against before it.
 *
 * Usage: tsx bench/soak.ts [--cycles N] [--phones N] [--time-scale S] [--max-minutes M] [--idle-seconds S]
 *   [--json FILE]
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { ClockPort, FaultInput, PhoneStepInput } from '@wdk/core';
import Database from 'better-sqlite3';
import pino from 'pino';
import { until, withTimeout } from './decision-probe.js';
import { writeResult } from '@wdk/testing/bench';
import { builtAgent } from './support.js';

const { startAgent, resolveAgentConfig } = await builtAgent();
const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '10000' },
    phones: { type: 'string', default: '4' },
    'time-scale': { type: 'string', default: '0.005' },
    'max-minutes': { type: 'string', default: '15' },
    'idle-seconds': { type: 'string', default: '5' },
    json: { type: 'string' },
  },
});
const cycles = Number(values.cycles);
const idleMs = Number(values['idle-seconds']) * 1000;
const phoneCount = Number(values.phones);
const timeScale = Number(values['time-scale']);
const deadline = Date.now() + Number(values['max-minutes']) * 60_000;

// --- what must not happen ---------------------------------------------------------------------------------
const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(`unhandled rejection: ${String(reason)}`));
process.on('uncaughtException', (error) =>
  unhandled.push(`uncaught exception: ${error.stack ?? String(error)}`),
);
/** The agent's log at its production level (info); lines at error (50) or fatal (60) are kept. */
const loggedErrors: string[] = [];
let logLines = 0;
const debugLog = process.env.WDK_BENCH_LOG; // FILE: keep a debug log there, to find out why a run failed
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    if (debugLog !== undefined) appendFileSync(debugLog, chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      logLines += 1;
      if (/"level":(50|60)/.test(line)) loggedErrors.push(line);
    }
    done();
  },
});
const logger = pino(
  {
    level: debugLog === undefined ? 'info' : 'debug',
    base: { service: 'wdk-agent' },
    redact: {
      paths: ['pin', '*.pin', 'passphrase', '*.passphrase', 'passcode', '*.passcode'],
      censor: '[redacted]',
    },
  },
  logSink,
);

// --- the agent --------------------------------------------------------------------------------------------
const dir = mkdtempSync(path.join(os.tmpdir(), 'wdk-bench-soak-'));
const dbFile = path.join(dir, 'kiosk.db');
const config = resolveAgentConfig(
  { simulate: true, simTimeScale: timeScale, db: `file:${dbFile}`, host: '127.0.0.1', port: 0 },
  {},
);
// The engine runs on the radio's time scale too: its timers (setup timeout 120 s, approval 60 s, discovery
// every 20 s, an empty group kept 10 s, at most one P2P_FIND per 3 s…) keep their proportions to the radio's, as
// on a real kiosk. Settings stay at their defaults.
const clockStart = performance.now();
const epoch = Date.now();
const engineClock: ClockPort = {
  now: () => epoch + (performance.now() - clockStart) / timeScale,
  setTimeout: (callback, ms) => setTimeout(callback, ms * timeScale),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
const agent = await startAgent(config, { logger, clock: engineClock });
const sim = agent.simulator;
if (sim === null) throw new Error('the agent has no simulator');
async function api<T>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${agent.port}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const payload = (await response.json()) as { status: string; data?: T; error?: { message: string } };
  if (payload.status !== 'ok') throw new Error(`${method} ${route}: ${payload.error?.message}`);
  return payload.data as T;
}

/** Whitelisted phones: a pool per actor, used in turn, so that one address comes back only now and then. */
const KNOWN_PER_ACTOR = 16;
const mac = (n: number): string =>
  `42:00:${[(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':')}:00`;
const known = (actor: number, index: number): string =>
  mac(0x10000 + actor * KNOWN_PER_ACTOR + (index % KNOWN_PER_ACTOR));
/** Unknown phones: a new one every cycle. */
const stranger = (index: number): string => mac(0x200000 + index);
for (let actor = 0; actor < phoneCount; actor++) {
  for (let index = 0; index < KNOWN_PER_ACTOR; index++) {
    await api('POST', '/api/whitelist', {
      address: known(actor, index),
      label: `soak phone ${actor}.${index}`,
    });
  }
}

// Operator answers: a request from `address` is approved or denied as soon as the kiosk shows it — every
// request of that phone during its cycle (a phone that tries again asks again), each approval once.
const operator = new Map<string, (id: string) => void>();
const answeredApprovals = new Set<string>();
agent.kiosk.on('state', (state) => {
  for (const approval of state.pendingApprovals) {
    const answer = operator.get(approval.address);
    if (answer === undefined || answeredApprovals.has(approval.id)) continue;
    answeredApprovals.add(approval.id);
    answer(approval.id);
  }
});

// --- phone scripts ------------------------------------------------------------------------------------------
/** Radio ms a user waits for the connection before giving up. */
const PATIENCE_MS = Number(process.env.WDK_SOAK_PATIENCE_MS ?? 60_000);
/**
 * Every script ends as soon as the phone is connected (it stays a second, then leaves) or has failed; a phone
 * that neither connects nor fails gives up after PATIENCE_MS, as a user would.
 */
const stay: PhoneStepInput[] = [
  { do: 'waitFor', what: 'connected', timeoutMs: PATIENCE_MS },
  { do: 'wait', ms: 1000 },
  { do: 'leave' },
];
interface Scenario {
  name: string;
  /** The phone is meant to end up connected (the others are meant to be refused or to fail). */
  connects: boolean;
  whitelisted: boolean;
  steps: PhoneStepInput[];
  operator?: 'approve' | 'deny';
  fault?: FaultInput;
}
const pbcByNegotiation: PhoneStepInput[] = [{ do: 'connect', method: 'pbc' }, ...stay];
const pbcByProvisionDiscovery: PhoneStepInput[] = [
  { do: 'provDisc', method: 'pbc' },
  { do: 'connect', method: 'pbc' },
  ...stay,
];
const SCENARIOS: Scenario[] = [
  { name: 'whitelisted pbc (GO negotiation)', connects: true, whitelisted: true, steps: pbcByNegotiation },
  {
    name: 'whitelisted pbc (provision discovery)',
    connects: true,
    whitelisted: true,
    steps: pbcByProvisionDiscovery,
  },
  {
    name: "PIN typed (the kiosk's)",
    connects: true,
    whitelisted: false,
    steps: [
      { do: 'provDisc', method: 'display' },
      { do: 'connect', method: 'pin', pin: 'kiosk-pin' },
      ...stay,
    ],
  },
  {
    name: 'PIN typed wrong',
    connects: false,
    whitelisted: false,
    steps: [{ do: 'provDisc', method: 'display' }, { do: 'connect', method: 'pin', pin: 'wrong' }, ...stay],
  },
  {
    name: 'unknown pbc, operator denies',
    connects: false,
    whitelisted: false,
    operator: 'deny',
    steps: pbcByProvisionDiscovery,
  },
  {
    name: 'unknown pbc, operator approves',
    connects: true,
    whitelisted: false,
    operator: 'approve',
    steps: pbcByProvisionDiscovery,
  },
  // Faults aimed at the phone: they hit a GO negotiation / formation (or a join's WPS), not a phone that joins
  // a running group another way, so these phones may also connect.
  {
    name: 'fault: GO negotiation failure',
    connects: false,
    whitelisted: true,
    fault: { kind: 'go-neg-failure', count: 1 },
    steps: pbcByNegotiation,
  },
  {
    name: 'fault: group formation failure',
    connects: false,
    whitelisted: true,
    fault: { kind: 'formation-failure', count: 1 },
    steps: pbcByNegotiation,
  },
  {
    name: 'fault: WPS failure',
    connects: false,
    whitelisted: true,
    fault: { kind: 'wps-fail', count: 1 },
    steps: pbcByNegotiation,
  },
  {
    name: 'fault: EBUSY creating the group interface',
    connects: false,
    whitelisted: true,
    fault: { kind: 'ebusy', count: 1 },
    steps: pbcByNegotiation,
  },
];
/**
 * A user whose phone failed to connect taps "connect" once more (from the top of the script; Android then joins
 * if the kiosk runs a group). Every scenario's phones do it, also those meant not to connect.
 */
const RETRIES = Number(process.env.WDK_SOAK_RETRIES ?? 1);
/** Radio ms between one phone leaving and the actor's next phone arriving. */
const ARRIVAL_GAP_MS = 2000;
/** Every this many cycles the daemon terminates and comes back (CTRL-EVENT-TERMINATING, sockets gone). */
const RESTART_EVERY = 1000;

// --- the soak -----------------------------------------------------------------------------------------------
const tally = new Map<
  string,
  { connects: boolean; cycles: number; connected: number; notConnected: number; stuck: number }
>();
const stuck: string[] = [];
/** Why phones did not connect, by scenario: most are meant not to (wrong PIN, denial, faults). */
const failures = new Map<string, number>();
let started = 0;
let finished = 0;
let restarts = 0;

async function cycle(actor: number, index: number): Promise<void> {
  const scenario = SCENARIOS[(index + actor) % SCENARIOS.length]!;
  const counts = tally.get(scenario.name) ?? {
    connects: scenario.connects,
    cycles: 0,
    connected: 0,
    notConnected: 0,
    stuck: 0,
  };
  tally.set(scenario.name, counts);
  counts.cycles += 1;
  const address = scenario.whitelisted ? known(actor, index) : stranger(index);
  if (index > 0 && index % RESTART_EVERY === 0) {
    restarts += 1;
    sim!.inject({ kind: 'terminate', restartAfterMs: 2000 });
  }
  // Faults aimed at this phone only, so that the other phones meanwhile go on as usual.
  if (scenario.fault)
    sim!.inject(
      scenario.fault.kind === 'ebusy' ? scenario.fault : ({ ...scenario.fault, peer: address } as FaultInput),
    );
  if (scenario.operator)
    operator.set(address, (id) => {
      // The request may expire or vanish first (a restart): the phone then fails.
      api('POST', `/api/approvals/${id}/${scenario.operator}`, {}).catch(() => undefined);
    });
  const phone = sim!.addPhone({ name: `Soak ${actor}`, address, steps: scenario.steps, retries: RETRIES });
  try {
    await withTimeout(phone.idle(), 60_000, 'the phone did not finish');
    const snapshot = phone.snapshot();
    // A script that ran to its end connected, stayed and left; one that failed never connected.
    if (snapshot.status === 'failed') {
      counts.notConnected += 1;
      const why = `${scenario.name}: ${snapshot.failure ?? 'failed'}`;
      failures.set(why, (failures.get(why) ?? 0) + 1);
    } else counts.connected += 1;
  } catch {
    counts.stuck += 1;
    stuck.push(`${scenario.name} (${address}): ${JSON.stringify(phone.snapshot()).slice(0, 400)}`);
  } finally {
    operator.delete(address);
    sim!.removePhone(phone.id);
    // A fault this phone never ran into (it joined a running group instead) must not wait for the next phone
    // with the same address (the whitelisted pool comes round again): it was aimed at this cycle only.
    if (scenario.fault && scenario.fault.kind !== 'ebusy') sim!.clearFaults(address);
  }
}

async function actor(id: number): Promise<void> {
  while (started < cycles && Date.now() < deadline) {
    const index = started++;
    await cycle(id, index);
    finished += 1;
    // The next phone of this actor comes a moment later (ARRIVAL_GAP_MS of radio time), not in the same tick.
    await new Promise((resolve) => setTimeout(resolve, ARRIVAL_GAP_MS * timeScale));
  }
}

await new Promise((resolve) => setTimeout(resolve, idleMs));
const rssBefore = residentKb();
const heapBefore = process.memoryUsage().heapUsed;
const progress = setInterval(() => {
  console.error(`soak: ${finished}/${cycles} cycles`);
}, 30_000);
const soakStart = process.hrtime.bigint();
await Promise.all(Array.from({ length: phoneCount }, (_, id) => actor(id)));
const soakSeconds = Number(process.hrtime.bigint() - soakStart) / 1e9;
clearInterval(progress);
sim.clearFaults();

// --- checks -----------------------------------------------------------------------------------------------
const quiet = await until(
  () => sim.snapshot().kiosk.groups.length === 0 && agent.kiosk.state().group === null,
  30_000,
  'groups still up',
).then(
  () => true,
  () => false,
);
const daemonLog = sim.snapshot().daemonLog;
const leakedGroups = {
  simulator: sim.snapshot().kiosk.groups.map((group) => group.ifname),
  agent: agent.kiosk.state().group?.ifname ?? null,
};
await agent.kiosk.flush();
const openWhileRunning = (await api<{ total: number }>('GET', '/api/sessions?open=true&pageSize=1')).total;
await new Promise((resolve) => setTimeout(resolve, idleMs));
const rssAfter = residentKb();
const heapAfter = process.memoryUsage().heapUsed;
await agent.close();

const db = new Database(dbFile, { readonly: true });
const sessions = db
  .prepare(
    `SELECT COUNT(*) AS total, SUM(endedAt IS NULL) AS open, SUM(endReason IS NULL) AS noReason,
            SUM(connectedAt IS NOT NULL) AS connected FROM ConnectionSession`,
  )
  .get() as { total: number; open: number; noReason: number; connected: number };
const reasons = db
  .prepare(
    'SELECT endReason AS reason, COUNT(*) AS count FROM ConnectionSession GROUP BY endReason ORDER BY 2 DESC',
  )
  .all() as { reason: string | null; count: number }[];
const integrity = (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
db.close();
rmSync(dir, { recursive: true, force: true });

const result = {
  name: 'soak',
  cyclesRequested: cycles,
  cycles: finished,
  phonesAtOnce: phoneCount,
  timeScale,
  seconds: soakSeconds,
  cyclesPerSecond: finished / soakSeconds,
  daemonRestarts: restarts,
  scenarios: Object.fromEntries(tally),
  /** Phones of scenarios meant to connect that did not. */
  unexpectedFailures: [...tally.values()].reduce((sum, x) => sum + (x.connects ? x.notConnected : 0), 0),
  meantToConnect: [...tally.values()].reduce((sum, x) => sum + (x.connects ? x.cycles : 0), 0),
  failures: Object.fromEntries([...failures].sort((a, b) => b[1] - a[1])),
  stuck: stuck.slice(0, 10),
  stuckCount: stuck.length,
  leakedGroups,
  quiescent: quiet,
  sessions: { ...sessions, openWhileRunning, reasons },
  databaseIntegrity: integrity,
  simulatorLogTail: daemonLog.slice(-5),
  socketReopenedInLog: daemonLog.filter((line) => line.includes('socket reopened')).length,
  unhandled,
  loggedErrors: loggedErrors.slice(0, 10),
  loggedErrorCount: loggedErrors.length,
  logLines,
  rssBeforeMb: rssBefore / 1024,
  rssAfterMb: rssAfter / 1024,
  rssGrowthPercent: ((rssAfter - rssBefore) / rssBefore) * 100,
  heapUsedBeforeMb: heapBefore / 2 ** 20,
  heapUsedAfterMb: heapAfter / 2 ** 20,
  passed:
    finished === cycles &&
    stuck.length === 0 &&
    quiet &&
    leakedGroups.simulator.length === 0 &&
    leakedGroups.agent === null &&
    openWhileRunning === 0 &&
    sessions.open === 0 &&
    sessions.noReason === 0 &&
    integrity === 'ok' &&
    unhandled.length === 0 &&
    loggedErrors.length === 0,
};
console.log(
  `soak: ${finished} cycles in ${soakSeconds.toFixed(0)} s (${result.cyclesPerSecond.toFixed(1)}/s), ` +
    `${sessions.total} sessions (${sessions.connected} connected), leaked groups ${leakedGroups.simulator.length}, ` +
    `open sessions ${sessions.open}, stuck ${stuck.length}, unhandled ${unhandled.length}, errors logged ${loggedErrors.length}; ` +
    `RSS ${result.rssBeforeMb.toFixed(1)} → ${result.rssAfterMb.toFixed(1)} MB (${result.rssGrowthPercent.toFixed(1)} %)`,
);
writeResult(values.json, result);
process.exitCode = result.passed ? 0 : 1;

function residentKb(): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(match?.[1] ?? 0);
}
