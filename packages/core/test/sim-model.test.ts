/**
 * The P2P model on a manual clock: no sockets, no waiting. Each test replays a flow measured on hwsim
 * (shared/hwsim/README.md, captures/) and checks the kiosk's events in order, byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../src/protocol/event-parser.js';
import { ManualClock } from '../src/sim/clock.js';
import { ControlCommands } from '../src/sim/control-commands.js';
import type { PeerNotice } from '../src/sim/model-types.js';
import { P2pModel } from '../src/sim/p2p-model.js';
import { Prng } from '../src/sim/prng.js';
import { phoneProfile } from './support/phone-profile.js';

const KIOSK = '42:00:00:00:00:00';
const PHONE = '42:00:00:00:01:00';
const PHONE_IFACE = '46:00:00:00:01:00';
const DEV = 'p2p-dev-wlan0';

function setUp(options: { seed?: number; scanEvents?: boolean } = {}) {
  const clock = new ManualClock();
  const events: { ifname: string; text: string }[] = [];
  const notices: { address: string; notice: PeerNotice }[] = [];
  const interfaces: string[] = [];
  const log: string[] = [];
  const model = new P2pModel({
    clock,
    prng: new Prng(options.seed ?? 1),
    config: {
      mainIfname: 'wlan0',
      p2pDeviceIfname: DEV,
      deviceAddress: KIOSK,
      mainAddress: '02:00:00:00:00:00',
      operatingFrequency: 2437,
      uuid: '11111111-2222-3333-4444-555555555555',
      scanEvents: options.scanEvents ?? false,
      settings: { device_name: 'DIRECT-kiosk' },
    },
    listener: {
      event: (ifname, text) => events.push({ ifname, text }),
      interfaceAdded: (ifname) => interfaces.push(`+${ifname}`),
      interfaceRemoved: (ifname) => interfaces.push(`-${ifname}`),
      peerNotice: (address, notice) => notices.push({ address, notice }),
      log: (line) => log.push(line),
    },
  });
  model.boot();
  const commands = new ControlCommands(model);
  const send = (line: string, ifname = DEV): string => commands.execute(ifname, line).reply;
  /** P2P device events since the last call. */
  let cursor = 0;
  const take = (ifname = DEV): string[] => {
    const fresh = events.slice(cursor);
    cursor = events.length;
    return fresh.filter((event) => event.ifname === ifname).map((event) => event.text);
  };
  const noticeKinds = (): string[] => notices.map((entry) => entry.notice.kind);
  return { clock, model, events, notices, interfaces, log, send, take, noticeKinds };
}

describe('sim P2P model', () => {
  it('reports a phone once per find; new=0 after the next P2P_FIND; P2P_FLUSH loses it', () => {
    const { clock, model, send, take } = setUp();
    expect(send('P2P_FIND')).toBe('OK\n');
    model.addPeer(phoneProfile({ vendorElements: true, primaryDeviceType: '10-0050F204-5' }), 'accept');
    clock.advance(3000);
    expect(take()).toEqual([
      `P2P-DEVICE-FOUND ${PHONE} p2p_dev_addr=${PHONE} pri_dev_type=10-0050F204-5 name='phone' config_methods=0x188 dev_capab=0x25 group_capab=0x0 vendor_elems=1 new=1`,
    ]);
    clock.advance(10_000);
    expect(take()).toEqual([]);
    send('P2P_FIND');
    clock.advance(3000);
    expect(take()).toEqual([expect.stringMatching(/^P2P-DEVICE-FOUND .* new=0$/)]);
    expect(send('P2P_FLUSH')).toBe('OK\n');
    expect(take()).toEqual(['P2P-FIND-STOPPED ', `P2P-DEVICE-LOST p2p_dev_addr=${PHONE}`]);
  });

  it('ends a timed P2P_FIND with P2P-FIND-STOPPED and scans meanwhile', () => {
    const { clock, send, take } = setUp({ scanEvents: true });
    send('P2P_FIND 5');
    clock.advance(4900);
    const during = take();
    expect(during.length).toBeGreaterThan(5);
    expect(new Set(during)).toEqual(new Set(['CTRL-EVENT-SCAN-STARTED ']));
    clock.advance(200);
    expect(take()).toEqual(['P2P-FIND-STOPPED ']);
    clock.advance(5000);
    expect(take()).toEqual([]);
  });

  it('plain P2P_CONNECT pbc from the phone: GO-NEG-REQUEST, the kiosk answers P2P_CONNECT pbc go_intent=15 (hwsim round "connect")', () => {
    const { clock, model, send, take, noticeKinds, interfaces } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    take();
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: false });
    clock.advance(500);
    expect(take()).toEqual([`P2P-GO-NEG-REQUEST ${PHONE} dev_passwd_id=4 go_intent=7`]);
    expect(noticeKinds()).toContain('go-neg-waiting');

    expect(send(`P2P_CONNECT ${PHONE} pbc go_intent=15`)).toBe('OK\n');
    clock.advance(5000);
    const events = take();
    expect(events.slice(0, 2)).toEqual([
      'P2P-FIND-STOPPED ',
      `P2P-GO-NEG-SUCCESS role=GO freq=2437 ht40=0 peer_dev=${PHONE} peer_iface=${PHONE_IFACE} wps_method=PBC`,
    ]);
    expect(events[2]).toBe('P2P-GROUP-FORMATION-SUCCESS ');
    expect(events[3]).toMatch(
      /^P2P-GROUP-STARTED p2p-wlan0-0 GO ssid="DIRECT-\w\w" freq=2437 passphrase="\w{8}" go_dev_addr=42:00:00:00:00:00$/,
    );
    expect(events[4]).toBe(`AP-STA-CONNECTED ${PHONE_IFACE} p2p_dev_addr=${PHONE}`);
    expect(events).toHaveLength(5);
    expect(take('p2p-wlan0-0')).toEqual([]); // cursor moved; check the group's own events below
    expect(interfaces).toEqual(['+p2p-wlan0-0']);
    expect(noticeKinds()).toEqual(['found-kiosk', 'go-neg-waiting', 'go-neg-success', 'connected']);
  });

  it("emits the group interface's WPS and station events in hostapd's order", () => {
    const { clock, model, send, events } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    model.peerProvisionDiscovery(PHONE, 'pbc', false);
    clock.advance(500);
    send(`P2P_CONNECT ${PHONE} pbc go_intent=15 auth`);
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: false });
    clock.advance(5000);
    const group = events.filter((event) => event.ifname === 'p2p-wlan0-0').map((event) => event.text);
    expect(group).toEqual([
      'WPS-PBC-ACTIVE ',
      'WPS-ENROLLEE-SEEN 46:00:00:00:01:00 572cf82f-c957-5653-9b16-b5cfb298abf1 0-00000000-0 0x3148 4 1 [ ]',
      `WPS-REG-SUCCESS ${PHONE_IFACE} 572cf82f-c957-5653-9b16-b5cfb298abf1`,
      'WPS-PBC-DISABLE ',
      'WPS-SUCCESS ',
      `CTRL-EVENT-EAP-FAILURE ${PHONE_IFACE}`,
      `AP-STA-CONNECTED ${PHONE_IFACE} p2p_dev_addr=${PHONE}`,
    ]);
    // Every event the model emits is one the protocol parser recognises.
    for (const event of events)
      expect(parseEventLine(`<3>${event.text}`).type, event.text).not.toBe('unknown');
  });

  it('PBC provision discovery then auth: no GO-NEG-REQUEST is reported (hwsim round "pd-connect")', () => {
    const { clock, model, send, take } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    take();
    model.peerProvisionDiscovery(PHONE, 'pbc', false);
    clock.advance(500);
    expect(take()).toEqual([
      `P2P-PROV-DISC-PBC-REQ ${PHONE} p2p_dev_addr=${PHONE} pri_dev_type=1-0050F204-1 name='phone' config_methods=0x188 dev_capab=0x25 group_capab=0x0`,
    ]);
    expect(send(`P2P_CONNECT ${PHONE} pbc go_intent=15 auth`)).toBe('OK\n');
    clock.advance(100);
    expect(take()).toEqual([]); // auth sends nothing
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: false });
    clock.advance(5000);
    const events = take();
    expect(events.some((event) => event.startsWith('P2P-GO-NEG-REQUEST'))).toBe(false);
    expect(events[0]).toBe('P2P-FIND-STOPPED ');
    expect(events[1]).toMatch(/^P2P-GO-NEG-SUCCESS role=GO .* wps_method=PBC$/);
    expect(events.at(-1)).toBe(`AP-STA-CONNECTED ${PHONE_IFACE} p2p_dev_addr=${PHONE}`);
  });

  it('an `auth` does not wake a phone that already waits for us: it gives up after 120 s', () => {
    const { clock, model, send, take, noticeKinds } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: false });
    clock.advance(500);
    send(`P2P_CONNECT ${PHONE} pbc go_intent=15 auth`);
    take();
    clock.advance(119_000);
    expect(noticeKinds()).not.toContain('go-neg-failure');
    clock.advance(2000);
    expect(noticeKinds()).toContain('go-neg-failure');
    expect(take().filter((event) => !event.startsWith('P2P-DEVICE'))).toEqual([]);
  });

  it('a second P2P_CONNECT while the negotiation runs resets it: P2P-GO-NEG-FAILURE status=-1', () => {
    const { clock, model, send, take, notices } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    model.peerProvisionDiscovery(PHONE, 'display', false);
    clock.advance(500);
    expect(take().at(-1)).toMatch(
      new RegExp(`^P2P-PROV-DISC-SHOW-PIN ${PHONE} \\d{8} p2p_dev_addr=${PHONE} `),
    );
    send(`P2P_CONNECT ${PHONE} 12345670 display go_intent=15 auth`);
    model.peerConnect(PHONE, { method: 'keypad', pin: { kind: 'kiosk' }, join: false });
    clock.advance(160); // request delivered, negotiation running
    expect(send(`P2P_CONNECT ${PHONE} 12345670 display go_intent=15 auth`)).toBe('OK\n');
    expect(take()).toContain('P2P-GO-NEG-FAILURE status=-1');
    clock.advance(20_000);
    expect(take().some((event) => event.startsWith('P2P-GO-NEG-SUCCESS'))).toBe(false);
    expect(notices.map((entry) => entry.notice.kind)).toContain('formation-failure');
  });

  it('a wrong PIN fails fast: WPS-FAIL msg=8 config_error=18, FORMATION-FAILURE, GROUP-REMOVED FORMATION_FAILED', () => {
    const { clock, model, send, take, interfaces } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    take();
    model.peerConnect(PHONE, { method: 'keypad', pin: { kind: 'literal', pin: '87654325' }, join: false });
    clock.advance(500);
    expect(take()).toEqual([`P2P-GO-NEG-REQUEST ${PHONE} dev_passwd_id=1 go_intent=7`]);
    send(`P2P_CONNECT ${PHONE} 12345670 display go_intent=15`);
    clock.advance(3000);
    expect(take()).toEqual([
      'P2P-FIND-STOPPED ',
      `P2P-GO-NEG-SUCCESS role=GO freq=2437 ht40=0 peer_dev=${PHONE} peer_iface=${PHONE_IFACE} wps_method=Display`,
      'WPS-FAIL msg=8 config_error=18',
      'P2P-GROUP-FORMATION-FAILURE ',
      'P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=FORMATION_FAILED',
    ]);
    expect(interfaces).toEqual(['+p2p-wlan0-0', '-p2p-wlan0-0']);
    // Not discoverable until the kiosk runs P2P_FIND again.
    expect(model.findMode).toBe('idle');
  });

  it('incompatible methods fail the negotiation with status=10', () => {
    const { clock, model, send, take } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: false });
    clock.advance(500);
    take();
    send(`P2P_CONNECT ${PHONE} 12345670 display go_intent=15`);
    clock.advance(1000);
    expect(take()).toEqual(['P2P-FIND-STOPPED ', 'P2P-GO-NEG-FAILURE status=10']);
  });

  it('a phone that displays its PIN: PROV-DISC-ENTER-PIN, kiosk types it with P2P_CONNECT <pin> keypad', () => {
    const { clock, model, send, take, noticeKinds } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile({ name: 'LAPTOP-7Q2' }), 'accept');
    model.setDisplayedPin(PHONE, '24681353');
    clock.advance(3000);
    take();
    model.peerProvisionDiscovery(PHONE, 'keypad', false);
    clock.advance(500);
    expect(take()).toEqual([
      `P2P-PROV-DISC-ENTER-PIN ${PHONE} p2p_dev_addr=${PHONE} pri_dev_type=1-0050F204-1 name='LAPTOP-7Q2' config_methods=0x188 dev_capab=0x25 group_capab=0x0`,
    ]);
    send(`P2P_CONNECT ${PHONE} 24681353 keypad go_intent=15 auth`);
    model.peerConnect(PHONE, { method: 'display', pin: undefined, join: false });
    clock.advance(5000);
    expect(take()[1]).toMatch(/wps_method=Keypad$/);
    expect(noticeKinds()).toContain('connected');
  });

  it('keeps the group when the last station leaves; p2p_group_idle removes it with reason=IDLE', () => {
    const { clock, model, send, take } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: false });
    clock.advance(500);
    send(`P2P_CONNECT ${PHONE} pbc go_intent=15`);
    clock.advance(5000);
    take();
    // A new P2P_CONNECT while a group exists answers FAIL (the stale-group case).
    expect(send(`P2P_CONNECT ${PHONE} pbc`)).toBe('FAIL\n');
    model.peerLeaveGroup(PHONE);
    clock.advance(600_000);
    // The station left, the group stays; the idle phone ages out of the peer table (60 s).
    expect(take()).toEqual([
      `AP-STA-DISCONNECTED ${PHONE_IFACE} p2p_dev_addr=${PHONE}`,
      `P2P-DEVICE-LOST p2p_dev_addr=${PHONE}`,
    ]);
    expect(model.groups()).toHaveLength(1);

    send('SET p2p_group_idle 10');
    model.peerRejoin(PHONE);
    clock.advance(3000);
    expect(take()).toEqual([`AP-STA-CONNECTED ${PHONE_IFACE} p2p_dev_addr=${PHONE}`]);
    model.peerLeaveGroup(PHONE);
    clock.advance(11_000);
    expect(take()).toEqual([
      `AP-STA-DISCONNECTED ${PHONE_IFACE} p2p_dev_addr=${PHONE}`,
      'P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=IDLE',
    ]);
  });

  it('walking out mid-formation ends with the 15 s formation timeout', () => {
    const { clock, model, send, take, noticeKinds } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: false });
    clock.advance(500);
    send(`P2P_CONNECT ${PHONE} pbc go_intent=15`);
    clock.advance(600); // GO-NEG-SUCCESS done, WPS not yet
    model.peerLeavesRange(PHONE);
    clock.advance(16_000);
    const events = take();
    expect(events.slice(-2)).toEqual([
      'P2P-GROUP-FORMATION-FAILURE ',
      'P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=FORMATION_FAILED',
    ]);
    expect(noticeKinds()).toContain('formation-failure');
    // Not heard from for 60 s: dropped from the peer table.
    clock.advance(80_000);
    expect(take()).toContain(`P2P-DEVICE-LOST p2p_dev_addr=${PHONE}`);
  });

  it('answering a provision discovery without auth collides with the phone: both fail', () => {
    const { clock, model, send, take } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    model.peerProvisionDiscovery(PHONE, 'pbc', false);
    clock.advance(500);
    take();
    send(`P2P_CONNECT ${PHONE} pbc go_intent=15`);
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: false });
    clock.advance(10_000);
    const events = take();
    expect(events).toContain('P2P-GO-NEG-FAILURE status=-1');
    expect(events.some((event) => event.startsWith('P2P-GO-NEG-SUCCESS'))).toBe(false);
  });

  it('the phone becomes GO when our intent is lower: GROUP-STARTED client with the PSK', () => {
    const { clock, model, send, take } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile({ goIntent: 14 }), 'accept');
    clock.advance(3000);
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: false });
    clock.advance(500);
    take();
    send(`P2P_CONNECT ${PHONE} pbc go_intent=0`);
    clock.advance(5000);
    const events = take();
    expect(events[1]).toMatch(/^P2P-GO-NEG-SUCCESS role=client /);
    expect(events.at(-1)).toMatch(
      new RegExp(
        `^P2P-GROUP-STARTED p2p-wlan0-0 client ssid="DIRECT-\\w\\w" freq=2437 psk=[0-9a-f]{64} go_dev_addr=${PHONE}$`,
      ),
    );
    model.peerLeaveGroup(PHONE);
    clock.advance(1000);
    expect(take()).toContain('P2P-GROUP-REMOVED p2p-wlan0-0 client reason=GO_ENDING_SESSION');
  });

  it('autonomous persistent GO: LIST_NETWORKS, joins with WPS_PBC / WPS_PIN, kick with per_sta_psk', () => {
    const { clock, model, send, take, events } = setUp();
    expect(send('P2P_GROUP_ADD persistent')).toBe('OK\n');
    clock.advance(1000);
    expect(take()).toEqual([
      expect.stringMatching(
        /^P2P-GROUP-STARTED p2p-wlan0-0 GO ssid="DIRECT-\w\w" freq=2437 passphrase="\w{8}" go_dev_addr=42:00:00:00:00:00 \[PERSISTENT\]$/,
      ),
    ]);
    expect(send('LIST_NETWORKS')).toMatch(
      /^network id \/ ssid \/ bssid \/ flags\n0\tDIRECT-\w\w\t42:00:00:00:00:00\t\[P2P-PERSISTENT\]\n$/,
    );
    expect(send('LIST_NETWORKS', 'p2p-wlan0-0')).toMatch(
      /^network id \/ ssid \/ bssid \/ flags\n0\tDIRECT-\w\w\tany\t\[CURRENT\]\n$/,
    );

    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: true });
    clock.advance(3000);
    // A Provision Discovery from an unknown peer adds and reports it first (p2p_add_device()).
    expect(take()).toEqual([
      expect.stringMatching(/^P2P-DEVICE-FOUND .* new=1$/),
      expect.stringMatching(new RegExp(`^P2P-PROV-DISC-PBC-REQ ${PHONE} .* group=p2p-wlan0-0$`)),
    ]);
    expect(send('WPS_PBC', 'p2p-wlan0-0')).toBe('OK\n');
    clock.advance(3000);
    expect(take()).toEqual([`AP-STA-CONNECTED ${PHONE_IFACE} p2p_dev_addr=${PHONE}`]);
    expect(send('STA-FIRST', 'p2p-wlan0-0')).toMatch(
      new RegExp(`^${PHONE_IFACE}\nflags=\\[AUTH\\]\\[ASSOC\\]\\[AUTHORIZED\\]`),
    );
    expect(send('STA-FIRST')).toBe('FAIL\n');

    expect(send('P2P_SET per_sta_psk 1')).toBe('OK\n');
    expect(send(`P2P_REMOVE_CLIENT ${PHONE}`)).toBe('OK\n');
    expect(take()).toEqual([`AP-STA-DISCONNECTED ${PHONE_IFACE} p2p_dev_addr=${PHONE}`]);
    model.peerRejoin(PHONE);
    clock.advance(3000);
    expect(events.at(-1)).toEqual({
      ifname: 'p2p-wlan0-0',
      text: `AP-STA-POSSIBLE-PSK-MISMATCH ${PHONE_IFACE}`,
    });

    // A second phone types the PIN armed with WPS_PIN any.
    const other = '42:00:00:00:02:00';
    model.addPeer(phoneProfile({ deviceAddress: other, name: 'other' }), 'accept');
    clock.advance(3000);
    expect(send('WPS_PIN any 12345670', 'p2p-wlan0-0')).toBe('12345670');
    model.peerConnect(other, { method: 'keypad', pin: { kind: 'kiosk' }, join: true });
    clock.advance(5000);
    expect(take().at(-1)).toBe(`AP-STA-CONNECTED 46:00:00:00:02:00 p2p_dev_addr=${other}`);
  });

  it('WPS_PBC p2p_dev_addr=<addr> admits only that phone; another push-button joiner waits out its walk time', () => {
    const { clock, model, send, take, notices } = setUp();
    send('P2P_GROUP_ADD');
    clock.advance(1000);
    const other = '42:00:00:00:02:00';
    model.addPeer(phoneProfile(), 'accept');
    model.addPeer(phoneProfile({ deviceAddress: other, name: 'other' }), 'accept');
    clock.advance(3000);
    // Both push the button on their side; the kiosk opens its window for PHONE only.
    model.peerConnect(other, { method: 'pbc', pin: undefined, join: true });
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: true });
    clock.advance(3000);
    take();
    expect(send('WPS_PBC p2p_dev_addr=02:00:00:00:99:00', 'p2p-wlan0-0')).toBe('OK\n');
    clock.advance(3000);
    expect(take()).toEqual([]); // nobody of those named
    expect(send(`WPS_PBC p2p_dev_addr=${PHONE}`, 'p2p-wlan0-0')).toBe('OK\n');
    clock.advance(3000);
    expect(take()).toEqual([`AP-STA-CONNECTED ${PHONE_IFACE} p2p_dev_addr=${PHONE}`]);
    expect(model.group('p2p-wlan0-0')?.stations.has(other)).toBe(false);
    expect(send('WPS_PBC p2p_dev_addr=nonsense', 'p2p-wlan0-0')).toBe('FAIL\n');
    clock.advance(120_000);
    expect(notices.filter((entry) => entry.address === other).map((entry) => entry.notice)).toContainEqual({
      kind: 'join-failure',
      reason: 'wps-timeout',
    });
    // A plain WPS_PBC (no address) still admits any push-button enrollee.
    model.peerConnect(other, { method: 'pbc', pin: undefined, join: true });
    clock.advance(3000);
    expect(send('WPS_PBC', 'p2p-wlan0-0')).toBe('OK\n');
    clock.advance(3000);
    expect(take().at(-1)).toBe(`AP-STA-CONNECTED 46:00:00:00:02:00 p2p_dev_addr=${other}`);
  });
  it('P2P_INVITE to the active group answers status=1 and the phone then joins; persistent reinvocation answers status=0', () => {
    const { clock, model, send, take } = setUp();
    send('P2P_GROUP_ADD persistent');
    clock.advance(1000);
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    take();
    expect(send(`P2P_INVITE group=p2p-wlan0-0 peer=${PHONE}`)).toBe('OK\n');
    clock.advance(1000);
    expect(take()).toEqual(['P2P-INVITATION-RESULT status=1 ']);
    // The accepting phone joins: PD with group=, then WPS once the kiosk pushes the button.
    model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: true });
    clock.advance(3000);
    send('WPS_PBC', 'p2p-wlan0-0');
    clock.advance(3000);
    expect(take().at(-1)).toBe(`AP-STA-CONNECTED ${PHONE_IFACE} p2p_dev_addr=${PHONE}`);

    send('P2P_GROUP_REMOVE p2p-wlan0-0');
    take();
    send('P2P_FIND');
    expect(send(`P2P_INVITE persistent=0 peer=${PHONE}`)).toBe('OK\n');
    clock.advance(3000);
    const events = take();
    expect(events[0]).toBe('P2P-INVITATION-RESULT status=0 ');
    expect(events[1]).toMatch(/^P2P-GROUP-STARTED p2p-wlan0-1 GO .* \[PERSISTENT\]$/);
    expect(events[2]).toBe(`AP-STA-CONNECTED ${PHONE_IFACE} p2p_dev_addr=${PHONE}`);
  });

  it('P2P_CONNECT … pin replies with the generated PIN; `persistent` stores the group once provisioned', () => {
    const { clock, model, send, take } = setUp();
    send('P2P_FIND');
    model.addPeer(phoneProfile(), 'accept');
    clock.advance(3000);
    const pin = send(`P2P_CONNECT ${PHONE} pin go_intent=15 auth persistent`);
    expect(pin).toMatch(/^\d{8}$/); // "%08d", no newline (p2p_ctrl_connect)
    expect(send('LIST_NETWORKS')).toBe('network id / ssid / bssid / flags\n');
    model.peerConnect(PHONE, { method: 'keypad', pin: { kind: 'kiosk' }, join: false });
    clock.advance(5000);
    expect(take().find((event) => event.startsWith('P2P-GROUP-STARTED'))).toMatch(/ \[PERSISTENT\]$/);
    expect(send('LIST_NETWORKS')).toMatch(/\n0\tDIRECT-\w\w\t42:00:00:00:00:00\t\[P2P-PERSISTENT\]\n$/);
    expect(send(`P2P_PEER ${PHONE}`)).toMatch(/\npersistent=0\n/);
  });

  it('is deterministic: the same seed and inputs give the same events', () => {
    const runOnce = (seed: number): string[] => {
      const { clock, model, send, events } = setUp({ seed, scanEvents: true });
      send('P2P_FIND');
      model.addPeer(phoneProfile(), 'accept');
      clock.advance(3000);
      model.peerConnect(PHONE, { method: 'pbc', pin: undefined, join: false });
      clock.advance(500);
      send(`P2P_CONNECT ${PHONE} pbc go_intent=15`);
      clock.advance(5000);
      return events.map((event) => `${event.ifname} ${event.text}`);
    };
    expect(runOnce(42)).toEqual(runOnce(42));
    expect(runOnce(42)).not.toEqual(runOnce(43));
  });

  it('answers the replies wpa_cli reads at start and FAILs what the P2P device cannot do', () => {
    const { send } = setUp();
    expect(send('BSS RANGE=ALL MASK=0x2')).toBe('');
    expect(send('LIST_CREDS')).toBe('cred id / realm / username / domain / imsi\n');
    expect(send('LIST_NETWORKS')).toBe('network id / ssid / bssid / flags\n');
    expect(send('STA-FIRST')).toBe('FAIL\n');
    expect(send('P2P_PEERS')).toBe('UNKNOWN COMMAND\n');
    expect(send('ping')).toBe('UNKNOWN COMMAND\n'); // commands are case-sensitive on the socket
    expect(send('P2P_PEER FIRST')).toBe('FAIL\n');
    expect(send('SET no_such_thing 1')).toBe('FAIL\n');
    expect(send('SET device_name Kiosk')).toBe('OK\n');
    expect(send('GET device_name')).toBe('Kiosk');
    expect(send('P2P_CONNECT 42:00:00:00:01:00 pin')).toBe('FAIL\n'); // unknown peer
    expect(send('STATUS', 'wlan0')).toMatch(/^wpa_state=INACTIVE\n/);
  });
});
