/**
 * WpaCliTransport (an interactive wpa_cli child process) against Debian's real wpa_supplicant 2.10: the same
 * requests, events and recovery as the native client, through wpa_cli's prompts, echoes and redraws.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CtrlDisconnectedError, CtrlSocketMissingError } from '../src/ctrl/ctrl-errors.js';
import { WpaCliTransport } from '../src/ctrl/wpa-cli-transport.js';
import type { CtrlDisconnect } from '../src/ctrl/wpa-ctrl-transport.js';
import { RealWpaSupplicant, WPA_CLI, realDaemonUnavailable } from './support/real-wpa-supplicant.js';
import { nextEvent, within } from './support/waiting.js';

const unavailable = realDaemonUnavailable() ?? (existsSync(WPA_CLI) ? null : `${WPA_CLI} is missing`);
if (unavailable !== null) {
  console.warn(`\n!!! SKIPPING the wpa_cli transport tests: ${unavailable} !!!\n`);
}

describe.skipIf(unavailable !== null)('WpaCliTransport against the real wpa_supplicant', () => {
  const daemon = new RealWpaSupplicant();
  const opened: WpaCliTransport[] = [];

  function transport(): WpaCliTransport {
    const created = new WpaCliTransport({ ctrlDir: daemon.ctrlDir, ifname: daemon.ifname });
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
  });

  it('answers PING, STATUS, an empty reply and UNKNOWN COMMAND, one after another', async () => {
    const cli = transport();
    await cli.connect();
    expect(cli.connected).toBe(true);
    const replies = await Promise.all([
      cli.request('PING'),
      cli.request('STATUS'),
      // wpa_supplicant answers an empty datagram here: nothing is printed between echo and prompt.
      cli.request('BSS RANGE=ALL MASK=0x2'),
      cli.request('NO_SUCH_COMMAND'),
      cli.request('INTERFACES'),
    ]);
    expect(replies[0]).toBe('PONG\n');
    expect(replies[1]).toMatch(/^wpa_state=\w+\naddress=/);
    expect(replies.slice(2)).toEqual(['', 'UNKNOWN COMMAND\n', `${daemon.ifname}\n`]);
  });

  it('delivers events that wpa_cli prints between prompts, without mixing them into replies', async () => {
    const cli = transport();
    await cli.connect();
    const iterator = cli.events();
    const added = nextEvent(cli, (event) => event.type === 'CTRL-EVENT-NETWORK-ADDED');
    const id = (await cli.request('ADD_NETWORK')).trim();
    expect(id).toMatch(/^\d+$/);
    expect(await added).toMatchObject({ raw: `<3>CTRL-EVENT-NETWORK-ADDED ${id}`, level: 3 });
    // Commands typed right after an event still get their own reply.
    expect(await cli.request('PING')).toBe('PONG\n');
    expect(await cli.request(`REMOVE_NETWORK ${id}`)).toBe('OK\n');
    const first = await iterator.next();
    expect(first.value).toMatchObject({ type: 'CTRL-EVENT-NETWORK-ADDED' });
    await iterator.return?.();
  });

  it('fails fast on a missing socket, and refuses control characters', async () => {
    const missing = new WpaCliTransport({ ctrlDir: daemon.ctrlDir, ifname: 'wlan9' });
    opened.push(missing);
    await expect(missing.connect()).rejects.toBeInstanceOf(CtrlSocketMissingError);
    await expect(missing.connect()).rejects.toThrow(join(daemon.ctrlDir, 'wlan9'));
    const cli = transport();
    await cli.connect();
    await expect(cli.request('SET ssid\tx')).rejects.toBeInstanceOf(TypeError);
  });

  it('follows the daemon through TERMINATE and a restart', async () => {
    const cli = transport();
    await cli.connect();
    const disconnected = once(cli, 'disconnected') as Promise<[CtrlDisconnect]>;
    expect(await cli.request('TERMINATE')).toBe('OK\n');
    const [info] = await within(disconnected, 2000, 'disconnected');
    expect(info.reason).toBe('terminating');
    await expect(cli.request('PING')).rejects.toBeInstanceOf(CtrlDisconnectedError);
    await daemon.exited();

    const reconnected = once(cli, 'reconnected');
    await daemon.start();
    // wpa_cli retries every -G interval (1 s here).
    await within(reconnected, 3000, 'reconnected');
    const added = nextEvent(cli, (event) => event.type === 'CTRL-EVENT-NETWORK-ADDED');
    await cli.request('ADD_NETWORK');
    await within(added, 2000, 'an event after reconnecting');
  });
});
