import { EventEmitter } from 'node:events';
import { unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DgramSocket } from 'node-unix-socket';
import {
  defaultDgramBackend,
  loadDgramAddon,
  type DgramAddon,
  type DgramBackend,
  type DgramHandle,
} from './dgram-addon.js';
import { assertSocketPathFits, nextLocalSocketPath } from './local-socket-path.js';
import { toSocketError, type SocketError } from './socket-errors.js';

export interface UnixDgramSocketEvents {
  /** One datagram and the path of the socket that sent it ('' when the sender was not bound). */
  message: [data: Buffer, fromPath: string];
  /** A receive error; the socket is closed when this is emitted. */
  error: [error: SocketError];
}

export interface UnixDgramSocketOptions {
  /** Default: defaultDgramBackend() (our addon when built, else node-unix-socket). */
  backend?: DgramBackend;
}

/**
 * A UNIX datagram socket (Node's `dgram` has none), on our own addon (native/wdk-dgram.c) or, when that is not
 * built, on node-unix-socket. It owns the file it binds: the file is removed on close(), and at process exit
 * if close() was never called, because a stale file makes the next bind() fail with EADDRINUSE.
 *
 * Both read each datagram into a 64 KiB buffer (65 535 bytes arrive whole, longer ones are cut there), well
 * above wpa_supplicant's 4 KiB reply buffer (ctrl_iface.c, reply_size). node-unix-socket zero-fills a fresh
 * one per datagram; the addon reuses one per socket, and only it can wait for a reply synchronously
 * (`synchronous`, receiveNow). Both can send synchronously (sendNow).
 */
export class UnixDgramSocket extends EventEmitter<UnixDgramSocketEvents> {
  readonly backend: DgramBackend;
  readonly #addon: DgramAddon | null;
  readonly #handle: DgramHandle | null;
  readonly #socket: DgramSocket | null;
  #path: string | null = null;
  #closed = false;

  constructor(options: UnixDgramSocketOptions = {}) {
    super();
    this.backend = options.backend ?? defaultDgramBackend();
    if (this.backend === 'wdk-dgram') {
      const { addon, reason } = loadDgramAddon();
      if (addon === null) throw new Error(`the wdk-dgram backend is not available: ${reason}`);
      this.#addon = addon;
      this.#handle = addon.open();
      this.#socket = null;
      return;
    }
    this.#addon = null;
    this.#handle = null;
    const socket = new DgramSocket();
    this.#socket = socket;
    socket.on('data', (data: Buffer, fromPath: string) => this.emit('message', data, fromPath));
    socket.on('error', (cause: unknown) => this.#fail(cause, 'recvfrom'));
  }

  /** A client socket at a fresh `<directory>/wdk-<pid>-<n>` (stale ones from dead processes are swept first). */
  static bindUnique(directory: string = tmpdir(), options: UnixDgramSocketOptions = {}): UnixDgramSocket {
    const socket = new UnixDgramSocket(options);
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

  /** True when receiveNow() works (the wdk-dgram backend). */
  get synchronous(): boolean {
    return this.#addon !== null;
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
      if (this.#addon !== null) {
        this.#addon.bind(this.#handle!, path);
        this.#addon.start(this.#handle!, (error, data, fromPath) => {
          if (error === null) this.emit('message', data, fromPath);
          else this.#fail(error, error.syscall ?? 'recvfrom');
        });
      } else {
        this.#socket!.bind(path);
      }
    } catch (cause) {
      // A socket that failed to bind still holds a libuv handle that keeps the process alive.
      this.close();
      throw toSocketError(cause, 'bind', path);
    }
    this.#path = path;
    ownedPaths.set(path, this);
  }

  /** Sends one datagram. Rejects with a SocketError (`ENOENT`, `ECONNREFUSED`, `EACCES`, `EAGAIN`, …). */
  sendTo(path: string, data: Buffer): Promise<void> {
    if (this.#closed) return Promise.reject(toSocketError(new Error('socket is closed'), 'sendto', path));
    if (this.#addon !== null) {
      try {
        this.#addon.sendTo(this.#handle!, data, path);
        return Promise.resolve();
      } catch (cause) {
        return Promise.reject(toSocketError(cause, 'sendto', path));
      }
    }
    return new Promise((resolve, reject) => {
      const done = (cause: Error | undefined): void => {
        if (cause == null) resolve();
        else reject(toSocketError(cause, 'sendto', path));
      };
      try {
        this.#socket!.sendTo(data, 0, data.length, path, done);
      } catch (cause) {
        reject(toSocketError(cause, 'sendto', path));
      }
    });
  }

  /**
   * Sends one datagram (a string goes as UTF-8) before returning; throws a SocketError (`ENOENT`,
   * `ECONNREFUSED`, …; `EAGAIN` when the receiver's queue is full and the datagram was dropped).
   *
   * On node-unix-socket a datagram that met EAGAIN stays queued inside it, and from then on that socket polls
   * for writability only: it reads nothing more (and spins while the receiver stays full). A socket that has
   * to keep receiving must be closed and bound anew after EAGAIN on that backend.
   */
  sendNow(path: string, data: Buffer | string): void {
    if (this.#closed) throw toSocketError(new Error('socket is closed'), 'sendto', path);
    if (this.#addon !== null) {
      try {
        this.#addon.sendTo(this.#handle!, data, path);
      } catch (cause) {
        throw toSocketError(cause, 'sendto', path);
      }
      return;
    }
    const datagram = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    // node-unix-socket calls back synchronously when sendmsg succeeded or failed for good; no call back means
    // EAGAIN/ENOBUFS (the receiver's queue is full).
    let settled = false;
    let failure: unknown;
    try {
      this.#socket!.sendTo(datagram, 0, datagram.length, path, (cause) => {
        settled = true;
        failure = cause ?? undefined;
      });
    } catch (cause) {
      settled = true;
      failure = cause;
    }
    if (!settled) failure = Object.assign(new Error('receive queue full'), { code: 'EAGAIN' });
    if (failure !== undefined) throw toSocketError(failure, 'sendto', path);
  }

  /**
   * The next datagram as UTF-8 text if one is there or arrives within `waitUs` microseconds (at most 1 000:
   * this blocks the event loop), retrying without sleeping for the first `spinUs` of them; otherwise
   * undefined, and the datagram comes as a 'message' event later. Only when `synchronous`.
   */
  receiveNow(spinUs: number, waitUs: number): string | undefined {
    if (this.#addon === null) throw new Error('receiveNow() needs the wdk-dgram backend');
    if (this.#closed) return undefined;
    try {
      return this.#addon.recv(this.#handle!, spinUs, waitUs);
    } catch (cause) {
      this.#fail(cause, 'recvfrom');
      return undefined;
    }
  }

  /**
   * Closes the socket and removes its file, unless `keepFile` (what a killed process leaves behind) or another
   * socket of this process has bound the same path since (its file is not ours to remove). Idempotent.
   */
  close(options: { keepFile?: boolean } = {}): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#addon !== null) this.#addon.close(this.#handle!);
    else this.#socket!.close();
    if (this.#path !== null && ownedPaths.get(this.#path) === this) {
      ownedPaths.delete(this.#path);
      if (options.keepFile !== true) unlinkQuietly(this.#path);
    }
  }

  /** A receive error: the socket is closed and the error reported. */
  #fail(cause: unknown, syscall: string): void {
    // node-unix-socket has already closed its socket; finish the job and report.
    this.close();
    this.emit('error', toSocketError(cause, syscall, this.#path ?? ''));
  }
}

/** Each bound path and the socket of this process that bound it last. */
const ownedPaths = new Map<string, UnixDgramSocket>();
process.once('exit', () => {
  for (const path of ownedPaths.keys()) unlinkQuietly(path);
});

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
