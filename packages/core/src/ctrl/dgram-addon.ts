import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Which implementation carries the control client's UNIX datagram sockets:
 * - `wdk-dgram`: our own N-API addon (native/wdk-dgram.c, built by `pnpm build` with the system C compiler):
 *   a reused receive buffer and a synchronous, bounded wait for a request's reply;
 * - `node-unix-socket`: the npm addon, the fallback when ours is not built (no C compiler or Node headers).
 */
export type DgramBackend = 'wdk-dgram' | 'node-unix-socket';

/** An open socket of the addon; only the addon reads it. */
export type DgramHandle = object & { readonly __wdkDgram: unique symbol };

/** The functions native/wdk-dgram.c exports (errors are thrown with `code` and `syscall`). */
export interface DgramAddon {
  open(): DgramHandle;
  bind(handle: DgramHandle, path: string): void;
  sendTo(handle: DgramHandle, data: Buffer | string, path: string): void;
  /** The next datagram as UTF-8 text, or undefined when none came within the bound (see wdk-dgram.c). */
  recv(handle: DgramHandle, spinUs: number, waitUs: number): string | undefined;
  start(
    handle: DgramHandle,
    callback: (
      error: (Error & { code?: string; syscall?: string }) | null,
      data: Buffer,
      fromPath: string,
    ) => void,
  ): void;
  ref(handle: DgramHandle, ref: boolean): void;
  close(handle: DgramHandle): void;
  /**
   * glibc's malloc_trim(0): true when freed heap pages went back to the system (see release-freed-memory.ts).
   * Optional: an addon built before it was added does not have it.
   */
  releaseFreedMemory?(): boolean;
}

/**
 * dist/native/wdk-dgram.node, found through the package's own exports map: from src/ctrl (tests), from dist/ctrl
 * (the build) and from a bundle that includes this module (the agent's, apps/agent/bundle.mjs) alike.
 */
export const DGRAM_ADDON_PATH = addonPath();

function addonPath(): string {
  const here = import.meta.url;
  try {
    return createRequire(here).resolve('@wdk/core/native/wdk-dgram.node');
  } catch {
    // Not built: the path it would have, for the message.
    return fileURLToPath(new URL('../../dist/native/wdk-dgram.node', here));
  }
}

let loaded: { addon: DgramAddon | null; reason: string | null } | undefined;

/** The addon, or null (with the reason) when it is not built or does not load. Loaded once. */
export function loadDgramAddon(): { addon: DgramAddon | null; reason: string | null } {
  if (loaded !== undefined) return loaded;
  if (!existsSync(DGRAM_ADDON_PATH)) {
    loaded = { addon: null, reason: `${DGRAM_ADDON_PATH} is not built (no C compiler or Node headers?)` };
  } else {
    try {
      loaded = { addon: createRequire(import.meta.url)(DGRAM_ADDON_PATH) as DgramAddon, reason: null };
    } catch (error) {
      loaded = { addon: null, reason: `${DGRAM_ADDON_PATH} does not load: ${(error as Error).message}` };
    }
  }
  return loaded;
}

let warned = false;

/**
 * The backend sockets use unless told otherwise: `WDK_DGRAM_BACKEND` when set (`wdk-dgram` or
 * `node-unix-socket`), else our addon when it loads, else node-unix-socket — with one line on stderr saying
 * why, since the fallback is slower (BENCHMARKS.md, control round trip).
 */
export function defaultDgramBackend(): DgramBackend {
  const forced = process.env.WDK_DGRAM_BACKEND;
  if (forced === 'node-unix-socket') return forced;
  const { addon, reason } = loadDgramAddon();
  if (addon !== null) return 'wdk-dgram';
  if (forced === 'wdk-dgram') throw new Error(`WDK_DGRAM_BACKEND=wdk-dgram, but ${reason}`);
  if (!warned) {
    warned = true;
    console.warn(`[wdk] control sockets use node-unix-socket: ${reason}`);
  }
  return 'node-unix-socket';
}
