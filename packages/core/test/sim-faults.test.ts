/** Each injectable fault, observed the way a client sees it: replies and events on control sockets. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { WpaCtrlClient } from '../src/ctrl/wpa-ctrl-client.js';
import type { CtrlDisconnect } from '../src/ctrl/wpa-ctrl-transport.js';
import { Simulator } from '../src/sim/index.js';
import { KioskResponder } from '../src/sim/testing/kiosk-responder.js';
import { RawCtrlClient } from '../src/sim/testing/raw-ctrl-client.js';

describe('sim fault injection', () => {
  let dir: string;
  let sim: Simulator;
  let kiosk: KioskResponder | undefined;
  const clients: RawCtrlClient[] = [];

  async function setUp(timeScale = 0.01): Promise<KioskResponder> {
    dir = mkdtempSync(join(tmpdir(), 'wdk-sim-faults-'));
    sim = new Simulator({ ctrlDir: join(dir, 'ctrl'), timeScale, seed: 5, scanEvents: false });
    await sim.start();
    kiosk = await KioskResponder.start({ ctrlDir: join(dir, 'ctrl'), localDir: dir });
    return kiosk;
  }

  function client(ifname = 'p2p-dev-wlan0'): RawCtrlClient {
    const created = new RawCtrlClient(join(dir, 'ctrl'), ifname, dir);
    clients.push(created);
    return created;
  }

  afterEach(async () => {
    for (const created of clients.splice(0)) created.close();
    await kiosk?.stop();
    kiosk = undefined;
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('go-neg-failure: P2P-GO-NEG-FAILURE with the given status, the phone fails', async () => {
    const kiosk = await setUp();
    sim.inject({ kind: 'go-neg-failure', status: 7 });
    const phone = sim.addPhone({ preset: 'android-pbc' });
    await phone.idle();
    await kiosk.waitForEvent('P2P-GO-NEG-FAILURE status=7');
    expect(phone.snapshot().failure).toMatch(/GO negotiation failure \(status 7\)/);
    expect(sim.snapshot().faults).toEqual([]);
  });

  it('formation-failure: FORMATION-FAILURE and GROUP-REMOVED reason=FORMATION_FAILED without WPS-FAIL', async () => {
    const kiosk = await setUp();
    sim.inject({ kind: 'formation-failure' });
    sim.addPhone({ preset: 'android-pbc' });
    await kiosk.waitForEvent('P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=FORMATION_FAILED');
    const tail = kiosk.events.slice(
      kiosk.events.findIndex((event) => event.startsWith('P2P-GO-NEG-SUCCESS')),
    );
    expect(tail).toEqual([
      expect.stringMatching(/^P2P-GO-NEG-SUCCESS role=GO /),
      'P2P-GROUP-FORMATION-FAILURE ',
      'P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=FORMATION_FAILED',
    ]);
  });

  it('wps-timeout during formation: the 15 s formation timeout removes the group', async () => {
    const kiosk = await setUp();
    sim.inject({ kind: 'wps-timeout' });
    sim.addPhone({ preset: 'android-pbc' });
    const success = await kiosk.waitForEvent('P2P-GO-NEG-SUCCESS');
    const started = sim.events().find((event) => event.text === success)?.at ?? 0;
    await kiosk.waitForEvent('P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=FORMATION_FAILED', 3000);
    const removed = sim.events().find((event) => event.text.startsWith('P2P-GROUP-REMOVED'))?.at ?? 0;
    expect(removed - started).toBeGreaterThanOrEqual(14_900);
  });

  it('wps-timeout on a running group: WPS_PBC expires with WPS-TIMEOUT on the group socket after 120 s', async () => {
    await setUp(0.002);
    expect(await kiosk?.send('P2P_GROUP_ADD')).toBe('OK\n');
    await kiosk?.waitForEvent('P2P-GROUP-STARTED p2p-wlan0-0 GO');
    const group = client('p2p-wlan0-0');
    expect(await group.request('ATTACH')).toBe('OK\n');
    expect(await group.request('WPS_PBC')).toBe('OK\n');
    await group.waitForEvent('WPS-PBC-ACTIVE ');
    await group.waitForEvent('WPS-TIMEOUT ', 2000);
    expect(kiosk?.events).not.toContain('WPS-TIMEOUT ');
  });

  it('wps-fail: WPS-FAIL with the given codes on both sockets, then FORMATION_FAILED', async () => {
    const kiosk = await setUp();
    sim.inject({ kind: 'wps-fail', msg: 5, configError: 12 });
    sim.addPhone({ preset: 'android-pbc' });
    await kiosk.waitForEvent('WPS-FAIL msg=5 config_error=12');
    await kiosk.waitForEvent('P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=FORMATION_FAILED');
    expect(
      sim
        .events()
        .filter((event) => event.text === 'WPS-FAIL msg=5 config_error=12')
        .map((event) => event.ifname),
    ).toEqual(['p2p-wlan0-0', 'p2p-dev-wlan0']);
  });

  it('stale-group: the leftover interface makes P2P_CONNECT FAIL until it is removed', async () => {
    const kiosk = await setUp();
    sim.inject({ kind: 'stale-group' });
    expect(existsSync(join(dir, 'ctrl', 'p2p-wlan0-0'))).toBe(true);
    expect(await kiosk.send('INTERFACES')).toBe('p2p-wlan0-0\np2p-dev-wlan0\nwlan0\n');
    // (An Android phone would join the stale GO it sees beaconing; this laptop negotiates.)
    const phone = sim.addPhone({ preset: 'android-pbc-go-neg', autoJoin: false });
    await kiosk.waitForEvent(`P2P-GO-NEG-REQUEST ${phone.address}`);
    expect(await kiosk.send(`P2P_CONNECT ${phone.address} pbc go_intent=15`)).toBe('FAIL\n');
    // The seed's recovery: INTERFACES, P2P_GROUP_REMOVE each p2p-wlan0-*, discover again.
    expect(await kiosk.send('P2P_GROUP_REMOVE p2p-wlan0-0')).toBe('OK\n');
    await kiosk.waitForEvent('P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=REQUESTED');
    expect(await kiosk.send(`P2P_CONNECT ${phone.address} pbc go_intent=15`)).toBe('OK\n');
    await phone.idle();
    expect(phone.snapshot().notices.map((notice) => notice.kind)).toContain('connected');
  });

  it('ebusy (create-iface): FAIL for P2P_CONNECT and P2P_GROUP_ADD, the nl80211 error only in the daemon log', async () => {
    const kiosk = await setUp();
    sim.inject({ kind: 'ebusy' });
    const phone = sim.addPhone({ preset: 'android-pbc-go-neg' });
    await kiosk.waitForEvent(`P2P-GO-NEG-REQUEST ${phone.address}`);
    const before = kiosk.events.length;
    expect(await kiosk.send(`P2P_CONNECT ${phone.address} pbc go_intent=15`)).toBe('FAIL\n');
    expect(await kiosk.send('P2P_GROUP_ADD')).toBe('FAIL\n');
    expect(kiosk.events.slice(before)).toEqual([]);
    expect(sim.snapshot().daemonLog).toContain(
      'nl80211: Failed to create interface p2p-wlan0-0: -16 (Device or resource busy)',
    );
    // Sticky until the concurrent AP goes away.
    sim.clearFaults();
    expect(await kiosk.send('P2P_GROUP_ADD')).toBe('OK\n');
  });

  it('ebusy (start-ap): GO negotiation succeeds, starting the GO fails: FORMATION_FAILED', async () => {
    const kiosk = await setUp();
    sim.inject({ kind: 'ebusy', stage: 'start-ap', count: 1 });
    sim.addPhone({ preset: 'android-pbc' });
    await kiosk.waitForEvent('P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=FORMATION_FAILED');
    expect(kiosk.events).toContain('P2P-GROUP-FORMATION-FAILURE ');
    expect(sim.snapshot().daemonLog).toContain('nl80211: Beacon set failed: -16 (Device or resource busy)');
  });

  it('group-unavailable: P2P-GROUP-REMOVED … reason=UNAVAILABLE', async () => {
    const kiosk = await setUp();
    await kiosk.send('P2P_GROUP_ADD');
    await kiosk.waitForEvent('P2P-GROUP-STARTED');
    sim.inject({ kind: 'group-unavailable' });
    await kiosk.waitForEvent('P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=UNAVAILABLE');
  });

  it('terminate / restart: TERMINATING to every monitor, sockets gone, back without the old monitors', async () => {
    await setUp();
    const station = client('wlan0');
    expect(await station.request('ATTACH')).toBe('OK\n');
    sim.inject({ kind: 'terminate', restartAfterMs: 10_000 });
    await kiosk?.waitForEvent('CTRL-EVENT-TERMINATING ');
    await station.waitForEvent('CTRL-EVENT-TERMINATING ');
    await new Promise((resolve) => setImmediate(resolve));
    expect(existsSync(join(dir, 'ctrl', 'p2p-dev-wlan0'))).toBe(false);
    expect(sim.snapshot().state).toBe('terminated');
    await expect.poll(() => sim.snapshot().state, { timeout: 2000 }).toBe('running');
    // The old ATTACHes died with the daemon: only the responder's WpaCtrlClient, which reconnects, is back.
    await expect.poll(() => sim.snapshot().monitors, { timeout: 3000 }).toBe(1);
    const fresh = client();
    expect(await fresh.request('PING')).toBe('PONG\n');
  });

  it("the product's WpaCtrlClient sees the daemon go (terminating) and reconnects when it is back", async () => {
    await setUp();
    const product = await WpaCtrlClient.connect({
      ifname: 'p2p-dev-wlan0',
      ctrlDir: join(dir, 'ctrl'),
      localDir: dir,
      pingIntervalMs: 0,
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
    });
    try {
      const disconnected = new Promise<CtrlDisconnect>((resolve) => product.once('disconnected', resolve));
      const reconnected = new Promise<void>((resolve) => product.once('reconnected', resolve));
      sim.terminate();
      expect((await disconnected).reason).toBe('terminating');
      sim.restart();
      await reconnected;
      expect(await product.request('PING')).toBe('PONG\n');
      expect(sim.snapshot().monitors).toBeGreaterThanOrEqual(1);
    } finally {
      await product.close();
    }
  });

  it('TERMINATE command: OK, then the daemon exits', async () => {
    await setUp();
    const control = client();
    expect(await control.request('TERMINATE')).toBe('OK\n');
    await kiosk?.waitForEvent('CTRL-EVENT-TERMINATING ');
    expect(sim.state).toBe('terminated');
  });

  it('slow-replies: replies wait delayMs real milliseconds', async () => {
    await setUp();
    sim.inject({ kind: 'slow-replies', delayMs: 150, count: 1 });
    const control = client();
    const started = performance.now();
    expect(await control.request('PING')).toBe('PONG\n');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    // count: 1 — the fault is used up; the next reply is not delayed.
    expect(sim.snapshot().slowReplies).toBeUndefined();
    expect(await control.request('PING')).toBe('PONG\n');
  });

  it('clearFaults(peer) disarms only the faults aimed at that phone', async () => {
    await setUp();
    sim.inject({ kind: 'wps-fail', peer: '42:00:00:00:01:00' });
    sim.inject({ kind: 'go-neg-failure', peer: '42:00:00:00:02:00' });
    sim.inject({ kind: 'ebusy', count: 1 });
    sim.clearFaults('42:00:00:00:01:00');
    expect(sim.model.faults.list().map((fault) => fault.kind)).toEqual(['go-neg-failure', 'ebusy']);
    sim.clearFaults();
    expect(sim.model.faults.list()).toEqual([]);
  });

  it('rejects malformed faults', async () => {
    await setUp();
    expect(() => sim.inject({ kind: 'ebusy', stage: 'sometimes' } as never)).toThrow(ZodError);
    expect(() => sim.inject({ kind: 'no-such-fault' } as never)).toThrow(ZodError);
  });
});
