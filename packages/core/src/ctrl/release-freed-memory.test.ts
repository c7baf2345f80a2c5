import { describe, expect, it } from 'vitest';
import { loadDgramAddon, type DgramAddon } from './dgram-addon.js';
import { releaseFreedMemory, releaseFreedMemoryWith } from './release-freed-memory.js';

const { addon, reason } = loadDgramAddon();

describe('releaseFreedMemory', () => {
  it('is callable and returns a boolean, with the addon when it is built', () => {
    if (addon === null) console.warn(`releaseFreedMemory runs without the wdk-dgram addon: ${reason}`);
    const first = releaseFreedMemory();
    expect(typeof first).toBe('boolean');
    if (addon === null) expect(first).toBe(false);
    // A second call right after finds little or nothing to release, and still answers.
    expect(typeof releaseFreedMemory()).toBe('boolean');
  });

  it.runIf(addon !== null)('calls the addon: a boolean from malloc_trim, false without glibc', () => {
    // Free a few MB in the middle of the heap, where glibc would keep them.
    const blocks = Array.from({ length: 64 }, () => Buffer.allocUnsafeSlow(64 * 1024).fill(1));
    blocks.length = 0;
    const released = addon!.releaseFreedMemory!();
    expect(typeof released).toBe('boolean');
    const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
      ?.header?.glibcVersionRuntime;
    if (glibc === undefined) expect(released).toBe(false);
  });

  it('returns false without the addon (the node-unix-socket fallback), or with one built before it existed', () => {
    expect(releaseFreedMemoryWith(null)).toBe(false);
    const older = { ...addon, releaseFreedMemory: undefined } as DgramAddon;
    expect(releaseFreedMemoryWith(older)).toBe(false);
  });
});
