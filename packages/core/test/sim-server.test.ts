/** The socket shell on its own: monitors (ATTACH, LEVEL, DETACH), dead monitors, socket files. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimServer } from '../src/sim/index.js';
import { RawCtrlClient } from '../src/sim/testing/raw-ctrl-client.js';
import { DGRAM_BACKENDS } from './support/dgram-backends.js';

describe.each(DGRAM_BACKENDS)('sim control sockets (%s)', (backend) => {
  let dir: string;
  let server: SimServer;
  const clients: RawCtrlClient[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wdk-sim-server-'));
    server = new SimServer({
      ctrlDir: join(dir, 'ctrl'),
      handler: { handle: (ifname, line) => ({ reply: `${ifname} got ${line}\n`, delayMs: 0 }) },
      backend,
    });
    server.open('p2p-dev-wlan0');
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    server.closeAll();
    await new Promise((resolve) => setImmediate(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function client(): RawCtrlClient {
    const created = new RawCtrlClient(join(dir, 'ctrl'), 'p2p-dev-wlan0', dir);
    clients.push(created);
    return created;
  }

  it('replies to the sender and fans events out to every ATTACHed monitor', async () => {
    const [a, b, requester] = [client(), client(), client()];
    expect(await a.request('ATTACH')).toBe('OK\n');
    expect(await b.request('ATTACH')).toBe('OK\n');
    expect(await requester.request('PING')).toBe('p2p-dev-wlan0 got PING\n');
    server.broadcast('p2p-dev-wlan0', 'P2P-FIND-STOPPED ');
    expect(await a.waitForEvent('P2P-FIND-STOPPED ')).toBe('P2P-FIND-STOPPED ');
    expect(await b.waitForEvent('P2P-FIND-STOPPED ')).toBe('P2P-FIND-STOPPED ');
    expect(requester.events).toEqual([]);
  });

  it('honours LEVEL, answers FAIL to DETACH/LEVEL without ATTACH, and drops monitors that vanished', async () => {
    const [quiet, gone, stays] = [client(), client(), client()];
    expect(await quiet.request('LEVEL 4')).toBe('FAIL\n');
    expect(await quiet.request('DETACH')).toBe('FAIL\n');
    await quiet.request('ATTACH');
    expect(await quiet.request('LEVEL 4')).toBe('OK\n');
    await gone.request('ATTACH');
    await stays.request('ATTACH');
    expect(server.monitorCount()).toBe(3);
    gone.close(); // its socket file is unlinked: the next send fails with ENOENT
    server.broadcast('p2p-dev-wlan0', 'P2P-FIND-STOPPED ');
    await stays.waitForEvent('P2P-FIND-STOPPED ');
    await expect.poll(() => server.monitorCount()).toBe(2);
    expect(quiet.events).toEqual([]);
    expect(await stays.request('DETACH')).toBe('OK\n');
    expect(server.monitorCount()).toBe(1);
  });

  it('keeps answering when a monitor falls behind: events to it are dropped, then it is detached (EAGAIN)', async () => {
    const [slow, requester] = [client(), client()];
    await slow.request('ATTACH');
    // Sent in one tick, so the monitor reads none of them meanwhile: a UNIX datagram queue holds
    // net.unix.max_dgram_qlen (10) datagrams, the next send fails with EAGAIN.
    for (let index = 0; index < 30; index++)
      server.broadcast('p2p-dev-wlan0', `CTRL-EVENT-SCAN-STARTED ${index}`);
    // The socket still reads (node-unix-socket alone would stop reading after EAGAIN: the server reopens it),
    // and, like ctrl_iface_unix.c, more than 10 failures in a row have detached the monitor.
    expect(await requester.request('PING', 500)).toBe('p2p-dev-wlan0 got PING\n');
    expect(server.monitorCount()).toBe(0);
    await expect.poll(() => slow.events.length).toBeGreaterThanOrEqual(10);
    expect(slow.events.length).toBeLessThan(30);
    expect(await slow.request('ATTACH')).toBe('OK\n');
    server.broadcast('p2p-dev-wlan0', 'P2P-FIND-STOPPED ');
    expect(await slow.waitForEvent('P2P-FIND-STOPPED ')).toBe('P2P-FIND-STOPPED ');
  });

  it('replaces a stale socket file on open and removes it on close', async () => {
    server.close('p2p-dev-wlan0');
    await new Promise((resolve) => setImmediate(resolve));
    expect(existsSync(join(dir, 'ctrl', 'p2p-dev-wlan0'))).toBe(false);
    server.open('p2p-dev-wlan0');
    server.open('p2p-dev-wlan0'); // idempotent
    expect(await client().request('PING')).toBe('p2p-dev-wlan0 got PING\n');
  });

  it('keeps the file of a socket re-bound in the same tick as a close (terminate, then restart)', async () => {
    server.close('p2p-dev-wlan0');
    server.open('p2p-dev-wlan0');
    await new Promise((resolve) => setImmediate(resolve));
    expect(existsSync(join(dir, 'ctrl', 'p2p-dev-wlan0'))).toBe(true);
    expect(await client().request('PING')).toBe('p2p-dev-wlan0 got PING\n');
  });

  it('leaves the socket file behind when abandoned (a killed daemon): sends to it are refused', async () => {
    server.abandonAll();
    expect(existsSync(join(dir, 'ctrl', 'p2p-dev-wlan0'))).toBe(true);
    await expect(client().request('PING', 200)).rejects.toThrow();
    server.open('p2p-dev-wlan0');
    expect(await client().request('PING')).toBe('p2p-dev-wlan0 got PING\n');
  });
});
