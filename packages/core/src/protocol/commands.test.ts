import { describe, expect, it } from 'vitest';
import * as commands from './commands.js';
import type { Command } from './commands.js';
import { CommandValidationError } from './validation.js';
import type { ValidationRule } from './validation.js';

const PHONE = '42:00:00:00:01:00';

describe('command builders produce the exact text', () => {
  it.each<[string, () => Command, string]>([
    ['PING', () => commands.ping(), 'PING'],
    ['STATUS', () => commands.status(), 'STATUS'],
    ['INTERFACES', () => commands.interfaces(), 'INTERFACES'],
    ['ATTACH', () => commands.attach(), 'ATTACH'],
    ['DETACH', () => commands.detach(), 'DETACH'],
    ['TERMINATE', () => commands.terminate(), 'TERMINATE'],
    ['LEVEL', () => commands.level(3), 'LEVEL 3'],
    ['SET word', () => commands.set('p2p_go_intent', 15), 'SET p2p_go_intent 15'],
    [
      'SET device_name with spaces',
      () => commands.set('device_name', 'Kiosk at Bob’s café'),
      'SET device_name Kiosk at Bob’s café',
    ],
    [
      'SET config_methods list',
      () => commands.set('config_methods', 'virtual_push_button keypad'),
      'SET config_methods virtual_push_button keypad',
    ],
    ['SET device_type', () => commands.set('device_type', '1-0050F204-1'), 'SET device_type 1-0050F204-1'],
    [
      'SET persistent_reconnect',
      () => commands.set('persistent_reconnect', '1'),
      'SET persistent_reconnect 1',
    ],
    ['GET', () => commands.get('device_name'), 'GET device_name'],
    ['raw', () => commands.raw('p2p_find 5'), 'p2p_find 5'],
    [
      'withIfname',
      () => commands.withIfname('p2p-dev-wlan0', commands.p2pFind()),
      'IFNAME=p2p-dev-wlan0 P2P_FIND',
    ],
    ['P2P_FIND', () => commands.p2pFind(), 'P2P_FIND'],
    ['P2P_FIND timeout', () => commands.p2pFind({ timeout: 5 }), 'P2P_FIND 5'],
    [
      'P2P_FIND all options',
      () =>
        commands.p2pFind({
          timeout: 30,
          type: 'social',
          devId: 'AA:BB:CC:DD:EE:FF',
          devType: '10-0050F204-5',
          delay: 500,
        }),
      'P2P_FIND 30 type=social dev_id=aa:bb:cc:dd:ee:ff dev_type=10-0050F204-5 delay=500',
    ],
    ['P2P_FIND freq', () => commands.p2pFind({ freq: 2437 }), 'P2P_FIND freq=2437'],
    ['P2P_STOP_FIND', () => commands.p2pStopFind(), 'P2P_STOP_FIND'],
    ['P2P_LISTEN', () => commands.p2pListen(), 'P2P_LISTEN'],
    ['P2P_LISTEN timeout', () => commands.p2pListen(60), 'P2P_LISTEN 60'],
    ['P2P_FLUSH', () => commands.p2pFlush(), 'P2P_FLUSH'],
    ['P2P_CANCEL', () => commands.p2pCancel(), 'P2P_CANCEL'],
    ['P2P_GET_PASSPHRASE', () => commands.p2pGetPassphrase(), 'P2P_GET_PASSPHRASE'],
    ['P2P_PEERS', () => commands.p2pPeers(), 'P2P_PEERS'],
    ['P2P_PEERS discovered', () => commands.p2pPeers({ discovered: true }), 'P2P_PEERS discovered'],
    ['P2P_PEER addr', () => commands.p2pPeer(PHONE), `P2P_PEER ${PHONE}`],
    ['P2P_PEER FIRST', () => commands.p2pPeerFirst(), 'P2P_PEER FIRST'],
    ['P2P_PEER NEXT', () => commands.p2pPeerNext(PHONE), `P2P_PEER NEXT-${PHONE}`],
    // The kiosk's own commands in hwsim/captures/*/commands.log:
    [
      'capture: pbc',
      () => commands.p2pConnect(PHONE, 'pbc', { goIntent: 15 }),
      `P2P_CONNECT ${PHONE} pbc go_intent=15`,
    ],
    [
      'capture: pbc auth',
      () => commands.p2pConnect(PHONE, 'pbc', { goIntent: 15, auth: true }),
      `P2P_CONNECT ${PHONE} pbc auth go_intent=15`,
    ],
    [
      'capture: PIN display',
      () => commands.p2pConnect(PHONE, '12345670', { pinMode: 'display', goIntent: 15 }),
      `P2P_CONNECT ${PHONE} 12345670 display go_intent=15`,
    ],
    [
      'capture: phone keypad',
      () => commands.p2pConnect('42:00:00:00:00:00', '87654325', { pinMode: 'keypad' }),
      'P2P_CONNECT 42:00:00:00:00:00 87654325 keypad',
    ],
    ['P2P_CONNECT pin', () => commands.p2pConnect(PHONE, 'pin'), `P2P_CONNECT ${PHONE} pin`],
    [
      'P2P_CONNECT 4-digit',
      () => commands.p2pConnect(PHONE, '1234', { pinMode: 'keypad' }),
      `P2P_CONNECT ${PHONE} 1234 keypad`,
    ],
    [
      'P2P_CONNECT every option',
      () =>
        commands.p2pConnect(PHONE, 'pbc', {
          persistent: 3,
          join: true,
          goIntent: 0,
          freq: 5180,
          provdisc: true,
          ht40: true,
          vht: true,
          he: true,
          ssid: 'DIRECT-ab',
        }),
      `P2P_CONNECT ${PHONE} pbc persistent=3 join go_intent=0 freq=5180 provdisc ht40 vht he ssid=4449524543542d6162`,
    ],
    [
      'P2P_CONNECT persistent auto',
      () => commands.p2pConnect(PHONE, 'pbc', { persistent: true, auto: true }),
      `P2P_CONNECT ${PHONE} pbc persistent auto`,
    ],
    ['P2P_GROUP_ADD', () => commands.p2pGroupAdd(), 'P2P_GROUP_ADD'],
    [
      'P2P_GROUP_ADD options',
      () => commands.p2pGroupAdd({ persistent: 0, freq: 2, ht40: true }),
      'P2P_GROUP_ADD persistent=0 freq=2 ht40',
    ],
    [
      'P2P_GROUP_ADD persistent',
      () => commands.p2pGroupAdd({ persistent: true, freq: 2437, vht: true }),
      'P2P_GROUP_ADD persistent freq=2437 vht',
    ],
    ['P2P_GROUP_REMOVE', () => commands.p2pGroupRemove('p2p-wlan0-0'), 'P2P_GROUP_REMOVE p2p-wlan0-0'],
    ['P2P_GROUP_REMOVE *', () => commands.p2pGroupRemove('*'), 'P2P_GROUP_REMOVE *'],
    ['P2P_REJECT', () => commands.p2pReject(PHONE), `P2P_REJECT ${PHONE}`],
    ['P2P_REMOVE_CLIENT', () => commands.p2pRemoveClient(PHONE), `P2P_REMOVE_CLIENT ${PHONE}`],
    ['P2P_PROV_DISC', () => commands.p2pProvDisc(PHONE, 'display'), `P2P_PROV_DISC ${PHONE} display`],
    [
      'P2P_PROV_DISC join',
      () => commands.p2pProvDisc(PHONE, 'pbc', { join: true }),
      `P2P_PROV_DISC ${PHONE} pbc join`,
    ],
    [
      'P2P_PROV_DISC auto',
      () => commands.p2pProvDisc(PHONE, 'keypad', { auto: true }),
      `P2P_PROV_DISC ${PHONE} keypad auto`,
    ],
    ['P2P_INVITE persistent', () => commands.p2pInvite({ persistent: 4 }), 'P2P_INVITE persistent=4'],
    [
      'P2P_INVITE group',
      () => commands.p2pInvite({ group: 'p2p-wlan0-0', peer: PHONE, goDevAddr: '42:00:00:00:00:00' }),
      `P2P_INVITE group=p2p-wlan0-0 peer=${PHONE} go_dev_addr=42:00:00:00:00:00`,
    ],
    [
      'P2P_INVITE persistent options',
      () => commands.p2pInvite({ persistent: 1, peer: PHONE, freq: 2412, pref: 2437, ht40: true, vht: true }),
      `P2P_INVITE persistent=1 peer=${PHONE} freq=2412 pref=2437 ht40 vht`,
    ],
    ['P2P_SET', () => commands.p2pSet('per_sta_psk', 1), 'P2P_SET per_sta_psk 1'],
    [
      'P2P_SET listen_channel',
      () => commands.p2pSet('listen_channel', '6 81'),
      'P2P_SET listen_channel 6 81',
    ],
    [
      'P2P_SET ssid_postfix',
      () => commands.p2pSet('ssid_postfix', '-Kiosk 1'),
      'P2P_SET ssid_postfix -Kiosk 1',
    ],
    ['WPS_PBC', () => commands.wpsPbc(), 'WPS_PBC'],
    ['WPS_PBC any', () => commands.wpsPbc('any'), 'WPS_PBC any'],
    ['WPS_PBC addr', () => commands.wpsPbc(PHONE.toUpperCase()), `WPS_PBC ${PHONE}`],
    [
      'WPS_PBC for one P2P peer',
      () => commands.wpsPbcForPeer(PHONE.toUpperCase()),
      `WPS_PBC p2p_dev_addr=${PHONE}`,
    ],
    ['WPS_PIN any', () => commands.wpsPin('any', '12345670'), 'WPS_PIN any 12345670'],
    ['WPS_PIN addr timeout', () => commands.wpsPin(PHONE, '12345670', 120), `WPS_PIN ${PHONE} 12345670 120`],
    ['LIST_NETWORKS', () => commands.listNetworks(), 'LIST_NETWORKS'],
    ['REMOVE_NETWORK', () => commands.removeNetwork(0), 'REMOVE_NETWORK 0'],
    ['REMOVE_NETWORK all', () => commands.removeNetwork('all'), 'REMOVE_NETWORK all'],
    ['ALL_STA', () => commands.allSta(), 'ALL_STA'],
    ['STA-FIRST', () => commands.staFirst(), 'STA-FIRST'],
    ['STA-NEXT', () => commands.staNext(PHONE), `STA-NEXT ${PHONE}`],
    ['STA', () => commands.sta(PHONE), `STA ${PHONE}`],
  ])('%s', (_name, build, expected) => {
    expect(build()).toBe(expected);
  });
});

function rejection(build: () => unknown): { field: string; rule: ValidationRule } {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(CommandValidationError);
    const { field, rule } = error as CommandValidationError;
    return { field, rule };
  }
  throw new Error('expected a CommandValidationError');
}

describe('command builders reject bad arguments before anything is sent', () => {
  it.each<[string, () => unknown, string, ValidationRule]>([
    ['short MAC', () => commands.p2pConnect('42:00:00:00:01', 'pbc'), 'address', 'mac-address'],
    ['injected MAC', () => commands.p2pReject(`${PHONE}\nTERMINATE`), 'address', 'mac-address'],
    ['MAC with dashes', () => commands.p2pPeer('42-00-00-00-01-00'), 'address', 'mac-address'],
    ['bad checksum', () => commands.p2pConnect(PHONE, '12345678'), 'method', 'pin'],
    ['5-digit PIN', () => commands.wpsPin('any', '12345'), 'pin', 'pin'],
    ['method word', () => commands.p2pConnect(PHONE, 'label'), 'method', 'pin'],
    [
      'pbc with pinMode',
      () => commands.p2pConnect(PHONE, 'pbc', { pinMode: 'display' }),
      'pinMode',
      'conflict',
    ],
    [
      'join and auth',
      () => commands.p2pConnect(PHONE, 'pbc', { join: true, auth: true }),
      'join',
      'conflict',
    ],
    ['go_intent 16', () => commands.p2pConnect(PHONE, 'pbc', { goIntent: 16 }), 'goIntent', 'range'],
    ['go_intent 1.5', () => commands.p2pConnect(PHONE, 'pbc', { goIntent: 1.5 }), 'goIntent', 'integer'],
    [
      'go_intent NaN',
      () => commands.p2pConnect(PHONE, 'pbc', { goIntent: Number.NaN }),
      'goIntent',
      'integer',
    ],
    ['freq 0', () => commands.p2pConnect(PHONE, 'pbc', { freq: 0 }), 'freq', 'range'],
    [
      'long ssid',
      () => commands.p2pConnect(PHONE, 'pbc', { join: true, ssid: 'x'.repeat(33) }),
      'ssid',
      'length',
    ],
    ['find type', () => commands.p2pFind({ type: 'full' as 'social' }), 'type', 'one-of'],
    ['find freq with type', () => commands.p2pFind({ type: 'social', freq: 2412 }), 'freq', 'conflict'],
    ['find timeout 0', () => commands.p2pFind({ timeout: 0 }), 'timeout', 'range'],
    ['find devType', () => commands.p2pFind({ devType: '1-0050F204' }), 'devType', 'value'],
    ['ifname too long', () => commands.p2pGroupRemove('p2p-wlan0-0123456'), 'ifname', 'ifname'],
    ['ifname with slash', () => commands.p2pGroupRemove('a/b'), 'ifname', 'ifname'],
    ['ifname dot', () => commands.p2pGroupRemove('.'), 'ifname', 'ifname'],
    ['ifname dotdot', () => commands.withIfname('..', commands.ping()), 'ifname', 'ifname'],
    ['ifname space', () => commands.withIfname('wlan0 PING', commands.ping()), 'ifname', 'ifname'],
    ['ifname empty', () => commands.p2pGroupRemove(''), 'ifname', 'ifname'],
    ['SET key upper', () => commands.set('Device_Name', 'x'), 'key', 'key'],
    ['SET key injection', () => commands.set('a b', 'x'), 'key', 'key'],
    ['SET value space', () => commands.set('country', 'U S'), 'value', 'value'],
    ['SET device_name newline', () => commands.set('device_name', 'Kiosk\nTERMINATE'), 'value', 'text'],
    ['SET device_name tab', () => commands.set('device_name', 'a\tb'), 'value', 'text'],
    ['SET device_name 33 bytes', () => commands.set('device_name', 'x'.repeat(33)), 'value', 'length'],
    ['SET device_name 11 × 3 bytes', () => commands.set('device_name', '€'.repeat(11)), 'value', 'length'],
    ['SET device_name empty', () => commands.set('device_name', ''), 'value', 'text'],
    ['SET device_name padded', () => commands.set('device_name', 'Kiosk '), 'value', 'text'],
    ['SET device_name lone surrogate', () => commands.set('device_name', 'a\uD800b'), 'value', 'text'],
    ['SET device_name DEL', () => commands.set('device_name', 'a\x7f'), 'value', 'text'],
    ['SET device_name C1', () => commands.set('device_name', 'a\u0085'), 'value', 'text'],
    ['SET device_name U+2028', () => commands.set('device_name', 'a\u2028b'), 'value', 'text'],
    ['SET config_methods', () => commands.set('config_methods', 'keypad;reboot'), 'value', 'value'],
    ['GET key', () => commands.get(''), 'key', 'key'],
    ['P2P_SET value', () => commands.p2pSet('per_sta_psk', '1 2'), 'value', 'value'],
    ['P2P_SET listen_channel', () => commands.p2pSet('listen_channel', '6 81 x'), 'value', 'value'],
    ['LEVEL 6', () => commands.level(6), 'level', 'range'],
    ['REMOVE_NETWORK -1', () => commands.removeNetwork(-1), 'id', 'range'],
    [
      'invite both',
      () => commands.p2pInvite({ persistent: 1, group: 'p2p-wlan0-0' } as never),
      'persistent',
      'conflict',
    ],
    [
      'invite group without peer',
      () => commands.p2pInvite({ group: 'p2p-wlan0-0' } as never),
      'peer',
      'mac-address',
    ],
    ['prov disc method', () => commands.p2pProvDisc(PHONE, 'pin' as 'pbc'), 'method', 'one-of'],
    ['raw newline', () => commands.raw('PING\nTERMINATE'), 'text', 'command'],
    ['raw NUL', () => commands.raw('PING\0'), 'text', 'command'],
    ['raw CR', () => commands.raw('PING\rX'), 'text', 'command'],
    ['raw empty', () => commands.raw(''), 'text', 'command'],
    ['raw padded', () => commands.raw(' PING'), 'text', 'command'],
    [
      'withIfname of a forged command',
      () => commands.withIfname('wlan0', 'PING\nTERMINATE' as Command),
      'command',
      'command',
    ],
    ['non-string address', () => commands.p2pReject(42 as unknown as string), 'address', 'mac-address'],
    ['object address', () => commands.p2pReject(Object.create(null) as string), 'address', 'mac-address'],
  ])('%s', (_name, build, field, rule) => {
    expect(rejection(build)).toEqual({ field, rule });
  });

  it('names the field in the message', () => {
    expect(() => commands.p2pReject('nope')).toThrow(/^address: expected xx:xx/);
  });
});
