import { describe, expect, it } from 'vitest';
import { eventToJson } from './event-json.js';

describe('eventToJson', () => {
  it('keeps only the generic contract, in a stable order', () => {
    const json = eventToJson(
      'IFNAME=p2p-dev-wlan0 <3>AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00',
    );
    expect(Object.keys(json)).toEqual(['type', 'level', 'ifname', 'address', 'fields', 'flags', 'raw']);
    expect(json).toEqual({
      type: 'AP-STA-CONNECTED',
      level: 3,
      ifname: 'p2p-dev-wlan0',
      address: '46:00:00:00:01:00',
      fields: { p2p_dev_addr: '42:00:00:00:01:00' },
      flags: [],
      raw: 'IFNAME=p2p-dev-wlan0 <3>AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00',
    });
  });

  it('serialises unknown lines too', () => {
    expect(JSON.parse(JSON.stringify(eventToJson('hello')))).toEqual({
      type: 'unknown',
      level: null,
      ifname: null,
      address: null,
      fields: {},
      flags: [],
      raw: 'hello',
    });
  });
});
