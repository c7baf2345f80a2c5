/**
 * Transport behaviour that the real wpa_supplicant cannot be made to show on demand (silence, late or huge
 * replies, a daemon that stops answering PING) or that needs no root: against a stand-in control socket
 * (support/stand-in-daemon.ts). Real UNIX datagram sockets, no mocks.
 */
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DgramSocket } from 'node-unix-socket';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CtrlCommandFailedError, CtrlSocketMissingError, CtrlTimeoutError } from '../src/ctrl/ctrl-errors.js';
import { WpaCtrlClient } from '../src/ctrl/wpa-ctrl-client.js';
import { WpaCtrlConnection } from '../src/ctrl/wpa-ctrl-connection.js';
import type { CtrlDisconnect } from '../src/ctrl/wpa-ctrl-transport.js';
import { DGRAM_BACKENDS } from './support/dgram-backends.js';
import { StandInDaemon, wpaLikeAnswer } from './support/stand-in-daemon.js';
import { sleep, within } from './support/waiting.js';

describe.each(DGRAM_BACKENDS)('control transports against a stand-in daemon (%s)', (backend) => {
  let dir: string;
  let localDir: string;
  let daemon: StandInDaemon;
  const opened: { close(): unknown }[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wdk-stand-in-'));
    localDir = join(dir, 'local');
    mkdirSync(localDir);
    daemon = new StandInDaemon(dir);
    daemon.start();
  });

  afterEach(async () => {
    for (const item of opened.splice(0)) await item.close();
    daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function connection(
    options: Parameters<typeof WpaCtrlConnection.open>[1] = {},
  ): Promise<WpaCtrlConnection> {
    const ctrl = await WpaCtrlConnection.open(daemon.path, { localDir, backend, ...options });
    opened.push(ctrl);
    return ctrl;
  }

  function client(): WpaCtrlClient {
    const created = new WpaCtrlClient({
      ctrlDir: dir,
      ifname: daemon.ifname,
      localDir,
      backend,
      pingIntervalMs: 100,
      pingTimeoutMs: 200,
    });
    opened.push(created);
    return created;
  }

  it('times out when nobody answers, and a late reply is not taken for the next command', async () => {
    daemon.answer = (command) => (command === 'SLOW' ? null : `reply to ${command}`);
    const ctrl = await connection();
    const started = Date.now();
    await expect(ctrl.request('SLOW', { timeoutMs: 150 })).rejects.toBeInstanceOf(CtrlTimeoutError);
    // Far below the 10 s default timeout: the per-call timeout was honoured.
    expect(Date.now() - started).toBeLessThan(5000);
    // The daemon answers SLOW now, late: the answer must not become FAST's reply.
    daemon.answer = (command) => `reply to ${command}`;
    const fast = ctrl.request('FAST');
    expect(await fast).toBe('reply to FAST');
    expect(daemon.received).toEqual(['SLOW', 'FAST']);
  });

  it('a daemon in this same process cannot answer during the synchronous wait: replies still come', async () => {
    const ctrl = await connection();
    for (let i = 0; i < 200; i++) expect(await ctrl.request('PING')).toBe('PONG\n');
    // They came through the event loop; after a few such misses the connection stops waiting (pauses).
    expect(ctrl.repliesTakenAtOnce).toBe(0);
  });

  it('sends one command at a time and matches each reply to its command', async () => {
    daemon.answer = (command) => `reply to ${command}`;
    const ctrl = await connection();
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => ctrl.request(`CMD ${i}`)));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => `reply to CMD ${i}`));
  });

  it('aborts a queued or sent request with the signal, and refuses multi-line commands', async () => {
    daemon.answer = () => null;
    const ctrl = await connection();
    const controller = new AbortController();
    const sent = ctrl.request('NEVER', { signal: controller.signal, timeoutMs: 60_000 });
    const queued = ctrl.request('QUEUED', { signal: controller.signal, timeoutMs: 60_000 });
    await sleep(20);
    controller.abort();
    await expect(sent).rejects.toMatchObject({ name: 'AbortError' });
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    expect(daemon.received).toEqual(['NEVER']);
    await expect(ctrl.request('SET a 1\nTERMINATE')).rejects.toBeInstanceOf(TypeError);
  });

  it('carries a 64 KiB reply whole (wpa_supplicant itself stops at 4 KiB: ctrl_iface.c reply_size)', async () => {
    const large = Buffer.alloc(65_535, 'x');
    large.write('network id / ssid / bssid / flags\n');
    daemon.answer = () => large;
    const ctrl = await connection();
    const reply = await ctrl.request('LIST_NETWORKS');
    expect(reply.length).toBe(65_535);
    expect(reply).toBe(large.toString());
  });

  it('separates events from the reply on an ATTACHed connection', async () => {
    const events: string[] = [];
    const ctrl = await connection({ onUnsolicited: (message) => events.push(message) });
    await ctrl.attach();
    daemon.answer = (command) => {
      // The event goes out while the request waits: the client must not take it for the reply.
      void daemon.event(`CTRL-EVENT-NETWORK-ADDED 7`);
      return command === 'ADD_NETWORK' ? '7\n' : wpaLikeAnswer(command);
    };
    expect(await ctrl.request('ADD_NETWORK')).toBe('7\n');
    await sleep(20);
    expect(events).toEqual(['<3>CTRL-EVENT-NETWORK-ADDED 7']);
  });

  it('rejects ATTACH that does not answer OK', async () => {
    daemon.answer = () => 'FAIL\n';
    const ctrl = await connection();
    await expect(ctrl.attach()).rejects.toBeInstanceOf(CtrlCommandFailedError);
    expect(ctrl.attached).toBe(false);
  });

  it('reports a stale socket file (the daemon died without removing it) as a missing daemon', async () => {
    // node-unix-socket leaves the file behind on close: exactly what a crashed daemon leaves.
    const dead = new DgramSocket();
    dead.bind(join(dir, 'wlan1'));
    dead.close();
    const ctrl = await WpaCtrlConnection.open(join(dir, 'wlan1'), { localDir, backend });
    opened.push(ctrl);
    const failure = ctrl.request('PING');
    await expect(failure).rejects.toBeInstanceOf(CtrlSocketMissingError);
    await expect(failure).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('removes local socket files left by dead processes, and only those', async () => {
    const sweepDir = join(dir, 'sweep');
    mkdirSync(sweepDir);
    // pid_max is at most 2^22 on Linux: this pid cannot be alive.
    writeFileSync(join(sweepDir, 'wdk-4194305-1'), '');
    writeFileSync(join(sweepDir, `wdk-${process.pid}-999`), '');
    writeFileSync(join(sweepDir, 'unrelated'), '');
    const ctrl = await connection({ localDir: sweepDir });
    const own = ctrl.localPath?.split('/').pop() ?? '';
    expect(readdirSync(sweepDir).sort()).toEqual([own, `wdk-${process.pid}-999`, 'unrelated'].sort());
    ctrl.close();
    expect(readdirSync(sweepDir)).not.toContain(own);
  });

  it('WpaCtrlClient: a daemon that stops answering PING is lost, and found again', async () => {
    const wpa = client();
    await wpa.connect();
    expect(daemon.monitors).toBe(1);
    const disconnected = once(wpa, 'disconnected') as Promise<[CtrlDisconnect]>;
    daemon.answer = () => null;
    const [info] = await within(disconnected, 2000, 'disconnected');
    expect(info).toMatchObject({ reason: 'ping-timeout' });
    const reconnected = once(wpa, 'reconnected');
    daemon.answer = wpaLikeAnswer;
    await within(reconnected, 2500, 'reconnected');
    expect(await wpa.request('PING')).toBe('PONG\n');
  });

  it('WpaCtrlClient: a removed socket file is noticed at once, and its return within 2 s', async () => {
    const wpa = client();
    await wpa.connect();
    const disconnected = once(wpa, 'disconnected') as Promise<[CtrlDisconnect]>;
    daemon.stop();
    const [info] = await within(disconnected, 1000, 'disconnected');
    expect(['socket-removed', 'socket-error']).toContain(info.reason);
    // Stay away long enough for the backoff to reach its 2 s cap.
    await sleep(2500);
    const reconnected = once(wpa, 'reconnected');
    const back = Date.now();
    daemon.start();
    await within(reconnected, 2000, 'reconnected');
    expect(Date.now() - back).toBeLessThan(2000);
    await daemon.event('CTRL-EVENT-NETWORK-ADDED 1');
    const [event] = (await within(once(wpa, 'event'), 1000, 'an event')) as [{ type: string }];
    expect(event.type).toBe('CTRL-EVENT-NETWORK-ADDED');
  });

  it('WpaCtrlClient: waitForDaemon can be aborted, and close() stops every timer', async () => {
    daemon.stop();
    const wpa = client();
    const controller = new AbortController();
    const connecting = wpa.connect({ waitForDaemon: true, signal: controller.signal });
    await sleep(250);
    controller.abort();
    await expect(connecting).rejects.toMatchObject({ name: 'AbortError' });
    expect(wpa.state).toBe('idle');
    await wpa.close();
    expect(wpa.state).toBe('closed');
  });
});
