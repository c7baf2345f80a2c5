import { EventEmitter } from 'node:events';
import { unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DgramSocket } from 'node-unix-socket';
import { assertSocketPathFits, nextLocalSocketPath } from './local-socket-path.js';
import { toSocketError, type SocketError } from './socket-errors.js';

export interface UnixDgramSocketEvents {
  /** One datagram and the path of the socket that sent it ('' when the sender was not bound). */
  message: [data: Buffer, fromPath: string];
  /** A receive error; the socket is closed when this is emitted. */
  error: [error: SocketError];
}

/**
 * A UNIX datagram socket (Node's `dgram` has none) on top of node-unix-socket. It owns the file it binds:
 * the file is removed on close(), and at process exit if close() was never called, because the addon leaves it
 * behind and a stale file makes the next bind() fail with EADDRINUSE.
 *
 * The addon reads each datagram into a 64 KiB buffer (measured: 65 535 bytes arrive whole, longer ones are cut
 * there), well above wpa_supplicant's 4 KiB reply buffer (ctrl_iface.c, reply_size).
 */
export class UnixDgramSocket extends EventEmitter<UnixDgramSocketEvents> {
  readonly #socket = new DgramSocket();
  #path: string | null = null;
  #closed = false;

  constructor() {
    super();
    this.#socket.on('data', (data: Buffer, fromPath: string) => this.emit('message', data, fromPath));
    this.#socket.on('error', (cause: unknown) => {
      // The addon has already closed its socket; finish the job and report.
      this.close();
      this.emit('error', toSocketError(cause, 'recvfrom', this.#path ?? ''));
    });
  }

  /** A client socket at a fresh `<directory>/wdk-<pid>-<n>` (stale ones from dead processes are swept first). */
  static bindUnique(directory: string = tmpdir()): UnixDgramSocket {
    const socket = new UnixDgramSocket();
    socket.bind(nextLocalSocketPath(directory));
    return socket;
  }

  /** The bound path, or null before bind(). */
  get path(): string | null {
    return this.#path;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Binds to `path`, e.g. `<ctrlDir>/<ifname>` for a server. `replaceExisting` removes a file already there
   * first, as a server that owns the path must after a crash (wpa_supplicant does the same in
   * ctrl_iface_unix.c when a connect() to the old socket is refused).
   */
  bind(path: string, options: { replaceExisting?: boolean } = {}): void {
    if (this.#closed) throw new Error(`cannot bind ${path}: the socket is closed`);
    if (this.#path !== null) throw new Error(`already bound to ${this.#path}`);
    assertSocketPathFits(path);
    if (options.replaceExisting === true) unlinkQuietly(path);
    try {
      this.#socket.bind(path);
    } catch (cause) {
      // A socket that failed to bind still holds a libuv handle that keeps the process alive.
      this.close();
      throw toSocketError(cause, 'bind', path);
    }
    this.#path = path;
    ownedPaths.add(path);
  }

  /** Sends one datagram. Rejects with a SocketError (`ENOENT`, `ECONNREFUSED`, `EACCES`, `EAGAIN`, …). */
  sendTo(path: string, data: Buffer): Promise<void> {
    if (this.#closed) return Promise.reject(toSocketError(new Error('socket is closed'), 'sendto', path));
    return new Promise((resolve, reject) => {
      const done = (cause: Error | undefined): void => {
        if (cause == null) resolve();
        else reject(toSocketError(cause, 'sendto', path));
      };
      try {
        this.#socket.sendTo(data, 0, data.length, path, done);
      } catch (cause) {
        reject(toSocketError(cause, 'sendto', path));
      }
    });
  }

  /** Closes the socket and removes its file. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.close();
    if (this.#path !== null) {
      ownedPaths.delete(this.#path);
      unlinkQuietly(this.#path);
    }
  }
}

const ownedPaths = new Set<string>();
process.once('exit', () => {
  for (const path of ownedPaths) unlinkQuietly(path);
});

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
