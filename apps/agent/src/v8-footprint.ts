// V8 settings for the agent's memory budget (a Raspberry Pi: 80 MB resident, BENCHMARKS.md). Imported first by
// cli.ts and agent.ts, so that they apply before any other module loads; both read at run time by V8, which
// is why they can be set here rather than on the node command line (`node bin/wdk.js`, systemd, tests and
// benchmarks all get them).
//
// - `--semi-space-growth-factor=1`: the young generation stays at its initial 1 MB semi-spaces. Loading the
//   agent's modules and its first queries otherwise grow it to 16 MB semi-spaces that stay committed (about
//   15 MB resident at idle, and more after a burst of work); scavenges of a 1 MB semi-space take well under a
//   millisecond.
// - `--liftoff-only`: Prisma's query compiler is WebAssembly; V8 compiles it with its baseline compiler
//   (Liftoff) and tiers hot functions up with TurboFan, whose compile memory (it stays in malloc's arenas) and
//   code came to about 10 MB more at idle. The query compiler only runs for a query shape Prisma has not
//   planned yet (plans are cached), so the slower code does not show in query times.
// - `--heap-growing-percent=25`: after each full collection V8 lets the old generation grow to 1.25 × what
//   survived, instead of up to 4 × under load. In the soak (2000 cycles) the old generation's committed pages
//   grew from 35 to 80 MB while 24 MB stayed live, and the process's RSS by 27-35 %; with this, by 2 % (more
//   frequent, mostly concurrent, mark-compacts of a 24 MB heap).
import v8 from 'node:v8';

v8.setFlagsFromString('--semi-space-growth-factor=1');
v8.setFlagsFromString('--liftoff-only');
v8.setFlagsFromString('--heap-growing-percent=25');
