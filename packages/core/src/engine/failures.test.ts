import { describe, expect, it } from 'vitest';
import { EngineDriver, commandsOf, notificationsOf, type DriverStep } from './engine-driver.js';
import type { FailureCode } from './failure.js';
import { PHONE, PHONE_2, lines } from './fixtures/hwsim-lines.js';
import { snapshot } from './snapshot.js';

const A = PHONE.address;
const CONNECT = `P2P_CONNECT ${A} pbc go_intent=15`;
const WHITELIST = [
  { id: 'w', address: A, name: null },
  { id: 'w2', address: PHONE_2.address, name: null },
];

function connecting(): EngineDriver {
  const kiosk = EngineDriver.started({ whitelist: WHITELIST });
  kiosk.run([{ event: lines.goNegRequest(4) }, { reply: 'P2P_CONNECT' }, { advance: 5_000 }]);
  return kiosk;
}

/** Each failure ends the negotiation with a specific reason and the kiosk is discoverable again. */
const failures: { name: string; steps: DriverStep[]; code: FailureCode; commands: string[] }[] = [
  {
    name: 'P2P-GO-NEG-FAILURE',
    steps: [{ event: lines.goNegFailure(1) }],
    code: 'go-neg-failed',
    commands: ['P2P_FIND'],
  },
  {
    name: 'P2P-GROUP-FORMATION-FAILURE',
    steps: [{ event: lines.goNegSuccess() }, { event: lines.formationFailure() }],
    code: 'formation-failed',
    commands: ['P2P_FIND'],
  },
  {
    name: 'P2P-GROUP-REMOVED reason=FORMATION_FAILED alone',
    steps: [{ event: lines.groupRemoved('p2p-wlan0-0', 'FORMATION_FAILED') }],
    code: 'formation-failed',
    commands: ['P2P_FIND'],
  },
  {
    name: 'WPS-FAIL config_error=18 then the formation failure: the specific reason wins',
    steps: [
      { event: lines.wpsFail(18) },
      { event: lines.formationFailure() },
      { event: lines.groupRemoved('p2p-wlan0-0', 'FORMATION_FAILED') },
    ],
    code: 'wrong-pin',
    commands: ['P2P_FIND'],
  },
  {
    name: 'WPS-FAIL config_error=12 (two phones pressed at once)',
    steps: [{ event: lines.wpsFail(12) }, { event: lines.formationFailure() }],
    code: 'pbc-overlap',
    commands: ['P2P_FIND'],
  },
  {
    name: 'WPS-FAIL with no teardown following: reported after 5 s',
    steps: [{ event: lines.wpsFail(18) }, { advance: 5_000 }],
    code: 'wrong-pin',
    commands: ['P2P_FIND'],
  },
  {
    name: 'WPS-TIMEOUT',
    steps: [{ event: lines.wpsTimeout() }, { event: lines.formationFailure() }],
    code: 'wps-timeout',
    commands: ['P2P_FIND'],
  },
  {
    name: 'P2P-GROUP-REMOVED of the forming group for another reason',
    steps: [{ event: lines.groupStarted() }, { event: lines.groupRemoved('p2p-wlan0-0', 'IDLE') }],
    code: 'group-removed',
    commands: ['P2P_FIND'],
  },
  {
    name: 'no outcome within setupTimeoutMs (120 s): P2P_CANCEL, then discover',
    steps: [{ advance: 115_000 }],
    code: 'setup-timeout',
    commands: ['P2P_CANCEL', 'P2P_FIND'],
  },
];

describe('connection failures', () => {
  it.each(failures)('$name → $code', ({ steps, code, commands }) => {
    const kiosk = connecting();
    const effects = kiosk.run(steps);
    expect(commandsOf(effects)).toEqual(commands);
    expect(notificationsOf(effects)).toContainEqual(
      expect.objectContaining({ type: 'failed', address: A, reason: code }),
    );
    expect(snapshot(kiosk.state).lastError).toMatchObject({ code });
    expect(kiosk.state.session).toBeNull();
  });

  it('FAIL to P2P_CONNECT: INTERFACES, remove stale p2p-* groups, retry once, then connect', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    const effects = kiosk.run([
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT', with: 'FAIL\n' },
      { reply: 'INTERFACES', with: 'wlan0\np2p-dev-wlan0\np2p-wlan0-2\n' },
      { reply: 'P2P_GROUP_REMOVE' },
      { reply: 'P2P_CONNECT' },
    ]);
    expect(commandsOf(effects)).toEqual([CONNECT, 'INTERFACES', 'P2P_GROUP_REMOVE p2p-wlan0-2', CONNECT]);
    expect(kiosk.state.session?.stage).toBe('negotiating');
  });

  it('FAIL again after stale groups were removed: connect-failed, no third attempt', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    const effects = kiosk.run([
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT', with: 'FAIL\n' },
      { reply: 'INTERFACES', with: 'p2p-dev-wlan0\np2p-wlan0-2\n' },
      { reply: 'P2P_GROUP_REMOVE' },
      { reply: 'P2P_CONNECT', with: 'FAIL\n' },
    ]);
    expect(commandsOf(effects)).toEqual([
      CONNECT,
      'INTERFACES',
      'P2P_GROUP_REMOVE p2p-wlan0-2',
      CONNECT,
      'P2P_FIND',
    ]);
    expect(snapshot(kiosk.state).lastError?.code).toBe('connect-failed');
  });

  it.each([
    {
      name: 'FAIL twice with no stale group to blame (the seed project: -16 only in the daemon log)',
      first: 'FAIL\n',
      second: 'FAIL\n',
      commands: [CONNECT, 'INTERFACES', CONNECT],
    },
    { name: 'a FAIL that says BUSY', first: 'FAIL-BUSY\n', second: undefined, commands: [CONNECT] },
  ])(
    'EBUSY: $name → busy, tells the operator to stop the concurrent AP, no loop',
    ({ first, second, commands }) => {
      const kiosk = EngineDriver.started({ whitelist: WHITELIST });
      const steps: DriverStep[] = [{ event: lines.goNegRequest(4) }, { reply: 'P2P_CONNECT', with: first }];
      if (second)
        steps.push(
          { reply: 'INTERFACES', with: 'wlan0\np2p-dev-wlan0\nuap0\n' },
          { reply: 'P2P_CONNECT', with: second },
        );
      const effects = kiosk.run(steps);
      expect(commandsOf(effects).filter((c) => c !== 'P2P_FIND')).toEqual(commands);
      const error = snapshot(kiosk.state).lastError;
      expect(error?.code).toBe('busy');
      expect(error?.message).toMatch(/Stop the concurrent AP/);
      expect(commandsOf(kiosk.advance(600_000)).filter((c) => c !== 'P2P_FIND')).toEqual([]);
    },
  );

  it('a joiner that never runs WPS: the walk time ends (WPS-TIMEOUT only on the group interface) → wps-timeout', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.run([
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      { event: lines.groupStarted() },
      { event: lines.staConnected() },
    ]);
    kiosk.replyAll();
    kiosk.run([
      { event: lines.deviceFound(PHONE_2) },
      { event: lines.provDiscPbc(PHONE_2, 'p2p-wlan0-0') },
      { reply: 'IFNAME=' },
    ]);
    const effects = kiosk.advance(120_000);
    expect(notificationsOf(effects)).toContainEqual(
      expect.objectContaining({ type: 'failed', address: PHONE_2.address, reason: 'wps-timeout' }),
    );
    expect(commandsOf(effects)).not.toContain('P2P_CANCEL');
  });

  it.each([
    {
      name: 'P2P-GROUP-FORMATION-FAILURE',
      end: [{ event: lines.goNegSuccess() }, { event: lines.formationFailure() }] as DriverStep[],
    },
    {
      name: 'WPS-FAIL, then no teardown within 5 s',
      end: [
        { event: lines.goNegSuccess() },
        { event: lines.wpsFail(18) },
        { advance: 5_000 },
      ] as DriverStep[],
    },
  ])(
    "the late P2P-GROUP-REMOVED of a formation that ended ($name) does not fail the next phone's session",
    ({ end }) => {
      const B = PHONE_2.address;
      const kiosk = connecting();
      kiosk.run([{ event: lines.goNegRequest(4, PHONE_2) }]); // queued behind A
      const ended = kiosk.run(end);
      // A's formation failed; B is answered at once.
      expect(notificationsOf(ended)).toContainEqual(expect.objectContaining({ type: 'failed', address: A }));
      expect(commandsOf(ended)).toContain(`P2P_CONNECT ${B} pbc go_intent=15`);
      // wpa_supplicant removes A's group interface only now (wpas_group_formation_completed).
      const effects = kiosk.run([{ event: lines.groupRemoved('p2p-wlan0-0', 'FORMATION_FAILED') }]);
      expect(notificationsOf(effects)).not.toContainEqual(expect.objectContaining({ type: 'failed' }));
      expect(kiosk.state.session?.request.address).toBe(B);
      // B's own formation then succeeds.
      kiosk.run([
        { reply: 'P2P_CONNECT' },
        { event: lines.goNegSuccess(PHONE_2) },
        { event: lines.groupStarted('p2p-wlan0-1') },
        { event: lines.staConnected(PHONE_2) },
      ]);
      expect(snapshot(kiosk.state).clients.map((client) => client.address)).toEqual([B]);
    },
  );

  it('a removal after the next phone’s own GO negotiation succeeded is that phone’s failure', () => {
    const B = PHONE_2.address;
    const kiosk = connecting();
    kiosk.run([
      { event: lines.goNegRequest(4, PHONE_2) },
      { event: lines.goNegSuccess() },
      { event: lines.formationFailure() },
      { reply: 'P2P_CONNECT' },
      { event: lines.goNegSuccess(PHONE_2) },
    ]);
    const effects = kiosk.run([{ event: lines.groupRemoved('p2p-wlan0-1', 'FORMATION_FAILED') }]);
    expect(notificationsOf(effects)).toContainEqual(
      expect.objectContaining({ type: 'failed', address: B, reason: 'formation-failed' }),
    );
  });

  it('a failure event mentioning -16 is reported as busy', () => {
    const kiosk = connecting();
    kiosk.event('<3>P2P-GROUP-FORMATION-FAILURE reason=-16');
    expect(snapshot(kiosk.state).lastError?.code).toBe('busy');
  });

  it('a request that got no reply (timeout) keeps the quiet window until the setup timeout', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.run([{ event: lines.goNegRequest(4) }]);
    expect(commandsOf(kiosk.run([{ fail: 'P2P_CONNECT' }, { advance: 60_000 }]))).toEqual([]);
    expect(commandsOf(kiosk.advance(60_000))).toEqual(['P2P_CANCEL', 'P2P_FIND']);
  });

  it('a phone that keeps failing is ignored for a growing while (backoff), not answered in a loop', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST, settings: { discoveryIntervalMs: 600_000 } });
    const attempt = (): string[] =>
      commandsOf(kiosk.run([{ event: lines.goNegRequest(4) }])).filter((c) => c.startsWith('P2P_CONNECT'));
    const fail = (): void => {
      kiosk.run([{ reply: 'P2P_CONNECT' }, { event: lines.goNegFailure(1) }]);
      kiosk.replyAll();
    };
    expect(attempt()).toHaveLength(1);
    fail();
    expect(attempt()).toHaveLength(1); // first failure: no backoff
    fail();
    expect(attempt()).toHaveLength(0); // second failure: 5 s
    kiosk.advance(5_000);
    expect(attempt()).toHaveLength(1);
    fail();
    kiosk.advance(5_000);
    expect(attempt()).toHaveLength(0); // third failure: 10 s
    kiosk.advance(5_000);
    expect(attempt()).toHaveLength(1);
  });

  it('a success clears the peer’s failure count', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.run([{ event: lines.goNegRequest(4) }, { reply: 'P2P_CONNECT' }, { event: lines.goNegFailure(1) }]);
    kiosk.replyAll();
    kiosk.run([
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      { event: lines.groupStarted() },
      { event: lines.staConnected() },
    ]);
    expect(kiosk.state.failures).toEqual({});
  });
});
