import { splitEventPrefix } from '../protocol/event-prefix.js';

/**
 * True when a datagram (or a wpa_cli output line) is an unsolicited event rather than a command reply.
 * Same rule as hostap's wpa_ctrl.c wpa_ctrl_request: events start with `<level>` or, on a global control
 * interface, `IFNAME=<if> `; replies never do.
 */
export function isEventLine(text: string): boolean {
  const { level, ifname } = splitEventPrefix(text);
  return level !== null || ifname !== null;
}
