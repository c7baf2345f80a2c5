import { describe, expect, it } from 'vitest';
import { EngineDriver, commandsOf, notificationsOf } from './engine-driver.js';
import { PHONE, lines } from './fixtures/hwsim-lines.js';
import type { EngineSettingsInput } from './settings.js';

/** Starts a kiosk and answers each command in turn; returns the commands in the order they were sent. */
function startUp(settings: EngineSettingsInput, replies: Record<string, string> = {}): string[] {
  const kiosk = new EngineDriver({ settings });
  const sent = commandsOf(kiosk.send({ kind: 'start' }));
  sent.push(...commandsOf(kiosk.replyAll({ INTERFACES: 'wlan0\np2p-dev-wlan0\n', ...replies })));
  return sent;
}

const BASE = ['STATUS', 'INTERFACES', 'SET device_name DIRECT-kiosk'];

describe('start-up sequence', () => {
  it.each([
    { mode: 'static-pbc', methods: 'virtual_push_button' },
    { mode: 'static-pin', methods: 'display keypad' },
    { mode: 'dynamic', methods: 'virtual_push_button display keypad' },
  ] as const)('$mode: config_methods $methods, per_sta_psk, then P2P_FIND', ({ mode, methods }) => {
    expect(startUp({ mode })).toEqual([
      ...BASE,
      `SET config_methods ${methods}`,
      'P2P_SET per_sta_psk 1',
      'P2P_FIND',
    ]);
  });

  it.each<{
    name: string;
    settings: EngineSettingsInput;
    replies: Record<string, string>;
    expected: string[];
  }>([
    {
      name: 'stale p2p-* groups are removed one by one, the P2P device interface is kept',
      settings: {},
      replies: { INTERFACES: 'wlan0\np2p-dev-wlan0\np2p-wlan0-0\np2p-wlan0-3\n' },
      expected: [
        'STATUS',
        'INTERFACES',
        'P2P_GROUP_REMOVE p2p-wlan0-0',
        'P2P_GROUP_REMOVE p2p-wlan0-3',
        'SET device_name DIRECT-kiosk',
        'SET config_methods virtual_push_button display keypad',
        'P2P_SET per_sta_psk 1',
        'P2P_FIND',
      ],
    },
    {
      name: 'no per_sta_psk when kick is not wanted',
      settings: { perStaPsk: false, deviceName: 'DIRECT-Museum kiosk' },
      replies: {},
      expected: [
        'STATUS',
        'INTERFACES',
        'SET device_name DIRECT-Museum kiosk',
        'SET config_methods virtual_push_button display keypad',
        'P2P_FIND',
      ],
    },
    {
      name: 'autonomous: the standing group is added before discovery',
      settings: { groupMode: 'autonomous', freq: 2437 },
      replies: {},
      expected: [
        ...BASE,
        'SET config_methods virtual_push_button display keypad',
        'P2P_SET per_sta_psk 1',
        'P2P_GROUP_ADD freq=2437',
        'P2P_FIND',
      ],
    },
    {
      name: 'autonomous + persistent: the stored persistent group is reinvoked (LIST_NETWORKS)',
      settings: { groupMode: 'autonomous', persistent: true },
      replies: {
        LIST_NETWORKS:
          'network id / ssid / bssid / flags\n0\thome\tany\t\n3\tDIRECT-Ee\t42:00:00:00:00:00\t[DISABLED][P2P-PERSISTENT]\n',
      },
      expected: [
        ...BASE,
        'SET config_methods virtual_push_button display keypad',
        'P2P_SET per_sta_psk 1',
        'LIST_NETWORKS',
        'P2P_GROUP_ADD persistent=3',
        'P2P_FIND',
      ],
    },
    {
      name: 'autonomous + persistent with none stored yet: P2P_GROUP_ADD persistent',
      settings: { groupMode: 'autonomous', persistent: true },
      replies: { LIST_NETWORKS: 'network id / ssid / bssid / flags\n' },
      expected: [
        ...BASE,
        'SET config_methods virtual_push_button display keypad',
        'P2P_SET per_sta_psk 1',
        'LIST_NETWORKS',
        'P2P_GROUP_ADD persistent',
        'P2P_FIND',
      ],
    },
  ])('$name', ({ settings, replies, expected }) => {
    expect(startUp(settings, replies)).toEqual(expected);
  });

  it('sends one command at a time, each after the previous reply', () => {
    const kiosk = new EngineDriver();
    expect(commandsOf(kiosk.send({ kind: 'start' }))).toEqual(['STATUS']);
    expect(
      commandsOf(kiosk.reply('STATUS', 'wpa_state=DISCONNECTED\np2p_device_address=42:00:00:00:00:00\n')),
    ).toEqual(['INTERFACES']);
  });

  it('a refused setting is reported and the sequence goes on', () => {
    const kiosk = new EngineDriver();
    kiosk.send({ kind: 'start' });
    const effects = kiosk.replyAll({ INTERFACES: 'p2p-dev-wlan0\n', 'P2P_SET per_sta_psk': 'FAIL\n' });
    expect(commandsOf(effects)).toContain('P2P_FIND');
    expect(notificationsOf(effects)).toContainEqual({
      type: 'error',
      code: 'config-failed',
      message: 'P2P_SET per_sta_psk was refused.',
    });
  });

  it('a request arriving during start-up is answered after it', () => {
    const kiosk = new EngineDriver({ whitelist: [{ id: 'w', address: PHONE.address, name: null }] });
    kiosk.send({ kind: 'start' });
    expect(commandsOf(kiosk.event(lines.goNegRequest(4)))).toEqual([]);
    const rest = commandsOf(kiosk.replyAll({ INTERFACES: 'p2p-dev-wlan0\n' }));
    expect(rest.at(-1)).toBe(`P2P_CONNECT ${PHONE.address} pbc go_intent=15`);
    expect(rest).not.toContain('P2P_FIND');
  });

  it('arms the periodic discovery timer once ready', () => {
    const kiosk = EngineDriver.started({ settings: { discoveryIntervalMs: 20_000 } });
    expect(kiosk.armedTimers().get('discovery')).toBe(21_000);
  });

  it('a settings change re-sends device_name and config_methods', () => {
    const kiosk = EngineDriver.started();
    const settings = { ...kiosk.state.settings, deviceName: 'DIRECT-shop', mode: 'static-pbc' as const };
    const sent = commandsOf(kiosk.send({ kind: 'settings', settings }));
    expect(sent).toEqual(['SET device_name DIRECT-shop']);
    expect(commandsOf(kiosk.replyAll())).toEqual([
      'SET config_methods virtual_push_button',
      'P2P_SET per_sta_psk 1',
      'P2P_FIND',
    ]);
  });

  it('switching to autonomous mode starts the standing group', () => {
    const kiosk = EngineDriver.started();
    kiosk.send({ kind: 'settings', settings: { ...kiosk.state.settings, groupMode: 'autonomous' } });
    expect(commandsOf(kiosk.replyAll())).toContain('P2P_GROUP_ADD');
  });
});
