/**
 * Event parser throughput: parseEventLine (the built dist) over a mixed corpus of real event lines, the hwsim
 * captures of wpa_supplicant 2.10 (packages/core/src/protocol/fixtures and, when present,
 * /work/shared/hwsim/captures/*\/events-*.txt; identical files count once), as the per-interface socket
 * delivers them: `<3>EVENT …`. One thread (JavaScript runs on one core); the corpus is parsed over and over
 * for a fixed time after a warm-up, and every result is consumed so that nothing is optimised away.
 *
 * Usage: tsx bench/parser.ts [--seconds S] [--json FILE]
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseEventLine } from '../dist/index.js';
import { writeResult } from '@wdk/testing/bench';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    captures: { type: 'string', default: '/work/shared/hwsim/captures' },
    json: { type: 'string' },
  },
});
const seconds = Number(values.seconds);

const fixtures = fileURLToPath(new URL('../src/protocol/fixtures/', import.meta.url));
const files = [
  ...readdirSync(fixtures)
    .filter((name) => name.endsWith('.txt'))
    .map((name) => join(fixtures, name)),
  ...(existsSync(values.captures)
    ? readdirSync(values.captures).flatMap((run) => {
        const dir = join(values.captures, run);
        return existsSync(dir) && !dir.endsWith('.txt')
          ? readdirSync(dir)
              .filter((name) => /^events-.*\.txt$/.test(name))
              .map((name) => join(dir, name))
          : [];
      })
    : []),
];
const seen = new Set<string>();
const lines: string[] = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const hash = createHash('sha256').update(text).digest('hex');
  if (seen.has(hash)) continue;
  seen.add(hash);
  // `<seconds> <ifname> <3>EVENT …` → what the socket carries: `<3>EVENT …`
  for (const line of text.split('\n')) {
    const match = /^\S+ \S+ (<\d>.*)$/.exec(line);
    if (match?.[1] !== undefined) lines.push(match[1]);
  }
}
if (lines.length === 0) throw new Error('no event lines found');
const types = new Set(lines.map((line) => parseEventLine(line).type));
const unknown = lines.filter((line) => parseEventLine(line).type === 'unknown').length;

let sink = 0;
function pass(): void {
  for (const line of lines) {
    const event = parseEventLine(line);
    sink += event.type.length + (event.address === null ? 0 : 1);
  }
}

// Warm-up: let the JIT settle.
const warmupEnd = performance.now() + 500;
while (performance.now() < warmupEnd) pass();

let parsed = 0;
const start = process.hrtime.bigint();
const budget = BigInt(Math.round(seconds * 1e9));
let elapsed = 0n;
while (elapsed < budget) {
  pass();
  parsed += lines.length;
  elapsed = process.hrtime.bigint() - start;
}
const linesPerSecond = parsed / (Number(elapsed) / 1e9);

const result = {
  name: 'parser',
  corpusFiles: seen.size,
  corpusLines: lines.length,
  eventTypes: types.size,
  unknownLines: unknown,
  seconds: Number(elapsed) / 1e9,
  linesParsed: parsed,
  linesPerSecond,
  nsPerLine: 1e9 / linesPerSecond,
  checksum: sink,
};
console.log(
  `parser: ${Math.round(linesPerSecond).toLocaleString('en')} lines/s (${result.nsPerLine.toFixed(0)} ns/line) ` +
    `over ${lines.length} real lines from ${seen.size} files, ${types.size} event types`,
);
writeResult(values.json, result);
