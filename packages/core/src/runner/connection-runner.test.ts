import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../protocol/event-parser.js';
import type { WpaEvent } from '../protocol/events.js';
import type { DomainEvent } from '../engine/domain-events.js';
import { PHONE, PHONE_2, lines } from '../engine/fixtures/hwsim-lines.js';
import { ConnectionRunner } from './connection-runner.js';
import type { CtrlPort } from './ports.js';
import { VirtualClock } from './virtual-clock.js';

/** A control client double: records commands, answers from a table (OK by default). */
class FakeCtrl
  extends EventEmitter<{ event: [WpaEvent]; disconnected: []; reconnected: [] }>
  implements CtrlPort
{
  readonly sent: string[] = [];
  replies: Record<string, string> = {
    INTERFACES: 'wlan0\np2p-dev-wlan0\n',
    STATUS: 'wpa_state=DISCONNECTED\n',
  };
  failing = new Set<string>();

  async request(command: string): Promise<string> {
    this.sent.push(command);
    const name = Object.keys(this.replies).find((prefix) => command.startsWith(prefix));
    if ([...this.failing].some((prefix) => command.startsWith(prefix))) throw new Error('request timed out');
    return name === undefined ? 'OK\n' : (this.replies[name] ?? 'OK\n');
  }

  push(line: string): void {
    this.emit('event', parseEventLine(line));
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function startedRunner(
  settings = {},
): Promise<{ runner: ConnectionRunner; ctrl: FakeCtrl; clock: VirtualClock; events: DomainEvent[] }> {
  const ctrl = new FakeCtrl();
  const clock = new VirtualClock(1_000);
  let n = 0;
  const pins = ['12345670', '87654325', '22222220'];
  const runner = new ConnectionRunner({
    ctrl,
    clock,
    pins: { generate: () => pins[n++ % pins.length] ?? '12345670' },
    settings,
    whitelist: [{ id: 'w', address: PHONE.address, name: null }],
  });
  const events: DomainEvent[] = [];
  runner.on('domain-event', (event) => events.push(event));
  runner.start();
  for (let i = 0; i < 20; i++) await flush();
  await runner.whenIdle();
  return { runner, ctrl, clock, events };
}

async function settle(runner: ConnectionRunner): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await flush();
    await runner.whenIdle();
  }
}

describe('ConnectionRunner', () => {
  it('runs the start-up sequence through the control port, one command after the other', async () => {
    const { ctrl, runner } = await startedRunner();
    expect(ctrl.sent).toEqual([
      'STATUS',
      'INTERFACES',
      'SET device_name DIRECT-kiosk',
      'SET config_methods virtual_push_button display keypad',
      'P2P_SET per_sta_psk 1',
      'P2P_FIND',
    ]);
    expect(runner.snapshot()).toMatchObject({ daemon: 'connected', pin: '12345670', group: null });
  });

  it('feeds events and replies back into the engine and publishes snapshots', async () => {
    const { ctrl, runner, clock } = await startedRunner();
    const snapshots: unknown[] = [];
    runner.on('snapshot', (snap) => snapshots.push(snap));
    ctrl.push(lines.deviceFound());
    ctrl.push(lines.goNegRequest(4));
    await settle(runner);
    expect(ctrl.sent.at(-1)).toBe(`P2P_CONNECT ${PHONE.address} pbc go_intent=15`);
    clock.advance(1_000);
    ctrl.push(lines.groupStarted());
    ctrl.push(lines.staConnected());
    await settle(runner);
    expect(runner.snapshot().clients).toEqual([{ address: PHONE.address, name: 'phone', since: 2_000 }]);
    expect(snapshots.length).toBeGreaterThan(1);
  });

  it('fires engine timers on the injected clock (idle grace → P2P_GROUP_REMOVE)', async () => {
    const { ctrl, runner, clock } = await startedRunner({ idleGraceMs: 10_000 });
    for (const line of [
      lines.goNegRequest(4),
      lines.groupStarted(),
      lines.staConnected(),
      lines.staDisconnected(),
    ]) {
      ctrl.push(line);
      await settle(runner);
    }
    expect(ctrl.sent).not.toContain('P2P_GROUP_REMOVE p2p-wlan0-0');
    clock.advance(10_000);
    await settle(runner);
    expect(ctrl.sent).toContain('P2P_GROUP_REMOVE p2p-wlan0-0');
  });

  it('operator actions return results: ok, not-found, invalid-pin; approve+remember emits remember-peer', async () => {
    const { ctrl, runner } = await startedRunner();
    const remembered: unknown[] = [];
    runner.on('remember-peer', (peer) => remembered.push(peer));
    ctrl.push(lines.provDiscPbc(PHONE_2));
    await settle(runner);
    const [approval] = runner.snapshot().pendingApprovals;
    expect(runner.approve('approval-404')).toMatchObject({ ok: false, code: 'not-found' });
    expect(runner.kick(PHONE_2.address)).toMatchObject({ ok: false, code: 'not-found' });
    expect(runner.enterPeerPin(PHONE_2.address, '12345678')).toMatchObject({ ok: false, code: 'not-found' });
    expect(runner.approve(approval?.id ?? '', { remember: true })).toEqual({ ok: true });
    await settle(runner);
    expect(remembered).toEqual([{ address: PHONE_2.address, name: 'Pixel 8' }]);
    expect(ctrl.sent.at(-1)).toBe(`P2P_CONNECT ${PHONE_2.address} pbc auth go_intent=15`);
  });

  it('rejects invalid settings with a message, applies valid ones', async () => {
    const { runner, ctrl } = await startedRunner();
    expect(runner.setSettings({ fixedPin: '12345678' })).toMatchObject({
      ok: false,
      code: 'invalid-settings',
    });
    expect(runner.setSettings({ fixedPin: '87654325', deviceName: 'DIRECT-shop' })).toEqual({ ok: true });
    await settle(runner);
    expect(runner.snapshot()).toMatchObject({ pin: '87654325', deviceName: 'DIRECT-shop' });
    expect(ctrl.sent).toContain('SET device_name DIRECT-shop');
  });

  it('daemon lost and back: disconnected state, then the start-up sequence again', async () => {
    const { ctrl, runner, events } = await startedRunner();
    ctrl.emit('disconnected');
    expect(runner.snapshot().daemon).toBe('disconnected');
    ctrl.sent.length = 0;
    ctrl.emit('reconnected');
    await settle(runner);
    expect(ctrl.sent[0]).toBe('STATUS');
    expect(ctrl.sent.at(-1)).toBe('P2P_FIND');
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['daemon-lost', 'daemon-back']));
  });

  it('a request that fails (timeout) is fed back as request-failed, not thrown', async () => {
    const ctrl = new FakeCtrl();
    ctrl.failing.add('SET device_name');
    const runner = new ConnectionRunner({ ctrl, clock: new VirtualClock() });
    runner.start();
    await settle(runner);
    await settle(runner);
    expect(ctrl.sent.at(-1)).toBe('P2P_FIND');
  });

  it('never logs a PIN', async () => {
    const logged: string[] = [];
    const log = (fields: Record<string, unknown>, message: string): void => {
      logged.push(JSON.stringify(fields) + message);
    };
    const ctrl = new FakeCtrl();
    const runner = new ConnectionRunner({
      ctrl,
      clock: new VirtualClock(),
      pins: { generate: () => '12345670' },
      logger: { debug: log, info: log, warn: log, error: log },
    });
    runner.start();
    await settle(runner);
    await settle(runner);
    ctrl.push(lines.provDiscShowPin('82433994'));
    await settle(runner);
    expect(ctrl.sent.at(-1)).toBe(`P2P_CONNECT ${PHONE.address} 12345670 display auth go_intent=15`);
    expect(logged.join('\n')).not.toMatch(/12345670|82433994/);
  });

  it('stop removes the group and waits for it, then detaches from the control client', async () => {
    const { ctrl, runner } = await startedRunner();
    for (const line of [lines.goNegRequest(4), lines.groupStarted(), lines.staConnected()]) {
      ctrl.push(line);
      await settle(runner);
    }
    await runner.stop();
    expect(ctrl.sent.slice(-2)).toEqual(['P2P_STOP_FIND', 'P2P_GROUP_REMOVE p2p-wlan0-0']);
    expect(ctrl.listenerCount('event')).toBe(0);
  });
});
