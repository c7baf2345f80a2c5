import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  CtrlClosedError,
  CtrlCommandFailedError,
  CtrlTimeoutError,
  commandName,
  toCtrlError,
} from './ctrl-errors.js';
import type { DgramBackend } from './dgram-addon.js';
import { isEventLine } from './event-line.js';
import { RequestQueue, type RequestOptions } from './request-queue.js';
import { UnixDgramSocket } from './unix-dgram-socket.js';

/**
 * How long request() waits for the reply synchronously (wdk-dgram backend only), blocking the event loop:
 * wpa_supplicant answers most commands within a few microseconds, and taking the reply at once saves the
 * trip through libuv's poll. The first `spinUs` retry a non-blocking recv, the rest of `waitUs` sleep in ppoll
 * (no CPU); a reply that takes longer arrives through the event loop as before. `waitUs: 0` turns it off.
 */
export interface ReplyWait {
  spinUs: number;
  waitUs: number;
}

/** Synchronous waits that found no reply, in a row, before the connection stops waiting … */
const WAIT_MISSES_BEFORE_PAUSE = 3;
/** … for this many requests (then it tries again; one more miss pauses it again). */
const WAITS_SKIPPED_PER_PAUSE = 64;

/**
 * Measured against the real daemon (PING medians; scripts/bench.mjs notes): no wait 9.7 µs, ppoll only
 * 9.0 µs, spinning 10 µs first 8.3 µs, 30 µs 7.7 µs, 100 µs 7.8 µs; the C client 5.5 µs.
 */
export const DEFAULT_REPLY_WAIT: Readonly<ReplyWait> = { spinUs: 30, waitUs: 100 };

export interface WpaCtrlConnectionOptions {
  /** Directory for the local socket (`wdk-<pid>-<n>`). Default: os.tmpdir(), as wpa_ctrl.c uses /tmp. */
  localDir?: string;
  /** Socket implementation. Default: our addon when built, else node-unix-socket (dgram-addon.ts). */
  backend?: DgramBackend;
  /** The synchronous wait for a reply (wdk-dgram backend). Default DEFAULT_REPLY_WAIT. */
  replyWait?: ReplyWait;
  /**
   * Receives every unsolicited message (event) on an ATTACHed connection, also those that arrive while a
   * request waits for its reply. Without it, events are kept for recv().
   */
  onUnsolicited?: (message: string) => void;
  /** Events kept for recv() before the oldest are dropped. Default 1000. */
  maxPendingEvents?: number;
}

export interface RecvOptions {
  /** Give up after this many milliseconds (0: only what is already there). Default: wait indefinitely. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface EventWaiter {
  resolve: (message: string) => void;
  reject: (error: unknown) => void;
  dispose: () => void;
}

/**
 * One control connection to `<ctrlDir>/<ifname>`, the equivalent of hostap's `struct wpa_ctrl`
 * (wpa_ctrl_open/request/attach/detach/pending/recv/close) and of pyi_wpa_supplicant's IFace.
 *
 * Replies and events share the socket once ATTACHed: a datagram starting with `<N>` or `IFNAME=` is an event
 * and goes to `onUnsolicited` (or the recv() queue); anything else answers the request in flight.
 */
export class WpaCtrlConnection {
  readonly ctrlPath: string;
  readonly #localDir: string;
  readonly #backend: DgramBackend | undefined;
  readonly #replyWait: ReplyWait;
  readonly #onUnsolicited: ((message: string) => void) | undefined;
  readonly #maxPendingEvents: number;
  readonly #requests: RequestQueue;
  readonly #events: string[] = [];
  readonly #eventWaiters: EventWaiter[] = [];
  #socket: UnixDgramSocket;
  #attached = false;
  #closed = false;
  #droppedEvents = 0;
  #repliesTakenAtOnce = 0;
  #waitMisses = 0;
  #waitsToSkip = 0;

  private constructor(ctrlPath: string, options: WpaCtrlConnectionOptions) {
    this.ctrlPath = ctrlPath;
    this.#localDir = options.localDir ?? tmpdir();
    this.#backend = options.backend;
    this.#replyWait = options.replyWait ?? DEFAULT_REPLY_WAIT;
    this.#onUnsolicited = options.onUnsolicited;
    this.#maxPendingEvents = options.maxPendingEvents ?? 1000;
    this.#requests = new RequestQueue({
      send: (command) => this.#send(command),
      timeoutError: (command, timeoutMs) =>
        new CtrlTimeoutError(commandName(command), timeoutMs, this.ctrlPath),
      abandoned: () => {
        this.#replaceSocket();
        return 'next';
      },
    });
    this.#socket = this.#bindLocalSocket();
  }

  /**
   * Opens a connection like wpa_ctrl_open: fails early with CtrlSocketMissingError or CtrlPermissionError
   * when the daemon's socket is absent or not writable. (A datagram socket has no connect handshake here, so
   * a stale socket file is only noticed by the first request.)
   */
  static async open(ctrlPath: string, options: WpaCtrlConnectionOptions = {}): Promise<WpaCtrlConnection> {
    try {
      await access(ctrlPath, constants.W_OK);
    } catch (error) {
      throw toCtrlError(error, ctrlPath);
    }
    return new WpaCtrlConnection(ctrlPath, options);
  }

  /** The local socket file the daemon answers to. */
  get localPath(): string | null {
    return this.#socket.path;
  }

  /** True after a successful attach() (and until detach(), a timeout that replaced the socket, or close()). */
  get attached(): boolean {
    return this.#attached;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Replies taken by the synchronous wait (ReplyWait) rather than through the event loop. */
  get repliesTakenAtOnce(): number {
    return this.#repliesTakenAtOnce;
  }

  /** Events dropped because recv() did not keep up with `maxPendingEvents`. */
  get droppedEvents(): number {
    return this.#droppedEvents;
  }

  /**
   * Sends one command and resolves with the reply text exactly as the daemon sent it (usually ending in a
   * newline; `FAIL\n` and `UNKNOWN COMMAND\n` are replies, not errors). Requests are sent one at a time.
   */
  request(command: string, options: RequestOptions = {}): Promise<string> {
    if (this.#closed) return Promise.reject(new CtrlClosedError(this.ctrlPath));
    const invalid = commandLineError(command);
    if (invalid !== null) return Promise.reject(invalid);
    return this.#requests.enqueue(command, options);
  }

  /** Registers this connection for events (`ATTACH`); the daemon must answer `OK`. */
  async attach(options: RequestOptions = {}): Promise<void> {
    await this.#expectOk('ATTACH', options);
    this.#attached = true;
  }

  async detach(options: RequestOptions = {}): Promise<void> {
    await this.#expectOk('DETACH', options);
    this.#attached = false;
  }

  /** True when an event is waiting to be read with recv() (wpa_ctrl_pending). */
  pending(): boolean {
    return this.#events.length > 0;
  }

  /** The next event, as sent (`<3>CTRL-EVENT-…`). Rejects with CtrlTimeoutError when `timeoutMs` passes. */
  recv(options: RecvOptions = {}): Promise<string> {
    const queued = this.#events.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#closed) return Promise.reject(new CtrlClosedError(this.ctrlPath));
    const { timeoutMs, signal } = options;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    if (timeoutMs === 0) return Promise.reject(new CtrlTimeoutError(null, 0, this.ctrlPath));
    return new Promise<string>((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              waiter.dispose();
              reject(new CtrlTimeoutError(null, timeoutMs, this.ctrlPath));
            }, timeoutMs);
      const onAbort = (): void => {
        waiter.dispose();
        reject(signal?.reason);
      };
      const waiter: EventWaiter = {
        resolve,
        reject,
        dispose: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          const index = this.#eventWaiters.indexOf(waiter);
          if (index !== -1) this.#eventWaiters.splice(index, 1);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#eventWaiters.push(waiter);
    });
  }

  /**
   * Closes the connection and removes the local socket file. Pending requests and recv() calls reject with
   * `reason` (default CtrlClosedError).
   * No DETACH is sent: the daemon detaches a monitor whose socket file is gone at its next event
   * (ctrl_iface_unix.c: sendmsg fails with ENOENT).
   */
  close(reason?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#attached = false;
    const error = reason ?? new CtrlClosedError(this.ctrlPath);
    this.#requests.failAll(error);
    for (const waiter of [...this.#eventWaiters]) {
      waiter.dispose();
      waiter.reject(error);
    }
    this.#socket.close();
  }

  async #expectOk(command: string, options: RequestOptions): Promise<void> {
    const reply = await this.request(command, options);
    if (reply.trim() !== 'OK') throw new CtrlCommandFailedError(command, reply, this.ctrlPath);
  }

  /** The socket implementation in use. */
  get backend(): DgramBackend {
    return this.#socket.backend;
  }

  #send(command: string): Promise<void> | void {
    const socket = this.#socket;
    if (!socket.synchronous) return this.#sendAsync(command);
    try {
      socket.sendNow(this.ctrlPath, command);
    } catch (error) {
      throw toCtrlError(error, this.ctrlPath);
    }
    const { spinUs, waitUs } = this.#replyWait;
    if (waitUs <= 0) return;
    if (this.#waitsToSkip > 0) {
      this.#waitsToSkip -= 1;
      return;
    }
    // Whatever comes first is handled as it would be from the event loop; on an ATTACHed connection an event
    // may precede the reply, which then arrives through the event loop unless it is already there.
    let text = socket.receiveNow(spinUs, waitUs);
    while (text !== undefined) {
      this.#onDatagram(text);
      if (!this.#requests.awaitingReply || socket !== this.#socket) {
        this.#repliesTakenAtOnce += 1;
        this.#waitMisses = 0;
        return;
      }
      text = socket.receiveNow(0, 0);
    }
    // A daemon that cannot answer while we wait (one in this very process, like the simulator or a test's
    // stand-in) or that is busy: after a few misses in a row, stop waiting for a while, then try again.
    this.#waitMisses += 1;
    if (this.#waitMisses >= WAIT_MISSES_BEFORE_PAUSE) this.#waitsToSkip = WAITS_SKIPPED_PER_PAUSE;
  }

  async #sendAsync(command: string): Promise<void> {
    try {
      await this.#socket.sendTo(this.ctrlPath, Buffer.from(command, 'utf8'));
    } catch (error) {
      throw toCtrlError(error, this.ctrlPath);
    }
  }

  #bindLocalSocket(): UnixDgramSocket {
    const socket = UnixDgramSocket.bindUnique(this.#localDir, { backend: this.#backend });
    socket.on('message', (data) => this.#onDatagram(data.toString('utf8')));
    socket.on('error', (error) => {
      if (socket === this.#socket) this.close(toCtrlError(error, this.ctrlPath));
    });
    return socket;
  }

  /**
   * After a timeout the daemon may still answer, and that late reply would be taken for the next command's
   * (wpa_ctrl.c has exactly this flaw). A fresh local socket sends it nowhere; the daemon also drops an ATTACH
   * registered on the old path, so the caller must attach again.
   */
  #replaceSocket(): void {
    if (this.#closed) return;
    this.#socket.close();
    this.#attached = false;
    this.#socket = this.#bindLocalSocket();
  }

  #onDatagram(text: string): void {
    if (!isEventLine(text)) {
      // A reply nobody waits for can only be a late one from before close(): nothing to do with it.
      this.#requests.deliverReply(text);
      return;
    }
    if (this.#onUnsolicited !== undefined) {
      this.#onUnsolicited(text);
      return;
    }
    const waiter = this.#eventWaiters.shift();
    if (waiter !== undefined) {
      waiter.dispose();
      waiter.resolve(text);
      return;
    }
    this.#events.push(text);
    if (this.#events.length > this.#maxPendingEvents) {
      this.#events.shift();
      this.#droppedEvents += 1;
    }
  }
}

/**
 * One datagram is one command, and wpa_cli reads one line per command: a line break or NUL inside would
 * change what the daemon runs.
 */
export function commandLineError(command: string): TypeError | null {
  return /[\r\n\0]/.test(command)
    ? new TypeError(`a control command must be one line without NUL: ${JSON.stringify(command)}`)
    : null;
}
