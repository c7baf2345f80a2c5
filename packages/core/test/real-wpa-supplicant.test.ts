/**
 * The native transport against Debian's real wpa_supplicant 2.10 (see support/real-wpa-supplicant.ts), plus
 * the failure modes a kiosk meets in the field: no daemon, no permission, no answer, a daemon that goes away
 * and comes back. Real sockets only.
 */
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CtrlClosedError,
  CtrlDisconnectedError,
  CtrlPermissionError,
  CtrlSocketMissingError,
  CtrlTimeoutError,
} from '../src/ctrl/ctrl-errors.js';
import { WpaCtrlClient } from '../src/ctrl/wpa-ctrl-client.js';
import { WpaCtrlConnection } from '../src/ctrl/wpa-ctrl-connection.js';
import type { CtrlDisconnect } from '../src/ctrl/wpa-ctrl-transport.js';
import type { CtrlPort } from '../src/runner/ports.js';
import { DGRAM_BACKENDS } from './support/dgram-backends.js';
import { RealWpaSupplicant, realDaemonUnavailable } from './support/real-wpa-supplicant.js';
import { nextEvent, within } from './support/waiting.js';

const unavailable = realDaemonUnavailable();
if (unavailable !== null) {
  console.warn(`\n!!! SKIPPING the real wpa_supplicant tests: ${unavailable} !!!\n`);
}

describe.skipIf(unavailable !== null).each(DGRAM_BACKENDS)(
  'WpaCtrlConnection and WpaCtrlClient against the real wpa_supplicant (%s)',
  (backend) => {
    const daemon = new RealWpaSupplicant();
    /** Our own sockets go here, so that the tests can check what is left behind. */
    const localDir = mkdtempSync(join(tmpdir(), 'wdk-ctrl-local-'));
    const opened: { close(): unknown }[] = [];

    async function connection(
      options: Parameters<typeof WpaCtrlConnection.open>[1] = {},
    ): Promise<WpaCtrlConnection> {
      const opened_ = await WpaCtrlConnection.open(daemon.ctrlPath, { localDir, backend, ...options });
      opened.push(opened_);
      return opened_;
    }

    function client(): WpaCtrlClient {
      const created = new WpaCtrlClient({
        ctrlDir: daemon.ctrlDir,
        ifname: daemon.ifname,
        localDir,
        backend,
        pingIntervalMs: 200,
        pingTimeoutMs: 500,
      });
      opened.push(created);
      return created;
    }

    beforeAll(async () => {
      await daemon.setUp();
    });

    afterEach(async () => {
      for (const item of opened.splice(0)) await item.close();
      if (!daemon.running) await daemon.start();
    });

    afterAll(async () => {
      await daemon.cleanUp();
      rmSync(localDir, { recursive: true, force: true });
    });

    it('answers PING, STATUS and INTERFACES', async () => {
      const ctrl = await connection();
      expect(await ctrl.request('PING')).toBe('PONG\n');
      expect(await ctrl.request('STATUS')).toMatch(/^wpa_state=/m);
      expect(await ctrl.request('INTERFACES')).toBe(`${daemon.ifname}\n`);
      expect(await ctrl.request('NO_SUCH_COMMAND')).toBe('UNKNOWN COMMAND\n');
    });

    it.runIf(backend === 'wdk-dgram')(
      'takes the replies of a daemon in another process without the event loop (bounded wait)',
      async () => {
        const ctrl = await connection();
        for (let i = 0; i < 200; i++) expect(await ctrl.request('PING')).toBe('PONG\n');
        // wpa_supplicant answers PING in microseconds; even on a loaded machine most replies make the wait.
        expect(ctrl.repliesTakenAtOnce).toBeGreaterThan(0);
        const off = await connection({ replyWait: { spinUs: 0, waitUs: 0 } });
        for (let i = 0; i < 20; i++) expect(await off.request('PING')).toBe('PONG\n');
        expect(off.repliesTakenAtOnce).toBe(0);
      },
    );

    it('delivers a real event after ATTACH, and stops after DETACH', async () => {
      const ctrl = await connection();
      await ctrl.attach();
      expect(ctrl.attached).toBe(true);
      const id = (await ctrl.request('ADD_NETWORK')).trim();
      expect(id).toMatch(/^\d+$/);
      expect(await ctrl.recv({ timeoutMs: 2000 })).toBe(`<3>CTRL-EVENT-NETWORK-ADDED ${id}`);
      await ctrl.detach();
      await ctrl.request(`REMOVE_NETWORK ${id}`);
      await expect(ctrl.recv({ timeoutMs: 300 })).rejects.toBeInstanceOf(CtrlTimeoutError);
    });

    it('routes events that arrive during a request to onUnsolicited (one socket for both, like wpa_ctrl_request)', async () => {
      const events: string[] = [];
      const ctrl = await connection({ onUnsolicited: (message) => events.push(message) });
      await ctrl.attach();
      const id = (await ctrl.request('ADD_NETWORK')).trim();
      // The event is sent before the reply (wpa_supplicant_add_network notifies, then answers).
      expect(await ctrl.request('REMOVE_NETWORK ' + id)).toBe('OK\n');
      expect(events).toEqual([`<3>CTRL-EVENT-NETWORK-ADDED ${id}`, `<3>CTRL-EVENT-NETWORK-REMOVED ${id}`]);
      expect(ctrl.pending()).toBe(false);
    });

    it('WpaCtrlClient: requests, parsed events, the events() iterator', async () => {
      const wpa = client();
      const connected = once(wpa, 'connected');
      await wpa.connect();
      await connected;
      const runnerPort: CtrlPort = wpa;
      expect(await runnerPort.request('PING')).toBe('PONG\n');

      const iterator = wpa.events();
      const added = nextEvent(wpa, (event) => event.type === 'CTRL-EVENT-NETWORK-ADDED');
      const id = (await wpa.request('ADD_NETWORK')).trim();
      const event = await added;
      expect(event).toMatchObject({
        type: 'CTRL-EVENT-NETWORK-ADDED',
        level: 3,
        raw: `<3>CTRL-EVENT-NETWORK-ADDED ${id}`,
      });
      expect((await iterator.next()).value).toEqual(event);
      await iterator.return?.();
      await wpa.request(`REMOVE_NETWORK ${id}`);
    });

    it('routes commands with IFNAME= on the global control interface, whose events carry the interface', async () => {
      const wpa = new WpaCtrlClient({ ctrlDir: daemon.ctrlDir, ifname: 'global', localDir, backend });
      opened.push(wpa);
      await wpa.connect();
      expect(await wpa.request('INTERFACES')).toBe(`${daemon.ifname}\n`);
      expect(await wpa.request('STATUS', { ifname: daemon.ifname })).toMatch(/^wpa_state=/m);
      const added = nextEvent(wpa, (event) => event.type === 'CTRL-EVENT-NETWORK-ADDED');
      const id = (await wpa.request('ADD_NETWORK', { ifname: daemon.ifname })).trim();
      expect(await added).toMatchObject({ ifname: daemon.ifname, level: 3 });
      await wpa.request(`REMOVE_NETWORK ${id}`, { ifname: daemon.ifname });
      await expect(wpa.request('STATUS', { ifname: 'bad name' })).rejects.toBeInstanceOf(TypeError);
    });

    it('names the path and the ctrl_interface fix when the socket is missing', async () => {
      const missing = join(daemon.ctrlDir, 'wlan9');
      const failure = WpaCtrlConnection.open(missing, { localDir, backend });
      await expect(failure).rejects.toBeInstanceOf(CtrlSocketMissingError);
      await expect(failure).rejects.toThrow(missing);
      await expect(failure).rejects.toThrow(`ctrl_interface=DIR=${daemon.ctrlDir} GROUP=netdev`);
      const wpa = new WpaCtrlClient({ ctrlDir: daemon.ctrlDir, ifname: 'wlan9', localDir, backend });
      await expect(wpa.connect()).rejects.toBeInstanceOf(CtrlSocketMissingError);
      expect(wpa.state).toBe('idle');
      await wpa.close();
    });

    it('names the group fix on permission denied (as user nobody)', async (context) => {
      const { seteuid } = process;
      // Absent in worker threads; vitest's default pool is forks.
      if (seteuid === undefined) return context.skip();
      const ctrl = await connection({ localDir: tmpdir() });
      // The daemon's directory is 0770 root:root. Only the send runs as nobody; the effective uid is restored
      // at once, since everything else in this worker needs root.
      seteuid('nobody');
      let failure: Promise<string>;
      try {
        failure = ctrl.request('PING');
      } finally {
        seteuid(0);
      }
      await expect(failure).rejects.toBeInstanceOf(CtrlPermissionError);
      await expect(failure).rejects.toThrow(/GROUP=netdev.*usermod -aG netdev/s);
    });

    it('is reconnected and re-ATTACHed within 2 s after TERMINATE and a restart', async () => {
      const wpa = client();
      await wpa.connect();
      const disconnected = once(wpa, 'disconnected') as Promise<[CtrlDisconnect]>;
      const terminating = nextEvent(wpa, (event) => event.type === 'CTRL-EVENT-TERMINATING');
      expect(await wpa.request('TERMINATE')).toBe('OK\n');
      await terminating;
      const [info] = await within(disconnected, 2000, 'disconnected');
      expect(info.reason).toBe('terminating');
      await expect(wpa.request('PING')).rejects.toBeInstanceOf(CtrlDisconnectedError);
      await daemon.exited();

      const reconnected = once(wpa, 'reconnected');
      await daemon.start();
      await within(reconnected, 2000, 'reconnected');
      expect(wpa.connected).toBe(true);
      // The new ATTACH works: a fresh event arrives.
      const added = nextEvent(wpa, (event) => event.type === 'CTRL-EVENT-NETWORK-ADDED');
      await wpa.request('ADD_NETWORK');
      await within(added, 2000, 'an event after reconnecting');
    });

    it('notices a daemon killed with SIGKILL (stale socket) and reconnects when it is back', async () => {
      const wpa = client();
      await wpa.connect();
      const disconnected = once(wpa, 'disconnected') as Promise<[CtrlDisconnect]>;
      await daemon.stop('SIGKILL');
      const [info] = await within(disconnected, 2000, 'disconnected');
      expect(['socket-error', 'ping-timeout']).toContain(info.reason);

      const reconnected = once(wpa, 'reconnected');
      await daemon.start();
      await within(reconnected, 2000, 'reconnected');
      expect(await wpa.request('PING')).toBe('PONG\n');
    });

    it('waits for a daemon that is not there yet when asked to', async () => {
      await daemon.stop();
      const wpa = client();
      const connecting = wpa.connect({ waitForDaemon: true });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(wpa.state).toBe('reconnecting');
      await daemon.start();
      await within(connecting, 2000, 'connect');
      expect(wpa.connected).toBe(true);
    });

    it('close() rejects what is pending, ends events(), and leaves no socket file behind', async () => {
      const wpa = client();
      await wpa.connect();
      const iterator = wpa.events();
      const pendingNext = iterator.next();
      expect(readdirSync(localDir).filter((name) => name.startsWith('wdk-'))).toHaveLength(2);
      await wpa.close();
      expect(await pendingNext).toEqual({ value: undefined, done: true });
      await expect(wpa.request('PING')).rejects.toBeInstanceOf(CtrlClosedError);
      expect(readdirSync(localDir).filter((name) => name.startsWith('wdk-'))).toEqual([]);
    });
  },
);
