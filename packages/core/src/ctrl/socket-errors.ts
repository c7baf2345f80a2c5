/**
 * node-unix-socket reports failed system calls as plain `Error`s whose message is the C library's strerror
 * text ("No such file or directory") and whose `code` is missing or "Unknown". Recover the errno name, so that
 * the rest of ctrl can branch on `ENOENT` / `EACCES` like on any Node.js socket error.
 */
const ERRNO_BY_MESSAGE: ReadonlyMap<string, string> = new Map([
  ['no such file or directory', 'ENOENT'],
  ['connection refused', 'ECONNREFUSED'],
  ['permission denied', 'EACCES'],
  ['operation not permitted', 'EPERM'],
  ['address already in use', 'EADDRINUSE'],
  ['resource temporarily unavailable', 'EAGAIN'],
  ['no buffer space available', 'ENOBUFS'],
  ['message too long', 'EMSGSIZE'],
  ['not a directory', 'ENOTDIR'],
  ['file name too long', 'ENAMETOOLONG'],
  ['protocol wrong type for socket', 'EPROTOTYPE'],
]);

export interface SocketError extends Error {
  /** errno name such as `ENOENT`, or `UNKNOWN` when the message was not recognised. */
  code: string;
  /** The system call that failed, e.g. `sendto`. */
  syscall: string;
  /** The socket path involved. */
  path: string;
}

export function isSocketError(error: unknown): error is SocketError {
  return (
    error instanceof Error && typeof (error as Partial<SocketError>).code === 'string' && 'syscall' in error
  );
}

/** Wraps whatever the addon threw or passed to a callback into a `SocketError`. */
export function toSocketError(cause: unknown, syscall: string, path: string): SocketError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const known = (cause as { code?: unknown } | null)?.code;
  const recognised = ERRNO_BY_MESSAGE.get(
    message
      .replace(/\s*\(os error \d+\)$/, '')
      .trim()
      .toLowerCase(),
  );
  const code = recognised ?? (typeof known === 'string' && known !== 'Unknown' ? known : 'UNKNOWN');
  const error = new Error(`${syscall} ${path}: ${message}`, { cause }) as SocketError;
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error;
}
