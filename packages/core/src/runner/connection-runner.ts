import { EventEmitter } from 'node:events';
import type { WpaEvent } from '../protocol/events.js';
import { generateKeypadPin } from '../protocol/wps-pin.js';
import type { DomainEvent } from '../engine/domain-events.js';
import type { Effect } from '../engine/effects.js';
import type { EngineInputBody, OperatorAction } from '../engine/inputs.js';
import { maskPins } from '../engine/kiosk-commands.js';
import { checkOperatorAction, type OperatorResult } from '../engine/operator.js';
import { reduce } from '../engine/reduce.js';
import { engineSettingsSchema, type EngineSettings, type EngineSettingsInput } from '../engine/settings.js';
import { snapshot, type KioskSnapshot } from '../engine/snapshot.js';
import { initialEngineState, type EngineState } from '../engine/state.js';
import type { WhitelistEntry } from '../engine/whitelist.js';
import {
  silentLogger,
  systemClock,
  type ClockPort,
  type CtrlPort,
  type InterfaceOpener,
  type InterfaceRequester,
  type LoggerPort,
  type PinPort,
} from './ports.js';

export interface RunnerEvents {
  snapshot: [KioskSnapshot];
  'domain-event': [DomainEvent];
  /** "Approve and remember": the agent adds the peer to the stored whitelist. */
  'remember-peer': [{ address: string; name: string }];
}

export interface ConnectionRunnerOptions {
  ctrl: CtrlPort;
  clock?: ClockPort;
  pins?: PinPort;
  logger?: LoggerPort;
  settings?: EngineSettingsInput;
  whitelist?: readonly WhitelistEntry[];
  /** Where `IFNAME=<group-if> …` commands go when `ctrl` is a per-interface socket (see InterfaceOpener). */
  openInterface?: InterfaceOpener;
  /** Per-command reply timeout (default 10 s: INTERFACES and P2P_GROUP_REMOVE can take a second on a Pi). */
  requestTimeoutMs?: number;
  /** How long stop() waits for its clean-up commands (default 5 s). */
  stopTimeoutMs?: number;
}

export type SettingsResult =
  OperatorResult | { readonly ok: false; readonly code: 'invalid-settings'; readonly message: string };

/**
 * Runs the connection engine: feeds it events, replies, timer firings and operator actions, and executes the
 * effects it plans through the injected ports. Keeps the one engine state; everything else is in the reducer.
 */
export class ConnectionRunner extends EventEmitter<RunnerEvents> {
  readonly #ctrl: CtrlPort;
  readonly #clock: ClockPort;
  readonly #pins: PinPort;
  readonly #log: LoggerPort;
  readonly #requestTimeoutMs: number;
  readonly #stopTimeoutMs: number;
  readonly #timers = new Map<string, unknown>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #inbox: EngineInputBody[] = [];
  readonly #openInterface: InterfaceOpener | undefined;
  readonly #groupSockets = new Map<string, Promise<InterfaceRequester>>();
  #state: EngineState;
  #snapshot: KioskSnapshot;
  #snapshotJson: string;
  #dispatching = false;
  #attached = false;

  constructor(options: ConnectionRunnerOptions) {
    super();
    this.#ctrl = options.ctrl;
    this.#clock = options.clock ?? systemClock;
    this.#pins = options.pins ?? { generate: generateKeypadPin };
    this.#log = options.logger ?? silentLogger;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
    this.#openInterface = options.openInterface;
    this.#state = initialEngineState(
      engineSettingsSchema.parse(options.settings ?? {}),
      options.whitelist ?? [],
    );
    this.#snapshot = snapshot(this.#state);
    this.#snapshotJson = JSON.stringify(this.#snapshot);
  }

  /** Attaches to the control client and runs the start-up sequence. */
  start(): void {
    if (!this.#attached) {
      this.#ctrl.on('event', this.#onEvent);
      this.#ctrl.on('disconnected', this.#onDisconnected);
      this.#ctrl.on('reconnected', this.#onReconnected);
      this.#attached = true;
    }
    this.#dispatch({ kind: 'start' });
  }

  /** Stops discovery, removes the group, waits (bounded) for those commands, then detaches. */
  async stop(): Promise<void> {
    this.#dispatch({ kind: 'stop' });
    await this.#settleInFlight(this.#stopTimeoutMs);
    for (const handle of this.#timers.values()) this.#clock.clearTimeout(handle);
    this.#timers.clear();
    for (const ifname of [...this.#groupSockets.keys()]) this.#closeGroupSocket(ifname);
    if (this.#attached) {
      this.#ctrl.off('event', this.#onEvent);
      this.#ctrl.off('disconnected', this.#onDisconnected);
      this.#ctrl.off('reconnected', this.#onReconnected);
      this.#attached = false;
    }
  }

  snapshot(): KioskSnapshot {
    return this.#snapshot;
  }

  /** The engine's full state, read-only (diagnostics). */
  get engineState(): EngineState {
    return this.#state;
  }

  approve(id: string, options: { remember?: boolean } = {}): OperatorResult {
    return this.#operate({ type: 'approve', id, remember: options.remember ?? false });
  }

  deny(id: string): OperatorResult {
    return this.#operate({ type: 'deny', id });
  }

  kick(address: string): OperatorResult {
    return this.#operate({ type: 'kick', address });
  }

  enterPeerPin(address: string, pin: string): OperatorResult {
    return this.#operate({ type: 'enter-peer-pin', address, pin });
  }

  dismissPeerPin(address: string): OperatorResult {
    return this.#operate({ type: 'dismiss-peer-pin', address });
  }

  setDiscoverable(on: boolean): OperatorResult {
    return this.#operate({ type: 'set-discoverable', on });
  }

  /** Runs the start-up sequence again (e.g. after the operator stopped a concurrent AP). */
  resync(): OperatorResult {
    return this.#operate({ type: 'resync' });
  }

  /** Validates and applies new settings (defaults filled in). */
  setSettings(settings: EngineSettingsInput): SettingsResult {
    const parsed = engineSettingsSchema.safeParse(settings);
    if (!parsed.success) {
      return {
        ok: false,
        code: 'invalid-settings',
        message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      };
    }
    this.#dispatch({ kind: 'settings', settings: parsed.data });
    return { ok: true };
  }

  get settings(): EngineSettings {
    return this.#state.settings;
  }

  setWhitelist(entries: readonly WhitelistEntry[]): void {
    this.#dispatch({ kind: 'whitelist', entries });
  }

  /** Resolves when no command is waiting for its reply (tests, orderly shutdown). */
  async whenIdle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #operate(action: OperatorAction): OperatorResult {
    const result = checkOperatorAction(this.#state, action);
    if (result.ok) this.#dispatch({ kind: 'operator', action });
    this.#log.info(
      { action: action.type, ok: result.ok, ...(result.ok ? {} : { code: result.code }) },
      'operator action',
    );
    return result;
  }

  readonly #onEvent = (event: WpaEvent): void => {
    this.#log.debug?.({ event: event.type, raw: maskPins(event.raw) }, 'event');
    this.#dispatch({ kind: 'event', event });
  };

  /**
   * Events on a group interface's own socket. Only those wpa_supplicant does not copy to the P2P device socket
   * are fed to the engine: a joining peer's WPS-FAIL and the registrar's WPS-TIMEOUT (the walk time ended).
   * Without them a failed join would hold the setup slot until the setup timeout (120 s) and every phone
   * behind it would wait.
   */
  #onGroupEvent(ifname: string, event: WpaEvent): void {
    if (event.type !== 'WPS-FAIL' && event.type !== 'WPS-TIMEOUT') return;
    if (this.#groupSockets.get(ifname) === undefined) return; // closed meanwhile: the group is gone
    this.#log.debug?.({ event: event.type, ifname, raw: event.raw }, 'group event');
    this.#dispatch({ kind: 'event', event: { ...event, ifname } });
  }

  readonly #onDisconnected = (): void => {
    this.#log.warn({}, 'wpa_supplicant control socket lost');
    this.#dispatch({ kind: 'daemon-lost' });
  };

  readonly #onReconnected = (): void => {
    this.#log.info({}, 'wpa_supplicant control socket back');
    this.#dispatch({ kind: 'daemon-back' });
  };

  /** One input at a time: inputs raised while effects run (a listener calling approve()) wait their turn. */
  #dispatch(input: EngineInputBody): void {
    this.#inbox.push(input);
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let next = this.#inbox.shift(); next; next = this.#inbox.shift()) this.#apply(next);
    } finally {
      this.#dispatching = false;
    }
  }

  #apply(input: EngineInputBody): void {
    let planned: [EngineState, Effect[]];
    try {
      planned = reduce(this.#state, { ...input, freshPin: this.#pins.generate() }, this.#clock.now());
    } catch (error) {
      // A bug or a value the command builders refused (CommandValidationError): keep the last good state.
      const message = error instanceof Error ? error.message : String(error);
      this.#log.error({ input: input.kind, error: message }, 'engine step failed');
      this.emit('domain-event', { type: 'error', code: 'engine', message });
      return;
    }
    const [state, effects] = planned;
    this.#state = state;
    // Commands leave first: a decision (P2P_CONNECT, WPS_PBC …) must not wait behind what listeners do with
    // the step's domain events (logging, the agent's history, pushes to the kiosk). Everything else keeps
    // the reducer's order.
    for (const effect of effects) if (effect.kind === 'command') this.#execute(effect);
    for (const effect of effects) if (effect.kind !== 'command') this.#execute(effect);
    this.#publishSnapshot();
  }

  #execute(effect: Effect): void {
    switch (effect.kind) {
      case 'command':
        this.#send(effect.requestId, effect.command, effect.purpose);
        return;
      case 'set-timer': {
        const previous = this.#timers.get(effect.timerId);
        if (previous !== undefined) this.#clock.clearTimeout(previous);
        const handle = this.#clock.setTimeout(
          () => {
            this.#timers.delete(effect.timerId);
            this.#dispatch({ kind: 'timer', timerId: effect.timerId });
          },
          Math.max(0, effect.at - this.#clock.now()),
        );
        this.#timers.set(effect.timerId, handle);
        return;
      }
      case 'cancel-timer': {
        const handle = this.#timers.get(effect.timerId);
        if (handle !== undefined) this.#clock.clearTimeout(handle);
        this.#timers.delete(effect.timerId);
        return;
      }
      case 'notify':
        this.#log.info({ ...effect.event }, effect.event.type);
        if (effect.event.type === 'group-removed') this.#closeGroupSocket(effect.event.ifname);
        this.emit('domain-event', effect.event);
        return;
      case 'remember-peer':
        this.emit('remember-peer', { address: effect.address, name: effect.name });
        return;
    }
  }

  #send(requestId: number, command: string, purpose: string): void {
    const masked = maskPins(command);
    this.#log.debug?.({ requestId, command: masked, purpose }, 'command');
    const done = this.#request(command).then(
      (reply) => {
        this.#log.debug?.({ requestId, command: masked, reply: maskPins(reply.trim()) }, 'reply');
        this.#dispatch({ kind: 'reply', requestId, reply });
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.#log.warn({ requestId, command: masked, error: message }, 'command failed');
        this.#dispatch({ kind: 'request-failed', requestId, error: message });
      },
    );
    this.#inFlight.add(done);
    void done.finally(() => this.#inFlight.delete(done));
  }

  /** `IFNAME=<if> CMD` goes to that interface's own socket when an opener is configured. */
  async #request(command: string): Promise<string> {
    const options = { timeoutMs: this.#requestTimeoutMs };
    const routed = /^IFNAME=(\S+) (.+)$/.exec(command);
    if (!routed || !this.#openInterface) return this.#ctrl.request(command, options);
    const [, ifname = '', inner = ''] = routed;
    let socket = this.#groupSockets.get(ifname);
    if (!socket) {
      socket = this.#openInterface(ifname, { onEvent: (event) => this.#onGroupEvent(ifname, event) });
      this.#groupSockets.set(ifname, socket);
      socket.catch(() => this.#groupSockets.delete(ifname));
    }
    return (await socket).request(inner, options);
  }

  #closeGroupSocket(ifname: string): void {
    const socket = this.#groupSockets.get(ifname);
    if (!socket) return;
    this.#groupSockets.delete(ifname);
    socket.then(
      (opened) => opened.close(),
      () => undefined,
    );
  }

  async #settleInFlight(timeoutMs: number): Promise<void> {
    let timer: unknown;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.whenIdle(), timeout]);
    clearTimeout(timer as NodeJS.Timeout);
  }

  #publishSnapshot(): void {
    const next = snapshot(this.#state);
    const json = JSON.stringify(next);
    if (json === this.#snapshotJson) return;
    this.#snapshot = next;
    this.#snapshotJson = json;
    this.emit('snapshot', next);
  }
}
