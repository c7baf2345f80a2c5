import { randomInt } from 'node:crypto';

/**
 * WPS PIN checksum digit for the first seven digits (Wi-Fi Simple Configuration spec, section 7.4.1;
 * hostap's wps_pin_checksum()).
 */
export function wpsPinChecksum(first7: number): number {
  let accum = 0;
  let pin = first7;
  while (pin > 0) {
    accum += 3 * (pin % 10);
    pin = Math.floor(pin / 10);
    accum += pin % 10;
    pin = Math.floor(pin / 10);
  }
  return (10 - (accum % 10)) % 10;
}

/** True for an 8-digit PIN whose last digit is the WPS checksum of the first seven. */
export function isValidKeypadPin(pin: string): boolean {
  if (!/^\d{8}$/.test(pin)) return false;
  return wpsPinChecksum(Number(pin.slice(0, 7))) === Number(pin[7]);
}

/** A fresh, cryptographically random 8-digit PIN with a valid checksum. */
export function generateKeypadPin(): string {
  const first7 = randomInt(0, 10_000_000);
  return `${String(first7).padStart(7, '0')}${wpsPinChecksum(first7)}`;
}
