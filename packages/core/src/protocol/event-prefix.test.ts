import { describe, expect, it } from 'vitest';
import { splitEventPrefix } from './event-prefix.js';

describe('splitEventPrefix', () => {
  it.each([
    ['<3>P2P-FIND-STOPPED ', { level: 3, ifname: null, body: 'P2P-FIND-STOPPED ' }],
    ['<2>CTRL-EVENT-SCAN-RESULTS', { level: 2, ifname: null, body: 'CTRL-EVENT-SCAN-RESULTS' }],
    [
      'IFNAME=p2p-dev-wlan0 <3>P2P-GO-NEG-REQUEST 42:00:00:00:01:00 dev_passwd_id=4',
      { level: 3, ifname: 'p2p-dev-wlan0', body: 'P2P-GO-NEG-REQUEST 42:00:00:00:01:00 dev_passwd_id=4' },
    ],
    ['<3>IFNAME=wlan0 WPS-SUCCESS', { level: 3, ifname: 'wlan0', body: 'WPS-SUCCESS' }],
    ['IFNAME=wlan0 WPS-SUCCESS', { level: null, ifname: 'wlan0', body: 'WPS-SUCCESS' }],
    ['<3>WPS-TIMEOUT\n', { level: 3, ifname: null, body: 'WPS-TIMEOUT' }],
    ['<3>WPS-TIMEOUT \r\n\n', { level: 3, ifname: null, body: 'WPS-TIMEOUT ' }],
    ['P2P-FIND-STOPPED', { level: null, ifname: null, body: 'P2P-FIND-STOPPED' }],
    ['', { level: null, ifname: null, body: '' }],
    ['<3>', { level: 3, ifname: null, body: '' }],
    ['IFNAME=wlan0', { level: null, ifname: 'wlan0', body: '' }],
  ])('%j', (raw, expected) => {
    expect(splitEventPrefix(raw)).toEqual(expected);
  });

  it.each(['<>X', '<a>X', '<3X', 'IFNAME= <3>X', '<1234>X'])(
    'leaves a malformed prefix in the body: %j',
    (raw) => {
      const { body } = splitEventPrefix(raw);
      expect(raw.endsWith(body)).toBe(true);
      expect(body.length).toBeGreaterThan(0);
    },
  );

  it('takes each prefix once', () => {
    expect(splitEventPrefix('<3><4>X')).toEqual({ level: 3, ifname: null, body: '<4>X' });
    expect(splitEventPrefix('IFNAME=a IFNAME=b X')).toEqual({ level: null, ifname: 'a', body: 'IFNAME=b X' });
  });
});
