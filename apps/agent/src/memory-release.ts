import { releaseFreedMemory } from '@wdk/core';

/** The first release: startup's tail (the engine's first requests, the first state push) is over by then. */
const AFTER_READY_MS = 2_000;
/** Then this often, while the agent runs. */
const EVERY_MS = 5 * 60_000;

/**
 * Gives the memory the C allocator keeps after it was freed back to the system (glibc's malloc_trim, through
 * @wdk/core's addon; nothing happens without glibc or the addon): once when startup is over, then every five
 * minutes. glibc returns freed memory to the kernel only from the top of a heap; what startup allocated and
 * freed (module loading, Prisma's query compiler and first queries, fastify's setup) otherwise stays resident:
 * about 6 MB at idle (the agent RSS notes in scripts/bench.mjs).
 *
 * Why a timer rather than after each burst of work: the agent idles nearly all the time, so "idle" needs no
 * detecting; a trim costs a few milliseconds at most and takes each arena's lock only while it walks it, so
 * one every five minutes is negligible even mid-connection; and watching for garbage-collection bursts (a
 * PerformanceObserver on 'gc') would itself run on every scavenge of the agent's 1 MB semi-spaces
 * (v8-footprint.ts), far more often than there is anything to give back. Memory freed by a burst of phones
 * is back with the system within five minutes. The timers are unref'd: they never keep the process alive.
 *
 * Returns a function that stops them (agent.close).
 */
export function scheduleMemoryRelease(): () => void {
  const first = setTimeout(() => releaseFreedMemory(), AFTER_READY_MS);
  const periodic = setInterval(() => releaseFreedMemory(), EVERY_MS);
  first.unref();
  periodic.unref();
  return () => {
    clearTimeout(first);
    clearInterval(periodic);
  };
}
