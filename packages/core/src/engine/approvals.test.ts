import { describe, expect, it } from 'vitest';
import { EngineDriver, commandsOf, notificationsOf } from './engine-driver.js';
import { PHONE, PHONE_2, lines } from './fixtures/hwsim-lines.js';
import { checkOperatorAction } from './operator.js';
import { snapshot } from './snapshot.js';

const A = PHONE_2.address;
const WHITELIST = [{ id: 'w', address: PHONE.address, name: null }];

function pendingApproval(line = lines.provDiscPbc(PHONE_2)): EngineDriver {
  const kiosk = EngineDriver.started({
    whitelist: WHITELIST,
    settings: { approvalTimeoutMs: 60_000, discoveryIntervalMs: 300_000 },
  });
  kiosk.event(line);
  return kiosk;
}

describe('operator approval of push-button requests from unknown peers', () => {
  it('creates a pending approval with an expiry, sends nothing', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    const effects = kiosk.event(lines.provDiscPbc(PHONE_2));
    expect(commandsOf(effects)).toEqual([]);
    expect(effects).toContainEqual({ kind: 'set-timer', timerId: 'approval:approval-1', at: 61_000 });
    expect(notificationsOf(effects)).toContainEqual({
      type: 'approval-pending',
      id: 'approval-1',
      address: A,
      name: 'Pixel 8',
      expiresAt: 61_000,
    });
    expect(snapshot(kiosk.state).pendingApprovals).toEqual([
      { id: 'approval-1', address: A, name: 'Pixel 8', method: 'pbc', expiresAt: 61_000 },
    ]);
  });

  it.each([
    {
      via: 'provision discovery',
      line: lines.provDiscPbc(PHONE_2),
      command: `P2P_CONNECT ${A} pbc auth go_intent=15`,
    },
    {
      via: 'GO negotiation request',
      line: lines.goNegRequest(4, PHONE_2),
      command: `P2P_CONNECT ${A} pbc go_intent=15`,
    },
  ])('approve ($via) → $command', ({ line, command }) => {
    const kiosk = pendingApproval(line);
    const effects = kiosk.run([{ operator: { type: 'approve', id: 'approval-1', remember: false } }]);
    expect(commandsOf(effects)).toEqual([command]);
    expect(effects).toContainEqual({ kind: 'cancel-timer', timerId: 'approval:approval-1' });
    expect(effects.some((effect) => effect.kind === 'remember-peer')).toBe(false);
    expect(snapshot(kiosk.state).pendingApprovals).toEqual([]);
  });

  it('a phone that goes on to P2P_CONNECT while waiting is answered by initiating, not with auth', () => {
    // Seen end to end: PBC provision discovery, then the phone's P2P_CONNECT → P2P-GO-NEG-REQUEST while the
    // operator has not answered yet. An `auth` answer would leave both sides waiting (hwsim README).
    const kiosk = pendingApproval();
    expect(commandsOf(kiosk.event(lines.goNegRequest(4, PHONE_2)))).toEqual([]);
    const effects = kiosk.run([{ operator: { type: 'approve', id: 'approval-1', remember: false } }]);
    expect(commandsOf(effects)).toEqual([`P2P_CONNECT ${A} pbc go_intent=15`]);
  });

  it('approve and remember → remember-peer effect for the whitelist', () => {
    const kiosk = pendingApproval();
    const effects = kiosk.run([{ operator: { type: 'approve', id: 'approval-1', remember: true } }]);
    expect(effects).toContainEqual({ kind: 'remember-peer', address: A, name: 'Pixel 8' });
    expect(notificationsOf(effects)).toContainEqual({
      type: 'approved',
      id: 'approval-1',
      address: A,
      name: 'Pixel 8',
      remember: true,
    });
  });

  it('deny → P2P_REJECT, then discover again', () => {
    const kiosk = pendingApproval();
    kiosk.advance(5_000);
    const effects = kiosk.run([{ operator: { type: 'deny', id: 'approval-1' } }]);
    expect(commandsOf(effects)).toEqual([`P2P_REJECT ${A}`, 'P2P_FIND']);
    expect(notificationsOf(effects)).toContainEqual({
      type: 'denied',
      address: A,
      name: 'Pixel 8',
      reason: 'operator',
      id: 'approval-1',
    });
  });

  it('a denied phone that asks again during its attempt is not put to the operator again; later it is', () => {
    // Android follows a refused provision discovery with GO negotiation requests for up to 120 s.
    const kiosk = pendingApproval();
    kiosk.run([{ operator: { type: 'deny', id: 'approval-1' } }]);
    const again = kiosk.event(lines.goNegRequest(4, PHONE_2));
    expect(notificationsOf(again).map((n) => n.type)).toEqual([]);
    expect(commandsOf(again)).toEqual([]);
    expect(snapshot(kiosk.state).pendingApprovals).toEqual([]);
    kiosk.advance(120_001);
    kiosk.event(lines.provDiscPbc(PHONE_2));
    expect(snapshot(kiosk.state).pendingApprovals).toMatchObject([{ address: A }]);
  });

  it('a denied phone the operator then whitelists is let in at once', () => {
    const kiosk = pendingApproval();
    kiosk.run([{ operator: { type: 'deny', id: 'approval-1' } }]);
    kiosk.run([
      { input: { kind: 'whitelist', entries: [...WHITELIST, { id: 'w2', address: A, name: null }] } },
    ]);
    expect(commandsOf(kiosk.event(lines.goNegRequest(4, PHONE_2)))).toEqual([
      `P2P_CONNECT ${A} pbc go_intent=15`,
    ]);
  });

  it('a denied phone that then types the PIN the kiosk shows is answered at once', () => {
    const kiosk = pendingApproval();
    kiosk.run([{ operator: { type: 'deny', id: 'approval-1' } }]);
    const pin = snapshot(kiosk.state).pin;
    expect(pin).toMatch(/^\d{8}$/);
    expect(commandsOf(kiosk.event(lines.goNegRequest(1, PHONE_2)))).toEqual([
      `P2P_CONNECT ${A} ${pin} display go_intent=15`,
    ]);
  });

  it('an approval that expired (nobody answered) does not hold the phone back', () => {
    const kiosk = pendingApproval();
    kiosk.advance(60_000);
    kiosk.event(lines.provDiscPbc(PHONE_2));
    expect(snapshot(kiosk.state).pendingApprovals).toMatchObject([{ address: A }]);
  });

  it('no answer within approvalTimeoutMs → expired, P2P_REJECT, discover again', () => {
    const kiosk = pendingApproval();
    expect(commandsOf(kiosk.advance(59_000)).filter((c) => c !== 'P2P_FIND')).toEqual([]);
    const effects = kiosk.advance(1_000);
    expect(commandsOf(effects)).toEqual([`P2P_REJECT ${A}`, 'P2P_FIND']);
    expect(notificationsOf(effects)).toContainEqual({
      type: 'approval-expired',
      id: 'approval-1',
      address: A,
      name: 'Pixel 8',
    });
  });

  it('an approval while another phone is connecting is answered after that negotiation ends', () => {
    const kiosk = pendingApproval();
    kiosk.run([{ event: lines.goNegRequest(4, PHONE) }, { reply: 'P2P_CONNECT' }]);
    expect(
      commandsOf(kiosk.run([{ operator: { type: 'approve', id: 'approval-1', remember: false } }])),
    ).toEqual([]);
    const after = kiosk.run([{ event: lines.groupStarted() }, { event: lines.staConnected(PHONE) }]);
    // The kiosk is GO by now: the phone is invited into the running group (one group, several clients).
    expect(commandsOf(after)).toEqual([`P2P_INVITE group=p2p-wlan0-0 peer=${A}`]);
    expect(commandsOf(kiosk.reply('P2P_INVITE'))).toEqual([`IFNAME=p2p-wlan0-0 WPS_PBC p2p_dev_addr=${A}`]);
  });

  it('a deny while another phone is connecting holds the P2P_REJECT back until the negotiation ends', () => {
    const kiosk = pendingApproval();
    kiosk.run([{ event: lines.goNegRequest(4, PHONE) }, { reply: 'P2P_CONNECT' }]);
    expect(commandsOf(kiosk.run([{ operator: { type: 'deny', id: 'approval-1' } }]))).toEqual([]);
    expect(commandsOf(kiosk.event(lines.goNegFailure(1)))).toEqual([`P2P_REJECT ${A}`, 'P2P_FIND']);
  });

  it.each([
    { action: { type: 'approve', id: 'approval-9', remember: false } as const, code: 'not-found' },
    { action: { type: 'deny', id: 'approval-9' } as const, code: 'not-found' },
    { action: { type: 'kick', address: A } as const, code: 'not-found' },
    { action: { type: 'enter-peer-pin', address: A, pin: '12345670' } as const, code: 'not-found' },
  ])('operator action on nothing: $action.type → $code, and no command', ({ action, code }) => {
    const kiosk = pendingApproval();
    expect(checkOperatorAction(kiosk.state, action)).toMatchObject({ ok: false, code });
    const effects = kiosk.run([{ operator: action }]);
    expect(commandsOf(effects)).toEqual([]);
    expect(notificationsOf(effects)).toEqual([expect.objectContaining({ type: 'error', code })]);
  });
});

describe('a peer that displays its PIN', () => {
  function askingForPin(): EngineDriver {
    const kiosk = EngineDriver.started({
      settings: { approvalTimeoutMs: 30_000, discoveryIntervalMs: 300_000 },
    });
    kiosk.event(lines.provDiscEnterPin(PHONE_2));
    return kiosk;
  }

  it('asks the operator (peerPinRequest in the snapshot), sends nothing yet', () => {
    const kiosk = EngineDriver.started();
    const effects = kiosk.event(lines.provDiscEnterPin(PHONE_2));
    expect(commandsOf(effects)).toEqual([]);
    expect(notificationsOf(effects)).toContainEqual({
      type: 'peer-pin-requested',
      address: A,
      name: 'Pixel 8',
    });
    expect(snapshot(kiosk.state).peerPinRequest).toEqual({ address: A, name: 'Pixel 8' });
  });

  it('an invalid PIN is refused (checksum), the request stays', () => {
    const kiosk = askingForPin();
    expect(
      checkOperatorAction(kiosk.state, { type: 'enter-peer-pin', address: A, pin: '12345678' }),
    ).toMatchObject({ ok: false, code: 'invalid-pin' });
    kiosk.run([{ operator: { type: 'enter-peer-pin', address: A, pin: '12345678' } }]);
    expect(snapshot(kiosk.state).peerPinRequest).not.toBeNull();
  });

  it('nobody types it within the timeout → P2P_REJECT', () => {
    const kiosk = askingForPin();
    expect(commandsOf(kiosk.advance(30_000))).toEqual([`P2P_REJECT ${A}`, 'P2P_FIND']);
    expect(snapshot(kiosk.state).peerPinRequest).toBeNull();
  });

  it('the operator dismisses it → P2P_REJECT', () => {
    const kiosk = askingForPin();
    // The P2P_FIND sent at start-up a moment ago is still running: no second one.
    expect(commandsOf(kiosk.run([{ operator: { type: 'dismiss-peer-pin', address: A } }]))).toEqual([
      `P2P_REJECT ${A}`,
    ]);
  });
});
