/**
 * The agent SIGKILLed at random moments while it writes. The agent CLI runs as a child on a fresh database;
 * three clients hammer whitelist add / update / remove and one writes settings, over HTTP; at a random moment
 * the child gets kill -9. Then: `PRAGMA integrity_check` must say ok, and after a restart every acknowledged
 * write must be there (a write in flight at the kill may land or not: it was never acknowledged).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, request } from './helpers.js';
import { count, FULL, reportFigures, seededRandom } from '@wdk/testing/reliability';

const KILLS = count(3, 100);
const WORKERS = 3;
const agentDir = path.join(import.meta.dirname, '..');

const dir = mkdtempSync(path.join(os.tmpdir(), 'wdk-agent-kill-'));
const dbFile = path.join(dir, 'kiosk.db');
const childTmp = path.join(dir, 'tmp');
mkdirSync(childTmp);
afterAll(() => removeDir(dir));

interface Running {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

/** Starts `wdk agent --simulate` on the test database; resolves with its port once it logged "agent ready". */
function startAgentProcess(): Promise<Running> {
  // The script builds first and runs the compiled CLI; npm test runs the sources through tsx (no build needed).
  const args =
    process.env.WDK_RELIABILITY_USE_DIST === '1'
      ? [path.join(agentDir, 'bin', 'wdk.js')]
      : ['--import', 'tsx', path.join(agentDir, 'src', 'cli.ts')];
  const child = spawn(
    process.execPath,
    [
      ...args,
      'agent',
      '--simulate',
      '--db',
      `file:${dbFile}`,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--no-dhcp',
    ],
    {
      cwd: agentDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // The killed agent cannot remove its simulator's socket directory: keep those under the test's own dir.
      env: { ...process.env, WDK_LOG_LEVEL: 'info', TMPDIR: childTmp },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match =
        /"url":"http:\/\/[^:]+:(\d+)"[^\n]*"msg":"agent ready"|"msg":"agent ready"[^\n]*"url":"http:\/\/[^:]+:(\d+)"/.exec(
          output,
        );
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve({ child, port: Number(match[1] ?? match[2]), exited });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited (${code}) before it was ready:\n${output}`));
    });
  });
}

/** What the clients were told, per whitelist entry: the last acknowledged state and a write still in flight. */
interface Tracked {
  address: string;
  acked: { present: boolean; label: string } | null;
  inFlight: { present: boolean; label: string } | null;
  id: number | null;
}

const mac = (worker: number, n: number) =>
  ['02', worker, (n >> 16) & 255, (n >> 8) & 255, n & 255, 0x5a]
    .map((b) => Number(b).toString(16).padStart(2, '0'))
    .join(':');

describe(`agent SIGKILLed during writes, ${KILLS} times`, () => {
  it(
    'loses no acknowledged write and keeps the database intact',
    async () => {
      const random = seededRandom(2024);
      const entries = new Map<string, Tracked>();
      const settings = { acked: null as number | null, sent: [] as number[] };
      let acknowledged = 0;
      let inFlightAtKill = 0;
      let inFlightLanded = 0;
      let counter = 0;

      for (let round = 0; round < KILLS; round++) {
        const agent = await startAgentProcess();
        const port = agent.port;
        // After a restart: the database is whole and every acknowledged write is there.
        if (round > 0) {
          const list = await request(port, 'GET', '/api/whitelist');
          expect(list.status).toBe(200);
          const stored = new Map(
            (list.body.status === 'ok'
              ? (list.body.data as { id: number; address: string; label: string }[])
              : []
            ).map((e) => [e.address, e]),
          );
          for (const entry of entries.values()) {
            const found = stored.get(entry.address);
            const now = found
              ? { present: true, label: found.label }
              : { present: false, label: entry.acked?.label ?? '' };
            const matches = (s: { present: boolean; label: string } | null) =>
              s === null ? !now.present : s.present === now.present && (!s.present || s.label === now.label);
            if (entry.inFlight) {
              expect(
                matches(entry.acked) || matches(entry.inFlight),
                `${entry.address} ${JSON.stringify(entry)} vs ${JSON.stringify(now)}`,
              ).toBe(true);
              if (!matches(entry.acked)) inFlightLanded += 1;
            } else {
              expect(
                matches(entry.acked),
                `${entry.address} ${JSON.stringify(entry)} vs ${JSON.stringify(now)}`,
              ).toBe(true);
            }
            // Settle: what is stored is now what we know.
            entry.acked = now.present ? now : entry.acked === null ? null : { present: false, label: '' };
            entry.inFlight = null;
            entry.id = found?.id ?? null;
          }
          for (const address of stored.keys())
            expect(entries.has(address), `unknown entry ${address}`).toBe(true);
          const current = await request(port, 'GET', '/api/settings');
          const value = (
            current.body.status === 'ok' ? (current.body.data as { discoveryIntervalMs: number }) : null
          )?.discoveryIntervalMs;
          if (settings.acked !== null) {
            expect(value).toBeGreaterThanOrEqual(settings.acked);
            expect(settings.sent).toContain(value);
          }
          settings.acked = value ?? null;
          settings.sent = value === undefined ? [] : [value];
        }

        let running = true;
        const worker = async (w: number) => {
          while (running) {
            const mine = [...entries.values()].filter(
              (e) => e.address.startsWith(mac(w, 0).slice(0, 5)) && e.acked?.present,
            );
            const roll = random();
            try {
              if (mine.length < 3 || roll < 0.4) {
                const address = mac(w, ++counter);
                const entry: Tracked = {
                  address,
                  acked: null,
                  inFlight: { present: true, label: `L${counter}` },
                  id: null,
                };
                entries.set(address, entry);
                const reply = await request(port, 'POST', '/api/whitelist', {
                  body: { address, label: `L${counter}` },
                });
                if (reply.status !== 200) throw new Error(`add answered ${reply.status}`);
                entry.id = reply.body.status === 'ok' ? (reply.body.data as { id: number }).id : null;
                entry.acked = entry.inFlight;
                entry.inFlight = null;
              } else {
                const entry = mine[Math.floor(random() * mine.length)]!;
                if (roll < 0.75) {
                  const label = `U${++counter}`;
                  entry.inFlight = { present: true, label };
                  const reply = await request(port, 'PATCH', `/api/whitelist/${entry.id}`, {
                    body: { label },
                  });
                  if (reply.status !== 200) throw new Error(`update answered ${reply.status}`);
                } else {
                  entry.inFlight = { present: false, label: '' };
                  const reply = await request(port, 'DELETE', `/api/whitelist/${entry.id}`);
                  if (reply.status !== 200) throw new Error(`remove answered ${reply.status}`);
                }
                entry.acked = entry.inFlight;
                entry.inFlight = null;
              }
              acknowledged += 1;
            } catch {
              return; // the agent died under us: whatever was in flight stays marked so
            }
          }
        };
        const settingsWriter = async () => {
          while (running) {
            const value = 20_000 + ++counter;
            settings.sent.push(value);
            try {
              const reply = await request(port, 'PUT', '/api/settings', {
                body: { discoveryIntervalMs: value },
              });
              if (reply.status !== 200) throw new Error(`settings answered ${reply.status}`);
              settings.acked = value;
              acknowledged += 1;
            } catch {
              return;
            }
          }
        };
        const load = Promise.all([
          ...Array.from({ length: WORKERS }, (_, w) => worker(w + 1)),
          settingsWriter(),
        ]);
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(random() * 900)));
        agent.child.kill('SIGKILL');
        await agent.exited;
        running = false;
        await load;
        inFlightAtKill += [...entries.values()].filter((e) => e.inFlight).length;

        const db = new Database(dbFile);
        try {
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        } finally {
          db.close();
        }
      }

      // A last start checks the last kill's writes.
      const final = await startAgentProcess();
      const list = await request(final.port, 'GET', '/api/whitelist');
      const stored = new Set(
        (list.body.status === 'ok' ? (list.body.data as { address: string }[]) : []).map((e) => e.address),
      );
      for (const entry of entries.values()) {
        if (entry.inFlight) continue;
        expect(stored.has(entry.address), entry.address).toBe(entry.acked?.present === true);
      }
      final.child.kill('SIGKILL');
      await final.exited;

      reportFigures('agent-kill', {
        kills: KILLS,
        acknowledgedWrites: acknowledged,
        whitelistEntriesTracked: entries.size,
        writesInFlightAtKill: inFlightAtKill,
        inFlightWritesThatLanded: inFlightLanded,
        integrityChecks: KILLS,
        acknowledgedWritesLost: 0,
        compiledCli: process.env.WDK_RELIABILITY_USE_DIST === '1',
      });
      expect(acknowledged).toBeGreaterThan(KILLS * 5);
    },
    (FULL ? 120_000 : 30_000) + KILLS * 10_000,
  );
});
