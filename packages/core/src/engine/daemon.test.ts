import { describe, expect, it } from 'vitest';
import { EngineDriver, commandsOf, notificationsOf } from './engine-driver.js';
import { PHONE, PHONE_2, lines } from './fixtures/hwsim-lines.js';
import { snapshot } from './snapshot.js';

const WHITELIST = [{ id: 'w', address: PHONE.address, name: null }];

function withClientAndPending(): EngineDriver {
  const kiosk = EngineDriver.started({ whitelist: WHITELIST });
  kiosk.run([
    { event: lines.deviceFound() },
    { event: lines.goNegRequest(4) },
    { reply: 'P2P_CONNECT' },
    { event: lines.groupStarted() },
    { event: lines.staConnected() },
    { reply: 'P2P_FIND' },
    { event: lines.provDiscPbc(PHONE_2) },
  ]);
  return kiosk;
}

describe('the daemon going away and coming back', () => {
  it.each([
    {
      name: 'daemon-lost from the control client',
      lose: (k: EngineDriver) => k.send({ kind: 'daemon-lost' }),
    },
    { name: 'CTRL-EVENT-TERMINATING', lose: (k: EngineDriver) => k.event(lines.terminating()) },
  ])('$name: disconnected, group and clients cleared, sessions end with daemon-restart', ({ lose }) => {
    const kiosk = withClientAndPending();
    const effects = lose(kiosk);
    expect(commandsOf(effects)).toEqual([]);
    expect(notificationsOf(effects)).toEqual([
      { type: 'disconnected', address: PHONE.address, name: 'phone', reason: 'daemon-restart' },
      { type: 'group-removed', ifname: 'p2p-wlan0-0', reason: 'DAEMON_RESTART' },
      { type: 'approval-expired', id: 'approval-1', address: PHONE_2.address, name: 'Pixel 8' },
      { type: 'daemon-lost' },
    ]);
    expect(effects).toContainEqual({ kind: 'cancel-timer', timerId: 'discovery' });
    expect(snapshot(kiosk.state)).toMatchObject({
      daemon: 'disconnected',
      group: null,
      clients: [],
      pendingApprovals: [],
    });
    expect(snapshot(kiosk.state).lastError?.code).toBe('daemon-restart');
  });

  it('a negotiation in progress fails with daemon-restart', () => {
    const kiosk = EngineDriver.started({ whitelist: WHITELIST });
    kiosk.run([{ event: lines.goNegRequest(4) }, { reply: 'P2P_CONNECT' }]);
    const effects = kiosk.send({ kind: 'daemon-lost' });
    expect(notificationsOf(effects)).toContainEqual(
      expect.objectContaining({ type: 'failed', reason: 'daemon-restart' }),
    );
  });

  it('while it is away: events, timers and requests do nothing', () => {
    const kiosk = withClientAndPending();
    kiosk.send({ kind: 'daemon-lost' });
    expect(commandsOf(kiosk.run([{ event: lines.goNegRequest(4) }, { advance: 120_000 }]))).toEqual([]);
  });

  it('daemon-back: the start-up sequence again (stale groups of the old run removed), then discovery', () => {
    const kiosk = withClientAndPending();
    kiosk.send({ kind: 'daemon-lost' });
    const back = kiosk.send({ kind: 'daemon-back' });
    expect(commandsOf(back)).toEqual(['STATUS']);
    expect(notificationsOf(back)).toEqual([{ type: 'daemon-back' }]);
    const rest = commandsOf(kiosk.replyAll({ INTERFACES: 'p2p-dev-wlan0\np2p-wlan0-0\n' }));
    expect(rest).toEqual([
      'INTERFACES',
      'P2P_GROUP_REMOVE p2p-wlan0-0',
      'SET device_name DIRECT-kiosk',
      'SET config_methods virtual_push_button display keypad',
      'P2P_SET per_sta_psk 1',
      'P2P_FIND',
    ]);
    expect(snapshot(kiosk.state).daemon).toBe('connected');
  });

  it('stop: stops discovery and removes the group, leaving nothing behind', () => {
    const kiosk = withClientAndPending();
    const effects = kiosk.send({ kind: 'stop' });
    expect(commandsOf(effects)).toEqual(['P2P_STOP_FIND', 'P2P_GROUP_REMOVE p2p-wlan0-0']);
    expect(notificationsOf(effects)).toContainEqual({
      type: 'disconnected',
      address: PHONE.address,
      name: 'phone',
      reason: 'stopped',
    });
  });
});
