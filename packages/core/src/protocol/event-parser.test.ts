import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isKnownEventName, parseEventLine } from './event-parser.js';
import type { WpaEvent } from './events.js';

/** Lines of hwsim/captures/*\/events-*.txt are `<seconds> <ifname> <3>EVENT`; a global control interface would send `IFNAME=<ifname> <3>EVENT`. */
function captureLines(): { file: string; ifname: string; line: string }[] {
  const dir = new URL('./fixtures/', import.meta.url);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.txt'))
    .flatMap((file) =>
      readFileSync(new URL(file, dir), 'utf8')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => {
          const [, ifname = '', rest = ''] = /^\S+ (\S+) (.*)$/.exec(line) ?? [];
          return { file, ifname, line: `IFNAME=${ifname} ${rest}` };
        }),
    );
}

/** Pick the fields that a table row states, so that rows stay short. */
function expectEvent(raw: string, expected: Partial<WpaEvent> & Record<string, unknown>): WpaEvent {
  const event = parseEventLine(raw);
  expect(event).toMatchObject(expected);
  expect(event.raw).toBe(raw);
  return event;
}

describe('parseEventLine on real hwsim captures (wpa_supplicant 2.10)', () => {
  const lines = captureLines();

  it('has fixtures', () => {
    expect(lines.length).toBeGreaterThan(200);
  });

  it('types every captured line and keeps the interface', () => {
    for (const { ifname, line } of lines) {
      const event = parseEventLine(line);
      expect(event.type, line).not.toBe('unknown');
      expect(event.ifname).toBe(ifname);
      expect(event.level).toBe(3);
    }
  });

  it.each([
    [
      "<3>P2P-DEVICE-FOUND 42:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00 pri_dev_type=1-0050F204-1 name='phone' config_methods=0x188 dev_capab=0x25 group_capab=0x0 new=1",
      {
        type: 'P2P-DEVICE-FOUND',
        address: '42:00:00:00:01:00',
        peer: {
          p2pDevAddr: '42:00:00:00:01:00',
          name: 'phone',
          priDevType: '1-0050F204-1',
          configMethods: 0x188,
          devCapab: 0x25,
          groupCapab: 0,
        },
        fields: { new: '1', name: 'phone' },
        flags: [],
      },
    ],
    [
      '<3>P2P-GO-NEG-REQUEST 42:00:00:00:01:00 dev_passwd_id=4 go_intent=7',
      {
        type: 'P2P-GO-NEG-REQUEST',
        address: '42:00:00:00:01:00',
        devPasswdId: 4,
        goIntent: 7,
        connectMethod: 'pbc',
      },
    ],
    [
      '<3>P2P-GO-NEG-REQUEST 42:00:00:00:01:00 dev_passwd_id=1 go_intent=7',
      { devPasswdId: 1, connectMethod: 'display' },
    ],
    ['<3>P2P-GO-NEG-REQUEST 02:40:61:c2:f3:b7 dev_passwd_id=5', { connectMethod: 'keypad', goIntent: null }],
    ['<3>P2P-GO-NEG-REQUEST 02:40:61:c2:f3:b7 dev_passwd_id=0', { connectMethod: null }],
    [
      '<3>P2P-GO-NEG-SUCCESS role=GO freq=2437 ht40=0 peer_dev=42:00:00:00:01:00 peer_iface=46:00:00:00:01:00 wps_method=PBC',
      {
        type: 'P2P-GO-NEG-SUCCESS',
        role: 'GO',
        freq: 2437,
        peerDev: '42:00:00:00:01:00',
        peerIface: '46:00:00:00:01:00',
        wpsMethod: 'PBC',
        fields: { ht40: '0' },
      },
    ],
    ['<3>P2P-GO-NEG-SUCCESS role=client freq=2437 wps_method=Keypad', { role: 'client', peerDev: null }],
    ['<3>P2P-GO-NEG-FAILURE status=7', { type: 'P2P-GO-NEG-FAILURE', status: 7 }],
    ['<3>P2P-GROUP-FORMATION-SUCCESS ', { type: 'P2P-GROUP-FORMATION-SUCCESS', flags: [] }],
    ['<3>P2P-GROUP-FORMATION-FAILURE ', { type: 'P2P-GROUP-FORMATION-FAILURE', reason: null }],
    [
      '<3>P2P-GROUP-STARTED p2p-wlan0-0 GO ssid="DIRECT-Ee" freq=2437 passphrase="pmuLqL46" go_dev_addr=42:00:00:00:00:00',
      {
        type: 'P2P-GROUP-STARTED',
        groupIfname: 'p2p-wlan0-0',
        role: 'GO',
        ssid: 'DIRECT-Ee',
        freq: 2437,
        passphrase: 'pmuLqL46',
        psk: null,
        goDevAddr: '42:00:00:00:00:00',
        persistent: false,
        flags: ['p2p-wlan0-0', 'GO'],
      },
    ],
    [
      '<3>P2P-GROUP-STARTED p2p-wlan1-0 client ssid="DIRECT-Ee" freq=2437 psk=db20f02fbbd1be5afb95650e1519d910d21cf9b333645d2cc688f58706f8994c go_dev_addr=42:00:00:00:00:00',
      {
        role: 'client',
        passphrase: null,
        psk: 'db20f02fbbd1be5afb95650e1519d910d21cf9b333645d2cc688f58706f8994c',
      },
    ],
    // reference/wpa_supplicant-ctrl-iface.txt, joined onto one line
    [
      '<3>P2P-GROUP-STARTED wlan0-p2p-0 GO ssid="DIRECT-3F Testing" passphrase="12345678" go_dev_addr=02:40:61:c2:f3:b7 [PERSISTENT]',
      { ssid: 'DIRECT-3F Testing', passphrase: '12345678', persistent: true, freq: null },
    ],
    [
      '<3>P2P-GROUP-STARTED p2p-wlan0-3 GO ssid="DIRECT-xy-\\"Kiosk\\" \\xc3\\xa9\\\\" freq=2412 passphrase="a b\\"c" go_dev_addr=42:00:00:00:00:00 ip_addr=192.168.49.1',
      { ssid: 'DIRECT-xy-"Kiosk" é\\', passphrase: 'a b\\"c', fields: { ip_addr: '192.168.49.1' } },
    ],
    [
      '<3>P2P-GROUP-REMOVED p2p-wlan0-1 GO reason=FORMATION_FAILED',
      { type: 'P2P-GROUP-REMOVED', groupIfname: 'p2p-wlan0-1', role: 'GO', reason: 'FORMATION_FAILED' },
    ],
    ['<3>P2P-GROUP-REMOVED wlan0-p2p-0 GO', { type: 'P2P-GROUP-REMOVED', reason: null }],
    [
      "<3>P2P-PROV-DISC-SHOW-PIN 42:00:00:00:01:00 82433994 p2p_dev_addr=42:00:00:00:01:00 pri_dev_type=1-0050F204-1 name='phone' config_methods=0x188 dev_capab=0x25 group_capab=0x0",
      { type: 'P2P-PROV-DISC-SHOW-PIN', address: '42:00:00:00:01:00', pin: '82433994', flags: ['82433994'] },
    ],
    [
      '<3>P2P-PROV-DISC-ENTER-PIN 42:00:00:00:00:00',
      {
        type: 'P2P-PROV-DISC-ENTER-PIN',
        peer: { p2pDevAddr: '42:00:00:00:00:00', name: null, configMethods: null },
      },
    ],
    [
      "<3>P2P-PROV-DISC-PBC-REQ 02:40:61:c2:f3:b7 p2p_dev_addr=02:40:61:c2:f3:b7 pri_dev_type=1-0050F204-1 name='Test' config_methods=0x188 dev_capab=0x21 group_capab=0x0",
      { type: 'P2P-PROV-DISC-PBC-REQ', peer: { name: 'Test', devCapab: 0x21 } },
    ],
    [
      '<3>P2P-PROV-DISC-PBC-RESP 42:00:00:00:00:00',
      { type: 'P2P-PROV-DISC-PBC-RESP', address: '42:00:00:00:00:00' },
    ],
    [
      '<3>P2P-PROV-DISC-FAILURE p2p_dev_addr=42:00:00:00:01:00 status=1',
      { type: 'P2P-PROV-DISC-FAILURE', p2pDevAddr: '42:00:00:00:01:00', status: 1, address: null },
    ],
    [
      '<3>P2P-DEVICE-LOST p2p_dev_addr=42:00:00:00:01:00',
      { type: 'P2P-DEVICE-LOST', address: null, peer: { p2pDevAddr: '42:00:00:00:01:00' } },
    ],
    ['<3>P2P-FIND-STOPPED ', { type: 'P2P-FIND-STOPPED' }],
    [
      '<3>P2P-INVITATION-RECEIVED sa=02:40:61:c2:f3:b7 persistent=0',
      { type: 'P2P-INVITATION-RECEIVED', sa: '02:40:61:c2:f3:b7', persistentId: 0, unknownNetwork: false },
    ],
    [
      '<3>P2P-INVITATION-RECEIVED sa=02:40:61:c2:f3:b7 go_dev_addr=02:40:61:c2:f3:b7 bssid=02:40:61:c2:f3:b8 unknown-network',
      {
        goDevAddr: '02:40:61:c2:f3:b7',
        bssid: '02:40:61:c2:f3:b8',
        persistentId: null,
        unknownNetwork: true,
      },
    ],
    ['<3>P2P-INVITATION-RESULT status=1', { type: 'P2P-INVITATION-RESULT', status: 1 }],
    [
      '<3>P2P-INVITATION-RESULT status=0 02:40:61:c2:f3:b8',
      { type: 'P2P-INVITATION-RESULT', status: 0, address: '02:40:61:c2:f3:b8' },
    ],
    ['<3>P2P-INVITATION-RESULT status=-1 ', { status: -1 }],
    [
      '<3>P2P-INVITATION-ACCEPTED sa=02:40:61:c2:f3:b7 persistent=2 freq=2412',
      { type: 'P2P-INVITATION-ACCEPTED', sa: '02:40:61:c2:f3:b7', persistentId: 2, freq: 2412 },
    ],
    [
      '<3>P2P-SERV-DISC-REQ 2412 02:40:61:c2:f3:b7 0 0 02000001',
      {
        type: 'P2P-SERV-DISC-REQ',
        address: '02:40:61:c2:f3:b7',
        freq: 2412,
        dialogToken: 0,
        tlvs: '02000001',
      },
    ],
    [
      '<3>P2P-SERV-DISC-RESP 02:40:61:c2:f3:b7 0 0300000101',
      { type: 'P2P-SERV-DISC-RESP', address: '02:40:61:c2:f3:b7', updateIndicator: 0, tlvs: '0300000101' },
    ],
    [
      '<3>AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00',
      { type: 'AP-STA-CONNECTED', address: '46:00:00:00:01:00', p2pDevAddr: '42:00:00:00:01:00' },
    ],
    ['<3>AP-STA-DISCONNECTED 02:2a:c4:18:5b:f3', { type: 'AP-STA-DISCONNECTED', p2pDevAddr: null }],
    ['<3>WPS-FAIL msg=8 config_error=18', { type: 'WPS-FAIL', msg: 8, configError: 18, reason: null }],
    [
      '<3>WPS-FAIL msg=8 config_error=18 reason=2 (Device password auth failure)',
      { reason: 2, flags: ['(Device password auth failure)'] },
    ],
    ['<3>WPS-TIMEOUT ', { type: 'WPS-TIMEOUT' }],
    ['<3>WPS-SUCCESS ', { type: 'WPS-SUCCESS' }],
    ['<3>WPS-PBC-ACTIVE ', { type: 'WPS-PBC-ACTIVE' }],
    [
      '<3>WPS-ENROLLEE-SEEN 02:00:00:00:01:00 572cf82f-c957-5653-9b16-b5cfb298abf1 1-0050F204-1 0x80 4 1 [Wireless Client]',
      {
        type: 'WPS-ENROLLEE-SEEN',
        address: '02:00:00:00:01:00',
        uuid: '572cf82f-c957-5653-9b16-b5cfb298abf1',
        priDevType: '1-0050F204-1',
        configMethods: 0x80,
        devPasswdId: 4,
        requestType: 1,
        deviceName: 'Wireless Client',
      },
    ],
    // test/fixtures/hwsim/6-autonomous-go: a wpa_supplicant P2P client's WPS IE has no name (`[ ]`).
    [
      '<3>WPS-ENROLLEE-SEEN 46:00:00:00:01:00 572cf82f-c957-5653-9b16-b5cfb298abf1 0-00000000-0 0x3148 4 1 [ ]',
      {
        type: 'WPS-ENROLLEE-SEEN',
        address: '46:00:00:00:01:00',
        priDevType: '0-00000000-0',
        configMethods: 0x3148,
        devPasswdId: 4,
        requestType: 1,
        deviceName: ' ',
      },
    ],
    // test/fixtures/hwsim/1-whitelisted-pbc: the kiosk's p2p_go_ht40=1, EAPOL IP address allocation on.
    [
      '<3>P2P-GO-NEG-SUCCESS role=GO freq=2437 ht40=1 peer_dev=42:00:00:00:01:00 peer_iface=46:00:00:00:01:00 wps_method=PBC',
      {
        type: 'P2P-GO-NEG-SUCCESS',
        role: 'GO',
        freq: 2437,
        peerDev: '42:00:00:00:01:00',
        peerIface: '46:00:00:00:01:00',
        wpsMethod: 'PBC',
        fields: { ht40: '1' },
      },
    ],
    [
      '<3>AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00 ip_addr=192.168.49.100',
      {
        type: 'AP-STA-CONNECTED',
        address: '46:00:00:00:01:00',
        p2pDevAddr: '42:00:00:00:01:00',
        fields: { ip_addr: '192.168.49.100' },
      },
    ],
    [
      '<3>WPS-REG-SUCCESS 46:00:00:00:01:00 572cf82f-c957-5653-9b16-b5cfb298abf1',
      { type: 'WPS-REG-SUCCESS', uuid: '572cf82f-c957-5653-9b16-b5cfb298abf1' },
    ],
    [
      '<3>WPS-PIN-NEEDED 5a02a5fa-9199-5e7c-bc46-e183d3cb32f7 02:2a:c4:18:5b:f3 [Wireless Client|Company|cmodel|123|12345|1-0050F204-1]',
      {
        type: 'WPS-PIN-NEEDED',
        address: '02:2a:c4:18:5b:f3',
        flags: [
          '5a02a5fa-9199-5e7c-bc46-e183d3cb32f7',
          '[Wireless Client|Company|cmodel|123|12345|1-0050F204-1]',
        ],
      },
    ],
    ['<3>CTRL-EVENT-TERMINATING ', { type: 'CTRL-EVENT-TERMINATING' }],
    [
      '<3>CTRL-EVENT-CONNECTED - Connection to 46:00:00:00:00:00 completed [id=0 id_str=]',
      {
        type: 'CTRL-EVENT-CONNECTED',
        address: '46:00:00:00:00:00',
        networkId: 0,
        idStr: '',
        fields: { id: '0', id_str: '' },
      },
    ],
    [
      '<3>CTRL-EVENT-DISCONNECTED bssid=46:00:00:00:00:00 reason=3 locally_generated=1',
      { type: 'CTRL-EVENT-DISCONNECTED', bssid: '46:00:00:00:00:00', reason: 3, locallyGenerated: true },
    ],
    ['<2>CTRL-EVENT-SCAN-RESULTS', { type: 'CTRL-EVENT-SCAN-RESULTS', level: 2 }],
    ['<3>CTRL-EVENT-SCAN-STARTED ', { type: 'CTRL-EVENT-SCAN-STARTED' }],
    [
      '<3>CTRL-EVENT-SCAN-FAILED ret=-16 retry=1',
      { type: 'CTRL-EVENT-SCAN-FAILED', fields: { ret: '-16', retry: '1' } },
    ],
    [
      '<3>CTRL-EVENT-BSS-ADDED 34 00:11:22:33:44:55',
      { type: 'CTRL-EVENT-BSS-ADDED', bssId: 34, address: '00:11:22:33:44:55', flags: ['34'] },
    ],
    ['<3>CTRL-EVENT-BSS-REMOVED 34 00:11:22:33:44:55', { type: 'CTRL-EVENT-BSS-REMOVED', bssId: 34 }],
    [
      "<3>CTRL-EVENT-EAP-STATUS status='completion' parameter='failure'",
      { type: 'CTRL-EVENT-EAP-STATUS', fields: { status: 'completion', parameter: 'failure' } },
    ],
    [
      '<3>CTRL-EVENT-REGDOM-CHANGE init=CORE type=WORLD',
      { type: 'CTRL-EVENT-REGDOM-CHANGE', fields: { init: 'CORE', type: 'WORLD' } },
    ],
    ['<3>CTRL-EVENT-DSCP-POLICY clear_all', { type: 'CTRL-EVENT-DSCP-POLICY', flags: ['clear_all'] }],
    [
      '<3>CTRL-REQ-PASSWORD-1-Password needed for SSID test-network',
      { type: 'CTRL-REQ', field: 'PASSWORD', networkId: 1, text: 'Password needed for SSID test-network' },
    ],
    [
      "<3>P2PS-PROV-START 00:55:44:33:22:11 adv_id=111 adv_mac=00:55:44:33:22:11 conncap=1 session=1234567 session_mac=00:11:22:33:44:55 info='it\\'s \\\\ ok'",
      { type: 'P2PS-PROV-START', fields: { adv_id: '111', info: "it's \\ ok" } },
    ],
    ['<3>P2P-PERSISTENT-PSK-FAIL id=3', { type: 'P2P-PERSISTENT-PSK-FAIL', fields: { id: '3' } }],
  ])('%s', (raw, expected) => {
    expectEvent(raw, expected as Partial<WpaEvent> & Record<string, unknown>);
  });
});

describe('device names, which hostap prints between single quotes without escaping', () => {
  const found = (name: string, tail = ' config_methods=0x188 dev_capab=0x25 group_capab=0x0'): WpaEvent =>
    parseEventLine(
      `<3>P2P-DEVICE-FOUND 42:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00 pri_dev_type=1-0050F204-1 name='${name}'${tail}`,
    );
  const nameOf = (event: WpaEvent): string | null | undefined =>
    event.type === 'P2P-DEVICE-FOUND' ? event.peer.name : undefined;

  it.each([
    "Bob's phone",
    "'",
    "''",
    "Bob' s",
    "it's 'quoted' ",
    'Galaxy S24 Ultra',
    'name=x',
    "x' y=1",
    '',
    ' ',
    'ünïcødé 📱',
    '"double"',
    '[brackets]',
  ])('%j', (name) => {
    const event = found(name);
    expect(nameOf(event)).toBe(name);
    expect(event.fields.config_methods).toBe('0x188');
    expect(event.fields.group_capab).toBe('0x0');
  });

  it('reads a name at the end of the line', () => {
    expect(nameOf(found("Bob's", ''))).toBe("Bob's");
  });

  it('keeps fields that newer versions add after the name', () => {
    const event = found(
      "Bob's phone",
      ' config_methods=0x80 dev_capab=0x25 group_capab=0x0 wfd_dev_info=0x000006 new=1 vendor_elems=1',
    );
    expect(event.fields).toMatchObject({ wfd_dev_info: '0x000006', new: '1', vendor_elems: '1' });
  });

  it('falls back to any key after the quote when the next key is not known', () => {
    expect(nameOf(found("it's me", ' future_key=1'))).toBe("it's me");
  });

  it('takes the rest of the line for an unterminated quote', () => {
    expect(nameOf(found('open', ' and never closed'))).toBe("open' and never closed");
  });
});

describe('lines that are not events', () => {
  it.each([
    ['', null],
    ['<3>', null],
    ['garbage', null],
    ['<2>Trying to associate with 02:00:00:00:01:00', null],
    ['<3>DPP-RX src=02:00:00:00:01:00 freq=2437 type=0', 'DPP-RX'],
    ['<3>P2P-DEVICE-FOUND', 'P2P-DEVICE-FOUND'],
    ['<3>P2P-GROUP-STARTED p2p-wlan0-0 observer ssid="x"', 'P2P-GROUP-STARTED'],
    ['<3>AP-STA-CONNECTED p2p_dev_addr=42:00:00:00:01:00', 'AP-STA-CONNECTED'],
    ['<3>P2P-PROV-DISC-SHOW-PIN 42:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00', 'P2P-PROV-DISC-SHOW-PIN'],
    ['<3>CTRL-REQ-PASSWORD-x-text', 'CTRL-REQ'],
  ])('%j is unknown (name %j)', (raw, name) => {
    const event = parseEventLine(raw);
    expect(event.type).toBe('unknown');
    expect(event.raw).toBe(raw);
    if (event.type === 'unknown') expect(event.name).toBe(name);
  });

  it('still reads fields of an unknown event', () => {
    expect(parseEventLine('<3>DPP-RX src=02:00:00:00:01:00 freq=2437').fields).toEqual({
      src: '02:00:00:00:01:00',
      freq: '2437',
    });
  });

  it('keeps __proto__ and constructor as plain data', () => {
    const event = parseEventLine('<3>WPS-FAIL __proto__=x constructor=y toString=z');
    expect(Object.keys(event.fields)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(event.fields.__proto__).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('hostile lines', () => {
  // Each of these took seconds at 20 000 repetitions with a naive closing-quote search (quadratic in the number
  // of values). At 100 000 a quadratic parser would run for minutes and hit the 10 s test timeout; the linear
  // one takes milliseconds. Throughput itself is measured by `pnpm bench`, not asserted here.
  it.each(["x='' ", 'passphrase="" ', "' x='", 'x="a"b ', '[ ', '( x=', "name='a' "])(
    'parses a long hostile line of %j',
    (unit) => {
      const hostile = `<3>P2P-DEVICE-FOUND 42:00:00:00:01:00 ${unit.repeat(100_000)}end`;
      const event = parseEventLine(hostile);
      expect(event.type).toBe('P2P-DEVICE-FOUND');
      expect(event.raw).toBe(hostile);
    },
    10_000,
  );
});

describe('coverage of the reference documents', () => {
  // Every event named in reference/wpa_supplicant-ctrl-iface.txt and reference/wpa_supplicant-README-P2P.txt.
  it.each([
    'CTRL-EVENT-CONNECTED',
    'CTRL-EVENT-DISCONNECTED',
    'CTRL-EVENT-TERMINATING',
    'CTRL-EVENT-PASSWORD-CHANGED',
    'CTRL-EVENT-EAP-NOTIFICATION',
    'CTRL-EVENT-EAP-STARTED',
    'CTRL-EVENT-EAP-METHOD',
    'CTRL-EVENT-EAP-SUCCESS',
    'CTRL-EVENT-EAP-FAILURE',
    'CTRL-EVENT-SCAN-RESULTS',
    'CTRL-EVENT-BSS-ADDED',
    'CTRL-EVENT-BSS-REMOVED',
    'WPS-OVERLAP-DETECTED',
    'WPS-AP-AVAILABLE-PBC',
    'WPS-AP-AVAILABLE-PIN',
    'WPS-AP-AVAILABLE',
    'WPS-CRED-RECEIVED',
    'WPS-M2D',
    'WPS-FAIL',
    'WPS-SUCCESS',
    'WPS-TIMEOUT',
    'WPS-ENROLLEE-SEEN',
    'WPS-ER-AP-ADD',
    'WPS-ER-AP-REMOVE',
    'WPS-ER-ENROLLEE-ADD',
    'WPS-ER-ENROLLEE-REMOVE',
    'WPS-PIN-NEEDED',
    'WPS-NEW-AP-SETTINGS',
    'WPS-REG-SUCCESS',
    'WPS-AP-SETUP-LOCKED',
    'AP-STA-CONNECTED',
    'AP-STA-DISCONNECTED',
    'P2P-DEVICE-FOUND',
    'P2P-GO-NEG-REQUEST',
    'P2P-GO-NEG-SUCCESS',
    'P2P-GO-NEG-FAILURE',
    'P2P-GROUP-FORMATION-SUCCESS',
    'P2P-GROUP-FORMATION-FAILURE',
    'P2P-GROUP-STARTED',
    'P2P-GROUP-REMOVED',
    'P2P-PROV-DISC-SHOW-PIN',
    'P2P-PROV-DISC-ENTER-PIN',
    'P2P-PROV-DISC-PBC-REQ',
    'P2P-PROV-DISC-PBC-RESP',
    'P2P-SERV-DISC-REQ',
    'P2P-SERV-DISC-RESP',
    'P2P-INVITATION-RECEIVED',
    'P2P-INVITATION-RESULT',
    'P2P-PRESENCE-RESPONSE',
    'P2PS-PROV-START',
    'P2PS-PROV-DONE',
    // and the ones the kiosk engine relies on beyond the documents
    'P2P-DEVICE-LOST',
    'P2P-FIND-STOPPED',
    'P2P-PROV-DISC-FAILURE',
    'P2P-INVITATION-ACCEPTED',
    'WPS-PBC-ACTIVE',
    'WPS-PBC-DISABLE',
    'CTRL-EVENT-SCAN-STARTED',
    'CTRL-EVENT-SCAN-FAILED',
    'AP-ENABLED',
    'AP-DISABLED',
  ])('%s is known', (name) => {
    expect(isKnownEventName(name)).toBe(true);
  });

  it('does not know made-up names', () => {
    expect(isKnownEventName('P2P-MADE-UP')).toBe(false);
    expect(isKnownEventName('unknown')).toBe(false);
    expect(isKnownEventName('toString')).toBe(false);
  });
});
