/**
 * Simulator.kill(): a SIGKILLed wpa_supplicant says nothing. No CTRL-EVENT-TERMINATING, no group removal;
 * the socket files stay behind and refuse datagrams (ECONNREFUSED) until the daemon is started again.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CtrlSocketMissingError } from '../src/ctrl/ctrl-errors.js';
import { WpaCtrlClient } from '../src/ctrl/wpa-ctrl-client.js';
import type { CtrlDisconnect } from '../src/ctrl/wpa-ctrl-transport.js';
import { Simulator } from '../src/sim/index.js';
import { RawCtrlClient } from '../src/sim/testing/raw-ctrl-client.js';

describe('Simulator.kill (SIGKILL)', () => {
  let dir: string;
  let sim: Simulator;
  const clients: RawCtrlClient[] = [];

  async function setUp(): Promise<string> {
    dir = mkdtempSync(join(tmpdir(), 'wdk-sim-kill-'));
    sim = new Simulator({ ctrlDir: join(dir, 'ctrl'), timeScale: 0.01, seed: 9, scanEvents: false });
    await sim.start();
    return join(dir, 'ctrl');
  }

  function client(ifname = 'p2p-dev-wlan0'): RawCtrlClient {
    const created = new RawCtrlClient(join(dir, 'ctrl'), ifname, dir);
    clients.push(created);
    return created;
  }

  afterEach(async () => {
    for (const created of clients.splice(0)) created.close();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('emits nothing, leaves the socket files behind refusing datagrams, and comes back on restart()', async () => {
    const ctrlDir = await setUp();
    const monitor = client();
    expect(await monitor.request('ATTACH')).toBe('OK\n');
    expect(await monitor.request('P2P_GROUP_ADD')).toBe('OK\n');
    await monitor.waitForEvent('P2P-GROUP-STARTED ');
    const seq = sim.snapshot().lastEventSeq;
    sim.kill();
    expect(sim.state).toBe('terminated');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sim.events(seq)).toEqual([]);
    expect(monitor.events.some((line) => line.includes('TERMINATING'))).toBe(false);
    // The files stay (nobody unlinked them); sending to them is refused.
    expect(existsSync(join(ctrlDir, 'p2p-dev-wlan0'))).toBe(true);
    expect(existsSync(join(ctrlDir, 'wlan0'))).toBe(true);
    await expect(client().request('PING', 500)).rejects.toThrow(/refused|ECONNREFUSED/i);
    // The group died with the process (hostap's group interfaces are owned by its netlink socket).
    sim.restart();
    expect(await client().request('PING')).toBe('PONG\n');
    expect(await client().request('INTERFACES')).not.toMatch(/p2p-wlan0-/);
    expect(sim.snapshot().kiosk.groups).toEqual([]);
  });

  it('leaveGroups: the next boot finds the group as a stale interface', async () => {
    await setUp();
    const control = client();
    expect(await control.request('P2P_GROUP_ADD')).toBe('OK\n');
    await expect.poll(() => sim.snapshot().kiosk.groups.length).toBe(1);
    sim.kill({ leaveGroups: true });
    sim.restart();
    expect(await client().request('INTERFACES')).toMatch(/p2p-wlan0-0/);
    expect(await client().request('P2P_GROUP_ADD')).toBe('FAIL\n');
    expect(await client().request('P2P_GROUP_REMOVE p2p-wlan0-0')).toBe('OK\n');
    expect(await client().request('P2P_GROUP_ADD')).toBe('OK\n');
  });

  it("the product's WpaCtrlClient notices the silent death (PING) and re-attaches after restart()", async () => {
    const ctrlDir = await setUp();
    const product = await WpaCtrlClient.connect({
      ifname: 'p2p-dev-wlan0',
      ctrlDir,
      localDir: dir,
      pingIntervalMs: 50,
      pingTimeoutMs: 200,
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
    });
    try {
      const disconnected = new Promise<CtrlDisconnect>((resolve) => product.once('disconnected', resolve));
      sim.kill();
      const info = await disconnected;
      expect(info.reason).toBe('socket-error');
      expect(info.error).toBeInstanceOf(CtrlSocketMissingError);
      const reconnected = new Promise<void>((resolve) => product.once('reconnected', resolve));
      sim.restart();
      await reconnected;
      expect(await product.request('PING')).toBe('PONG\n');
      expect(sim.snapshot().monitors).toBe(1);
    } finally {
      await product.close();
    }
  });

  it('a kill and restart between two PINGs is noticed even when the new socket file reuses the inode', async () => {
    const ctrlDir = await setUp();
    const product = await WpaCtrlClient.connect({
      ifname: 'p2p-dev-wlan0',
      ctrlDir,
      localDir: dir,
      pingIntervalMs: 60_000, // no PING will come to the rescue
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
    });
    try {
      const before = statSync(join(ctrlDir, 'p2p-dev-wlan0')).ino;
      const disconnected = new Promise<CtrlDisconnect>((resolve) => product.once('disconnected', resolve));
      const reconnected = new Promise<void>((resolve) => product.once('reconnected', resolve));
      sim.kill();
      sim.restart();
      // ext4 and tmpfs hand the freed inode number to the new file: the inode check alone would miss this.
      const after = statSync(join(ctrlDir, 'p2p-dev-wlan0')).ino;
      expect((await disconnected).reason).toBe('socket-replaced');
      await reconnected;
      expect(sim.snapshot().monitors).toBe(1);
      // Events flow again: the new daemon knows our ATTACH.
      const seen = new Promise<string>((resolve) =>
        product.on('event', (e) => {
          if (e.type === 'P2P-GROUP-STARTED') resolve(e.type);
        }),
      );
      expect(await product.request('P2P_GROUP_ADD')).toBe('OK\n');
      expect(await seen).toBe('P2P-GROUP-STARTED');
      reportInode(before, after);
    } finally {
      await product.close();
    }
  });
});

/** Kept in the test output: whether this file system reused the inode (it does on ext4 and tmpfs). */
function reportInode(before: number, after: number): void {
  if (before !== after)
    console.info(`socket inode changed (${before} → ${after}); the reuse case was not hit`);
}
