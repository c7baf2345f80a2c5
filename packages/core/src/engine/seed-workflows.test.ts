import { describe, expect, it } from 'vitest';
import { EngineDriver, commandsOf, notificationsOf, type DriverStep } from './engine-driver.js';
import { PHONE, lines } from './fixtures/hwsim-lines.js';
import { snapshot } from './snapshot.js';
import type { EngineSettingsInput } from './settings.js';

const A = PHONE.address;
const WHITELISTED = [{ id: 'w1', address: A, name: null }];

interface WorkflowRow {
  readonly name: string;
  readonly settings: EngineSettingsInput;
  readonly steps: readonly DriverStep[];
  readonly commands: readonly string[];
  readonly outcome: 'connected-and-left' | 'failed';
}

/** The end of every successful round: the phone leaves, the kiosk removes the group and discovers again. */
const leave: DriverStep[] = [
  { event: lines.staDisconnected() },
  { advance: 10_000 }, // idleGraceMs
  { event: lines.groupRemoved('p2p-wlan0-0', 'REQUESTED') },
  { reply: 'P2P_GROUP_REMOVE' },
];
const leaveCommands = ['P2P_GROUP_REMOVE p2p-wlan0-0', 'P2P_FIND'];

const formed = (wps: string): DriverStep[] => [
  { event: lines.findStopped() },
  { event: lines.goNegSuccess(PHONE, wps) },
  { event: lines.formationSuccess() },
  { event: lines.groupStarted('p2p-wlan0-0') },
  { event: lines.staConnected() },
];

/** The seed's two workflows and their variants, as the hwsim captures recorded them (hwsim/captures/*). */
const workflows: WorkflowRow[] = [
  {
    name: 'pbc: the phone calls P2P_CONNECT (GO-NEG-REQUEST dev_passwd_id=4) → P2P_CONNECT pbc go_intent=15',
    settings: {},
    steps: [
      { event: lines.deviceFound() },
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      ...formed('PBC'),
      { reply: 'P2P_FIND' },
      ...leave,
    ],
    commands: [`P2P_CONNECT ${A} pbc go_intent=15`, 'P2P_FIND', ...leaveCommands],
    outcome: 'connected-and-left',
  },
  {
    name: 'pbc: provision discovery first (Android) → P2P_CONNECT … pbc auth go_intent=15',
    settings: {},
    steps: [
      { event: lines.provDiscPbc() },
      { reply: 'P2P_CONNECT' },
      ...formed('PBC'),
      { reply: 'P2P_FIND' },
      ...leave,
    ],
    commands: [`P2P_CONNECT ${A} pbc auth go_intent=15`, 'P2P_FIND', ...leaveCommands],
    outcome: 'connected-and-left',
  },
  {
    name: 'PIN: the phone typed the kiosk PIN (dev_passwd_id=1) → P2P_CONNECT <pin> display go_intent=15',
    settings: { mode: 'static-pin', fixedPin: '12345670' },
    steps: [
      { event: lines.goNegRequest(1) },
      { reply: 'P2P_CONNECT' },
      ...formed('Display'),
      { reply: 'P2P_FIND' },
      ...leave,
    ],
    commands: [`P2P_CONNECT ${A} 12345670 display go_intent=15`, 'P2P_FIND', ...leaveCommands],
    outcome: 'connected-and-left',
  },
  {
    name: "PIN: provision discovery 'display' (SHOW-PIN with the daemon's random PIN) → our PIN, display auth",
    settings: { mode: 'static-pin', fixedPin: '12345670' },
    steps: [
      { event: lines.provDiscShowPin('82433994') },
      { reply: 'P2P_CONNECT' },
      ...formed('Display'),
      { reply: 'P2P_FIND' },
      ...leave,
    ],
    commands: [`P2P_CONNECT ${A} 12345670 display auth go_intent=15`, 'P2P_FIND', ...leaveCommands],
    outcome: 'connected-and-left',
  },
  {
    name: 'PIN: the phone typed a wrong PIN → WPS-FAIL config_error=18, formation failure, P2P_FIND again',
    settings: { mode: 'static-pin', fixedPin: '12345670' },
    steps: [
      { event: lines.goNegRequest(1) },
      { reply: 'P2P_CONNECT' },
      { event: lines.findStopped() },
      { event: lines.goNegSuccess(PHONE, 'Display') },
      { event: lines.wpsFail(18) },
      { event: lines.formationFailure() },
      { event: lines.groupRemoved('p2p-wlan0-1', 'FORMATION_FAILED') },
    ],
    commands: [`P2P_CONNECT ${A} 12345670 display go_intent=15`, 'P2P_FIND'],
    outcome: 'failed',
  },
  {
    name: 'PIN: the peer displays its PIN (dev_passwd_id=5) → the operator types it → keypad',
    settings: { mode: 'dynamic' },
    steps: [
      { event: lines.goNegRequest(5) },
      { operator: { type: 'enter-peer-pin', address: A, pin: '87654325' } },
      { reply: 'P2P_CONNECT' },
      ...formed('Keypad'),
      { reply: 'P2P_FIND' },
      ...leave,
    ],
    commands: [`P2P_CONNECT ${A} 87654325 keypad go_intent=15`, 'P2P_FIND', ...leaveCommands],
    outcome: 'connected-and-left',
  },
  {
    name: 'PIN: provision discovery ENTER-PIN (Windows shows its PIN) → the operator types it → keypad auth',
    settings: { mode: 'static-pin' },
    steps: [
      { event: lines.provDiscEnterPin() },
      { operator: { type: 'enter-peer-pin', address: A, pin: '87654325' } },
      { reply: 'P2P_CONNECT' },
      ...formed('Keypad'),
      { reply: 'P2P_FIND' },
      ...leave,
    ],
    commands: [`P2P_CONNECT ${A} 87654325 keypad auth go_intent=15`, 'P2P_FIND', ...leaveCommands],
    outcome: 'connected-and-left',
  },
  {
    name: 'persistent option: P2P_CONNECT … persistent',
    settings: { persistent: true },
    steps: [
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      ...formed('PBC'),
      { reply: 'P2P_FIND' },
      ...leave,
    ],
    commands: [`P2P_CONNECT ${A} pbc persistent go_intent=15`, 'P2P_FIND', ...leaveCommands],
    outcome: 'connected-and-left',
  },
  {
    name: 'fixed operating channel: P2P_CONNECT … freq=2437',
    settings: { freq: 2437 },
    steps: [
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      ...formed('PBC'),
      { reply: 'P2P_FIND' },
      ...leave,
    ],
    commands: [`P2P_CONNECT ${A} pbc go_intent=15 freq=2437`, 'P2P_FIND', ...leaveCommands],
    outcome: 'connected-and-left',
  },
];

describe('seed workflows, step by step', () => {
  it.each(workflows)('$name', ({ settings, steps, commands, outcome }) => {
    const kiosk = EngineDriver.started({ settings, whitelist: WHITELISTED });
    const effects = kiosk.run(steps);
    expect(commandsOf(effects)).toEqual(commands);
    const view = snapshot(kiosk.state);
    expect(view.clients).toEqual([]);
    expect(view.group).toBeNull();
    const types = notificationsOf(effects).map((event) => event.type);
    if (outcome === 'connected-and-left') {
      expect(types).toEqual(
        expect.arrayContaining(['connecting', 'group-started', 'connected', 'disconnected', 'group-removed']),
      );
    } else {
      expect(types).toContain('failed');
      expect(view.lastError?.code).toBe('wrong-pin');
    }
  });

  it('records the group, then the client with its name and the time it came', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELISTED });
    kiosk.run([{ event: lines.deviceFound() }, { event: lines.goNegRequest(4) }, { reply: 'P2P_CONNECT' }]);
    kiosk.now = 5_000;
    kiosk.run([{ event: lines.groupStarted('p2p-wlan0-0', 'DIRECT-Ee') }, { event: lines.staConnected() }]);
    const view = snapshot(kiosk.state);
    expect(view.group).toEqual({ ifname: 'p2p-wlan0-0', ssid: 'DIRECT-Ee', freq: 2437 });
    expect(view.clients).toEqual([{ address: A, name: 'phone', since: 5_000 }]);
  });

  it('keeps the group for idleGraceMs after the last client left, then removes it', () => {
    const kiosk = EngineDriver.started({ settings: { idleGraceMs: 10_000 }, whitelist: WHITELISTED });
    kiosk.run([
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      ...formed('PBC'),
      { reply: 'P2P_FIND' },
    ]);
    kiosk.event(lines.staDisconnected());
    expect(commandsOf(kiosk.advance(9_999))).toEqual([]);
    expect(commandsOf(kiosk.advance(1))).toEqual(['P2P_GROUP_REMOVE p2p-wlan0-0']);
  });

  it('a phone coming back during the grace period joins the same group (WPS on the group interface)', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELISTED });
    kiosk.run([
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      ...formed('PBC'),
      { reply: 'P2P_FIND' },
    ]);
    kiosk.event(lines.staDisconnected());
    const back = kiosk.event(lines.provDiscPbc(PHONE, 'p2p-wlan0-0'));
    expect(commandsOf(back)).toEqual([`IFNAME=p2p-wlan0-0 WPS_PBC p2p_dev_addr=${A}`]);
    expect(back).toContainEqual({ kind: 'cancel-timer', timerId: 'idle-grace' });
  });
});
