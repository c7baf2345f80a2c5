import { describe, expect, it } from 'vitest';
import { isMacAddress } from './mac-address.js';

describe('isMacAddress', () => {
  it.each(['42:00:00:00:01:00', 'AA:bb:CC:dd:EE:ff', '00:00:00:00:00:00'])('accepts %s', (text) => {
    expect(isMacAddress(text)).toBe(true);
  });
  it.each([
    '',
    '42:00:00:00:01',
    '42:00:00:00:01:000',
    '42-00-00-00-01-00',
    '42:00:00:00:01:0g',
    ' 2:00:00:00:01:00',
  ])('rejects %j', (text) => {
    expect(isMacAddress(text)).toBe(false);
  });
});
