import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  builderProperty,
  nameRoundTripProperty,
  parserProperty,
  ssidRoundTripProperty,
} from '../../scripts/protocol-properties.js';
import type { BuilderOutcome } from '../../scripts/protocol-properties.js';

// The same properties as scripts/fuzz.ts, with fewer runs; a fixed seed keeps CI reproducible.
const RUNS = 20_000;

describe('protocol properties', () => {
  it('parseEventLine never throws and keeps raw', () => {
    fc.assert(parserProperty, { numRuns: RUNS, seed: 42 });
  });

  it('no builder returns a command with a control character or line break', () => {
    const outcome: BuilderOutcome = { built: 0, rejected: 0 };
    fc.assert(builderProperty(outcome), { numRuns: RUNS, seed: 42 });
    // Both paths must be exercised, or the property proves nothing.
    expect(outcome.built).toBeGreaterThan(RUNS / 50);
    expect(outcome.rejected).toBeGreaterThan(RUNS / 50);
  });

  it('SSIDs survive printf_encode and back', () => {
    fc.assert(ssidRoundTripProperty, { numRuns: RUNS / 4, seed: 42 });
  });

  it('device names with quotes survive', () => {
    fc.assert(nameRoundTripProperty, { numRuns: RUNS / 4, seed: 42 });
  });
});
