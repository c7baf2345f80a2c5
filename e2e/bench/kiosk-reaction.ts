/**
 * Kiosk reaction: from the simulator sending P2P-PROV-DISC-PBC-REQ (an unknown phone pressed its button) to
 * the Approve button being on the kiosk's screen in Chromium. The agent (the built dist, with --simulate) runs
 * in this process, so its simulator's onEvent stamps the event as it is sent; the page stamps the button with a
 * MutationObserver (when React inserts it) and the animation frame after it (when it is painted). Both stamps
 * are the machine's wall clock: performance.timeOrigin + performance.now() on both sides. The kiosk page is
 * served by `next start` (as deploy/wdk-web.service runs it) and shown by Debian's Chromium with the launch
 * arguments of e2e/playwright.config.ts, in the kiosk's 800×480 touch viewport. Every request is denied with
 * the Deny button before the next one.
 *
 * Also reported: the JavaScript Chromium actually fetched for the first load of the page, gzipped.
 *
 * Usage: tsx bench/kiosk-reaction.ts [--repetitions N] [--json FILE]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { freePort, percentiles, writeResult } from '@wdk/testing/bench';
import playwrightConfig from '../playwright.config';

/** What this benchmark uses of the agent's dist (which ships no type declarations). */
interface SimEventRecord {
  readonly text: string;
}
interface Simulator {
  onEvent(listener: (record: SimEventRecord) => void): () => void;
  addPhone(request: { preset: string; name: string; address: string }): { id: string };
  removePhone(id: string): boolean;
}
interface RunningAgent {
  port: number;
  simulator: Simulator | null;
  kiosk: { state(): { pendingApprovals: readonly unknown[] } };
  close(): Promise<void>;
}
interface AgentModules {
  startAgent(config: unknown, options: { logger?: unknown }): Promise<RunningAgent>;
  resolveAgentConfig(flags: Record<string, unknown>, env: Record<string, string>): unknown;
  createLogger(level: string): unknown;
}

declare global {
  interface Window {
    /** Wall-clock ms when an Approve button was inserted, and when the frame after it was drawn. */
    __approve?: { insertedAt: number; paintedAt: number | null } | null;
  }
}

const { values } = parseArgs({
  options: {
    repetitions: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    'time-scale': { type: 'string', default: '0.05' },
    json: { type: 'string' },
  },
});
const repetitions = Number(values.repetitions);
const warmup = Number(values.warmup);
const repo = path.resolve(import.meta.dirname, '..', '..');
const wallNow = (): number => performance.timeOrigin + performance.now();

const agentModules = await loadAgent();
const dir = mkdtempSync(path.join(os.tmpdir(), 'wdk-bench-kiosk-'));
const webPort = await freePort();
const webUrl = `http://127.0.0.1:${webPort}`;
const config = agentModules.resolveAgentConfig(
  {
    simulate: true,
    simTimeScale: Number(values['time-scale']),
    db: `file:${path.join(dir, 'kiosk.db')}`,
    host: '127.0.0.1',
    port: 0,
    webOrigins: [webUrl, `http://localhost:${webPort}`],
  },
  {},
);
const agent = await agentModules.startAgent(config, { logger: agentModules.createLogger('error') });
const sim = agent.simulator;
if (sim === null) throw new Error('the agent has no simulator');
const web = await startWeb(webPort, agent.port);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [...(playwrightConfig.use?.launchOptions?.args ?? [])],
});

try {
  const page = await browser.newPage({ viewport: { width: 800, height: 480 }, hasTouch: true });
  const scripts = new Map<string, number>();
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    void response.body().then(
      (body) => scripts.set(response.url(), gzipSync(body).length),
      () => undefined,
    );
  });
  await page.goto(webUrl);
  await page.getByLabel('Discoverable').getByText('Discoverable', { exact: true }).waitFor();
  await page.waitForLoadState('networkidle');
  const firstLoadScripts = new Map(scripts);

  // A string, not a function: tsx (esbuild, keepNames) would wrap a function's inner helpers in `__name(…)`,
  // which does not exist in the page.
  await page.evaluate(`
    window.__approve = null;
    new MutationObserver(() => {
      if (window.__approve) return;
      const approve = [...document.querySelectorAll('[role="dialog"] button')].find(
        (button) => button.textContent.trim() === 'Approve',
      );
      if (!approve) return;
      const seen = { insertedAt: performance.timeOrigin + performance.now(), paintedAt: null };
      window.__approve = seen;
      requestAnimationFrame(() => {
        seen.paintedAt = performance.timeOrigin + performance.now();
      });
    }).observe(document.body, { childList: true, subtree: true });
  `);

  let sentAt: number | null = null;
  sim.onEvent((record) => {
    if (record.text.startsWith('P2P-PROV-DISC-PBC-REQ ') && sentAt === null) sentAt = wallNow();
  });

  const inserted: number[] = [];
  const painted: number[] = [];
  for (let i = 0; i < warmup + repetitions; i++) {
    sentAt = null;
    await page.evaluate(() => {
      window.__approve = null;
    });
    const address = `42:00:00:01:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
    const phone = sim.addPhone({ preset: 'android-pbc', name: `Visitor ${i}`, address });
    await page.waitForFunction(() => window.__approve?.paintedAt != null, undefined, { timeout: 30_000 });
    const seen = await page.evaluate(() => window.__approve);
    if (!seen || seen.paintedAt === null || sentAt === null) throw new Error('no timestamps');
    if (i >= warmup) {
      inserted.push(seen.insertedAt - sentAt);
      painted.push(seen.paintedAt - sentAt);
    }
    const dialog = page.getByRole('dialog', { name: 'A device asks to connect' });
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await dialog.waitFor({ state: 'detached' });
    sim.removePhone(phone.id);
    await until(() => agent.kiosk.state().pendingApprovals.length === 0, 10_000);
    await page.waitForTimeout(100);
  }

  const stats = (samples: number[]) => {
    const { p50, p95, max, min } = percentiles(samples);
    return { p50Ms: p50, p95Ms: p95, maxMs: max, minMs: min };
  };
  const result = {
    name: 'kiosk-reaction',
    repetitions,
    warmup,
    viewport: '800x480',
    chromium: browser.version(),
    painted: stats(painted),
    inserted: stats(inserted),
    firstLoadJs: {
      scripts: firstLoadScripts.size,
      gzipKb: [...firstLoadScripts.values()].reduce((sum, bytes) => sum + bytes, 0) / 1024,
    },
  };
  console.log(
    `kiosk reaction over ${repetitions} requests: Approve painted p50 ${result.painted.p50Ms.toFixed(1)} ms, ` +
      `p95 ${result.painted.p95Ms.toFixed(1)} ms, max ${result.painted.maxMs.toFixed(1)} ms ` +
      `(in the DOM: p95 ${result.inserted.p95Ms.toFixed(1)} ms); first load fetched ${result.firstLoadJs.scripts} ` +
      `scripts, ${result.firstLoadJs.gzipKb.toFixed(1)} KB gzip`,
  );
  writeResult(values.json, result);
} finally {
  await browser.close();
  await stop(web);
  await agent.close();
  rmSync(dir, { recursive: true, force: true });
}

async function loadAgent(): Promise<AgentModules> {
  // Specifiers held in variables: the agent's dist has no type declarations (see AgentModules above).
  const dist = path.join(repo, 'apps/agent/dist');
  const agentJs: string = path.join(dist, 'agent.js');
  const configJs: string = path.join(dist, 'config.js');
  const loggerJs: string = path.join(dist, 'logger.js');
  const [{ startAgent }, { resolveAgentConfig }, { createLogger }] = (await Promise.all([
    import(agentJs),
    import(configJs),
    import(loggerJs),
  ])) as [
    Pick<AgentModules, 'startAgent'>,
    Pick<AgentModules, 'resolveAgentConfig'>,
    Pick<AgentModules, 'createLogger'>,
  ];
  return { startAgent, resolveAgentConfig, createLogger };
}

async function startWeb(port: number, agentPort: number): Promise<ChildProcess> {
  const child = spawn(path.join(repo, 'apps/web/node_modules/.bin/next'), ['start', '--port', String(port)], {
    cwd: path.join(repo, 'apps/web'),
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      WDK_AGENT_PORT: String(agentPort),
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
    },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('next start did not answer within 60 s');
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
