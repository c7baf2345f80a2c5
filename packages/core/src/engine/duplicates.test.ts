import { describe, expect, it } from 'vitest';
import { EngineDriver, commandsOf, notificationsOf, type DriverStep } from './engine-driver.js';
import { PHONE, PHONE_2, lines } from './fixtures/hwsim-lines.js';

const A = PHONE.address;
const WHITELIST = [{ id: 'w', address: A, name: null }];

/** Phones retransmit; answering a request twice resets the negotiation (hwsim README, "Answer a request once"). */
const rows: { name: string; settings?: object; steps: DriverStep[]; commands: string[] }[] = [
  {
    name: 'SHOW-PIN retransmitted 0.5 s later with a new random PIN: one P2P_CONNECT … auth',
    settings: { fixedPin: '12345670' },
    steps: [
      { event: lines.provDiscShowPin('82433994') },
      { advance: 500 },
      { reply: 'P2P_CONNECT' },
      { event: lines.provDiscShowPin('56473829') },
    ],
    commands: [`P2P_CONNECT ${A} 12345670 display auth go_intent=15`],
  },
  {
    name: 'GO-NEG-REQUEST repeated while the answer is on its way',
    steps: [
      { event: lines.goNegRequest(4) },
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      { event: lines.goNegRequest(4) },
    ],
    commands: [`P2P_CONNECT ${A} pbc go_intent=15`],
  },
  {
    // After our `auth` the daemon reports no GO-NEG-REQUEST (hwsim README, PBC sequence 2): one that comes
    // anyway reached it before the `auth`, and that phone now waits for the kiosk to initiate (sequence 1).
    name: 'PD-PBC-REQ, then a GO-NEG-REQUEST that crossed our auth: the kiosk initiates once',
    steps: [
      { event: lines.provDiscPbc() },
      { reply: 'P2P_CONNECT' },
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      { event: lines.goNegRequest(4) },
    ],
    commands: [`P2P_CONNECT ${A} pbc auth go_intent=15`, `P2P_CONNECT ${A} pbc go_intent=15`],
  },
  {
    name: 'a request repeated while its approval is pending: one approval',
    steps: [
      { event: lines.provDiscPbc(PHONE_2) },
      { event: lines.provDiscPbc(PHONE_2) },
      { event: lines.goNegRequest(4, PHONE_2) },
    ],
    commands: [],
  },
  {
    name: 'a request from a phone already in the group',
    steps: [
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      { event: lines.groupStarted() },
      { event: lines.staConnected() },
      { reply: 'P2P_FIND' },
      { event: lines.provDiscPbc(PHONE, 'p2p-wlan0-0') },
    ],
    commands: [`P2P_CONNECT ${A} pbc go_intent=15`, 'P2P_FIND'],
  },
];

describe('duplicate requests are ignored', () => {
  it.each(rows)('$name', ({ settings, steps, commands }) => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST, settings: settings ?? {} });
    expect(commandsOf(kiosk.run(steps))).toEqual(commands);
  });

  it('one approval for a phone that asks three times', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    const events = notificationsOf(kiosk.run(rows[3]?.steps ?? []));
    expect(events.filter((event) => event.type === 'approval-pending')).toHaveLength(1);
    expect(kiosk.state.approvals).toHaveLength(1);
  });
});
