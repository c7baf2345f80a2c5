/**
 * The control client's socket implementations the ctrl tests run against: our addon (native/wdk-dgram.c,
 * built by test/support/build-native.ts before the tests) and the node-unix-socket fallback. Without a C
 * compiler or Node's headers the addon variants are skipped, loudly.
 */
import { loadDgramAddon, type DgramBackend } from '../../src/ctrl/dgram-addon.js';

const { addon, reason } = loadDgramAddon();
if (addon === null) console.warn(`\n!!! SKIPPING the wdk-dgram variants of the ctrl tests: ${reason} !!!\n`);

export const DGRAM_BACKENDS: DgramBackend[] =
  addon === null ? ['node-unix-socket'] : ['wdk-dgram', 'node-unix-socket'];
