/**
 * Footprint, each figure from real processes started the way a kiosk starts them:
 * - agent start → ready: spawn `node apps/agent/bin/wdk.js agent --simulate` until /healthz answers and
 *   /api/state says the daemon is connected; the first boot (fresh database: migrations) and then restarts on
 *   the existing database;
 * - agent idle RSS: VmRSS from /proc/<pid>/status, ready + 5 s idle (--idle-seconds);
 * - web server idle RSS: `next start` as deploy/wdk-web.service runs it (apps/web/node_modules/.bin/next),
 *   after serving the kiosk page once + 5 s idle, summed over its whole process tree; and the same started
 *   through `pnpm --filter @wdk/web exec next start`, whose pnpm process production does not have;
 * - kiosk first-load JavaScript: the scripts the served page loads (<script src> in the HTML), each fetched
 *   and gzipped with zlib (default level), summed.
 *
 * Usage: tsx bench/footprint.ts [--restarts N] [--idle-seconds S] [--json FILE]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { freePort, writeResult } from '@wdk/testing/bench';

const { values } = parseArgs({
  options: {
    restarts: { type: 'string', default: '5' },
    'idle-seconds': { type: 'string', default: '5' },
    json: { type: 'string' },
  },
});
const restarts = Number(values.restarts);
const idleMs = Number(values['idle-seconds']) * 1000;
const repo = path.resolve(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'wdk-bench-footprint-'));
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

try {
  // --- agent: first boot, restarts, idle RSS ------------------------------------------------------------------
  const agentPort = await freePort();
  const db = `file:${path.join(dir, 'kiosk.db')}`;
  const firstBoot = await startAgent(agentPort, db);
  await stop(firstBoot.child);
  const startMs: number[] = [];
  let agent = firstBoot;
  for (let i = 0; i < restarts; i++) {
    agent = await startAgent(agentPort, db);
    startMs.push(agent.readyMs);
    if (i < restarts - 1) await stop(agent.child);
  }
  await sleep(idleMs);
  const agentRss = treeRss(agent.child.pid!);

  // --- web: idle RSS (production command and pnpm wrapper), first-load JavaScript ----------------------------
  const nextBin = path.join(repo, 'apps/web/node_modules/.bin/next');
  const web = await startWeb([nextBin, 'start'], agentPort);
  const firstLoad = await firstLoadJs(web.url);
  await sleep(idleMs);
  const webRss = treeRss(web.child.pid!);
  await stop(web.child);
  const viaPnpm = await startWeb(['pnpm', '--filter', '@wdk/web', 'exec', 'next', 'start'], agentPort);
  await fetch(viaPnpm.url).then((response) => response.text());
  await sleep(idleMs);
  const pnpmRss = treeRss(viaPnpm.child.pid!);
  await stop(viaPnpm.child);
  await stop(agent.child);

  const sorted = [...startMs].sort((a, b) => a - b);
  const result = {
    name: 'footprint',
    agent: {
      firstBootReadyMs: firstBoot.readyMs,
      restartReadyMs: startMs,
      restartReadyMedianMs: sorted[Math.floor(sorted.length / 2)]!,
      restartReadyMaxMs: sorted[sorted.length - 1]!,
      idleRssMb: agentRss.totalKb / 1024,
    },
    web: {
      idleRssMb: webRss.totalKb / 1024,
      processes: webRss.processes,
      viaPnpmIdleRssMb: pnpmRss.totalKb / 1024,
      viaPnpmProcesses: pnpmRss.processes,
      firstLoadJsGzipKb: firstLoad.gzipBytes / 1024,
      firstLoadJsRawKb: firstLoad.rawBytes / 1024,
      scripts: firstLoad.scripts,
      noModuleSkipped: firstLoad.noModuleSkipped,
    },
  };
  console.log(
    `agent: first boot ready in ${firstBoot.readyMs.toFixed(0)} ms, restarts median ${result.agent.restartReadyMedianMs.toFixed(0)} ms ` +
      `(max ${result.agent.restartReadyMaxMs.toFixed(0)}), idle RSS ${result.agent.idleRssMb.toFixed(1)} MB; ` +
      `web: idle RSS ${result.web.idleRssMb.toFixed(1)} MB (${webRss.processes.length} processes; via pnpm ` +
      `${result.web.viaPnpmIdleRssMb.toFixed(1)} MB), first-load JS ${result.web.firstLoadJsGzipKb.toFixed(1)} KB gzip ` +
      `(${firstLoad.scripts.length} scripts, ${result.web.firstLoadJsRawKb.toFixed(0)} KB raw)`,
  );
  writeResult(values.json, result);
} finally {
  for (const child of children) await stop(child);
  rmSync(dir, { recursive: true, force: true });
}

async function startAgent(port: number, db: string): Promise<{ child: ChildProcess; readyMs: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      path.join(repo, 'apps/agent/bin/wdk.js'),
      'agent',
      '--simulate',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--db',
      db,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, WDK_LOG_LEVEL: 'info' } },
  );
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the agent exited with ${child.exitCode}`);
    if (performance.now() - started > 30_000) throw new Error('the agent was not ready within 30 s');
    try {
      const health = (await (await fetch(`${base}/healthz`)).json()) as { status: string };
      const state = (await (await fetch(`${base}/api/state`)).json()) as { data?: { daemon?: string } };
      if (health.status === 'ok' && state.data?.daemon === 'connected') break;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  return { child, readyMs: performance.now() - started };
}

async function startWeb(command: string[], agentPort: number): Promise<{ child: ChildProcess; url: string }> {
  // pnpm reports the SIGTERM that ends it as a failure: keep its stderr out of the report.
  const port = await freePort();
  const [file, ...args] = command;
  const child = spawn(file!, [...args, '--port', String(port)], {
    cwd: path.join(repo, 'apps/web'),
    stdio: ['ignore', 'ignore', command[0] === 'pnpm' ? 'ignore' : 'inherit'],
    env: {
      ...process.env,
      WDK_AGENT_PORT: String(agentPort),
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
    },
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`${command.join(' ')} did not answer within 60 s`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  return { child, url };
}

async function firstLoadJs(url: string): Promise<{
  gzipBytes: number;
  rawBytes: number;
  scripts: { src: string; rawBytes: number; gzipBytes: number }[];
  noModuleSkipped: string[];
}> {
  const html = await (await fetch(url)).text();
  const tags = [...html.matchAll(/<script\b[^>]*>/gi)].map((match) => match[0]);
  // `nomodule` scripts (Next's polyfills) are for browsers without ES modules: Chromium neither fetches nor
  // runs them.
  const skipped = tags.filter((tag) => /\snomodule\b/i.test(tag));
  const sources = [
    ...new Set(
      tags.filter((tag) => !skipped.includes(tag)).flatMap((tag) => /\ssrc="([^"]+)"/.exec(tag)?.[1] ?? []),
    ),
  ];
  if (sources.length === 0) throw new Error('the page loads no script');
  const scripts = [];
  for (const src of sources) {
    const body = Buffer.from(await (await fetch(new URL(src, url))).arrayBuffer());
    scripts.push({ src, rawBytes: body.length, gzipBytes: gzipSync(body).length });
  }
  return {
    scripts,
    noModuleSkipped: skipped.map((tag) => /\ssrc="([^"]+)"/.exec(tag)?.[1] ?? tag),
    rawBytes: scripts.reduce((sum, script) => sum + script.rawBytes, 0),
    gzipBytes: scripts.reduce((sum, script) => sum + script.gzipBytes, 0),
  };
}

/** VmRSS of `pid` and all its descendants (read from /proc). */
function treeRss(pid: number): {
  totalKb: number;
  processes: { pid: number; command: string; rssKb: number }[];
} {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  const processes = tree.flatMap((member) => {
    try {
      const status = readFileSync(`/proc/${member}/status`, 'utf8');
      const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
      const command = readFileSync(`/proc/${member}/cmdline`, 'utf8').split('\0').slice(0, 3).join(' ');
      return [{ pid: member, command, rssKb }];
    } catch {
      return [];
    }
  });
  return { totalKb: processes.reduce((sum, process_) => sum + process_.rssKb, 0), processes };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
