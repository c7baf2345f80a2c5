import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Names for the client's own datagram socket. Like hostap's wpa_ctrl.c (`wpa_ctrl_<pid>-<counter>` in
 * CONFIG_CTRL_IFACE_CLIENT_DIR) the daemon answers to the path we bind, so each connection needs a unique,
 * bound path. The pid in the name lets a later process recognise files left behind by one that crashed.
 */
const PREFIX = 'wdk-';
const NAME_PATTERN = /^wdk-(\d+)-\d+$/;
/** sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;

let counter = 0;
const sweptDirectories = new Set<string>();

export function nextLocalSocketPath(directory: string): string {
  if (!sweptDirectories.has(directory)) {
    sweptDirectories.add(directory);
    removeStaleLocalSockets(directory);
  }
  counter += 1;
  return join(directory, `${PREFIX}${process.pid}-${counter}`);
}

export function assertSocketPathFits(path: string): void {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new RangeError(
      `UNIX socket path is ${Buffer.byteLength(path)} bytes, longer than the ${MAX_SOCKET_PATH_BYTES} that ` +
        `sockaddr_un allows: ${path}`,
    );
  }
}

/** Removes `wdk-<pid>-<n>` files whose process is gone. Returns how many were removed. */
export function removeStaleLocalSockets(directory: string): number {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = NAME_PATTERN.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || isProcessAlive(Number(pid))) continue;
    try {
      unlinkSync(join(directory, name));
      removed += 1;
    } catch {
      // Another process cleaned it up first, or we may not: either way not ours to worry about.
    }
  }
  return removed;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
