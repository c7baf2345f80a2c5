import { wpsPinChecksum } from '../protocol/wps-pin.js';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Seeded pseudo-random numbers (mulberry32) so a simulator run is reproducible: the same seed gives the
 * same discovery delays, SSIDs, passphrases and generated PINs.
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A duration in [range.min, range.max] ms. */
  delay(range: DelayRange): number {
    return this.int(range.min, range.max);
  }

  chars(count: number, alphabet = ALPHANUMERIC): string {
    let out = '';
    for (let i = 0; i < count; i++) out += alphabet[this.int(0, alphabet.length - 1)] ?? '';
    return out;
  }

  /** An 8-digit WPS PIN with a valid checksum, like hostap's wps_generate_pin(). */
  keypadPin(): string {
    const first7 = this.int(0, 9_999_999);
    return `${String(first7).padStart(7, '0')}${wpsPinChecksum(first7)}`;
  }

  /** A version-4-looking UUID (WPS UUID-E of a simulated phone). */
  uuid(): string {
    const hex = this.chars(32, '0123456789abcdef');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

export interface DelayRange {
  readonly min: number;
  readonly max: number;
}
