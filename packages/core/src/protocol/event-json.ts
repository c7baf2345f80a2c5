import { parseEventLine } from './event-parser.js';
import type { EventBase, WpaEventType } from './events.js';

/** The stable, JSON-ready shape of one event line: what `wdk events` prints, one object per line. */
export interface EventJson extends EventBase {
  type: WpaEventType;
}

/** Parses `line` and keeps only the generic contract (no typed extras), with `type` first for readability. */
export function eventToJson(line: string): EventJson {
  const event = parseEventLine(line);
  return {
    type: event.type,
    level: event.level,
    ifname: event.ifname,
    address: event.address,
    // A plain object: the parser's null-prototype record would print the same, but compares oddly in tests.
    fields: { ...event.fields },
    flags: [...event.flags],
    raw: event.raw,
  };
}
