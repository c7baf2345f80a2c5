import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants, existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEventLine } from '../protocol/event-parser.js';
import type { WpaEvent } from '../protocol/events.js';
import {
  CtrlClosedError,
  CtrlDisconnectedError,
  CtrlError,
  CtrlTimeoutError,
  commandName,
  toCtrlError,
} from './ctrl-errors.js';
import { isEventLine } from './event-line.js';
import { EventStreams } from './event-stream.js';
import { ReconnectBackoff, type ReconnectBackoffOptions } from './reconnect-backoff.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, RequestQueue } from './request-queue.js';
import { DEFAULT_CTRL_DIR, type ConnectOptions } from './wpa-ctrl-client.js';
import { WpaCliOutputParser, type WpaCliOutputToken } from './wpa-cli-output.js';
import {
  routeToInterface,
  type CtrlDisconnect,
  type CtrlRequestOptions,
  type EventsOptions,
  type WpaCtrlTransport,
  type WpaCtrlTransportEvents,
} from './wpa-ctrl-transport.js';

export interface WpaCliTransportOptions {
  /** The control socket's name, e.g. `wlan0` or `p2p-dev-wlan0` (wpa_cli -i). */
  ifname: string;
  /** The ctrl_interface directory (wpa_cli -p). Default /var/run/wpa_supplicant. */
  ctrlDir?: string;
  /** The wpa_cli binary. Default /usr/sbin/wpa_cli when it exists (it is not on a normal user's PATH), else wpa_cli. */
  wpaCliPath?: string;
  /** Default timeout of request(). Default 10 000 ms. */
  requestTimeoutMs?: number;
  /**
   * wpa_cli -G: how often wpa_cli PINGs the daemon, and retries after losing it. Default 1 s (wpa_cli's own
   * default is 5 s), so that a restarted daemon is back within about a second.
   */
  pingIntervalSeconds?: number;
  /** How long connect() waits for wpa_cli's first prompt. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Delays between restarts of a wpa_cli process that exited. Default 100 ms doubling to 2 s. */
  restart?: ReconnectBackoffOptions;
}

type WpaCliState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** What wpa_cli prints instead of a reply (wpa_cli.c, _wpa_ctrl_command and wpa_request). */
const NOT_CONNECTED = 'Not connected to wpa_supplicant - command dropped.';
const COMMAND_TIMED_OUT = /^'.*' command timed out\.$/;
const COMMAND_FAILED = /^'.*' command failed\.$/;
/** What wpa_cli prints when its ping or reconnect timer notices a change (wpa_cli.c, wpa_cli_ping/reconnect). */
const CONNECTION_LOST = 'Connection to wpa_supplicant lost - trying to reconnect';
const CONNECTION_BACK = 'Connection to wpa_supplicant re-established';
/** wpa_ctrl_request inside wpa_cli gives up after 10 s, then wpa_cli prints a prompt. */
const STUCK_AFTER_MS = 15_000;

interface InFlight {
  /** What readline echoes when we type the command. */
  echo: string;
  phase: 'echo' | 'reply';
  lines: string[];
}

/**
 * The same request/event interface as WpaCtrlClient, driven through an interactive `wpa_cli` child process:
 * a fallback for systems where the native socket addon cannot load, and a baseline for benchmarks.
 *
 * Commands are typed as `raw <command>`, one at a time: the reply is what wpa_cli prints between the echo of
 * that line and the next prompt; `<N>…` lines are events. Limits that come from wpa_cli itself: replies are
 * cut at 4095 bytes, BSS-ADDED/BSS-REMOVED events are not printed (wpa_cli_show_event), wpa_cli re-splits the
 * line into at most 35 words joined by single spaces (tokenize_cmd), and a reply line that looks like an event
 * cannot be told from one.
 */
export class WpaCliTransport extends EventEmitter<WpaCtrlTransportEvents> implements WpaCtrlTransport {
  readonly ctrlPath: string;
  readonly #ctrlDir: string;
  readonly #ifname: string;
  readonly #wpaCliPath: string;
  readonly #requestTimeoutMs: number;
  readonly #pingIntervalSeconds: number;
  readonly #connectTimeoutMs: number;
  readonly #backoff: ReconnectBackoff;
  readonly #requests: RequestQueue;
  readonly #streams = new EventStreams<WpaEvent>();
  #state: WpaCliState = 'idle';
  #child: ChildProcessWithoutNullStreams | null = null;
  #parser = new WpaCliOutputParser();
  #inFlight: InFlight | null = null;
  /** wpa_cli has shown its prompt since it started, so it reads commands. */
  #ready = false;
  #everConnected = false;
  #lastDisconnect: CtrlDisconnect | null = null;
  #restartTimer: NodeJS.Timeout | undefined;
  #stuckTimer: NodeJS.Timeout | undefined;
  #firstPrompt: { resolve: () => void; reject: (error: unknown) => void } | null = null;

  constructor(options: WpaCliTransportOptions) {
    super();
    this.#ctrlDir = options.ctrlDir ?? DEFAULT_CTRL_DIR;
    this.#ifname = options.ifname;
    this.ctrlPath = join(this.#ctrlDir, this.#ifname);
    this.#wpaCliPath =
      options.wpaCliPath ?? (existsSync('/usr/sbin/wpa_cli') ? '/usr/sbin/wpa_cli' : 'wpa_cli');
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#pingIntervalSeconds = options.pingIntervalSeconds ?? 1;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.#backoff = new ReconnectBackoff(options.restart);
    this.#requests = new RequestQueue({
      send: (command) => this.#type(command),
      timeoutError: (command, timeoutMs) =>
        new CtrlTimeoutError(commandName(command), timeoutMs, this.ctrlPath),
      // wpa_cli will still print the reply and a prompt (at the latest after its own 10 s timeout): wait for
      // them, so that the late reply is not taken for the next command's. A wpa_cli that prints nothing even
      // then is stuck: restart it rather than hold every later command forever.
      abandoned: () => {
        clearTimeout(this.#stuckTimer);
        this.#stuckTimer = setTimeout(() => this.#child?.kill('SIGKILL'), STUCK_AFTER_MS);
        return 'hold';
      },
    });
  }

  static async connect(options: WpaCliTransportOptions & ConnectOptions): Promise<WpaCliTransport> {
    const transport = new WpaCliTransport(options);
    await transport.connect(options);
    return transport;
  }

  get state(): WpaCliState {
    return this.#state;
  }

  get connected(): boolean {
    return this.#state === 'connected';
  }

  /**
   * Starts wpa_cli and waits for its first prompt, which it shows once it reached the daemon and ATTACHed.
   * Without `waitForDaemon` a missing or forbidden socket fails at once, as with WpaCtrlClient.
   */
  async connect(options: ConnectOptions = {}): Promise<void> {
    if (this.#state !== 'idle')
      throw new Error(`connect() needs an idle transport; this one is ${this.#state}`);
    const { signal, waitForDaemon = false } = options;
    signal?.throwIfAborted();
    if (!waitForDaemon) {
      try {
        await access(this.ctrlPath, constants.W_OK);
      } catch (error) {
        throw toCtrlError(error, this.ctrlPath);
      }
    }
    this.#state = 'connecting';
    const prompted = new Promise<void>((resolve, reject) => {
      this.#firstPrompt = { resolve, reject };
    });
    const timer = waitForDaemon
      ? undefined
      : setTimeout(() => {
          this.#firstPrompt?.reject(
            new CtrlTimeoutError('(wpa_cli start)', this.#connectTimeoutMs, this.ctrlPath),
          );
        }, this.#connectTimeoutMs);
    const onAbort = (): void => this.#firstPrompt?.reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#spawn();
    try {
      await prompted;
    } catch (error) {
      this.#firstPrompt = null;
      await this.#stopChild();
      if (this.#state === 'connecting') this.#state = 'idle';
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  request(command: string, options: CtrlRequestOptions = {}): Promise<string> {
    if (this.#state !== 'connected') return Promise.reject(this.#notConnectedError());
    let routed: string;
    try {
      routed = routeToInterface(command, options.ifname);
    } catch (error) {
      return Promise.reject(error);
    }
    // Control characters would be readline editing keys (TAB completes, ^U erases …), not text.
    if (/[\x00-\x1f\x7f]/.test(routed)) {
      return Promise.reject(
        new TypeError(`a wpa_cli command must be one line of printable text: ${JSON.stringify(routed)}`),
      );
    }
    const { timeoutMs = this.#requestTimeoutMs, signal } = options;
    return this.#requests.enqueue(routed, { timeoutMs, signal });
  }

  events(options: EventsOptions = {}): AsyncIterableIterator<WpaEvent> {
    return this.#streams.open(options);
  }

  /** Quits wpa_cli (it sends DETACH itself) and resolves when the process is gone. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#stuckTimer);
    const error = new CtrlClosedError(this.ctrlPath);
    this.#requests.failAll(error);
    this.#firstPrompt?.reject(error);
    this.#firstPrompt = null;
    this.#streams.endAll();
    await this.#stopChild();
    this.emit('close');
  }

  #spawn(): void {
    this.#parser = new WpaCliOutputParser();
    this.#ready = false;
    this.#inFlight = null;
    const child = spawn(
      this.#wpaCliPath,
      ['-p', this.#ctrlDir, '-i', this.#ifname, '-G', String(this.#pingIntervalSeconds)],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        // No escape sequences (TERM=dumb), no horizontal scrolling of long lines (readline takes the width from
        // COLUMNS when stdout is not a terminal), and no user key bindings.
        env: { ...process.env, TERM: 'dumb', COLUMNS: '100000', LINES: '1000', INPUTRC: '/dev/null' },
      },
    );
    this.#child = child;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (child === this.#child) for (const token of this.#parser.push(chunk)) this.#onToken(token);
    });
    // stderr carries nothing we need (wpa_cli prints its messages to stdout); drain it.
    child.stderr.resume();
    // EPIPE when wpa_cli exits while we type: the 'exit' handler deals with it.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => this.#onExit(child, error));
    child.on('exit', (code, signal) => {
      this.#onExit(child, new CtrlError(`wpa_cli exited (${signal ?? `code ${code}`})`, this.ctrlPath));
    });
  }

  #type(command: string): Promise<void> {
    const child = this.#child;
    if (child === null || !this.#ready) return Promise.reject(this.#notConnectedError());
    const line = `raw ${command}`;
    this.#inFlight = { echo: line, phase: 'echo', lines: [] };
    return new Promise((resolve, reject) => {
      child.stdin.write(`${line}\n`, (error) =>
        error == null ? resolve() : reject(this.#notConnectedError()),
      );
    });
  }

  #onToken(token: WpaCliOutputToken): void {
    if (token.kind === 'prompt') {
      this.#onPrompt();
      return;
    }
    const { text } = token;
    const inFlight = this.#inFlight;
    if (inFlight?.phase === 'reply') {
      inFlight.lines.push(text);
    } else if (isEventLine(text)) {
      this.#onEventLine(text);
    } else if (text === CONNECTION_LOST) {
      this.#lose({ reason: 'wpa-cli' });
    } else if (text === CONNECTION_BACK) {
      this.#becomeConnected();
    } else if (inFlight?.phase === 'echo' && text === inFlight.echo) {
      inFlight.phase = 'reply';
    }
    // Anything else is wpa_cli talking to a human: the banner, "Could not connect … re-trying".
  }

  #onPrompt(): void {
    if (!this.#ready) {
      this.#ready = true;
      this.#becomeConnected();
    }
    const inFlight = this.#inFlight;
    // Prompts redrawn after an event before our echo are not the end of a reply.
    if (inFlight?.phase !== 'reply') return;
    this.#inFlight = null;
    clearTimeout(this.#stuckTimer);
    const only = inFlight.lines.length === 1 ? inFlight.lines[0] : undefined;
    if (only === NOT_CONNECTED) {
      this.#lose({ reason: 'wpa-cli' });
      this.#requests.deliverFailure(new CtrlDisconnectedError(this.ctrlPath, 'wpa_cli is not connected'));
    } else if (only !== undefined && COMMAND_TIMED_OUT.test(only)) {
      // wpa_cli's own wpa_ctrl_request gave up after 10 s.
      this.#requests.deliverFailure(
        new CtrlTimeoutError(commandName(inFlight.echo.slice(4)), 10_000, this.ctrlPath),
      );
    } else if (only !== undefined && COMMAND_FAILED.test(only)) {
      this.#requests.deliverFailure(new CtrlError(`wpa_cli: ${only}`, this.ctrlPath));
    } else {
      this.#requests.deliverReply(inFlight.lines.length === 0 ? '' : `${inFlight.lines.join('\n')}\n`);
    }
  }

  #onEventLine(line: string): void {
    const event = parseEventLine(line);
    this.#streams.push(event);
    this.emit('event', event);
    if (event.type === 'CTRL-EVENT-TERMINATING' && event.ifname === null)
      this.#lose({ reason: 'terminating' });
  }

  #becomeConnected(): void {
    if (this.#state !== 'connecting' && this.#state !== 'reconnecting') return;
    this.#state = 'connected';
    this.#lastDisconnect = null;
    this.#backoff.reset();
    if (this.#everConnected) {
      this.emit('reconnected');
      return;
    }
    this.#everConnected = true;
    this.#firstPrompt?.resolve();
    this.#firstPrompt = null;
    this.emit('connected');
  }

  #lose(info: CtrlDisconnect): void {
    if (this.#state !== 'connected') return;
    this.#state = 'reconnecting';
    this.#lastDisconnect = info;
    this.emit('disconnected', info);
  }

  #onExit(child: ChildProcessWithoutNullStreams, error: Error): void {
    if (child !== this.#child) return;
    this.#child = null;
    this.#ready = false;
    this.#inFlight = null;
    clearTimeout(this.#stuckTimer);
    if (this.#state === 'closed' || this.#state === 'idle') return;
    this.#requests.failAll(new CtrlDisconnectedError(this.ctrlPath, 'wpa_cli exited'));
    if (this.#state === 'connecting' && this.#firstPrompt !== null && !this.#everConnected) {
      this.#firstPrompt.reject(error);
      return;
    }
    const wasConnected = this.#state === 'connected';
    this.#state = 'reconnecting';
    if (wasConnected) {
      this.#lastDisconnect = { reason: 'wpa-cli', error };
      this.emit('disconnected', this.#lastDisconnect);
    }
    this.#restartTimer = setTimeout(() => {
      if (this.#state === 'reconnecting') this.#spawn();
    }, this.#backoff.nextDelay());
  }

  /** Asks wpa_cli to quit (so that it DETACHes), then insists. */
  async #stopChild(): Promise<void> {
    const child = this.#child;
    if (child === null) return;
    this.#child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin.end('quit\n');
    const terminate = setTimeout(() => child.kill('SIGTERM'), 1000);
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(terminate);
    clearTimeout(kill);
  }

  #notConnectedError(): Error {
    if (this.#state === 'closed') return new CtrlClosedError(this.ctrlPath);
    return new CtrlDisconnectedError(this.ctrlPath, this.#lastDisconnect?.reason ?? 'not connected yet');
  }
}
