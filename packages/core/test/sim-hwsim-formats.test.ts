/**
 * The simulator's kiosk-side event lines against what real wpa_supplicant 2.10 printed on hwsim
 * (test/fixtures/hwsim/): the formats that differed in earlier runs, field order included. The model runs with
 * the hwsim kiosk's configuration (tools/hwsim/kiosk.sh, deploy/wpa_supplicant-wlan0.conf: p2p_go_ht40=1) and
 * the agent's `SET ip_addr_*` (EAPOL IP address allocation), with the captured phones' addresses and UUIDs,
 * so only the random SSID and passphrase are normalised.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../src/protocol/event-parser.js';
import { ManualClock } from '../src/sim/clock.js';
import { ControlCommands } from '../src/sim/control-commands.js';
import type { PhoneProfile } from '../src/sim/model-types.js';
import { P2pModel } from '../src/sim/p2p-model.js';
import { Prng } from '../src/sim/prng.js';
import { phoneProfile } from './support/phone-profile.js';

const DEV = 'p2p-dev-wlan0';
const PHONE_A = '42:00:00:00:01:00';
const PHONE_B = '42:00:00:00:02:00';

/** The raw lines (level prefix dropped) one interface of the kiosk printed in a captured scenario. */
function captured(scenario: string, ifname: string, eventName: string): string[] {
  const file = new URL(`./fixtures/hwsim/${scenario}/kiosk-events.txt`, import.meta.url);
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^\S+ (\S+) <\d>(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && match[1] === ifname)
    .map((match) => match[2] ?? '')
    .filter((text) => text.startsWith(`${eventName} `));
}

/** SSIDs and passphrases are random per group, on hwsim as in the simulator. */
const normalise = (text: string): string =>
  text
    .replace(/ ssid="[^"]*"/g, ' ssid="<ssid>"')
    .replace(/ passphrase="[^"]*"/g, ' passphrase="<passphrase>"');

function phone(address: string, name: string, uuid: string): PhoneProfile {
  return phoneProfile({ deviceAddress: address, name, uuid, primaryDeviceType: '10-0050F204-5' });
}
const phoneA = phone(PHONE_A, 'phone-a', '572cf82f-c957-5653-9b16-b5cfb298abf1');
const phoneB = phone(PHONE_B, 'phone-b', 'a134bcd4-edf6-548b-87e5-49d3aedf9b60');

function hwsimKiosk() {
  const clock = new ManualClock();
  const events: { ifname: string; text: string }[] = [];
  const model = new P2pModel({
    clock,
    prng: new Prng(1),
    config: {
      mainIfname: 'wlan0',
      p2pDeviceIfname: DEV,
      deviceAddress: '42:00:00:00:00:00',
      mainAddress: '02:00:00:00:00:00',
      operatingFrequency: 2437,
      uuid: '11111111-2222-3333-4444-555555555555',
      scanEvents: false,
      settings: { device_name: 'DIRECT-kiosk', p2p_go_intent: '15', p2p_go_ht40: '1' },
    },
    listener: {
      event: (ifname, text) => events.push({ ifname, text }),
      interfaceAdded: () => undefined,
      interfaceRemoved: () => undefined,
      peerNotice: () => undefined,
      log: () => undefined,
    },
  });
  model.boot();
  const commands = new ControlCommands(model);
  const send = (line: string, ifname = DEV): string => commands.execute(ifname, line).reply;
  // What the agent sends at start-up (kiosk-commands.txt), before any group exists.
  for (const line of [
    'SET ip_addr_go 192.168.49.1',
    'SET ip_addr_mask 255.255.255.0',
    'SET ip_addr_start 192.168.49.100',
    'SET ip_addr_end 192.168.49.199',
  ])
    expect(send(line)).toBe('OK\n');
  const emitted = (ifname: string, eventName: string): string[] =>
    events
      .filter((event) => event.ifname === ifname && event.text.startsWith(`${eventName} `))
      .map((e) => e.text);
  return { clock, model, send, emitted };
}

/** phone-a asks by GO negotiation (push button) and the kiosk answers, as in 1-whitelisted-pbc: the reply. */
function negotiatePbc({ clock, model, send }: ReturnType<typeof hwsimKiosk>): string {
  send('P2P_FIND');
  model.addPeer(phoneA, 'accept');
  clock.advance(3000);
  model.peerConnect(PHONE_A, { method: 'pbc', pin: undefined, join: false });
  clock.advance(500);
  const reply = send(`P2P_CONNECT ${PHONE_A} pbc go_intent=15`);
  clock.advance(5000);
  return reply;
}

describe('simulator lines = hwsim lines (kiosk side)', () => {
  it('P2P-GO-NEG-SUCCESS carries ht40=1 with p2p_go_ht40=1 (1-whitelisted-pbc)', () => {
    const kiosk = hwsimKiosk();
    const { emitted } = kiosk;
    expect(negotiatePbc(kiosk)).toBe('OK\n');
    const real = captured('1-whitelisted-pbc', DEV, 'P2P-GO-NEG-SUCCESS');
    expect(real).toHaveLength(1);
    expect(emitted(DEV, 'P2P-GO-NEG-SUCCESS')).toEqual(real);
    // P2P-GROUP-STARTED on the GO side has no trailing fields on hwsim either.
    expect(emitted(DEV, 'P2P-GROUP-STARTED').map(normalise)).toEqual(
      captured('1-whitelisted-pbc', DEV, 'P2P-GROUP-STARTED').map(normalise),
    );
  });

  it('AP-STA-CONNECTED ends in ip_addr= on the P2P device and the group (1-whitelisted-pbc)', () => {
    const kiosk = hwsimKiosk();
    const { send, emitted } = kiosk;
    negotiatePbc(kiosk);
    const realDevice = captured('1-whitelisted-pbc', DEV, 'AP-STA-CONNECTED');
    const realGroup = captured('1-whitelisted-pbc', 'p2p-wlan0-0', 'AP-STA-CONNECTED');
    expect(realDevice).toEqual([
      'AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00 ip_addr=192.168.49.100',
    ]);
    expect(emitted(DEV, 'AP-STA-CONNECTED')).toEqual(realDevice);
    expect(emitted('p2p-wlan0-0', 'AP-STA-CONNECTED')).toEqual(realGroup);
    // The agent reads the address from the parsed event.
    expect(parseEventLine(`<3>${realDevice[0]}`).fields.ip_addr).toBe('192.168.49.100');
    // AP-STA-DISCONNECTED has no ip_addr=.
    send(`P2P_REMOVE_CLIENT ${PHONE_A}`);
    expect(emitted(DEV, 'AP-STA-DISCONNECTED')).toEqual(
      captured('1-whitelisted-pbc', DEV, 'AP-STA-DISCONNECTED'),
    );
  });

  it('WPS-ENROLLEE-SEEN and the next free ip_addr= for joins to an autonomous GO (6-autonomous-go)', () => {
    const { clock, model, send, emitted } = hwsimKiosk();
    expect(send('P2P_GROUP_ADD')).toBe('OK\n');
    clock.advance(1000);
    model.addPeer(phoneA, 'accept');
    clock.advance(3000);
    model.peerConnect(PHONE_A, { method: 'pbc', pin: undefined, join: true });
    clock.advance(3000);
    expect(send('WPS_PBC', 'p2p-wlan0-0')).toBe('OK\n');
    clock.advance(3000);
    model.addPeer(phoneB, 'accept');
    clock.advance(3000);
    expect(send('WPS_PIN any 12345670', 'p2p-wlan0-0')).toBe('12345670');
    model.peerConnect(PHONE_B, { method: 'keypad', pin: { kind: 'kiosk' }, join: true });
    clock.advance(5000);

    const real = captured('6-autonomous-go', 'p2p-wlan0-0', 'WPS-ENROLLEE-SEEN');
    const seen = emitted('p2p-wlan0-0', 'WPS-ENROLLEE-SEEN');
    // phone-a pushed the button (dev_passwd_id 4), phone-b typed a PIN (0); a real phone also sends probes
    // before it starts WPS (request type 0), which the simulator does not model.
    expect(seen).toEqual([real[0], real.find((line) => / a134bcd4-\S+ .* 0 1 \[ \]$/.test(line))]);
    expect(seen[0]).toBe(
      'WPS-ENROLLEE-SEEN 46:00:00:00:01:00 572cf82f-c957-5653-9b16-b5cfb298abf1 0-00000000-0 0x3148 4 1 [ ]',
    );
    // phone-a holds .100 while phone-b connects: phone-b gets .101, on both interfaces.
    expect(emitted('p2p-wlan0-0', 'AP-STA-CONNECTED')).toEqual(
      captured('6-autonomous-go', 'p2p-wlan0-0', 'AP-STA-CONNECTED'),
    );
    expect(emitted(DEV, 'AP-STA-CONNECTED')).toEqual(captured('6-autonomous-go', DEV, 'AP-STA-CONNECTED'));
  });

  it('without SET ip_addr_start (or with 0.0.0.0) there is no ip_addr=; a malformed address is FAIL', () => {
    const { clock, model, send, emitted } = hwsimKiosk();
    expect(send('SET ip_addr_start 0.0.0.0')).toBe('OK\n');
    expect(send('SET ip_addr_end 192.168.49.300')).toBe('FAIL\n');
    send('P2P_GROUP_ADD');
    clock.advance(1000);
    model.addPeer(phoneA, 'accept');
    clock.advance(3000);
    model.peerConnect(PHONE_A, { method: 'pbc', pin: undefined, join: true });
    clock.advance(3000);
    send('WPS_PBC', 'p2p-wlan0-0');
    clock.advance(3000);
    expect(emitted(DEV, 'AP-STA-CONNECTED')).toEqual([
      'AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00',
    ]);
  });
});
