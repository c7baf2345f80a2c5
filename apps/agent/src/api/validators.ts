import { isValidKeypadPin } from '@wdk/core';
import { z } from 'zod';

// Values that may end up inside a wpa_supplicant control command are checked here, at the API boundary,
// and again by @wdk/core's command builders (DESIGN.md, Security).

export const peerAddress = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, 'must be a MAC address like 42:00:00:00:01:00')
  .transform((s) => s.toLowerCase());

const noControlCharacters = (s: string) => !/[\u0000-\u001f\u007f-\u009f]/.test(s);

/** A P2P device name as phones advertise it: at most 32 bytes of UTF-8 (WPS Device Name attribute). */
export const deviceName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((s) => Buffer.byteLength(s, 'utf8') <= 32, 'must be at most 32 bytes (the Wi-Fi Direct limit)')
  .refine(noControlCharacters, 'must not contain control characters or newlines');

export const label = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .refine(noControlCharacters, 'must not contain control characters or newlines');

export const keypadPin = z
  .string()
  .regex(/^\d{8}$/, 'must be exactly 8 digits')
  .refine(isValidKeypadPin, 'must end with a valid WPS checksum digit');

/** A PIN shown by a peer: 4 digits, or 8 digits with a valid checksum (WPS). */
export const peerPin = z
  .string()
  .regex(/^(\d{4}|\d{8})$/, 'must be 4 or 8 digits')
  .refine((pin) => pin.length === 4 || isValidKeypadPin(pin), 'must end with a valid WPS checksum digit');

export const recordId = z.coerce.number().int('must be a whole number').positive('must be a positive id');

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};
