/** The simulator's HTTP control API, scenario files and `wdk sim` (runSimCli). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseScenario,
  runSimCli,
  Simulator,
  startSimHttp,
  type SimHttpServer,
  type SimSnapshot,
} from '../src/sim/index.js';
import { RawCtrlClient } from '../src/sim/testing/raw-ctrl-client.js';

async function json(response: Response): Promise<unknown> {
  return response.status === 204 ? undefined : ((await response.json()) as unknown);
}

describe('sim HTTP control API', () => {
  let dir: string;
  let sim: Simulator;
  let http: SimHttpServer;
  let monitor: RawCtrlClient;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wdk-sim-http-'));
    sim = new Simulator({ ctrlDir: join(dir, 'ctrl'), timeScale: 0.01, seed: 2, scanEvents: false });
    await sim.start();
    http = await startSimHttp(sim);
    monitor = new RawCtrlClient(join(dir, 'ctrl'), 'p2p-dev-wlan0', dir);
    await monitor.request('ATTACH');
  });

  afterEach(async () => {
    monitor.close();
    await http.close();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${http.url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });

  it('listens on 127.0.0.1 only', () => {
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('POST /phones: "a Pixel 7 now asks to connect by push button"', async () => {
    await monitor.request('P2P_FIND');
    const created = await call('POST', '/phones', { preset: 'android-pbc', name: 'Pixel 7' });
    expect(created.status).toBe(201);
    expect(await json(created)).toEqual({
      id: 'phone-1',
      address: '42:00:00:00:01:00',
      name: 'Pixel 7',
      displayPin: null,
    });
    const request = await monitor.waitForEvent('P2P-PROV-DISC-PBC-REQ');
    expect(request).toContain("name='Pixel 7'");
    const state = (await json(await call('GET', '/state'))) as SimSnapshot;
    expect(state.phones).toEqual([
      expect.objectContaining({ id: 'phone-1', name: 'Pixel 7', preset: 'android-pbc' }),
    ]);
    expect(state.kiosk.peers[0]).toEqual(
      expect.objectContaining({ deviceAddress: '42:00:00:00:01:00', knownToKiosk: true }),
    );

    const events = (await json(await call('GET', '/events?since=0'))) as { seq: number; text: string }[];
    expect(events.map((event) => event.text)).toContain(request);
    const lastSeq = events.at(-1)?.seq ?? 0;
    const later = (await json(await call('GET', `/events?since=${lastSeq}`))) as { seq: number }[];
    expect(later.every((event) => event.seq > lastSeq)).toBe(true);
    expect((await call('DELETE', '/phones/phone-1')).status).toBe(204);
    expect((await call('DELETE', '/phones/phone-1')).status).toBe(404);
  });

  it('POST /phones/:id/steps drives an idle phone later', async () => {
    await monitor.request('P2P_FIND');
    await call('POST', '/phones', { preset: 'idle', name: 'Pixel 8' });
    await monitor.waitForEvent('P2P-DEVICE-FOUND');
    expect(
      (await call('POST', '/phones/phone-1/steps', { steps: [{ do: 'connect', method: 'pbc' }] })).status,
    ).toBe(202);
    expect(await monitor.waitForEvent('P2P-GO-NEG-REQUEST')).toBe(
      'P2P-GO-NEG-REQUEST 42:00:00:00:01:00 dev_passwd_id=4 go_intent=7',
    );
    const bad = await call('POST', '/phones/phone-1/steps', { steps: [{ do: 'dance' }] });
    expect(bad.status).toBe(400);
  });

  it('GET /presets lists every preset with a description', async () => {
    const presets = (await json(await call('GET', '/presets'))) as { name: string; description: string }[];
    expect(presets.map((preset) => preset.name)).toEqual(
      expect.arrayContaining([
        'android-pbc',
        'android-pbc-go-neg',
        'android-pin',
        'windows-display-pin',
        'android-join',
        'walk-out-mid-formation',
      ]),
    );
  });

  it('POST /faults, DELETE /faults, POST /terminate and /restart, GET /log', async () => {
    expect((await call('POST', '/faults', { kind: 'ebusy' })).status).toBe(201);
    expect(await monitor.request('P2P_GROUP_ADD')).toBe('FAIL\n');
    expect(await json(await call('GET', '/log'))).toContain(
      'nl80211: Failed to create interface p2p-wlan0-0: -16 (Device or resource busy)',
    );
    expect((await call('DELETE', '/faults')).status).toBe(204);
    expect(await monitor.request('P2P_GROUP_ADD')).toBe('OK\n');

    expect((await call('POST', '/terminate')).status).toBe(204);
    await monitor.waitForEvent('CTRL-EVENT-TERMINATING ');
    expect(((await json(await call('GET', '/state'))) as SimSnapshot).state).toBe('terminated');
    expect((await call('POST', '/restart')).status).toBe(204);
    const fresh = new RawCtrlClient(join(dir, 'ctrl'), 'p2p-dev-wlan0', dir);
    expect(await fresh.request('PING')).toBe('PONG\n');
    fresh.close();
  });

  it('answers invalid input with 400 and unknown routes with 404', async () => {
    const badPreset = await call('POST', '/phones', { preset: 'iphone-airdrop' });
    expect(badPreset.status).toBe(400);
    expect(await json(badPreset)).toEqual(expect.objectContaining({ error: 'invalid request' }));
    expect((await call('POST', '/faults', { kind: 'meteor' })).status).toBe(400);
    const notJson = await fetch(`${http.url}/faults`, { method: 'POST', body: '{nope' });
    expect(notJson.status).toBe(400);
    expect((await call('GET', '/nope')).status).toBe(404);
  });
});

describe('sim scenario files and runSimCli', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wdk-sim-cli-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('validates scenarios with zod', () => {
    const scenario = parseScenario({
      seed: 4,
      phones: [{ preset: 'android-pbc', at: 100 }],
      faults: [{ fault: { kind: 'wps-fail' } }],
    });
    expect(scenario.faults[0]).toEqual({ at: 0, fault: { kind: 'wps-fail', msg: 8, configError: 18 } });
    expect(() => parseScenario({ phones: [{ preset: 'nope' }] })).toThrow();
    expect(() => parseScenario({ faults: [{ fault: { kind: 'ebusy', stage: 'never' } }] })).toThrow();
  });

  it('runs `wdk sim` with a scenario and an HTTP port until aborted, then terminates cleanly', async () => {
    const scenarioPath = join(dir, 'scenario.json');
    writeFileSync(
      scenarioPath,
      JSON.stringify({
        seed: 9,
        kiosk: { deviceName: 'DIRECT-museum', scanEvents: false },
        phones: [{ at: 0, preset: 'idle', name: 'Visitor' }],
      }),
    );
    const lines: string[] = [];
    const abort = new AbortController();
    let ready: { simulator: Simulator; httpUrl: string | undefined } | undefined;
    const exit = runSimCli(
      [
        '--ctrl-dir',
        join(dir, 'ctrl'),
        '--time-scale',
        '0.01',
        '--scenario',
        scenarioPath,
        '--http-port',
        '0',
        '--events',
      ],
      {
        stdout: (line) => lines.push(line),
        stderr: (line) => lines.push(line),
        signal: abort.signal,
        onReady: (value) => (ready = value),
      },
    );
    await expect.poll(() => ready).toBeDefined();
    const monitor = new RawCtrlClient(join(dir, 'ctrl'), 'p2p-dev-wlan0', dir);
    try {
      expect(await monitor.request('GET device_name')).toBe('DIRECT-museum');
      await monitor.request('ATTACH');
      await monitor.request('P2P_FIND');
      expect(await monitor.waitForEvent('P2P-DEVICE-FOUND')).toContain("name='Visitor'");
      const state = (await (await fetch(`${ready?.httpUrl}/state`)).json()) as SimSnapshot;
      expect(state.phones.map((phone) => phone.name)).toEqual(['Visitor']);
      abort.abort();
      expect(await exit).toBe(0);
      await monitor.waitForEvent('CTRL-EVENT-TERMINATING ');
    } finally {
      monitor.close();
    }
    expect(lines[0]).toBe(`simulated wpa_supplicant: ${join(dir, 'ctrl')}/p2p-dev-wlan0 (time scale 0.01)`);
    expect(lines.some((line) => /^\d+\.\d{3} p2p-dev-wlan0 <3>P2P-DEVICE-FOUND /.test(line))).toBe(true);
  });

  it('rejects bad arguments with the usage and exit code 2', async () => {
    const errors: string[] = [];
    const io = { stdout: () => undefined, stderr: (line: string) => errors.push(line) };
    expect(await runSimCli([], io)).toBe(2);
    expect(errors.join('\n')).toContain('--ctrl-dir is required');
    expect(await runSimCli(['--ctrl-dir', dir, '--time-scale', 'fast'], io)).toBe(2);
    expect(await runSimCli(['--bogus'], io)).toBe(2);
    expect(await runSimCli(['--ctrl-dir', dir, '--scenario', join(dir, 'missing.json')], io)).toBe(2);
    const busy = await startSimHttp(new Simulator({ ctrlDir: join(dir, 'unused') }));
    try {
      expect(await runSimCli(['--ctrl-dir', join(dir, 'ctrl'), '--http-port', String(busy.port)], io)).toBe(
        1,
      );
      expect(errors.at(-1)).toMatch(/^cannot listen on 127\.0\.0\.1:\d+: /);
    } finally {
      await busy.close();
    }
  });
});
