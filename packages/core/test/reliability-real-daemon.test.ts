/**
 * Debian's real wpa_supplicant SIGKILLed (kill -9 of the daemon in its network namespace) and started again,
 * under the product's WpaCtrlClient (the agent's settings: PING every 5 s, default backoff) and a
 * ConnectionRunner on it. Half the kills land while requests are in flight. Each time the client must re-attach
 * within 2 s of the new daemon being spawned, events must flow again on the new ATTACH, and the runner
 * must notice the daemon coming back (daemon-back) and read its state again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WpaCtrlClient } from '../src/ctrl/wpa-ctrl-client.js';
import type { DomainEvent } from '../src/engine/domain-events.js';
import { ConnectionRunner } from '../src/runner/connection-runner.js';
import { systemClock } from '../src/runner/ports.js';
import { RealWpaSupplicant, realDaemonUnavailable } from './support/real-wpa-supplicant.js';
import { count, percentile, reportFigures, seededRandom } from '@wdk/testing/reliability';
import { nextEvent, sleep, within } from './support/waiting.js';

const unavailable = realDaemonUnavailable();
if (unavailable !== null)
  console.warn(`\n!!! SKIPPING the real wpa_supplicant kill test: ${unavailable} !!!\n`);

const KILLS = count(6, 100);
const REATTACH_BOUND_MS = 2000;

describe.skipIf(unavailable !== null)(`real wpa_supplicant: kill -9 and restart, ${KILLS} times`, () => {
  const daemon = new RealWpaSupplicant();
  beforeAll(async () => {
    await daemon.setUp();
  });
  afterAll(async () => {
    await daemon.cleanUp();
  });

  it(
    'the client re-attaches within 2 s each time, events flow again, the runner re-syncs',
    async () => {
      const client = new WpaCtrlClient({ ctrlDir: daemon.ctrlDir, ifname: daemon.ifname });
      const errors: string[] = [];
      client.on('error', (error) => errors.push(error.message));
      await client.connect();
      const runner = new ConnectionRunner({ ctrl: client, clock: systemClock });
      const domainEvents: DomainEvent[] = [];
      runner.on('domain-event', (event) => domainEvents.push(event));
      runner.start();
      const random = seededRandom(7);
      /** From spawning the new daemon to 'reconnected': its own start-up plus our re-attach (an upper bound). */
      const fromSpawnMs: number[] = [];
      const disconnectReasons: Record<string, number> = {};
      let refusedWhileDown = 0;
      let busyKills = 0;
      try {
        for (let i = 0; i < KILLS; i++) {
          const disconnected = new Promise<string>((resolve) =>
            client.once('disconnected', (info) => resolve(info.reason)),
          );
          const reconnected = new Promise<number>((resolve) =>
            client.once('reconnected', () => resolve(performance.now())),
          );
          // Busy kills: a stream of requests is in flight when the daemon dies.
          let busy = i % 2 === 1;
          const load = busy
            ? (async () => {
                busyKills += 1;
                while (busy) {
                  await client.request('STATUS', { timeoutMs: 1000 }).catch(() => {
                    refusedWhileDown += 1;
                  });
                  // A refused request rejects at once: yield, or this loop would starve the event loop.
                  await new Promise((resolve) => setImmediate(resolve));
                }
              })()
            : Promise.resolve();
          await sleep(Math.floor(random() * 50));
          await daemon.stop('SIGKILL');
          await sleep(Math.floor(random() * 400));
          const spawnedAt = performance.now();
          // start() returns once the socket path exists; after a SIGKILL the stale file is there at once, so
          // it says nothing about when the new daemon bound its socket. Measure from the spawn instead.
          await daemon.start();
          const back = await within(reconnected, REATTACH_BOUND_MS * 5, `re-attach after kill ${i}`);
          busy = false;
          await load;
          fromSpawnMs.push(back - spawnedAt);
          const reason = await within(disconnected, 1000, 'the disconnect');
          disconnectReasons[reason] = (disconnectReasons[reason] ?? 0) + 1;
          // The new ATTACH works: a fresh event arrives.
          const added = nextEvent(client, (event) => event.type === 'CTRL-EVENT-NETWORK-ADDED', 2000);
          const id = (await client.request('ADD_NETWORK')).trim();
          await added;
          expect(await client.request(`REMOVE_NETWORK ${id}`)).toBe('OK\n');
        }
        await sleep(200);
      } finally {
        await runner.stop();
        await client.close();
      }
      const daemonBack = domainEvents.filter((event) => event.type === 'daemon-back').length;
      const figures = {
        kills: KILLS,
        busyKills,
        requestsRefusedWhileDown: refusedWhileDown,
        disconnectReasons,
        reattachFromSpawnMs: {
          max: Math.round(Math.max(...fromSpawnMs)),
          p50: Math.round(percentile(fromSpawnMs, 50)),
          p95: Math.round(percentile(fromSpawnMs, 95)),
        },
        runnerDaemonBack: daemonBack,
        clientErrors: errors.length,
      };
      reportFigures('daemon-kill-real', figures);
      expect(Math.max(...fromSpawnMs)).toBeLessThan(REATTACH_BOUND_MS);
      expect(daemonBack).toBeGreaterThanOrEqual(KILLS);
    },
    60_000 + KILLS * 4_000,
  );
});
