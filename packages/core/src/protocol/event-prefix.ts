/** An event line split into what wpa_ctrl adds around the message and the message itself. */
export interface EventPrefix {
  /** Priority from `<N>` (wpa_debug.h: 0 excessive … 3 info … 5 error), or null when absent. */
  level: number | null;
  /** Interface from `IFNAME=<if> `, which a global control interface puts before per-interface events. */
  ifname: string | null;
  /** The message after the prefixes, without trailing CR/LF. */
  body: string;
}

const LESS_THAN = 60;
const GREATER_THAN = 62;
const IFNAME_PREFIX = 'IFNAME=';
/** Priority levels are one digit; allow a few so that a malformed level is still recognised as one. */
const MAX_LEVEL_DIGITS = 3;

function readLevel(text: string, at: number): { level: number; end: number } | null {
  if (text.charCodeAt(at) !== LESS_THAN) return null;
  let level = 0;
  let i = at + 1;
  for (; i < text.length && i - at - 1 < MAX_LEVEL_DIGITS; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) break;
    level = level * 10 + (code - 48);
  }
  if (i === at + 1 || text.charCodeAt(i) !== GREATER_THAN) return null;
  return { level, end: i + 1 };
}

function readIfname(text: string, at: number): { ifname: string; end: number } | null {
  if (!text.startsWith(IFNAME_PREFIX, at)) return null;
  const space = text.indexOf(' ', at + IFNAME_PREFIX.length);
  const end = space === -1 ? text.length : space;
  const ifname = text.slice(at + IFNAME_PREFIX.length, end);
  if (ifname.length === 0) return null;
  return { ifname, end: space === -1 ? end : end + 1 };
}

function trimLineEnd(text: string): string {
  let end = text.length;
  while (end > 0) {
    const code = text.charCodeAt(end - 1);
    if (code !== 10 && code !== 13) break;
    end--;
  }
  return end === text.length ? text : text.slice(0, end);
}

/**
 * Splits `<3>MSG`, `IFNAME=wlan0 <3>MSG` and `<3>IFNAME=wlan0 MSG`. The global control interface
 * (ctrl_iface_unix.c, wpa_supplicant_ctrl_iface_send) writes `IFNAME=<if> <level>` first; the other order is
 * accepted too, so that a line from any relay still parses.
 */
export function splitEventPrefix(raw: string): EventPrefix {
  const text = trimLineEnd(raw);
  let level: number | null = null;
  let ifname: string | null = null;
  let at = 0;
  // At most one of each, in either order.
  for (let round = 0; round < 2; round++) {
    if (level === null) {
      const found = readLevel(text, at);
      if (found) {
        level = found.level;
        at = found.end;
        continue;
      }
    }
    if (ifname === null) {
      const found = readIfname(text, at);
      if (found) {
        ifname = found.ifname;
        at = found.end;
        continue;
      }
    }
    break;
  }
  return { level, ifname, body: at === 0 ? text : text.slice(at) };
}
