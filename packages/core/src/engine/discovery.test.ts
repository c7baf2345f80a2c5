import { describe, expect, it } from 'vitest';
import { EngineDriver, commandsOf, notificationsOf, type DriverStep } from './engine-driver.js';
import { PHONE, PHONE_2, lines } from './fixtures/hwsim-lines.js';

const WHITELIST = [{ id: 'w', address: PHONE.address, name: null }];

/** Each row starts from a ready kiosk whose last P2P_FIND was sent at t=1000. */
const rows: { name: string; steps: DriverStep[]; commands: string[] }[] = [
  {
    name: 'P2P_FIND every discoveryIntervalMs',
    steps: [{ advance: 20_000 }, { advance: 20_000 }],
    commands: ['P2P_FIND', 'P2P_FIND'],
  },
  {
    name: 'P2P-DEVICE-LOST re-arms discovery',
    steps: [{ advance: 5_000 }, { event: lines.deviceLost() }],
    commands: ['P2P_FIND'],
  },
  {
    name: 'P2P-FIND-STOPPED re-arms discovery',
    steps: [{ advance: 5_000 }, { event: lines.findStopped() }],
    commands: ['P2P_FIND'],
  },
  {
    name: 'but not within 3 s of the last P2P_FIND (a find that stops at once must not loop)',
    steps: [
      { event: lines.findStopped() },
      { event: lines.deviceLost() },
      { advance: 1_000 },
      { event: lines.findStopped() },
    ],
    commands: [],
  },
  {
    name: 'never while a connection is being set up, even when the interval elapses or the find stops',
    steps: [
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      { event: lines.findStopped() },
      { advance: 60_000 },
      { event: lines.deviceLost(PHONE_2) },
      { event: lines.goNegSuccess() },
      { event: lines.groupStarted() },
    ],
    commands: [`P2P_CONNECT ${PHONE.address} pbc go_intent=15`],
  },
  {
    name: 'and right after the negotiation ends (here: the client is in)',
    steps: [
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      { advance: 60_000 },
      { event: lines.groupStarted() },
      { event: lines.staConnected() },
    ],
    commands: [`P2P_CONNECT ${PHONE.address} pbc go_intent=15`, 'P2P_FIND'],
  },
  {
    name: 'not discoverable: P2P_STOP_FIND, no periodic P2P_FIND, requests ignored',
    steps: [
      { operator: { type: 'set-discoverable', on: false } },
      { advance: 60_000 },
      { event: lines.goNegRequest(4) },
    ],
    commands: ['P2P_STOP_FIND'],
  },
  {
    name: 'discoverable again: P2P_FIND at once',
    steps: [
      { operator: { type: 'set-discoverable', on: false } },
      { operator: { type: 'set-discoverable', on: true } },
    ],
    commands: ['P2P_STOP_FIND', 'P2P_FIND'],
  },
];

describe('discovery', () => {
  it.each(rows)('$name', ({ steps, commands }) => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    expect(commandsOf(kiosk.run(steps))).toEqual(commands);
  });

  it('announces discoverable-changed', () => {
    const kiosk = EngineDriver.started();
    const events = notificationsOf(kiosk.run([{ operator: { type: 'set-discoverable', on: false } }]));
    expect(events).toEqual([{ type: 'discoverable-changed', discoverable: false }]);
  });

  it('no P2P_FIND while the group is full', () => {
    const kiosk = EngineDriver.started({ settings: { maxClients: 1 }, whitelist: WHITELIST });
    kiosk.run([{ event: lines.goNegRequest(4) }, { reply: 'P2P_CONNECT' }, { event: lines.groupStarted() }]);
    expect(commandsOf(kiosk.run([{ event: lines.staConnected() }, { advance: 60_000 }]))).toEqual([]);
  });

  it('P2P-DEVICE-FOUND records nearby peers for the one-tap whitelist, P2P-DEVICE-LOST forgets them', () => {
    const kiosk = EngineDriver.started();
    kiosk.now = 7_000;
    const found = kiosk.event(lines.deviceFound(PHONE_2));
    expect(notificationsOf(found)).toEqual([
      { type: 'peer-seen', address: PHONE_2.address, name: 'Pixel 8' },
    ]);
    expect(commandsOf(found)).toEqual([]);
    expect(kiosk.state.peers).toEqual([{ address: PHONE_2.address, name: 'Pixel 8', lastSeen: 7_000 }]);
    kiosk.event(lines.deviceLost(PHONE_2));
    expect(kiosk.state.peers).toEqual([]);
  });

  it('P2P-DEVICE-FOUND of a whitelisted peer does not start a connection by default', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    expect(commandsOf(kiosk.event(lines.deviceFound()))).toEqual([]);
  });

  it('with connectOnDiscovery the kiosk initiates for whitelisted peers only (no auth: we initiate)', () => {
    const kiosk = EngineDriver.started({ settings: { connectOnDiscovery: true }, whitelist: WHITELIST });
    expect(commandsOf(kiosk.event(lines.deviceFound(PHONE_2)))).toEqual([]);
    expect(commandsOf(kiosk.event(lines.deviceFound(PHONE)))).toEqual([
      `P2P_CONNECT ${PHONE.address} pbc go_intent=15`,
    ]);
  });
});
