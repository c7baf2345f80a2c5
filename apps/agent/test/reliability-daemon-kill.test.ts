/**
 * wpa_supplicant SIGKILLed and restarted under the agent, on the simulator (Simulator.kill(): no
 * CTRL-EVENT-TERMINATING, socket files left behind). Half the kills are idle, half in the middle of a
 * connection; half leave the group behind as a stale interface. After each restart the agent must re-attach,
 * resynchronise (stale group removed, discovery back on, open sessions closed with reason daemon-restart) and
 * let the next phone connect.
 */
import type { DomainEvent } from '@wdk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, removeDir, request, startTestAgent, type TestAgent } from './helpers.js';
import { count, percentile, reportFigures, seededRandom } from '@wdk/testing/reliability';

const KILLS = count(6, 100);
/** The documented bound: the agent re-attaches within 2 s of the daemon's sockets being back. */
const REATTACH_BOUND_MS = 2000;

let t: TestAgent;
beforeAll(async () => {
  t = await startTestAgent();
  const reply = await request(t.agent.port, 'PUT', '/api/settings', {
    body: { mode: 'static-pbc', idleGraceMs: 300 },
  });
  expect(reply.status).toBe(200);
});
afterAll(async () => {
  await t.stop();
  removeDir(t.dir);
});

interface SessionPage {
  items: { peerAddress: string; endedAt: string | null; endReason: string | null }[];
}

async function get<T>(route: string): Promise<T> {
  const reply = await request(t.agent.port, 'GET', route);
  if (reply.body.status !== 'ok') throw new Error(reply.body.error.message);
  return reply.body.data as T;
}

function nextEvent(type: DomainEvent['type'], timeoutMs = 10_000): Promise<DomainEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      t.agent.kiosk.off('domain-event', listener);
      reject(new Error(`no ${type} domain event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (event: DomainEvent) => {
      if (event.type !== type) return;
      clearTimeout(timer);
      t.agent.kiosk.off('domain-event', listener);
      resolve(event);
    };
    t.agent.kiosk.on('domain-event', listener);
  });
}

const phoneAddress = (i: number, role: number) =>
  `42:00:0${role}:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;

describe(`wpa_supplicant SIGKILL + restart under the agent (simulator), ${KILLS} times`, () => {
  it(
    're-attaches, resynchronises, closes sessions with daemon-restart, and the next phone connects',
    async () => {
      const sim = t.agent.simulator!;
      const random = seededRandom(10);
      const reattachMs: number[] = [];
      const stages = { idle: 0, connecting: 0, connected: 0 };
      let staleGroupsLeft = 0;
      let sessionsClosedByRestart = 0;
      const nextPhoneRetries: { kill: number; after: string[] }[] = [];

      for (let i = 0; i < KILLS; i++) {
        const midConnection = i % 2 === 1;
        const leaveGroups = i % 4 >= 2;
        let victim: string | undefined;
        if (midConnection) {
          const address = phoneAddress(i, 1);
          const connecting = nextEvent('connecting');
          const phone = sim.addPhone({ preset: 'android-pbc', name: `Victim ${i}`, address });
          victim = phone.id;
          await connecting;
          // A random moment inside the connection: GO negotiation, WPS, or just after the 4-way handshake.
          await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 80)));
          const connected = t.agent.kiosk.state().clients.some((c) => c.address === address);
          stages[connected ? 'connected' : 'connecting'] += 1;
        } else {
          stages.idle += 1;
        }
        const hadGroup = sim.snapshot().kiosk.groups.length > 0;
        if (leaveGroups && hadGroup) staleGroupsLeft += 1;

        sim.kill({ leaveGroups });
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 300)));
        if (victim) sim.removePhone(victim);
        const back = nextEvent('daemon-back', REATTACH_BOUND_MS * 5);
        const restartedAt = performance.now();
        sim.restart();
        await back;
        reattachMs.push(performance.now() - restartedAt);

        // Resynchronised: no group left from before the kill, discovery running, the daemon shown as connected.
        await eventually(() => {
          const kiosk = sim.snapshot().kiosk;
          const state = t.agent.kiosk.state();
          return (
            kiosk.groups.length === 0 &&
            kiosk.find === 'find' &&
            state.daemon === 'connected' &&
            state.discoverable
          );
        }, 10_000);
        await t.agent.kiosk.flush();
        const open = await get<SessionPage>('/api/sessions?open=true');
        expect(open.items).toEqual([]);
        if (midConnection) {
          const sessions = await get<SessionPage>(`/api/sessions?peer=${phoneAddress(i, 1)}`);
          expect(sessions.items.length).toBeGreaterThan(0);
          for (const session of sessions.items) expect(session.endReason).toBe('daemon-restart');
          sessionsClosedByRestart += sessions.items.length;
        }

        // The next phone connects.
        const next = phoneAddress(i, 2);
        // Like a real Android phone, it tries again after a failed attempt (counted below).
        const phone = sim.addPhone({ preset: 'android-pbc', name: `Next ${i}`, address: next, retries: 2 });
        await eventually(() => t.agent.kiosk.state().clients.some((c) => c.address === next), 15_000).catch(
          (error: unknown) => {
            throw new Error(
              `kill ${i}: the next phone did not connect: ${String(error)}\nkiosk: ${JSON.stringify(t.agent.kiosk.state())}\nphone: ${JSON.stringify(phone.snapshot())}\nsim: ${JSON.stringify(sim.snapshot().kiosk)}\nevents: ${sim
                .events(0)
                .slice(-40)
                .map((e) => `${e.ifname} ${e.text}`)
                .join('\n')}`,
            );
          },
        );
        const retried = phone.snapshot().retriedAfter;
        if (retried.length > 0) nextPhoneRetries.push({ kill: i, after: retried.map(String) });
        sim.instructPhone(phone.id, [{ do: 'leave' }]);
        await eventually(() => t.agent.kiosk.state().clients.length === 0, 10_000);
        sim.removePhone(phone.id);
      }

      const figures = {
        kills: KILLS,
        stages,
        staleGroupsLeft,
        sessionsClosedByRestart,
        reattachMs: {
          max: Math.round(Math.max(...reattachMs)),
          p50: Math.round(percentile(reattachMs, 50)),
          p95: Math.round(percentile(reattachMs, 95)),
        },
        nextPhoneConnected: KILLS,
        nextPhoneNeededARetry: nextPhoneRetries,
      };
      reportFigures('daemon-kill-sim', figures);
      expect(Math.max(...reattachMs)).toBeLessThan(REATTACH_BOUND_MS);
      expect(sessionsClosedByRestart).toBeGreaterThan(0);
    },
    60_000 + KILLS * 5_000,
  );
});
