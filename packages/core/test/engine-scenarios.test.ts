/**
 * The connection runner on the real WpaCtrlClient against the simulator, over real control sockets in a temp
 * dir: one scenario per scripted phone and per fault the simulator provides. Time runs 100× faster for both
 * the radio and the engine (one ScaledRealClock), so the engine's 120 s setup timeout is 1.2 s here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WpaCtrlClient } from '../src/ctrl/wpa-ctrl-client.js';
import type { DomainEvent } from '../src/engine/domain-events.js';
import type { EngineSettingsInput } from '../src/engine/settings.js';
import type { KioskSnapshot } from '../src/engine/snapshot.js';
import type { WhitelistEntry } from '../src/engine/whitelist.js';
import type { WpaEvent } from '../src/protocol/events.js';
import { ConnectionRunner } from '../src/runner/connection-runner.js';
import { groupSocketOpener } from '../src/runner/group-sockets.js';
import type { ClockPort, CtrlPort, InterfaceOpener } from '../src/runner/ports.js';
import { ScaledRealClock, Simulator, type FaultInput, type PhoneRequest } from '../src/sim/index.js';

const TIME_SCALE = 0.01;

/** The engine's clock is the simulator's radio clock. */
function engineClock(clock: ScaledRealClock): ClockPort {
  return {
    now: () => clock.now(),
    setTimeout: (callback, ms) => clock.setTimer(ms, callback),
    clearTimeout: (handle) => clock.clearTimer(handle as { id: number }),
  };
}

/** The control client with every command recorded (group interface commands as `<if>: CMD`). */
class RecordingCtrl implements CtrlPort {
  readonly sent: string[] = [];
  constructor(readonly client: WpaCtrlClient) {}
  request(command: string, options?: { timeoutMs?: number }): Promise<string> {
    this.sent.push(command);
    return this.client.request(command, options);
  }
  on(
    name: 'event' | 'disconnected' | 'reconnected',
    listener: ((event: WpaEvent) => void) | (() => void),
  ): this {
    this.client.on(name as 'event', listener as (event: WpaEvent) => void);
    return this;
  }
  off(
    name: 'event' | 'disconnected' | 'reconnected',
    listener: ((event: WpaEvent) => void) | (() => void),
  ): this {
    this.client.off(name as 'event', listener as (event: WpaEvent) => void);
    return this;
  }
  recordingOpener(open: InterfaceOpener): InterfaceOpener {
    return async (ifname, options) => {
      const socket = await open(ifname, options);
      return {
        request: (command, options) => {
          this.sent.push(`${ifname}: ${command}`);
          return socket.request(command, options);
        },
        close: () => socket.close(),
      };
    };
  }
}

interface Kiosk {
  readonly sim: Simulator;
  readonly runner: ConnectionRunner;
  readonly ctrl: RecordingCtrl;
  readonly events: DomainEvent[];
  /** Resolves when a domain event matches (rejects after `ms` real milliseconds). */
  event(match: (event: DomainEvent) => boolean, ms?: number): Promise<DomainEvent>;
  /** Resolves when the snapshot satisfies `test`. */
  until(test: (snapshot: KioskSnapshot) => boolean, ms?: number): Promise<KioskSnapshot>;
  addPhone(request: PhoneRequest): string;
  /** The commands sent that matter for a scenario (no P2P_FIND/STATUS noise), in order. */
  commands(): string[];
}

let cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function kiosk(
  options: {
    settings?: EngineSettingsInput;
    whitelist?: WhitelistEntry[];
    beforeStart?: (sim: Simulator) => void;
  } = {},
): Promise<Kiosk> {
  const dir = mkdtempSync(join(tmpdir(), 'wdk-engine-'));
  const ctrlDir = join(dir, 'ctrl');
  const clock = new ScaledRealClock(TIME_SCALE);
  const sim = new Simulator({ ctrlDir, clock, seed: 7, scanEvents: false });
  await sim.start();
  options.beforeStart?.(sim);
  const client = await WpaCtrlClient.connect({
    ifname: 'p2p-dev-wlan0',
    ctrlDir,
    localDir: dir,
    requestTimeoutMs: 3_000,
    pingIntervalMs: 200,
    pingTimeoutMs: 500,
  });
  const ctrl = new RecordingCtrl(client);
  const runner = new ConnectionRunner({
    ctrl,
    clock: engineClock(clock),
    openInterface: ctrl.recordingOpener(groupSocketOpener({ ctrlDir, localDir: dir })),
    settings: { idleGraceMs: 5_000, ...options.settings },
    whitelist: options.whitelist ?? [],
    requestTimeoutMs: 3_000,
  });
  const events: DomainEvent[] = [];
  runner.on('domain-event', (event) => events.push(event));
  cleanups.push(async () => {
    await runner.stop();
    await client.close();
    await sim.stop();
    clock.clearAll();
    rmSync(dir, { recursive: true, force: true });
  });
  runner.start();
  const ready = waitForSnapshot(runner, () => ctrl.sent.includes('P2P_FIND'), 5_000);
  await ready;
  const waitEvent = (match: (event: DomainEvent) => boolean, ms = 10_000): Promise<DomainEvent> => {
    const seen = events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        runner.off('domain-event', listener);
        reject(
          new Error(
            `no matching event; saw ${events.map((e) => e.type).join(', ')}; sent ${ctrl.sent.join(' | ')}`,
          ),
        );
      }, ms);
      const listener = (event: DomainEvent): void => {
        if (!match(event)) return;
        clearTimeout(timer);
        runner.off('domain-event', listener);
        resolve(event);
      };
      runner.on('domain-event', listener);
    });
  };
  return {
    sim,
    runner,
    ctrl,
    events,
    event: waitEvent,
    until: (test, ms = 10_000) =>
      waitForSnapshot(runner, () => test(runner.snapshot()), ms).then(() => runner.snapshot()),
    addPhone: (request) => sim.addPhone(request).address,
    commands: () =>
      ctrl.sent.filter((command) => !/^(P2P_FIND|STATUS|INTERFACES|SET |P2P_SET )/.test(command)),
  };
}

/** Polls `test` (snapshots change on events, commands do not publish anything). */
async function waitForSnapshot(runner: ConnectionRunner, test: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${ms} ms: ${JSON.stringify(runner.snapshot())}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const failed = (reason: string) => (event: DomainEvent) => event.type === 'failed' && event.reason === reason;
const connected = (address: string) => (event: DomainEvent) =>
  event.type === 'connected' && event.address === address;
const groupsLeft = (sim: Simulator): string[] =>
  sim.snapshot().interfaces.filter((name) => /^p2p-wlan0-/.test(name));

/** The phone leaves; the kiosk removes the empty group after the idle grace and discovers again. */
async function leavesAndNothingIsLeft(k: Kiosk, phoneId: string): Promise<void> {
  k.sim.instructPhone(phoneId, [{ do: 'leave' }]);
  await k.until((snap) => snap.clients.length === 0 && snap.group === null);
  expect(groupsLeft(k.sim)).toEqual([]);
}

describe('engine scenarios on the simulator', () => {
  it('android push button by GO negotiation (dev_passwd_id=4): P2P_CONNECT pbc go_intent=15', async () => {
    const k = await kiosk({ whitelist: [{ id: 'w', address: null, name: 'Galaxy S23' }] });
    const phone = k.addPhone({ preset: 'android-pbc-go-neg' });
    await k.event(connected(phone));
    expect(k.commands()).toEqual([`P2P_CONNECT ${phone} pbc go_intent=15`]);
    const snap = k.runner.snapshot();
    expect(snap.clients).toEqual([expect.objectContaining({ address: phone, name: 'Galaxy S23' })]);
    expect(snap.group?.ifname).toBe('p2p-wlan0-0');
    await leavesAndNothingIsLeft(k, 'phone-1');
    expect(k.commands()).toEqual([`P2P_CONNECT ${phone} pbc go_intent=15`, 'P2P_GROUP_REMOVE p2p-wlan0-0']);
  });

  it('android push button by provision discovery: authorise (auth), never initiate', async () => {
    const k = await kiosk({ whitelist: [{ id: 'w', address: null, name: 'Pixel 7' }] });
    const phone = k.addPhone({ preset: 'android-pbc' });
    await k.event(connected(phone));
    expect(k.commands()).toEqual([`P2P_CONNECT ${phone} pbc auth go_intent=15`]);
    await leavesAndNothingIsLeft(k, 'phone-1');
  });

  it('an unknown phone waits for the operator; approve + remember connects it and asks to store it', async () => {
    const k = await kiosk();
    const remembered: unknown[] = [];
    k.runner.on('remember-peer', (peer) => remembered.push(peer));
    const phone = k.addPhone({ preset: 'android-pbc' });
    const pending = await k.event((event) => event.type === 'approval-pending');
    expect(k.commands()).toEqual([]);
    expect(
      k.runner.approve(pending.type === 'approval-pending' ? pending.id : '', { remember: true }),
    ).toEqual({ ok: true });
    await k.event(connected(phone));
    expect(remembered).toEqual([{ address: phone, name: 'Pixel 7' }]);
    // `auth` while the phone waits after its provision discovery; initiating once it went on to P2P_CONNECT
    // (P2P-GO-NEG-REQUEST seen meanwhile): which one depends on how fast the operator taps.
    expect(k.commands()).toEqual([
      expect.stringMatching(new RegExp(`^P2P_CONNECT ${phone} pbc (auth )?go_intent=15$`)),
    ]);
  });

  it('an unknown phone denied: P2P_REJECT, the phone fails, no group', async () => {
    const k = await kiosk();
    k.addPhone({ preset: 'android-pbc-go-neg' });
    const pending = await k.event((event) => event.type === 'approval-pending');
    k.runner.deny(pending.type === 'approval-pending' ? pending.id : '');
    await k.event((event) => event.type === 'denied');
    await k.runner.whenIdle();
    expect(k.commands()).toEqual([
      `P2P_REJECT ${pending.type === 'approval-pending' ? pending.address : ''}`,
    ]);
    expect(groupsLeft(k.sim)).toEqual([]);
  });

  it.each([
    {
      preset: 'android-pin',
      answer: (a: string, pin: string) => `P2P_CONNECT ${a} ${pin} display auth go_intent=15`,
    },
    {
      preset: 'pin-go-neg',
      answer: (a: string, pin: string) => `P2P_CONNECT ${a} ${pin} display go_intent=15`,
    },
  ])(
    'PIN typed right ($preset): our PIN with display; the PIN rotates after use',
    async ({ preset, answer }) => {
      const k = await kiosk({ settings: { mode: 'static-pin' } });
      const pin = k.runner.snapshot().pin ?? '';
      const phone = k.addPhone({ preset });
      await k.event(connected(phone));
      expect(k.commands()).toEqual([answer(phone, pin)]);
      expect(k.runner.snapshot().pin).not.toBe(pin);
      expect(JSON.stringify(k.events)).not.toContain(pin);
      await leavesAndNothingIsLeft(k, 'phone-1');
    },
  );

  it('PIN typed wrong: wrong-pin, the kiosk is discoverable again, no group left', async () => {
    const k = await kiosk({ settings: { mode: 'static-pin' } });
    const pin = k.runner.snapshot().pin ?? '';
    const phone = k.addPhone({ preset: 'android-pin-wrong' });
    await k.event(failed('wrong-pin'));
    expect(k.commands()).toEqual([`P2P_CONNECT ${phone} ${pin} display auth go_intent=15`]);
    const snap = await k.until((s) => s.lastError?.code === 'wrong-pin' && s.pin !== pin);
    expect(snap.group).toBeNull();
    await k.until(
      () => k.ctrl.sent.lastIndexOf('P2P_FIND') > k.ctrl.sent.findIndex((c) => c.startsWith('P2P_CONNECT')),
    );
    expect(groupsLeft(k.sim)).toEqual([]);
  });

  it('a Windows laptop displays its PIN: the operator types it, keypad auth', async () => {
    const k = await kiosk({ settings: { mode: 'static-pin' } });
    const added = k.sim.addPhone({ preset: 'windows-display-pin' });
    const request = await k.event((event) => event.type === 'peer-pin-requested');
    expect(k.runner.snapshot().peerPinRequest).toEqual({ address: added.address, name: 'LAPTOP-7Q2' });
    expect(k.runner.enterPeerPin(added.address, added.displayPin ?? '')).toEqual({ ok: true });
    await k.event(connected(added.address));
    expect(request).toMatchObject({ address: added.address });
    expect(k.commands()).toEqual([
      `P2P_CONNECT ${added.address} ${added.displayPin} keypad auth go_intent=15`,
    ]);
  });

  it('a phone that retransmits its provision discovery is answered once', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    const phone = k.addPhone({ preset: 'android-repeat' });
    await k.event(connected(phone));
    expect(k.commands()).toEqual([`P2P_CONNECT ${phone} pbc auth go_intent=15`]);
  });

  it.each([
    { preset: 'android-join', command: (a: string) => `p2p-wlan0-0: WPS_PBC p2p_dev_addr=${a}` },
    { preset: 'android-join-pin', command: (_a: string, pin: string) => `p2p-wlan0-0: WPS_PIN any ${pin}` },
  ])(
    'autonomous GO: $preset joins the standing group; the group stays when it leaves',
    async ({ preset, command }) => {
      const k = await kiosk({
        settings: { groupMode: 'autonomous', mode: 'dynamic', fixedPin: '12345670' },
        whitelist: [{ id: 'w', address: null, name: 'Pixel 8' }],
      });
      await k.until((snap) => snap.group !== null);
      const phone = k.addPhone({ preset });
      await k.event(connected(phone));
      expect(k.commands()).toEqual(['P2P_GROUP_ADD', command(phone, '12345670')]);
      k.sim.instructPhone('phone-1', [{ do: 'leave' }]);
      await k.until((snap) => snap.clients.length === 0);
      await new Promise((resolve) => setTimeout(resolve, 200)); // 20 s radio: longer than any idle grace
      expect(k.runner.snapshot().group?.ifname).toBe('p2p-wlan0-0');
      expect(groupsLeft(k.sim)).toEqual(['p2p-wlan0-0']);
    },
  );

  it('walks out of range mid-formation: formation-failed, discoverable again, no group', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    k.addPhone({ preset: 'walk-out-mid-formation' });
    await k.event(failed('formation-failed'));
    expect(k.runner.snapshot().group).toBeNull();
    expect(groupsLeft(k.sim)).toEqual([]);
  });

  it('a short visit: connects, leaves after a while, the kiosk removes the group after the idle grace', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    const phone = k.addPhone({ preset: 'short-visit' });
    await k.event(connected(phone));
    await k.event((event) => event.type === 'disconnected' && event.reason === 'left');
    await k.until((snap) => snap.group === null);
    expect(k.commands()).toEqual([
      `P2P_CONNECT ${phone} pbc auth go_intent=15`,
      'P2P_GROUP_REMOVE p2p-wlan0-0',
    ]);
    expect(groupsLeft(k.sim)).toEqual([]);
  });

  it('two phones share one group: the second joins it (WPS_PBC on the group interface)', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    const first = k.addPhone({ preset: 'android-pbc' });
    await k.event(connected(first));
    const second = k.addPhone({ preset: 'android-join', name: 'Pixel 8' });
    await k.event(connected(second));
    expect(k.commands()).toEqual([
      `P2P_CONNECT ${first} pbc auth go_intent=15`,
      `p2p-wlan0-0: WPS_PBC p2p_dev_addr=${second}`,
    ]);
    expect(k.runner.snapshot().clients.map((client) => client.address)).toEqual([first, second]);
    k.sim.instructPhone('phone-1', [{ do: 'leave' }]);
    await k.until((snap) => snap.clients.length === 1);
    expect(k.runner.snapshot().group).not.toBeNull();
    await leavesAndNothingIsLeft(k, 'phone-2');
  });

  it('kick: P2P_REMOVE_CLIENT, reported as kicked', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    const phone = k.addPhone({ preset: 'android-pbc' });
    await k.event(connected(phone));
    expect(k.runner.kick(phone)).toEqual({ ok: true });
    await k.event((event) => event.type === 'disconnected' && event.reason === 'kicked');
    expect(k.commands()).toContain(`P2P_REMOVE_CLIENT ${phone}`);
  });

  it.each<{ name: string; fault: FaultInput; preset: string; code: string }>([
    {
      name: 'GO negotiation failure',
      fault: { kind: 'go-neg-failure', status: 7 },
      preset: 'android-pbc',
      code: 'go-neg-failed',
    },
    {
      name: 'formation failure',
      fault: { kind: 'formation-failure' },
      preset: 'android-pbc',
      code: 'formation-failed',
    },
    { name: 'WPS-FAIL', fault: { kind: 'wps-fail' }, preset: 'android-pbc', code: 'wrong-pin' },
    {
      name: 'WPS timeout during formation (the GO’s formation timeout)',
      fault: { kind: 'wps-timeout' },
      preset: 'android-pbc',
      code: 'formation-failed',
    },
  ])('fault: $name → $code, discoverable again, no group left', async ({ fault, preset, code }) => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    k.sim.inject(fault);
    k.addPhone({ preset });
    await k.event(failed(code), 15_000);
    const connect = k.ctrl.sent.findIndex((command) => command.startsWith('P2P_CONNECT'));
    await k.until(() => k.ctrl.sent.lastIndexOf('P2P_FIND') > connect);
    expect(k.runner.snapshot()).toMatchObject({ group: null, clients: [], lastError: { code } });
    expect(groupsLeft(k.sim)).toEqual([]);
  });

  it('fault: WPS timeout for a joiner (walk time over) → wps-timeout', async () => {
    const k = await kiosk({ settings: { groupMode: 'autonomous', mode: 'static-pbc' } });
    await k.until((snap) => snap.group !== null);
    k.sim.inject({ kind: 'wps-timeout' });
    k.addPhone({ preset: 'android-join' });
    await k.event(failed('wps-timeout'), 15_000);
    expect(k.runner.snapshot().group?.ifname).toBe('p2p-wlan0-0');
  });

  it("fault: a joiner's WPS fails (WPS-FAIL on the group interface only): wrong-pin at once, the next phone joins", async () => {
    const k = await kiosk({ settings: { groupMode: 'autonomous', mode: 'static-pbc' } });
    await k.until((snap) => snap.group !== null);
    const first = k.addPhone({ preset: 'android-join' });
    k.sim.inject({ kind: 'wps-fail', peer: first });
    // wpa_supplicant does not copy a join's WPS-FAIL to the P2P device (only during group formation): the
    // runner hears it on the group socket; without it the session would end at the 120 s setup timeout
    // (wps-timeout) and hold the setup slot until then.
    await k.event(failed('wrong-pin'), 15_000);
    expect(k.events.filter((event) => event.type === 'failed')).toHaveLength(1);
    const second = k.addPhone({ preset: 'android-join', name: 'Pixel 8' });
    await k.event(connected(second));
    expect(k.commands()).toEqual([
      'P2P_GROUP_ADD',
      `p2p-wlan0-0: WPS_PBC p2p_dev_addr=${first}`,
      `p2p-wlan0-0: WPS_PBC p2p_dev_addr=${second}`,
    ]);
  });

  it('a phone asking for GO negotiation while a group runs is invited (status=1: it asks its user), then joins', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    const first = k.addPhone({ preset: 'android-pbc' });
    await k.event(connected(first));
    const second = k.sim.addPhone({
      name: 'Pixel 8',
      autoJoin: false, // it negotiates although the kiosk advertises a group (it started before the group)
      steps: [
        { do: 'connect', method: 'pbc' },
        { do: 'waitFor', what: 'connected', timeoutMs: 60_000 },
      ],
    }).address;
    await k.event(connected(second));
    expect(k.commands()).toEqual([
      `P2P_CONNECT ${first} pbc auth go_intent=15`,
      `P2P_INVITE group=p2p-wlan0-0 peer=${second}`,
      `p2p-wlan0-0: WPS_PBC p2p_dev_addr=${second}`,
    ]);
    expect(k.events.filter((event) => event.type === 'failed')).toEqual([]);
  });

  it('a phone typing the PIN, invited into the running group, joins typing it (the kiosk armed WPS_PIN)', async () => {
    const k = await kiosk({ settings: { mode: 'dynamic' } });
    const first = k.addPhone({ preset: 'android-pin' });
    await k.event(connected(first));
    const second = k.sim.addPhone({
      name: 'Pixel 8',
      autoJoin: false,
      steps: [
        { do: 'provDisc', method: 'display' },
        { do: 'connect', method: 'pin', pin: 'kiosk-pin' },
        { do: 'waitFor', what: 'connected', timeoutMs: 60_000 },
      ],
    }).address;
    await k.event(connected(second));
    expect(k.commands().slice(-2)).toEqual([
      `P2P_INVITE group=p2p-wlan0-0 peer=${second}`,
      expect.stringMatching(/^p2p-wlan0-0: WPS_PIN any \d{8}$/),
    ]);
    expect(k.events.filter((event) => event.type === 'failed')).toEqual([]);
  });

  it('fault: a stale group makes P2P_CONNECT FAIL: INTERFACES, P2P_GROUP_REMOVE, retry, connected', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    k.sim.inject({ kind: 'stale-group' });
    const stale = groupsLeft(k.sim)[0] ?? '';
    // A phone that negotiates even though the kiosk advertises a group (a Linux laptop; Android would join it).
    const phone = k.addPhone({ preset: 'android-pbc-go-neg', autoJoin: false });
    await k.event(connected(phone));
    const sent = k.ctrl.sent.slice(k.ctrl.sent.findIndex((c) => c.startsWith('P2P_CONNECT')));
    expect(sent.filter((c) => c !== 'P2P_FIND').slice(0, 4)).toEqual([
      `P2P_CONNECT ${phone} pbc go_intent=15`,
      'INTERFACES',
      `P2P_GROUP_REMOVE ${stale}`,
      `P2P_CONNECT ${phone} pbc go_intent=15`,
    ]);
  });

  it('fault: a stale group an Android phone wants to join is adopted: WPS_PBC on it, connected', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    k.sim.inject({ kind: 'stale-group' });
    const stale = groupsLeft(k.sim)[0] ?? '';
    const phone = k.addPhone({ preset: 'android-pbc' });
    await k.event(connected(phone));
    expect(k.commands()).toEqual([`${stale}: WPS_PBC p2p_dev_addr=${phone}`]);
    expect(k.runner.snapshot().group?.ifname).toBe(stale);
    await leavesAndNothingIsLeft(k, 'phone-1');
  });

  it('fault: a stale group left by a crashed agent is removed at start-up', async () => {
    const k = await kiosk({
      settings: { mode: 'static-pbc' },
      beforeStart: (sim) => sim.inject({ kind: 'stale-group' }),
    });
    expect(k.ctrl.sent.filter((c) => c.startsWith('P2P_GROUP_REMOVE'))).toHaveLength(1);
    expect(groupsLeft(k.sim)).toEqual([]);
  });

  it('fault: EBUSY when creating the group interface → busy, the operator is told to stop the AP, no loop', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    k.sim.inject({ kind: 'ebusy' });
    const phone = k.addPhone({ preset: 'android-pbc-go-neg' });
    const failure = await k.event(failed('busy'));
    expect(failure).toMatchObject({ message: expect.stringMatching(/Stop the concurrent AP/) });
    await new Promise((resolve) => setTimeout(resolve, 500)); // 50 s radio
    expect(k.commands().filter((c) => c.startsWith('P2P_CONNECT'))).toEqual([
      `P2P_CONNECT ${phone} pbc go_intent=15`,
      `P2P_CONNECT ${phone} pbc go_intent=15`,
    ]);
    expect(k.runner.snapshot().lastError?.code).toBe('busy');
  });

  it('fault: EBUSY when the standing group is added (autonomous) → busy, no loop', async () => {
    const k = await kiosk({
      settings: { groupMode: 'autonomous' },
      beforeStart: (sim) => sim.inject({ kind: 'ebusy' }),
    });
    await k.until((snap) => snap.lastError?.code === 'busy');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(k.commands().filter((c) => c.startsWith('P2P_GROUP_ADD'))).toHaveLength(2);
  });

  it('fault: the daemon terminates and restarts: the client is gone, then the start-up sequence runs again', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    const phone = k.addPhone({ preset: 'android-pbc' });
    await k.event(connected(phone));
    const before = k.ctrl.sent.length;
    k.sim.inject({ kind: 'terminate', restartAfterMs: 2_000 });
    // wpa_supplicant removes its groups before CTRL-EVENT-TERMINATING (wpas_p2p_deinit), so the client ends
    // with the group; whatever is left when the socket goes ends with daemon-restart.
    await k.event(
      (event) => event.type === 'disconnected' && ['group-removed', 'daemon-restart'].includes(event.reason),
    );
    await k.event((event) => event.type === 'daemon-lost');
    await k.event((event) => event.type === 'daemon-back', 15_000);
    const resync = (): string[] => k.ctrl.sent.slice(k.ctrl.sent.indexOf('STATUS', before));
    await k.until(() => k.ctrl.sent.indexOf('STATUS', before) >= 0 && resync().includes('P2P_FIND'), 10_000);
    expect(resync().slice(0, 6)).toEqual([
      'STATUS',
      'INTERFACES',
      'SET device_name DIRECT-kiosk',
      'SET config_methods virtual_push_button',
      'P2P_SET per_sta_psk 1',
      'P2P_FIND',
    ]);
    expect(k.runner.snapshot()).toMatchObject({ daemon: 'connected', group: null, clients: [] });
  });

  it('fault: slow replies: the engine waits for each reply, nothing is sent twice', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    k.sim.inject({ kind: 'slow-replies', delayMs: 300, count: 5 });
    const phone = k.addPhone({ preset: 'android-pbc-go-neg' });
    await k.event(connected(phone), 15_000);
    expect(k.commands()).toEqual([`P2P_CONNECT ${phone} pbc go_intent=15`]);
  });
});

describe('stop leaves nothing behind', () => {
  it('a connected kiosk removes its group on stop', async () => {
    const k = await kiosk({ settings: { mode: 'static-pbc' } });
    const phone = k.addPhone({ preset: 'android-pbc' });
    await k.event(connected(phone));
    await k.runner.stop();
    expect(groupsLeft(k.sim)).toEqual([]);
  });
});
