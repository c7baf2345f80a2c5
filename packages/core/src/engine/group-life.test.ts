import { describe, expect, it } from 'vitest';
import { EngineDriver, commandsOf, notificationsOf, type DriverStep } from './engine-driver.js';
import { PHONE, PHONE_2, PHONE_3, lines } from './fixtures/hwsim-lines.js';
import { checkOperatorAction } from './operator.js';
import { snapshot } from './snapshot.js';

const WHITELIST = [
  { id: 'w1', address: PHONE.address, name: null },
  { id: 'w2', address: null, name: 'Pixel 8' },
];

/** Phone 1 connected in a negotiated group p2p-wlan0-0. */
const phoneOneIn: DriverStep[] = [
  { event: lines.deviceFound(PHONE) },
  { event: lines.goNegRequest(4) },
  { reply: 'P2P_CONNECT' },
  { event: lines.groupStarted('p2p-wlan0-0') },
  { event: lines.staConnected(PHONE) },
];

describe('group life (negotiated)', () => {
  it("the phone's P2P_CONNECT crossed our `auth` answer (GO-NEG-REQUEST after it): the kiosk initiates", () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.event(lines.deviceFound(PHONE));
    expect(commandsOf(kiosk.event(lines.provDiscPbc(PHONE)))).toEqual([
      `P2P_CONNECT ${PHONE.address} pbc auth go_intent=15`,
    ]);
    // The phone waits for us now: a second `auth` would not wake it (hwsim README, PBC sequence 1).
    expect(commandsOf(kiosk.event(lines.goNegRequest(4, PHONE)))).toEqual([
      `P2P_CONNECT ${PHONE.address} pbc go_intent=15`,
    ]);
    kiosk.reply('P2P_CONNECT');
    kiosk.reply('P2P_CONNECT');
    // Retransmissions change nothing more.
    expect(commandsOf(kiosk.event(lines.goNegRequest(4, PHONE)))).toEqual([]);
    const done = kiosk.run([
      { event: lines.groupStarted('p2p-wlan0-0') },
      { event: lines.staConnected(PHONE) },
    ]);
    expect(notificationsOf(done)).toContainEqual(expect.objectContaining({ type: 'connected' }));
  });

  it('…and when it crosses while stale groups are removed after a FAIL, the retry initiates', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.event(lines.deviceFound(PHONE));
    kiosk.event(lines.provDiscPbc(PHONE));
    expect(commandsOf(kiosk.reply('P2P_CONNECT', 'FAIL'))).toEqual(['INTERFACES']);
    expect(commandsOf(kiosk.event(lines.goNegRequest(4, PHONE)))).toEqual([]);
    expect(commandsOf(kiosk.reply('INTERFACES', 'wlan0\np2p-dev-wlan0\n'))).toEqual([
      `P2P_CONNECT ${PHONE.address} pbc go_intent=15`,
    ]);
  });

  it('a second phone joins the running group: WPS_PBC on the group interface, then two clients', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.run(phoneOneIn);
    kiosk.replyAll();
    const joined = kiosk.run([
      { event: lines.provDiscPbc(PHONE_2, 'p2p-wlan0-0') },
      { reply: 'IFNAME=' },
      { event: lines.staConnected(PHONE_2) },
    ]);
    expect(commandsOf(joined)).toEqual([
      `IFNAME=p2p-wlan0-0 WPS_PBC p2p_dev_addr=${PHONE_2.address}`,
      'P2P_FIND',
    ]);
    expect(snapshot(kiosk.state).clients.map((client) => client.name)).toEqual(['phone', 'Pixel 8']);
  });

  it("a joiner's WPS-FAIL on the group interface ends its session at once; one from before the WPS_PBC reply is stale", () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.run(phoneOneIn);
    kiosk.replyAll();
    kiosk.event(lines.provDiscPbc(PHONE_2, 'p2p-wlan0-0'));
    // Left over from an earlier window (it precedes the reply to this session's WPS_PBC): ignored.
    expect(notificationsOf(kiosk.event(`IFNAME=p2p-wlan0-0 ${lines.wpsTimeout()}`))).toEqual([]);
    kiosk.reply('IFNAME=');
    const failed = kiosk.event(`IFNAME=p2p-wlan0-0 ${lines.wpsFail(18)}`);
    expect(notificationsOf(failed)).toMatchObject([
      { type: 'failed', address: PHONE_2.address, reason: 'wrong-pin' },
    ]);
    expect(kiosk.state.session).toBeNull();
    expect(snapshot(kiosk.state).clients.map((client) => client.name)).toEqual(['phone']);
  });

  it('queued requests are not answered once the phone is lost, waited past 120 s, or joined already', () => {
    const whitelist = [...WHITELIST, { id: 'w3', address: PHONE_3.address, name: null }];
    // A longer setup timeout than a phone waits (a slow operator setting), so the queue can outlive a phone.
    const kiosk = EngineDriver.started({ whitelist, settings: { maxClients: 8, setupTimeoutMs: 180_000 } });
    kiosk.run(phoneOneIn);
    kiosk.replyAll();
    // PHONE_2's invitation holds the setup slot; PHONE_3 and PHONE (again, after leaving) wait in the queue.
    kiosk.run([
      { event: lines.deviceFound(PHONE_2) },
      { event: lines.goNegRequest(4, PHONE_2) },
      { event: lines.staDisconnected(PHONE) },
      { event: lines.provDiscPbc(PHONE_3, 'p2p-wlan0-0') },
      { event: lines.provDiscPbc(PHONE, 'p2p-wlan0-0') },
    ]);
    expect(kiosk.state.queue.map((request) => request.address)).toEqual([PHONE_3.address, PHONE.address]);
    // PHONE_3 walks away: its request goes. PHONE gets in through another window (it is a client now).
    kiosk.event(lines.deviceLost(PHONE_3));
    kiosk.event(lines.staConnected(PHONE));
    expect(kiosk.state.queue).toEqual([]);
    // A request older than a phone waits is dropped when its turn comes.
    kiosk.event(lines.provDiscPbc(PHONE_3, 'p2p-wlan0-0'));
    kiosk.advance(110_000);
    const effects = kiosk.run([{ reply: 'P2P_INVITE' }, { reply: 'IFNAME=' }, { advance: 80_000 }]);
    expect(notificationsOf(effects)).toContainEqual(
      expect.objectContaining({ type: 'failed', address: PHONE_2.address }),
    );
    expect(commandsOf(effects).filter((command) => command.includes(PHONE_3.address))).toEqual([]);
    expect(kiosk.state.queue).toEqual([]);
    expect(kiosk.state.session).toBeNull();
  });

  it("a join that waited in the queue ends with the phone's own walk time (120 s from its request)", () => {
    const whitelist = [...WHITELIST, { id: 'w3', address: PHONE_3.address, name: null }];
    const kiosk = EngineDriver.started({ whitelist, settings: { maxClients: 8 } });
    kiosk.run(phoneOneIn);
    kiosk.replyAll();
    kiosk.run([
      { event: lines.provDiscPbc(PHONE_2, 'p2p-wlan0-0') },
      { event: lines.provDiscPbc(PHONE_3, 'p2p-wlan0-0') },
      { reply: 'IFNAME=' },
      { advance: 100_000 },
    ]);
    // PHONE_2's WPS fails after 100 s; PHONE_3, waiting since then, gets the window for its last 20 s.
    const next = kiosk.event(`IFNAME=p2p-wlan0-0 ${lines.wpsFail(18)}`);
    expect(commandsOf(next)).toContain(`IFNAME=p2p-wlan0-0 WPS_PBC p2p_dev_addr=${PHONE_3.address}`);
    kiosk.reply('IFNAME=');
    expect(notificationsOf(kiosk.advance(19_000))).toEqual([]);
    expect(notificationsOf(kiosk.advance(1_000))).toContainEqual(
      expect.objectContaining({ type: 'failed', address: PHONE_3.address, reason: 'wps-timeout' }),
    );
  });

  it('a phone asking for GO negotiation while the group runs is invited into it, then WPS is armed for it', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.run(phoneOneIn);
    kiosk.replyAll();
    kiosk.event(lines.deviceFound(PHONE_2)); // its name is whitelisted; GO-NEG-REQUEST carries no name
    expect(commandsOf(kiosk.event(lines.goNegRequest(4, PHONE_2)))).toEqual([
      `P2P_INVITE group=p2p-wlan0-0 peer=${PHONE_2.address}`,
    ]);
    expect(commandsOf(kiosk.reply('P2P_INVITE'))).toEqual([
      `IFNAME=p2p-wlan0-0 WPS_PBC p2p_dev_addr=${PHONE_2.address}`,
    ]);
  });

  it('a PIN join authorises our PIN on the group: WPS_PIN any <pin>', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST, settings: { fixedPin: '12345670' } });
    kiosk.run(phoneOneIn);
    kiosk.replyAll();
    expect(commandsOf(kiosk.event(lines.provDiscShowPin('82433994', PHONE_3, 'p2p-wlan0-0')))).toEqual([
      'IFNAME=p2p-wlan0-0 WPS_PIN any 12345670',
    ]);
  });

  it('the group stays while one client remains; the last one leaving starts the idle grace', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.run(phoneOneIn);
    kiosk.replyAll();
    kiosk.run([
      { event: lines.provDiscPbc(PHONE_2, 'p2p-wlan0-0') },
      { reply: 'IFNAME=' },
      { event: lines.staConnected(PHONE_2) },
    ]);
    const first = kiosk.run([{ event: lines.staDisconnected(PHONE) }, { advance: 60_000 }]);
    expect(commandsOf(first).filter((c) => c !== 'P2P_FIND')).toEqual([]);
    expect(notificationsOf(first)).toContainEqual({
      type: 'disconnected',
      address: PHONE.address,
      name: 'phone',
      reason: 'left',
    });
    const last = kiosk.run([{ event: lines.staDisconnected(PHONE_2) }, { advance: 10_000 }]);
    expect(commandsOf(last)).toEqual(['P2P_GROUP_REMOVE p2p-wlan0-0']);
  });

  it('maxClients: a further request is refused with P2P_REJECT and reason group-full', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST, settings: { maxClients: 1 } });
    kiosk.run(phoneOneIn);
    kiosk.replyAll();
    const effects = kiosk.event(lines.provDiscPbc(PHONE_2, 'p2p-wlan0-0'));
    expect(commandsOf(effects)).toEqual([`P2P_REJECT ${PHONE_2.address}`]);
    expect(notificationsOf(effects)).toContainEqual({
      type: 'denied',
      address: PHONE_2.address,
      name: 'Pixel 8',
      reason: 'group-full',
    });
  });

  it('kick → P2P_REMOVE_CLIENT, then the departure is reported as kicked', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.run(phoneOneIn);
    kiosk.replyAll();
    expect(checkOperatorAction(kiosk.state, { type: 'kick', address: PHONE.address.toUpperCase() })).toEqual({
      ok: true,
    });
    expect(commandsOf(kiosk.run([{ operator: { type: 'kick', address: PHONE.address } }]))).toEqual([
      `P2P_REMOVE_CLIENT ${PHONE.address}`,
    ]);
    const gone = kiosk.run([{ reply: 'P2P_REMOVE_CLIENT' }, { event: lines.staDisconnected(PHONE) }]);
    expect(notificationsOf(gone)).toContainEqual({
      type: 'disconnected',
      address: PHONE.address,
      name: 'phone',
      reason: 'kicked',
    });
  });

  it('the group removed under the clients (reason=UNAVAILABLE): clients dropped, discoverable again', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.run(phoneOneIn);
    kiosk.replyAll();
    kiosk.advance(5_000);
    const effects = kiosk.event(lines.groupRemoved('p2p-wlan0-0', 'UNAVAILABLE'));
    expect(commandsOf(effects)).toEqual(['P2P_FIND']);
    expect(notificationsOf(effects)).toEqual([
      { type: 'disconnected', address: PHONE.address, name: 'phone', reason: 'group-removed' },
      { type: 'group-removed', ifname: 'p2p-wlan0-0', reason: 'UNAVAILABLE' },
    ]);
    expect(snapshot(kiosk.state)).toMatchObject({ group: null, clients: [] });
  });

  it('a phone joining a GO group the engine did not know (left over) adopts that group', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    const effects = kiosk.event(lines.provDiscPbc(PHONE, 'p2p-wlan0-7'));
    expect(commandsOf(effects)).toEqual([`IFNAME=p2p-wlan0-7 WPS_PBC p2p_dev_addr=${PHONE.address}`]);
    expect(snapshot(kiosk.state).group).toEqual({ ifname: 'p2p-wlan0-7', ssid: '', freq: null });
  });

  it('a group where the kiosk is a client is removed at once (the kiosk is always GO)', () => {
    const kiosk = EngineDriver.started();
    const line =
      '<3>P2P-GROUP-STARTED p2p-wlan0-4 client ssid="DIRECT-xy" freq=2437 psk=00 go_dev_addr=42:00:00:00:05:00';
    expect(commandsOf(kiosk.event(line))).toEqual(['P2P_GROUP_REMOVE p2p-wlan0-4']);
  });

  it('AP-STA-CONNECTED is idempotent (the event is copied to several sockets)', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.run(phoneOneIn);
    kiosk.replyAll();
    expect(notificationsOf(kiosk.event(lines.staConnected(PHONE)))).toEqual([]);
    expect(kiosk.state.clients).toHaveLength(1);
  });
});

describe('group life (autonomous GO)', () => {
  function standingGroup(settings = {}): EngineDriver {
    const kiosk = EngineDriver.started({
      whitelist: WHITELIST,
      settings: { groupMode: 'autonomous', ...settings },
    });
    kiosk.event(lines.groupStarted('p2p-wlan0-0'));
    return kiosk;
  }

  it.each([
    {
      name: 'pbc join (whitelisted)',
      line: lines.provDiscPbc(PHONE, 'p2p-wlan0-0'),
      command: `IFNAME=p2p-wlan0-0 WPS_PBC p2p_dev_addr=${PHONE.address}`,
    },
    {
      name: 'PIN join: the phone types our PIN',
      line: lines.provDiscShowPin('82433994', PHONE_3, 'p2p-wlan0-0'),
      command: 'IFNAME=p2p-wlan0-0 WPS_PIN any 12345670',
    },
    {
      name: 'GO negotiation request: invite into the standing group',
      line: lines.goNegRequest(4, PHONE),
      command: `P2P_INVITE group=p2p-wlan0-0 peer=${PHONE.address}`,
    },
  ])('$name → $command', ({ line, command }) => {
    const kiosk = standingGroup({ fixedPin: '12345670' });
    expect(commandsOf(kiosk.event(line))).toEqual([command]);
  });

  it('never removes the standing group when clients leave', () => {
    const kiosk = standingGroup();
    kiosk.run([
      { event: lines.provDiscPbc(PHONE, 'p2p-wlan0-0') },
      { reply: 'IFNAME=' },
      { event: lines.staConnected(PHONE) },
    ]);
    const effects = kiosk.run([{ event: lines.staDisconnected(PHONE) }, { advance: 600_000 }]);
    expect(commandsOf(effects).filter((c) => c !== 'P2P_FIND')).toEqual([]);
    expect(snapshot(kiosk.state).group?.ifname).toBe('p2p-wlan0-0');
  });

  it('with connectOnDiscovery a whitelisted peer found nearby is invited (P2P_INVITE group= peer=)', () => {
    const kiosk = standingGroup({ connectOnDiscovery: true });
    expect(commandsOf(kiosk.event(lines.deviceFound(PHONE_2)))).toEqual([
      `P2P_INVITE group=p2p-wlan0-0 peer=${PHONE_2.address}`,
    ]);
  });

  it('an invitation result other than 0 or 1 fails the session', () => {
    const kiosk = standingGroup();
    kiosk.run([{ event: lines.goNegRequest(4, PHONE) }, { reply: 'P2P_INVITE' }, { reply: 'IFNAME=' }]);
    const effects = kiosk.event(lines.invitationResult(8));
    expect(notificationsOf(effects)).toContainEqual(
      expect.objectContaining({ type: 'failed', reason: 'invite-failed' }),
    );
  });

  it('status=1 (the phone asks its user first) keeps the session: the phone then joins', () => {
    const kiosk = standingGroup();
    kiosk.run([{ event: lines.goNegRequest(4, PHONE) }, { reply: 'P2P_INVITE' }, { reply: 'IFNAME=' }]);
    expect(notificationsOf(kiosk.event(lines.invitationResult(1)))).toEqual([]);
    expect(notificationsOf(kiosk.event(lines.staConnected(PHONE)))).toContainEqual(
      expect.objectContaining({ type: 'connected', address: PHONE.address }),
    );
    expect(kiosk.state.session).toBeNull();
  });

  it('persistent: an invitation to reinvoke from a known peer → P2P_GROUP_ADD persistent=N; from others nothing', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST, settings: { persistent: true } });
    expect(commandsOf(kiosk.event(lines.invitationReceived(0, PHONE_3)))).toEqual([]);
    expect(commandsOf(kiosk.event(lines.invitationReceived(2, PHONE)))).toEqual([
      'P2P_GROUP_ADD persistent=2',
    ]);
  });

  it('the standing group vanishing is re-added after 5 s, then 10 s; then reported, no loop', () => {
    const kiosk = standingGroup({ discoveryIntervalMs: 600_000 });
    kiosk.event(lines.groupRemoved('p2p-wlan0-0', 'UNAVAILABLE'));
    expect(commandsOf(kiosk.advance(5_000))).toEqual(['P2P_GROUP_ADD']);
    kiosk.run([{ reply: 'P2P_GROUP_ADD' }, { event: lines.groupRemoved('p2p-wlan0-1', 'FORMATION_FAILED') }]);
    expect(commandsOf(kiosk.advance(10_000))).toEqual(['P2P_GROUP_ADD']);
    const last = kiosk.run([
      { reply: 'P2P_GROUP_ADD' },
      { event: lines.groupRemoved('p2p-wlan0-2', 'FORMATION_FAILED') },
      { advance: 600_000 },
    ]);
    expect(commandsOf(last).filter((c) => c !== 'P2P_FIND')).toEqual([]);
    expect(snapshot(kiosk.state).lastError?.code).toBe('group-add-failed');
  });

  it('P2P_GROUP_ADD FAIL: remove stale groups and retry once; FAIL again with none stale → busy, no loop', () => {
    const kiosk = new EngineDriver({ settings: { groupMode: 'autonomous' } });
    kiosk.send({ kind: 'start' });
    const sent = commandsOf(kiosk.replyAll({ INTERFACES: 'p2p-dev-wlan0\n', P2P_GROUP_ADD: 'FAIL\n' }));
    expect(sent.filter((c) => c === 'P2P_GROUP_ADD')).toHaveLength(2);
    expect(snapshot(kiosk.state).lastError).toMatchObject({ code: 'busy' });
    expect(snapshot(kiosk.state).lastError?.message).toMatch(/concurrent AP/);
    expect(commandsOf(kiosk.advance(600_000)).filter((c) => c !== 'P2P_FIND')).toEqual([]);
  });
});
