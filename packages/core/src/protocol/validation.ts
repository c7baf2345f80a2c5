import { isMacAddress } from './mac-address.js';
import { isValidKeypadPin } from './wps-pin.js';

/** Which check an argument failed. */
export type ValidationRule =
  | 'mac-address'
  | 'pin'
  | 'ifname'
  | 'integer'
  | 'range'
  | 'key'
  | 'value'
  | 'text'
  | 'length'
  | 'one-of'
  | 'conflict'
  | 'command';

/** Thrown by a command builder before anything is sent: the argument named by `field` broke `rule`. */
export class CommandValidationError extends Error {
  override readonly name = 'CommandValidationError';
  constructor(
    readonly field: string,
    readonly rule: ValidationRule,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Throws CommandValidationError; for checks specific to one command. */
export function rejectArgument(field: string, rule: ValidationRule, message: string): never {
  throw new CommandValidationError(field, rule, message);
}

/** A short, printable rendering of a rejected value for error messages. */
function show(value: unknown): string {
  // Objects are not rendered: their toString() may throw, and the error must stay a CommandValidationError.
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : typeof value === 'object' || typeof value === 'function'
        ? typeof value
        : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** A P2P device or interface address, returned in wpa_supplicant's lower-case form. */
export function validMacAddress(field: string, value: unknown): string {
  if (typeof value !== 'string' || !isMacAddress(value)) {
    rejectArgument(field, 'mac-address', `expected xx:xx:xx:xx:xx:xx, got ${show(value)}`);
  }
  return value.toLowerCase();
}

/**
 * A WPS PIN: 4 digits, or 8 digits whose last is the checksum (WSC spec 7.4.1). wpa_supplicant's P2P_CONNECT
 * checks only that it is digits (wps_pin_str_valid), so a mistyped PIN would surface only as a failed
 * exchange (WPS-FAIL config_error=18) after the peer has waited.
 */
export function validPin(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^(\d{4}|\d{8})$/.test(value)) {
    rejectArgument(field, 'pin', `expected 4 or 8 digits, got ${show(value)}`);
  }
  if (value.length === 8 && !isValidKeypadPin(value))
    rejectArgument(field, 'pin', `bad WPS checksum in ${show(value)}`);
  return value;
}

/**
 * A network interface name. The kernel (net/core/dev.c, dev_valid_name) allows 1..15 bytes without '/',
 * ':' or whitespace and not '.' or '..'; we also restrict to [A-Za-z0-9_.-] because the name is spliced into
 * commands.
 */
export function validIfname(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{1,15}$/.test(value) || value === '.' || value === '..') {
    rejectArgument(field, 'ifname', `expected 1-15 of [A-Za-z0-9_.-], not '.' or '..', got ${show(value)}`);
  }
  return value;
}

/** An integer within [min, max]. */
export function validInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    rejectArgument(field, 'integer', `expected an integer, got ${show(value)}`);
  if (value < min || value > max) rejectArgument(field, 'range', `expected ${min}..${max}, got ${value}`);
  return value;
}

/** A configuration key for SET, GET and P2P_SET: the names in wpa_supplicant/config.c are all [a-z0-9_]. */
export function validKey(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[a-z0-9_]{1,64}$/.test(value)) {
    rejectArgument(field, 'key', `expected 1-64 of [a-z0-9_], got ${show(value)}`);
  }
  return value;
}

/** One printable ASCII word: no spaces, quotes are fine (wpa_supplicant takes the rest of the line). */
export function validWord(field: string, value: unknown, maxLength = 256): string {
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) {
    rejectArgument(field, 'value', `expected printable ASCII without spaces, got ${show(value)}`);
  }
  if (value.length > maxLength) rejectArgument(field, 'length', `longer than ${maxLength} characters`);
  return value;
}

/** Lone UTF-16 surrogates cannot be encoded as UTF-8; they would reach the daemon as U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Control characters (C0, DEL, C1), other line breaks and every whitespace but the plain space. */
const FORBIDDEN_IN_TEXT = /[\p{Cc}\p{Zl}\p{Zp}]|(?! )\s/u;

/**
 * Free text such as a WPS device name: any Unicode but control characters and line breaks, plain spaces
 * allowed inside, at most `maxBytes` of UTF-8 (WSC spec limits: device name 32, manufacturer 64).
 */
export function validText(field: string, value: unknown, maxBytes: number): string {
  if (typeof value !== 'string' || value.length === 0)
    rejectArgument(field, 'text', `expected non-empty text, got ${show(value)}`);
  // A space at either end would be invisible on the phone and is easily lost by configuration files.
  if (value.trim() !== value) rejectArgument(field, 'text', `leading or trailing space in ${show(value)}`);
  if (FORBIDDEN_IN_TEXT.test(value) || LONE_SURROGATE.test(value)) {
    rejectArgument(
      field,
      'text',
      `control characters, line breaks and tabs are not allowed in ${show(value)}`,
    );
  }
  const bytes = new TextEncoder().encode(value).length;
  if (bytes > maxBytes)
    rejectArgument(field, 'length', `${bytes} bytes of UTF-8, at most ${maxBytes} allowed`);
  return value;
}

/** One of a fixed set of keywords. */
export function validOneOf<const T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    rejectArgument(field, 'one-of', `expected one of ${allowed.join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

/** A P2P device type such as `1-0050F204-1` (category-OUI-subcategory, wps_dev_type_str2bin). */
export function validDeviceType(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^\d{1,5}-[0-9A-Fa-f]{8}-\d{1,5}$/.test(value)) {
    rejectArgument(field, 'value', `expected a device type like 1-0050F204-1, got ${show(value)}`);
  }
  return value;
}

/** A whole command line: one line of printable text, as wpa_ctrl_request() sends it. */
export function validCommandText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.trim() !== value) {
    rejectArgument(
      field,
      'command',
      `expected a non-empty command without surrounding whitespace, got ${show(value)}`,
    );
  }
  if (FORBIDDEN_IN_TEXT.test(value) || LONE_SURROGATE.test(value)) {
    rejectArgument(field, 'command', `control characters and line breaks are not allowed in ${show(value)}`);
  }
  if (new TextEncoder().encode(value).length > 4096)
    rejectArgument(field, 'length', 'longer than 4096 bytes');
  return value;
}
