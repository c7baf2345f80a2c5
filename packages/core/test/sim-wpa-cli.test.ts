/**
 * Conformance against Debian's real wpa_cli 2.10: if wpa_cli accepts the simulator as a wpa_supplicant,
 * so will any control-interface client. One-shot commands, and an interactive wpa_cli that ATTACHes and
 * prints events exactly as the simulator sent them.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../src/sim/index.js';

const WPA_CLI = '/usr/sbin/wpa_cli';
const haveWpaCli = existsSync(WPA_CLI);
if (!haveWpaCli) {
  console.warn(
    `\n!!! ${WPA_CLI} is missing: SKIPPING the wpa_cli conformance tests (apt-get install wpasupplicant) !!!\n`,
  );
}
const run = promisify(execFile);

describe.skipIf(!haveWpaCli)('simulator vs the real wpa_cli', () => {
  let dir: string;
  let sim: Simulator;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wdk-sim-cli-'));
    sim = new Simulator({ ctrlDir: join(dir, 'ctrl'), timeScale: 0.01, seed: 3, scanEvents: false });
    await sim.start();
  });

  afterEach(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(...command: string[]): Promise<{ stdout: string; code: number }> {
    try {
      const { stdout } = await run(WPA_CLI, ['-p', join(dir, 'ctrl'), '-i', 'p2p-dev-wlan0', ...command], {
        timeout: 5000,
      });
      return { stdout, code: 0 };
    } catch (error) {
      const failed = error as { stdout?: string; code?: number };
      return { stdout: failed.stdout ?? '', code: failed.code ?? -1 };
    }
  }

  it('answers ping, status and interface like wpa_supplicant', async () => {
    expect(await cli('ping')).toEqual({ stdout: 'PONG\n', code: 0 });
    const status = await cli('status');
    expect(status.stdout).toBe(
      `wpa_state=DISCONNECTED\np2p_device_address=42:00:00:00:00:00\naddress=42:00:00:00:00:00\nuuid=${/uuid=(.*)/.exec(status.stdout)?.[1]}\n`,
    );
    expect(status.stdout).toMatch(/^uuid=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/m);
    // wpa_cli prints its own heading before the INTERFACES reply.
    expect((await cli('interface')).stdout).toBe('Available interfaces:\np2p-dev-wlan0\nwlan0\n');
  });

  it('starts and stops discovery, and answers FAIL / UNKNOWN COMMAND where the daemon does', async () => {
    expect((await cli('p2p_find')).stdout).toBe('OK\n');
    expect(sim.snapshot().kiosk.find).toBe('find');
    expect((await cli('p2p_find', '5')).stdout).toBe('OK\n');
    expect((await cli('p2p_stop_find')).stdout).toBe('OK\n');
    expect(sim.snapshot().kiosk.find).toBe('idle');
    expect((await cli('p2p_connect', '42:00:00:00:09:00', 'pbc')).stdout).toBe('FAIL\n');
    expect((await cli('p2p_connect', '42:00:00:00:09:00', '1234')).stdout).toBe('FAIL\n');
    expect((await cli('p2p_connect', '42:00:00:00:09:00', '123')).stdout).toBe('FAIL-INVALID-PIN\n');
    // P2P_PEERS exists only in wpa_cli; on the socket it is unknown (hwsim README). `raw` sends it as is.
    expect((await cli('raw', 'P2P_PEERS')).stdout).toBe('UNKNOWN COMMAND\n');
    expect((await cli('p2p_group_remove', 'p2p-wlan0-7')).stdout).toBe('FAIL\n');
  });

  it('connects a phone with p2p_connect, then removes the group with p2p_group_remove', async () => {
    expect((await cli('p2p_find')).stdout).toBe('OK\n');
    const phone = sim.addPhone({ preset: 'android-pbc-go-neg', name: 'phone' });
    await sim.waitForEvent(/^P2P-GO-NEG-REQUEST 42:00:00:00:01:00 dev_passwd_id=4 go_intent=7$/);
    expect((await cli('p2p_peer', phone.address)).stdout).toMatch(
      /^42:00:00:00:01:00\npri_dev_type=10-0050F204-5\ndevice_name=phone\n/,
    );
    expect((await cli('p2p_connect', phone.address, 'pbc', 'go_intent=15')).stdout).toBe('OK\n');
    const started = await sim.waitForEvent('P2P-GROUP-STARTED', { sinceSeq: 0 });
    expect(started.text).toMatch(
      /^P2P-GROUP-STARTED p2p-wlan0-0 GO ssid="DIRECT-\w\w" freq=2437 passphrase="\w{8}" go_dev_addr=42:00:00:00:00:00$/,
    );
    await sim.waitForEvent(/^AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00$/, {
      sinceSeq: 0,
    });
    expect((await cli('interface')).stdout).toBe(
      'Available interfaces:\np2p-wlan0-0\np2p-dev-wlan0\nwlan0\n',
    );
    const groupStatus = await run(WPA_CLI, ['-p', join(dir, 'ctrl'), '-i', 'p2p-wlan0-0', 'status']);
    expect(groupStatus.stdout).toMatch(
      /^bssid=46:00:00:00:00:00\nfreq=2437\nssid=DIRECT-\w\w\nid=0\nmode=P2P GO\n/,
    );
    // all_sta walks STA-FIRST / STA-NEXT until FAIL (and then exits 255, as with the real daemon).
    const stations = await run(WPA_CLI, ['-p', join(dir, 'ctrl'), '-i', 'p2p-wlan0-0', 'all_sta'], {
      timeout: 5000,
    }).catch((error: unknown) => error as { stdout: string });
    expect(stations.stdout).toMatch(/^46:00:00:00:01:00\nflags=\[AUTH\]\[ASSOC\]\[AUTHORIZED\]/);
    expect(stations.stdout).toContain('p2p_device_addr=42:00:00:00:01:00\n');

    expect((await cli('p2p_group_remove', 'p2p-wlan0-0')).stdout).toBe('OK\n');
    expect(sim.events().map((e) => e.text)).toContain('P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=REQUESTED');
    await new Promise((resolve) => setImmediate(resolve));
    expect(existsSync(join(dir, 'ctrl', 'p2p-wlan0-0'))).toBe(false);
  });

  describe('interactive wpa_cli', () => {
    let child: ChildProcessWithoutNullStreams | undefined;
    let output = '';

    afterEach(async () => {
      // Wait for wpa_cli to exit: on SIGTERM it still writes its history file into HOME (the test's directory),
      // which raced the directory's removal (ENOTEMPTY).
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill();
        await exited;
      }
      child = undefined;
      output = '';
    });

    function startInteractive(): void {
      // -G 1: PING (and reconnect) every second instead of every 5 s.
      child = spawn(WPA_CLI, ['-p', join(dir, 'ctrl'), '-G', '1', '-i', 'p2p-dev-wlan0'], {
        env: { ...process.env, HOME: dir },
      });
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => (output += chunk));
    }

    /** Event lines as wpa_cli printed them, prompts and redraws removed (hwsim lib.sh does the same). */
    function printedEvents(): string[] {
      return output
        .split('\n')
        .map((line) => /<\d>.*/.exec(line)?.[0].replace(/\r$/, ''))
        .filter((line): line is string => line !== undefined);
    }

    async function until(predicate: () => boolean, what: string): Promise<void> {
      // Generous: the whole suite shares two cores with builds and browsers.
      for (let i = 0; i < 750; i++) {
        if (predicate()) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`timed out waiting for ${what}; wpa_cli printed:\n${output}`);
    }

    it('attaches, prints every event byte for byte, and detaches on quit', async () => {
      startInteractive();
      await until(() => sim.snapshot().monitors === 1, 'ATTACH');
      child?.stdin.write('p2p_find\n');
      sim.addPhone({ preset: 'android-pbc', name: 'Tom\'s "Pixel" 7' });
      await sim.waitForEvent('P2P-PROV-DISC-PBC-REQ');
      child?.stdin.write('p2p_connect 42:00:00:00:01:00 pbc go_intent=15 auth\n');
      await sim.waitForEvent('AP-STA-CONNECTED', { ifname: 'p2p-dev-wlan0', timeoutMs: 10_000 });
      const sent = sim
        .events()
        .filter((event) => event.ifname === 'p2p-dev-wlan0')
        .map((event) => `<3>${event.text}`);
      await until(() => printedEvents().length >= sent.length, 'all events printed');
      expect(printedEvents()).toEqual(sent);
      expect(sent.join('\n')).toContain(
        `<3>P2P-PROV-DISC-PBC-REQ 42:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00 pri_dev_type=10-0050F204-5 name='Tom's "Pixel" 7' config_methods=0x188 dev_capab=0x25 group_capab=0x0`,
      );
      child?.stdin.write('quit\n');
      await until(() => sim.snapshot().monitors === 0, 'DETACH');
    });

    it('reports the daemon going away and coming back', async () => {
      startInteractive();
      await until(() => sim.snapshot().monitors === 1, 'ATTACH');
      // wpa_cli sends its start-up requests after ATTACH; terminate only once it sits at its prompt.
      await until(() => output.includes('Interactive mode') && output.trimEnd().endsWith('>'), 'the prompt');
      sim.terminate();
      await until(() => output.includes('<3>CTRL-EVENT-TERMINATING'), 'TERMINATING');
      await until(() => output.includes('Connection to wpa_supplicant lost - trying to reconnect'), 'lost');
      expect(existsSync(join(dir, 'ctrl', 'p2p-dev-wlan0'))).toBe(false);
      sim.restart();
      await until(() => output.includes('Connection to wpa_supplicant re-established'), 're-established');
      await until(() => sim.snapshot().monitors === 1, 're-ATTACH');
    });
  });
});
