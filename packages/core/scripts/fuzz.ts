/**
 * Seeded fuzzing of the protocol layer:
 *   pnpm --filter @wdk/core exec tsx scripts/fuzz.ts --count 1000000 --seed 42
 * Runs the properties of scripts/protocol-properties.ts (`count` runs for the parser and for the builders,
 * a tenth of that for the round trips), prints what it did and exits 1 on the first failure with fast-check's
 * counterexample and seed, so that a failure can be replayed.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import {
  builderProperty,
  nameRoundTripProperty,
  parserProperty,
  ssidRoundTripProperty,
} from './protocol-properties.js';
import type { BuilderOutcome } from './protocol-properties.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
if (!Number.isSafeInteger(count) || count <= 0 || !Number.isSafeInteger(seed)) {
  console.error('usage: tsx scripts/fuzz.ts [--count N] [--seed S]');
  process.exit(2);
}

const outcome: BuilderOutcome = { built: 0, rejected: 0 };

function check<Ts extends unknown[]>(
  name: string,
  property: fc.IPropertyWithHooks<Ts>,
  runs: number,
): boolean {
  const started = performance.now();
  const details = fc.check(property, { numRuns: runs, seed });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (details.failed) {
    console.error(`FAIL ${name} after ${details.numRuns} runs (${seconds} s)`);
    console.error(fc.defaultReportMessage(details));
    return false;
  }
  console.log(`ok   ${name}: ${details.numRuns} runs in ${seconds} s`);
  return true;
}

console.log(`fuzzing with seed ${seed}, ${count} runs`);
const results = [
  check('parseEventLine: never throws, keeps raw', parserProperty, count),
  check('command builders: clean single line or CommandValidationError', builderProperty(outcome), count),
  check('SSID printf_encode round trip', ssidRoundTripProperty, Math.ceil(count / 10)),
  check('device name round trip', nameRoundTripProperty, Math.ceil(count / 10)),
];
console.log(`builders: ${outcome.built} commands built, ${outcome.rejected} inputs rejected`);
process.exit(results.every(Boolean) ? 0 : 1);
