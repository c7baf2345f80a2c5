import { describe, expect, it } from 'vitest';
import { generateKeypadPin, isValidKeypadPin, wpsPinChecksum } from './wps-pin.js';

describe('WPS PIN', () => {
  it('computes the checksum of known PINs', () => {
    // 12345670 is the PIN used in hostap's own examples and in hwsim/README.md.
    expect(wpsPinChecksum(1234567)).toBe(0);
    expect(isValidKeypadPin('12345670')).toBe(true);
    expect(isValidKeypadPin('87654325')).toBe(true);
    expect(isValidKeypadPin('12345678')).toBe(false);
  });

  it('rejects anything but 8 digits', () => {
    for (const bad of ['1234567', '123456700', '1234567a', ' 12345670', '']) {
      expect(isValidKeypadPin(bad)).toBe(false);
    }
  });

  it('generates valid PINs', () => {
    for (let i = 0; i < 1000; i++) expect(isValidKeypadPin(generateKeypadPin())).toBe(true);
  });
});
