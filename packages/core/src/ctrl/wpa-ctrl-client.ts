import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEventLine } from '../protocol/event-parser.js';
import type { WpaEvent } from '../protocol/events.js';
import {
  CtrlClosedError,
  CtrlDisconnectedError,
  CtrlError,
  CtrlPermissionError,
  CtrlSocketMissingError,
  CtrlTimeoutError,
  toCtrlError,
} from './ctrl-errors.js';
import { EventStreams } from './event-stream.js';
import { ReconnectBackoff, type ReconnectBackoffOptions } from './reconnect-backoff.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './request-queue.js';
import { SocketFileWatch } from './socket-file-watch.js';
import type { DgramBackend } from './dgram-addon.js';
import { WpaCtrlConnection, type ReplyWait } from './wpa-ctrl-connection.js';
import {
  routeToInterface,
  type CtrlRequestOptions,
  type CtrlDisconnect,
  type EventsOptions,
  type WpaCtrlTransport,
  type WpaCtrlTransportEvents,
} from './wpa-ctrl-transport.js';

/** Debian's and Raspberry Pi OS's ctrl_interface directory (/run/wpa_supplicant behind the /var/run link). */
export const DEFAULT_CTRL_DIR = '/var/run/wpa_supplicant';

export interface WpaCtrlClientOptions {
  /** The control socket's name: the interface, e.g. `wlan0` or `p2p-dev-wlan0`. */
  ifname: string;
  /** The ctrl_interface directory. Default /var/run/wpa_supplicant. */
  ctrlDir?: string;
  /** Where the client's own sockets are bound. Default os.tmpdir(). */
  localDir?: string;
  /** Default timeout of request(). Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Liveness PING on the event socket every this many ms (0 disables). Default 5 000, as wpa_cli's ping_interval. */
  pingIntervalMs?: number;
  /** How long a PING may wait for PONG before the daemon counts as gone. Default 3 000 ms. */
  pingTimeoutMs?: number;
  /** Delays between reconnect attempts. Default 100 ms doubling to 2 s. */
  reconnect?: ReconnectBackoffOptions;
  /** Socket implementation. Default: our addon when built, else node-unix-socket (dgram-addon.ts). */
  backend?: DgramBackend;
  /** The synchronous wait for a request's reply (wdk-dgram backend; WpaCtrlConnection, ReplyWait). */
  replyWait?: ReplyWait;
}

export interface ConnectOptions {
  /** Keep trying (with the reconnect backoff) until the daemon is there, instead of failing at once. */
  waitForDaemon?: boolean;
  /** Aborts a waiting connect(). */
  signal?: AbortSignal;
}

/**
 * `idle` before connect(); `connecting` during a connect() without waitForDaemon; `connected`; `reconnecting`
 * while waiting for the daemon (after a loss, or before the first connection with waitForDaemon); `closed`.
 */
export type WpaCtrlClientState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/**
 * The wpa_supplicant control client the product uses: requests on one connection, events on a second,
 * ATTACHed one — so replies and events never interleave (hostap's wpa_cli and wpa_gui do the same).
 *
 * It notices the daemon going away (CTRL-EVENT-TERMINATING, the socket file removed or replaced, no PONG to
 * the periodic PING) and then reconnects by itself with backoff, ATTACHes again and emits 'reconnected' so the
 * owner re-reads the state it may have missed.
 */
export class WpaCtrlClient extends EventEmitter<WpaCtrlTransportEvents> implements WpaCtrlTransport {
  readonly ctrlPath: string;
  readonly #localDir: string | undefined;
  readonly #backend: DgramBackend | undefined;
  readonly #replyWait: ReplyWait | undefined;
  readonly #requestTimeoutMs: number;
  readonly #pingIntervalMs: number;
  readonly #pingTimeoutMs: number;
  readonly #backoff: ReconnectBackoff;
  readonly #watch: SocketFileWatch;
  readonly #streams = new EventStreams<WpaEvent>();
  #state: WpaCtrlClientState = 'idle';
  #requests: WpaCtrlConnection | null = null;
  #monitor: WpaCtrlConnection | null = null;
  /** Inode of the socket file we ATTACHed to; a different one means a restarted daemon. */
  #socketInode: number | null = null;
  #pingTimer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #attempting = false;
  #everConnected = false;
  #lastDisconnect: CtrlDisconnect | null = null;
  #firstConnect: { resolve: () => void; reject: (error: unknown) => void } | null = null;

  constructor(options: WpaCtrlClientOptions) {
    super();
    this.ctrlPath = join(options.ctrlDir ?? DEFAULT_CTRL_DIR, options.ifname);
    this.#localDir = options.localDir;
    this.#backend = options.backend;
    this.#replyWait = options.replyWait;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#pingIntervalMs = options.pingIntervalMs ?? 5000;
    this.#pingTimeoutMs = options.pingTimeoutMs ?? 3000;
    this.#backoff = new ReconnectBackoff(options.reconnect);
    this.#watch = new SocketFileWatch(this.ctrlPath, (renamed) => this.#onSocketFileChange(renamed));
  }

  /** Creates a client and connects it. */
  static async connect(options: WpaCtrlClientOptions & ConnectOptions): Promise<WpaCtrlClient> {
    const client = new WpaCtrlClient(options);
    await client.connect(options);
    return client;
  }

  get state(): WpaCtrlClientState {
    return this.#state;
  }

  get connected(): boolean {
    return this.#state === 'connected';
  }

  /** The socket implementation of the current connections (null while not connected). */
  get backend(): DgramBackend | null {
    return this.#requests?.backend ?? null;
  }

  /**
   * Opens both connections and ATTACHes. Rejects with CtrlSocketMissingError / CtrlPermissionError /
   * CtrlTimeoutError unless `waitForDaemon` is set.
   */
  async connect(options: ConnectOptions = {}): Promise<void> {
    if (this.#state !== 'idle') throw new Error(`connect() needs an idle client; this one is ${this.#state}`);
    const { signal, waitForDaemon = false } = options;
    signal?.throwIfAborted();
    if (!waitForDaemon) {
      this.#state = 'connecting';
      try {
        await this.#establish();
      } catch (error) {
        if (this.#state === 'connecting') this.#state = 'idle';
        throw error;
      }
      this.#becomeConnected();
      return;
    }
    this.#state = 'reconnecting';
    const connected = new Promise<void>((resolve, reject) => {
      this.#firstConnect = { resolve, reject };
    });
    const onAbort = (): void => {
      if (this.#state !== 'reconnecting') return;
      this.#state = 'idle';
      clearTimeout(this.#reconnectTimer);
      this.#watch.stop();
      this.#firstConnect?.reject(signal?.reason);
      this.#firstConnect = null;
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    void this.#attemptReconnect();
    try {
      await connected;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Sends a command on the request connection and resolves with the reply as sent (`OK\n`, `FAIL\n`, text).
   * While the daemon is away it rejects at once with CtrlDisconnectedError.
   */
  request(command: string, options: CtrlRequestOptions = {}): Promise<string> {
    const connection = this.#requests;
    if (this.#state !== 'connected' || connection === null) return Promise.reject(this.#notConnectedError());
    let routed: string;
    try {
      routed = routeToInterface(command, options.ifname);
    } catch (error) {
      return Promise.reject(error);
    }
    const { timeoutMs = this.#requestTimeoutMs, signal } = options;
    return connection.request(routed, { timeoutMs, signal }).catch((error: unknown) => {
      if (
        connection === this.#requests &&
        (error instanceof CtrlSocketMissingError || error instanceof CtrlPermissionError)
      ) {
        this.#lose({ reason: 'socket-error', error });
      }
      throw error;
    });
  }

  /** Parsed events from now on, as an async iterator; ends when the client closes. */
  events(options: EventsOptions = {}): AsyncIterableIterator<WpaEvent> {
    return this.#streams.open(options);
  }

  /** Stops everything: timers, the socket watch, both connections (their socket files are removed). */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#pingTimer);
    clearTimeout(this.#reconnectTimer);
    this.#watch.stop();
    this.#dropConnections(new CtrlClosedError(this.ctrlPath));
    this.#firstConnect?.reject(new CtrlClosedError(this.ctrlPath));
    this.#firstConnect = null;
    this.#streams.endAll();
    this.emit('close');
  }

  async #establish(): Promise<void> {
    const inode = await socketInode(this.ctrlPath).catch((error: unknown) => {
      throw toCtrlError(error, this.ctrlPath);
    });
    const socketOptions = { localDir: this.#localDir, backend: this.#backend, replyWait: this.#replyWait };
    const requests = await WpaCtrlConnection.open(this.ctrlPath, socketOptions);
    let monitor: WpaCtrlConnection | null = null;
    try {
      monitor = await WpaCtrlConnection.open(this.ctrlPath, {
        ...socketOptions,
        onUnsolicited: (line) => this.#onEventLine(line),
      });
      await monitor.attach({ timeoutMs: this.#requestTimeoutMs });
    } catch (error) {
      requests.close();
      monitor?.close();
      throw error;
    }
    if (this.#state === 'closed' || this.#state === 'idle') {
      requests.close();
      monitor.close();
      throw new CtrlClosedError(this.ctrlPath);
    }
    this.#requests = requests;
    this.#monitor = monitor;
    this.#socketInode = inode;
  }

  #becomeConnected(): void {
    this.#state = 'connected';
    this.#lastDisconnect = null;
    this.#backoff.reset();
    this.#watch.stop();
    this.#watch.start();
    this.#schedulePing();
    if (this.#everConnected) {
      this.emit('reconnected');
      return;
    }
    this.#everConnected = true;
    this.#firstConnect?.resolve();
    this.#firstConnect = null;
    this.emit('connected');
  }

  #lose(info: CtrlDisconnect): void {
    if (this.#state !== 'connected') return;
    this.#state = 'reconnecting';
    this.#lastDisconnect = info;
    clearTimeout(this.#pingTimer);
    this.#dropConnections(new CtrlDisconnectedError(this.ctrlPath, info.reason));
    this.emit('disconnected', info);
    this.#scheduleReconnect();
  }

  #dropConnections(reason: Error): void {
    this.#requests?.close(reason);
    this.#monitor?.close(reason);
    this.#requests = null;
    this.#monitor = null;
    this.#socketInode = null;
  }

  #scheduleReconnect(): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => void this.#attemptReconnect(), this.#backoff.nextDelay());
  }

  async #attemptReconnect(): Promise<void> {
    if (this.#attempting || this.#state !== 'reconnecting') return;
    clearTimeout(this.#reconnectTimer);
    this.#attempting = true;
    try {
      await this.#establish();
    } catch (error) {
      if (this.#state !== 'reconnecting') return;
      // "Not there yet" is what reconnecting expects; anything else (permissions, timeouts) is worth telling.
      if (!(error instanceof CtrlSocketMissingError)) this.#emitError(error);
      // The directory may have been removed and re-created since the last attempt: watch it anew.
      this.#watch.stop();
      this.#watch.start();
      this.#scheduleReconnect();
      return;
    } finally {
      this.#attempting = false;
    }
    this.#becomeConnected();
  }

  #onSocketFileChange(renamed: boolean): void {
    if (this.#state === 'reconnecting') {
      void this.#attemptReconnect();
    } else if (this.#state === 'connected') {
      void this.#checkSocketFile({ renamed });
    }
  }

  /**
   * Loses the connection when the socket file is gone or is not the one we ATTACHed to. `renamed`: inotify
   * saw our socket's name removed or created while connected. A daemon that was SIGKILLed and restarted
   * unlinks the stale file and binds a new one, and the file system may well give the new file the same
   * inode number (ext4 and tmpfs reuse it at once), so the inode alone cannot tell; the event can: whoever
   * bound the file after our ATTACH does not know it.
   */
  async #checkSocketFile(options: { renamed?: boolean } = {}): Promise<boolean> {
    const expected = this.#socketInode;
    const monitor = this.#monitor;
    const inode = await socketInode(this.ctrlPath).catch(() => null);
    if (this.#monitor !== monitor || this.#state !== 'connected') return false;
    if (inode === null) this.#lose({ reason: 'socket-removed' });
    else if (inode !== expected || options.renamed === true) this.#lose({ reason: 'socket-replaced' });
    else return true;
    return false;
  }

  #schedulePing(): void {
    if (this.#pingIntervalMs <= 0) return;
    clearTimeout(this.#pingTimer);
    this.#pingTimer = setTimeout(() => void this.#ping(), this.#pingIntervalMs);
  }

  /**
   * PING on the event connection, as wpa_cli does (wpa_cli.c, cli_event → wpa_cli_ping): it proves both that
   * the daemon runs and that our ATTACHed socket still reaches it. The socket file's inode is checked too,
   * because a daemon that restarted between two pings answers PONG without knowing our ATTACH.
   */
  async #ping(): Promise<void> {
    const monitor = this.#monitor;
    if (this.#state !== 'connected' || monitor === null) return;
    if (!(await this.#checkSocketFile())) return;
    try {
      const reply = await monitor.request('PING', { timeoutMs: this.#pingTimeoutMs });
      if (reply.trim() !== 'PONG') {
        throw new CtrlError(`PING answered ${JSON.stringify(reply.trim())} instead of PONG`, this.ctrlPath);
      }
    } catch (error) {
      if (monitor !== this.#monitor) return;
      const reason = error instanceof CtrlTimeoutError ? 'ping-timeout' : 'socket-error';
      this.#lose({ reason, error: error instanceof Error ? error : new Error(String(error)) });
      return;
    }
    if (monitor === this.#monitor) this.#schedulePing();
  }

  #onEventLine(line: string): void {
    const event = parseEventLine(line);
    this.#streams.push(event);
    this.emit('event', event);
    // With an IFNAME= prefix (global control interface) only that interface goes away, not our socket.
    if (event.type === 'CTRL-EVENT-TERMINATING' && event.ifname === null)
      this.#lose({ reason: 'terminating' });
  }

  #notConnectedError(): Error {
    if (this.#state === 'closed') return new CtrlClosedError(this.ctrlPath);
    return new CtrlDisconnectedError(this.ctrlPath, this.#lastDisconnect?.reason ?? 'not connected yet');
  }

  #emitError(error: unknown): void {
    if (this.listenerCount('error') > 0)
      this.emit('error', error instanceof Error ? error : new Error(String(error)));
  }
}

async function socketInode(path: string): Promise<number> {
  return (await stat(path)).ino;
}
