import { isMacAddress } from './mac-address.js';
import { printfDecode } from './printf-encoding.js';

/** The arguments after an event name: see EventBase for the meaning of each part. */
export interface EventArguments {
  address: string | null;
  fields: Record<string, string>;
  flags: string[];
}

const SPACE = 32;
const EQUALS = 61;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;
const BACKSLASH = 92;

/**
 * Keys that can follow a quoted value in hostap's events. A quote closes a value only when it is followed by
 * the end of the line or by one of these, because wpa_supplicant prints `name='%s'` without escaping: a
 * device called `Bob's phone` arrives as `name='Bob's phone' config_methods=…` (p2p_supplicant.c).
 */
const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'p2p_dev_addr',
  'pri_dev_type',
  'name',
  'config_methods',
  'dev_capab',
  'group_capab',
  'wfd_dev_info',
  'vendor_elems',
  'new',
  'adv_id',
  'asp_svc',
  'adv_mac',
  'conncap',
  'session',
  'session_mac',
  'status',
  'parameter',
  'info',
  'deferred_session_resp',
  'freq',
  'passphrase',
  'psk',
  'go_dev_addr',
  'ip_addr',
  'ip_mask',
  'go_ip_addr',
  'ssid',
  'reason',
  'dev_passwd_id',
  'persist',
  'join',
  'go',
]);

/** Double-quoted values printed raw rather than through printf_encode() (p2p_supplicant.c: passphrase). */
const RAW_DOUBLE_QUOTED: ReadonlySet<string> = new Set(['passphrase']);

/** Single-quoted values whose `'` and `\` are backslash-escaped (P2PS, README-P2P: info, svc_info). */
const ESCAPED_SINGLE_QUOTED: ReadonlySet<string> = new Set(['info', 'svc_info', 'rsp_info']);

function isKeyChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 45 || // -
    code === 46 // .
  );
}

/** The key at `at` if the text there reads `key=`; hostap's keys are word characters. */
function keyAt(text: string, at: number): string | null {
  let i = at;
  while (i < text.length && isKeyChar(text.charCodeAt(i))) i++;
  if (i === at || text.charCodeAt(i) !== EQUALS) return null;
  return text.slice(at, i);
}

interface QuotedValue {
  value: string;
  /** Index just past the closing quote (or the end of the text). */
  end: number;
}

/**
 * Where a quote closes a value before a known key or the end of the line. One scan per line and quote
 * character is enough: the answer for a later opening quote is the same position, or none. Caching it keeps
 * a hostile line of many unclosed values linear instead of quadratic.
 */
interface KnownCloseScan {
  from: number;
  /** Index of the closing quote, or -1 if there is none after `from`. */
  at: number;
}

interface Scan {
  text: string;
  knownCloses: Map<number, KnownCloseScan>;
  /** For `]` and `)`: a position after which the character does not occur. */
  missingGroupClose: Map<string, number>;
}

/** A quote that is followed by the end of the line, by spaces and the end, or by ` key=`. */
function closeKind(text: string, quoteAt: number): 'end' | 'known' | 'any' | null {
  const after = quoteAt + 1;
  if (after === text.length) return 'end';
  if (text.charCodeAt(after) !== SPACE) return null;
  let next = after;
  while (next < text.length && text.charCodeAt(next) === SPACE) next++;
  if (next === text.length) return 'end';
  const key = keyAt(text, next);
  if (key === null) return null;
  return KNOWN_KEYS.has(key) ? 'known' : 'any';
}

function knownClose(scan: Scan, open: number, quote: string): number {
  const code = quote.charCodeAt(0);
  const cached = scan.knownCloses.get(code);
  if (cached !== undefined && cached.from <= open && (cached.at === -1 || cached.at > open)) return cached.at;
  let at = -1;
  for (let i = scan.text.indexOf(quote, open + 1); i !== -1; i = scan.text.indexOf(quote, i + 1)) {
    const kind = closeKind(scan.text, i);
    if (kind === 'end' || kind === 'known') {
      at = i;
      break;
    }
  }
  scan.knownCloses.set(code, { from: open, at });
  return at;
}

/**
 * A quoted value whose inner quotes are not escaped. Prefer a closing quote followed by a known key or the end
 * of the line; then the first one followed by any `key=`; then take the rest of the line.
 */
function readUnescapedQuoted(scan: Scan, open: number, quote: string): QuotedValue {
  const { text } = scan;
  const known = knownClose(scan, open, quote);
  if (known !== -1) return { value: text.slice(open + 1, known), end: known + 1 };
  for (let i = text.indexOf(quote, open + 1); i !== -1; i = text.indexOf(quote, i + 1)) {
    if (closeKind(text, i) === 'any') return { value: text.slice(open + 1, i), end: i + 1 };
  }
  return { value: text.slice(open + 1), end: text.length };
}

/**
 * A quoted value with backslash escapes. Closes at the first unescaped quote followed by a space or the end;
 * an unterminated value runs to the end of the line.
 */
function readEscapedQuoted(text: string, open: number, quote: number): { inner: string; end: number } {
  for (let i = open + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) {
      i++;
      continue;
    }
    if (code === quote && (i + 1 === text.length || text.charCodeAt(i + 1) === SPACE)) {
      return { inner: text.slice(open + 1, i), end: i + 1 };
    }
  }
  return { inner: text.slice(open + 1), end: text.length };
}

function unescapeBackslashes(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && i + 1 < text.length) {
      out += text[i + 1];
      i++;
    } else {
      out += char;
    }
  }
  return out;
}

function readValue(scan: Scan, at: number, key: string): QuotedValue {
  const { text } = scan;
  const code = text.charCodeAt(at);
  if (code === SINGLE_QUOTE) {
    if (ESCAPED_SINGLE_QUOTED.has(key)) {
      const { inner, end } = readEscapedQuoted(text, at, SINGLE_QUOTE);
      return { value: unescapeBackslashes(inner), end };
    }
    return readUnescapedQuoted(scan, at, "'");
  }
  if (code === DOUBLE_QUOTE) {
    if (RAW_DOUBLE_QUOTED.has(key)) return readUnescapedQuoted(scan, at, '"');
    const { inner, end } = readEscapedQuoted(text, at, DOUBLE_QUOTE);
    return { value: printfDecode(inner), end };
  }
  let end = text.indexOf(' ', at);
  if (end === -1) end = text.length;
  return { value: text.slice(at, end), end };
}

/** `[...]` and `(...)` groups are single tokens: `[PERSISTENT]`, `[id=0 id_str=]`, `(Device password …)`. */
function groupEnd(scan: Scan, at: number): number {
  const open = scan.text.charCodeAt(at);
  const close = open === 91 /* [ */ ? ']' : open === 40 /* ( */ ? ')' : null;
  if (close === null) return -1;
  const missingFrom = scan.missingGroupClose.get(close);
  if (missingFrom !== undefined && missingFrom <= at) return -1;
  const end = scan.text.indexOf(close, at + 1);
  if (end === -1) scan.missingGroupClose.set(close, at);
  return end === -1 ? -1 : end + 1;
}

function readInto(args: EventArguments, text: string, start: number, keepPositional: boolean): void {
  const scan: Scan = { text, knownCloses: new Map(), missingGroupClose: new Map() };
  let i = start;
  while (i < text.length) {
    if (text.charCodeAt(i) === SPACE) {
      i++;
      continue;
    }
    const group = groupEnd(scan, i);
    if (group !== -1) {
      const token = text.slice(i, group);
      if (keepPositional) args.flags.push(token);
      // `[id=0 id_str=]` (CTRL-EVENT-CONNECTED) carries fields too.
      if (token.includes('=')) readInto(args, token.slice(1, -1), 0, false);
      i = group;
      continue;
    }
    const key = keyAt(text, i);
    if (key !== null) {
      const { value, end } = readValue(scan, i + key.length + 1, key);
      // The first occurrence wins. wpa_supplicant prints its own p2p_dev_addr=, pri_dev_type= … before the
      // unescaped name='…', so a device name carrying `' p2p_dev_addr=<someone else>` could otherwise replace
      // the address the daemon reported with one the phone made up (reliability-hostile-lines.test.ts).
      if (!Object.hasOwn(args.fields, key)) args.fields[key] = value;
      i = end;
      continue;
    }
    let end = text.indexOf(' ', i);
    if (end === -1) end = text.length;
    if (keepPositional) {
      const token = text.slice(i, end);
      if (args.address === null && isMacAddress(token)) args.address = token.toLowerCase();
      else args.flags.push(token);
    }
    i = end;
  }
}

/** Reads `key=value` pairs, quoted values, bracket groups and positional tokens from `text[start..]`. */
export function parseEventArguments(text: string, start = 0): EventArguments {
  // A null prototype keeps keys such as `__proto__` or `constructor` ordinary data.
  const args: EventArguments = {
    address: null,
    fields: Object.create(null) as Record<string, string>,
    flags: [],
  };
  readInto(args, text, start, true);
  return args;
}
