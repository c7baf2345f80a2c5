import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { eventToJson } from '../protocol/event-json.js';

/**
 * `wdk events`: reads event lines (e.g. from `wpa_cli -a` or a capture), writes one JSON object per non-empty
 * line, honouring back-pressure. Resolves with the number of lines written when the input ends.
 */
export async function runEventsCli(input: Readable, output: Writable): Promise<number> {
  const reader = createInterface({ input, crlfDelay: Infinity });
  let count = 0;
  for await (const line of reader) {
    if (line.length === 0) continue;
    count++;
    if (!output.write(`${JSON.stringify(eventToJson(line))}\n`)) await once(output, 'drain');
  }
  return count;
}
