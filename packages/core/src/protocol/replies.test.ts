import { describe, expect, it } from 'vitest';
import {
  ReplyParseError,
  isFail,
  isOk,
  isUnknownCommand,
  parseAddressList,
  parseAllSta,
  parseInterfaces,
  parseKeyValueBlock,
  parseListNetworks,
  parsePeerAddress,
  parseStation,
} from './replies.js';

function parseError(parse: () => unknown): ReplyParseError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ReplyParseError);
    return error as ReplyParseError;
  }
  throw new Error('expected a ReplyParseError');
}

describe('status replies', () => {
  it.each([
    ['OK', true, false],
    ['OK\n', true, false],
    ['FAIL', false, true],
    ['FAIL\n', false, true],
    ['FAIL-BUSY', false, true],
    ['FAIL-CHECKSUM\n', false, true],
    ['FAILED', false, false],
    ['PONG', false, false],
    ['12345670', false, false],
  ])('%j → ok %s, fail %s', (reply, ok, fail) => {
    expect(isOk(reply)).toBe(ok);
    expect(isFail(reply)).toBe(fail);
  });

  it('recognises UNKNOWN COMMAND', () => {
    expect(isUnknownCommand('UNKNOWN COMMAND\n')).toBe(true);
    expect(isUnknownCommand('OK')).toBe(false);
  });
});

describe('parseKeyValueBlock', () => {
  it('reads STATUS (reference/wpa_supplicant-ctrl-iface.txt), keys with spaces included', () => {
    const reply =
      'bssid=02:00:01:02:03:04\nssid=test network\npairwise_cipher=CCMP\ngroup_cipher=CCMP\nkey_mgmt=WPA-PSK\n' +
      'wpa_state=COMPLETED\nip_address=192.168.1.21\nSupplicant PAE state=AUTHENTICATED\nsuppPortStatus=Authorized\n' +
      'EAP state=SUCCESS\n';
    const block = parseKeyValueBlock(reply);
    expect(block.address).toBeNull();
    expect(block.values).toMatchObject({
      ssid: 'test network',
      wpa_state: 'COMPLETED',
      'Supplicant PAE state': 'AUTHENTICATED',
      'EAP state': 'SUCCESS',
    });
  });

  it('reads P2P_PEER <addr>, whose first line is the address', () => {
    const block = parseKeyValueBlock(
      '42:00:00:00:01:00\npri_dev_type=1-0050F204-1\ndevice_name=Bob=phone\nconfig_methods=0x188\n' +
        'dev_capab=0x25\ngroup_capab=0x0\ninterface_addr=00:00:00:00:00:00\n',
    );
    expect(block.address).toBe('42:00:00:00:01:00');
    expect(block.values.device_name).toBe('Bob=phone');
    expect(block.values.interface_addr).toBe('00:00:00:00:00:00');
  });

  it('keeps empty values', () => {
    expect(parseKeyValueBlock('ssid=\nid_str=').values).toEqual({ ssid: '', id_str: '' });
  });

  it.each(['FAIL', 'FAIL-BUSY\n', 'UNKNOWN COMMAND\n', 'a=1\nnot a pair\n', '=value'])(
    'rejects %j',
    (reply) => {
      expect(parseError(() => parseKeyValueBlock(reply)).reply).toBe(reply);
    },
  );
});

describe('parseInterfaces', () => {
  it('reads one name per line', () => {
    expect(parseInterfaces('wlan0\np2p-dev-wlan0\np2p-wlan0-0\n')).toEqual([
      'wlan0',
      'p2p-dev-wlan0',
      'p2p-wlan0-0',
    ]);
    expect(parseInterfaces('')).toEqual([]);
  });
  it.each(['FAIL\n', 'wlan0\nbad name\n', 'a/b', 'x'.repeat(16)])('rejects %j', (reply) => {
    parseError(() => parseInterfaces(reply));
  });
});

describe('parseAddressList (P2P_PEERS)', () => {
  it('reads and lower-cases addresses', () => {
    expect(parseAddressList('42:00:00:00:01:00\nAA:BB:CC:DD:EE:FF\n')).toEqual([
      '42:00:00:00:01:00',
      'aa:bb:cc:dd:ee:ff',
    ]);
    expect(parseAddressList('')).toEqual([]);
  });
  it('rejects anything else', () => {
    parseError(() => parseAddressList('42:00:00:00:01:00\nnope\n'));
  });
});

describe('parsePeerAddress (P2P_PEER FIRST / NEXT-<addr>)', () => {
  it('reads the first line', () => {
    expect(parsePeerAddress('42:00:00:00:01:00\npri_dev_type=1-0050F204-1\n')).toBe('42:00:00:00:01:00');
  });
  it('returns null at the end of the list', () => {
    expect(parsePeerAddress('FAIL\n')).toBeNull();
  });
  it('rejects anything else', () => {
    expect(parseError(() => parsePeerAddress('OK')).reply).toBe('OK');
  });
});

describe('parseListNetworks', () => {
  it('reads the tab table (reference/wpa_supplicant-ctrl-iface.txt)', () => {
    expect(
      parseListNetworks('network id / ssid / bssid / flags\n0\texample network\tany\t[CURRENT]\n'),
    ).toEqual([{ id: 0, ssid: 'example network', bssid: 'any', flags: ['CURRENT'] }]);
  });
  it('reads persistent groups, encoded SSIDs and empty flags', () => {
    const reply =
      'network id / ssid / bssid / flags\n' +
      '0\tDIRECT-Ee\t42:00:00:00:00:00\t[DISABLED][P2P-PERSISTENT]\n' +
      '1\tcaf\\xc3\\xa9 \\"x\\"\tany\t\n' +
      '2\tno flags column\tany\n';
    expect(parseListNetworks(reply)).toEqual([
      { id: 0, ssid: 'DIRECT-Ee', bssid: '42:00:00:00:00:00', flags: ['DISABLED', 'P2P-PERSISTENT'] },
      { id: 1, ssid: 'café "x"', bssid: 'any', flags: [] },
      { id: 2, ssid: 'no flags column', bssid: 'any', flags: [] },
    ]);
  });
  it('returns an empty list for the header alone', () => {
    expect(parseListNetworks('network id / ssid / bssid / flags\n')).toEqual([]);
  });
  it.each([
    '',
    'FAIL',
    'id / ssid\n',
    'network id / ssid / bssid / flags\nx\ty\tz\n',
    'network id / ssid / bssid / flags\n0\n',
  ])('rejects %j', (reply) => {
    parseError(() => parseListNetworks(reply));
  });
});

describe('station replies', () => {
  const first = '46:00:00:00:01:00\nflags=[AUTH][ASSOC][AUTHORIZED]\naid=1\np2p_dev_addr=42:00:00:00:01:00\n';
  const second = '46:00:00:00:02:00\nflags=[AUTH][ASSOC]\naid=2\n';

  it('splits ALL_STA into blocks', () => {
    expect(parseAllSta(first + second)).toEqual([
      {
        address: '46:00:00:00:01:00',
        values: { flags: '[AUTH][ASSOC][AUTHORIZED]', aid: '1', p2p_dev_addr: '42:00:00:00:01:00' },
      },
      { address: '46:00:00:00:02:00', values: { flags: '[AUTH][ASSOC]', aid: '2' } },
    ]);
    expect(parseAllSta('')).toEqual([]);
  });

  it('rejects ALL_STA that does not start with an address', () => {
    parseError(() => parseAllSta('aid=1\n'));
    parseError(() => parseAllSta('FAIL'));
  });

  it('reads STA-FIRST / STA-NEXT, null at the end', () => {
    expect(parseStation(first)?.address).toBe('46:00:00:00:01:00');
    expect(parseStation('')).toBeNull();
    expect(parseStation('FAIL\n')).toBeNull();
    parseError(() => parseStation('aid=1\n'));
  });
});
