import { loadDgramAddon, type DgramAddon } from './dgram-addon.js';

/**
 * Hands memory that was freed but is still held by the C allocator back to the system: glibc's
 * `malloc_trim(0)`, through our addon (native/wdk-dgram.c). glibc keeps freed chunks in its arenas for reuse
 * and returns pages to the kernel only from the top of a heap, so a process that allocated a lot while
 * starting (module loading, Prisma, compiling) keeps several MB resident that it no longer uses.
 *
 * Returns true when pages were released; false when there was nothing to release, when the C library is not
 * glibc, or when the addon is not built (then nothing happens). Synchronous and takes a few milliseconds at
 * most: call it when idle, not on a hot path.
 */
export function releaseFreedMemory(): boolean {
  return releaseFreedMemoryWith(loadDgramAddon().addon);
}

/** releaseFreedMemory with a given addon (or none): what the tests call for the no-addon path. */
export function releaseFreedMemoryWith(addon: DgramAddon | null): boolean {
  if (addon === null || typeof addon.releaseFreedMemory !== 'function') return false;
  return addon.releaseFreedMemory() === true;
}
