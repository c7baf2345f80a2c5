/**
 * Shared by the reliability tests: the reduced counts run in `npm test`; `scripts/reliability.mjs` sets
 * WDK_RELIABILITY_FULL=1 for the full counts and WDK_RELIABILITY_REPORT_DIR to collect the figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FULL = process.env.WDK_RELIABILITY_FULL === '1';

/** The reduced count in `npm test`, the full one under scripts/reliability.mjs. */
export function count(reduced: number, full: number): number {
  return FULL ? full : reduced;
}

/** Writes one test's figures as JSON for scripts/reliability.mjs (nothing when run by plain `npm test`). */
export function reportFigures(name: string, figures: Record<string, unknown>): void {
  const dir = process.env.WDK_RELIABILITY_REPORT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ name, full: FULL, ...figures }, null, 2)}\n`);
}

export { percentile } from './statistics.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same kill moments. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
