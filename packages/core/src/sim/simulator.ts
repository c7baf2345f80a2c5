/**
 * The simulated wpa_supplicant as one object: model + sockets + phones + faults. This is the TypeScript
 * control API (tests, the agent's --simulate mode); the HTTP interface and the CLI wrap it.
 */
import { EventEmitter } from 'node:events';
import { ScaledRealClock, type SimClock } from './clock.js';
import { ControlCommands } from './control-commands.js';
import { faultSchema, isArmedFault, type ArmedFault, type FaultInput } from './faults.js';
import { isMacAddress, normalizeMac, simulatedDeviceAddress, type MacAddress } from './mac-address.js';
import type { ModelSnapshot, PeerNotice } from './model-types.js';
import { P2pModel } from './p2p-model.js';
import {
  resolvePhoneScript,
  phoneStepSchema,
  type PhoneRequest,
  type PhoneStepInput,
} from './phone-script.js';
import { SimulatedPhone, type PhoneSnapshot } from './phones.js';
import { Prng } from './prng.js';
import type { Scenario } from './scenario.js';
import { SimServer } from './sim-server.js';

export interface SimulatorOptions {
  /** Directory of the control sockets (wpa_supplicant's ctrl_interface DIR). */
  readonly ctrlDir: string;
  /** The P2P device interface, p2p-dev-wlan0 by default. A name without p2p-dev- runs P2P on it directly. */
  readonly iface?: string;
  /** 1 = hwsim timings; 0.01 = a hundred times faster. Ignored when `clock` is given. */
  readonly timeScale?: number;
  readonly seed?: number;
  readonly clock?: SimClock;
  readonly deviceName?: string;
  readonly deviceAddress?: MacAddress;
  /** Emit CTRL-EVENT-SCAN-STARTED during P2P_FIND (default true, as real daemons do). */
  readonly scanEvents?: boolean;
  /** Extra initial SET values (p2p_go_intent, persistent_reconnect, …). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Called with each daemon log line (wpa_printf), e.g. the nl80211 EBUSY error. */
  readonly onLog?: (line: string) => void;
}

/** One event as the simulator sent it, numbered for GET /events?since=. */
export interface SimEventRecord {
  readonly seq: number;
  /** Radio ms since start. */
  readonly at: number;
  readonly ifname: string;
  readonly text: string;
}

export interface SimSnapshot {
  readonly ctrlDir: string;
  readonly state: 'stopped' | 'running' | 'terminated';
  readonly interfaces: readonly string[];
  readonly monitors: number;
  readonly kiosk: ModelSnapshot;
  readonly phones: readonly PhoneSnapshot[];
  readonly faults: readonly ArmedFault[];
  readonly slowReplies: { readonly delayMs: number; readonly remaining: number | undefined } | undefined;
  readonly lastEventSeq: number;
  readonly daemonLog: readonly string[];
}

const EVENT_HISTORY = 2000;
const LOG_HISTORY = 500;

export class Simulator {
  readonly ctrlDir: string;
  readonly p2pDeviceIfname: string;
  readonly mainIfname: string;
  readonly #clock: SimClock;
  readonly #ownsClock: boolean;
  readonly #model: P2pModel;
  readonly #commands: ControlCommands;
  readonly #server: SimServer;
  readonly #phonePrng: Prng;
  readonly #phones = new Map<string, SimulatedPhone>();
  readonly #emitter = new EventEmitter();
  readonly #events: SimEventRecord[] = [];
  readonly #log: string[] = [];
  readonly #onLog: ((line: string) => void) | undefined;
  #seq = 0;
  #phoneCount = 0;
  #state: 'stopped' | 'running' | 'terminated' = 'stopped';
  #slowReplies: { delayMs: number; remaining: number | undefined } | undefined;

  constructor(options: SimulatorOptions) {
    this.ctrlDir = options.ctrlDir;
    const iface = options.iface ?? 'p2p-dev-wlan0';
    this.p2pDeviceIfname = iface;
    this.mainIfname = iface.startsWith('p2p-dev-') ? iface.slice('p2p-dev-'.length) : iface;
    this.#clock = options.clock ?? new ScaledRealClock(options.timeScale ?? 1);
    this.#ownsClock = options.clock === undefined;
    this.#onLog = options.onLog;
    const seed = options.seed ?? 1;
    const prng = new Prng(seed);
    this.#phonePrng = new Prng(seed ^ 0x5eed);
    const deviceAddress = normalizeMac(options.deviceAddress ?? '42:00:00:00:00:00');
    this.#model = new P2pModel({
      clock: this.#clock,
      prng,
      config: {
        mainIfname: this.mainIfname,
        p2pDeviceIfname: this.p2pDeviceIfname,
        deviceAddress,
        mainAddress: `02${deviceAddress.slice(2)}`,
        operatingFrequency: 2437,
        uuid: prng.uuid(),
        scanEvents: options.scanEvents ?? true,
        settings: {
          device_name: options.deviceName ?? 'DIRECT-kiosk',
          update_config: '1',
          // deploy/wpa_supplicant-wlan0.conf (and the hwsim kiosk): P2P-GO-NEG-SUCCESS … ht40=1.
          p2p_go_ht40: '1',
          ...options.settings,
        },
      },
      listener: {
        event: (ifname, text) => this.#onEvent(ifname, text),
        interfaceAdded: (ifname) => this.#server.open(ifname),
        interfaceRemoved: (ifname) => this.#server.close(ifname),
        peerNotice: (address, notice) => this.#onPeerNotice(address, notice),
        log: (line) => this.#onDaemonLog(line),
      },
    });
    this.#commands = new ControlCommands(this.#model);
    this.#server = new SimServer({
      ctrlDir: this.ctrlDir,
      handler: {
        handle: (ifname, line) => {
          const outcome = this.#commands.execute(ifname, line);
          return {
            reply: outcome.reply,
            delayMs: this.#takeReplyDelay(),
            ...(outcome.effect === 'terminate' ? { after: () => this.terminate() } : {}),
          };
        },
      },
      onError: (error) => this.#onDaemonLog(`ctrl_iface: ${error.message}`),
    });
  }

  get state(): 'stopped' | 'running' | 'terminated' {
    return this.#state;
  }

  /** The model, for tests that drive the radio directly. */
  get model(): P2pModel {
    return this.#model;
  }

  /** Binds the control sockets: the daemon is up. */
  async start(): Promise<void> {
    if (this.#state === 'running') return;
    this.#model.boot();
    this.#openBaseSockets();
    this.#state = 'running';
  }

  /** Tears everything down without the daemon's goodbye (use terminate() for CTRL-EVENT-TERMINATING). */
  async stop(): Promise<void> {
    for (const phone of this.#phones.values()) phone.remove();
    this.#phones.clear();
    this.#model.dispose();
    this.#server.closeAll();
    if (this.#ownsClock && this.#clock instanceof ScaledRealClock) this.#clock.clearAll();
    this.#state = 'stopped';
    // Sockets close on setImmediate (so last datagrams leave); let that happen before resolving.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** The daemon exits: groups removed, CTRL-EVENT-TERMINATING to monitors, socket files gone. */
  terminate(): void {
    if (this.#state !== 'running') return;
    this.#model.terminate();
    this.#server.closeAll();
    this.#state = 'terminated';
  }

  /**
   * SIGKILL: the daemon vanishes without a word (no CTRL-EVENT-TERMINATING, no group removal events), and its
   * socket files stay behind, refusing datagrams, until restart(). See P2pModel.kill for `leaveGroups`.
   */
  kill(options: { leaveGroups?: boolean } = {}): void {
    if (this.#state !== 'running') return;
    this.#server.abandonAll();
    this.#model.kill(options);
    this.#state = 'terminated';
  }

  /** The daemon comes back (systemd restart): fresh sockets, no monitors, empty peer table. */
  restart(): void {
    if (this.#state === 'running') this.terminate();
    this.#model.boot();
    this.#openBaseSockets();
    this.#state = 'running';
  }

  /** Adds a scripted phone (preset name plus overrides, or a full script) and starts it. */
  addPhone(request: PhoneRequest): SimulatedPhone {
    const script = resolvePhoneScript(request);
    this.#phoneCount += 1;
    const address = normalizeMac(script.address ?? this.#nextPhoneAddress());
    if (!isMacAddress(address)) throw new Error(`bad address ${address}`);
    const phone = new SimulatedPhone({
      id: `phone-${this.#phoneCount}`,
      script,
      preset: request.preset,
      profile: {
        deviceAddress: address,
        name: radioDeviceName(script.name),
        primaryDeviceType: script.deviceType,
        configMethods: script.configMethods,
        deviceCapability: 0x25,
        groupCapability: 0x0,
        vendorElements: script.vendorElements,
        manufacturer: script.manufacturer,
        modelName: script.modelName,
        uuid: this.#phonePrng.uuid(),
        goIntent: script.goIntent,
      },
      model: this.#model,
      clock: this.#clock,
      prng: this.#phonePrng,
    });
    this.#phones.set(phone.id, phone);
    phone.start();
    return phone;
  }

  phone(id: string): SimulatedPhone | undefined {
    return this.#phones.get(id);
  }

  /** Gives a phone more steps (validated). */
  instructPhone(id: string, steps: readonly PhoneStepInput[]): boolean {
    const phone = this.#phones.get(id);
    if (!phone) return false;
    phone.enqueue(steps.map((step) => phoneStepSchema.parse(step)));
    return true;
  }

  removePhone(id: string): boolean {
    const phone = this.#phones.get(id);
    if (!phone) return false;
    phone.remove();
    this.#phones.delete(id);
    return true;
  }

  /** Injects a fault now (validated with zod; throws a ZodError on bad input). */
  inject(input: FaultInput): void {
    const fault = faultSchema.parse(input);
    if (isArmedFault(fault)) return this.#model.arm(fault);
    switch (fault.kind) {
      case 'stale-group':
        this.#model.injectStaleGroup();
        return;
      case 'group-unavailable':
        this.#model.makeGroupsUnavailable();
        return;
      case 'slow-replies':
        this.#slowReplies = { delayMs: fault.delayMs, remaining: fault.count };
        return;
      case 'terminate': {
        this.terminate();
        const after = fault.restartAfterMs;
        if (after !== undefined) this.#clock.setTimer(after, () => this.restart());
        return;
      }
    }
  }

  /** Disarms every fault; with `peer`, only the armed faults aimed at that phone (`peer` in the fault). */
  clearFaults(peer?: string): void {
    if (peer !== undefined) {
      this.#model.faults.clear(peer);
      return;
    }
    this.#model.faults.clear();
    this.#slowReplies = undefined;
  }

  /** Schedules a scenario's phones and faults at their radio times. */
  runScenario(scenario: Scenario): void {
    for (const entry of scenario.phones) {
      const { at, ...request } = entry;
      this.#clock.setTimer(at, () => {
        if (this.#state !== 'stopped') this.addPhone(request);
      });
    }
    for (const entry of scenario.faults) {
      this.#clock.setTimer(entry.at, () => {
        if (this.#state !== 'stopped') this.inject(entry.fault);
      });
    }
  }

  snapshot(): SimSnapshot {
    return {
      ctrlDir: this.ctrlDir,
      state: this.#state,
      interfaces: this.#server.openInterfaces(),
      monitors: this.#server.monitorCount(),
      kiosk: this.#model.snapshot(),
      phones: [...this.#phones.values()].map((phone) => phone.snapshot()),
      faults: this.#model.faults.list(),
      slowReplies: this.#slowReplies ? { ...this.#slowReplies } : undefined,
      lastEventSeq: this.#seq,
      daemonLog: [...this.#log],
    };
  }

  /** Events sent so far with seq > `since` (bounded history). */
  events(since = 0): readonly SimEventRecord[] {
    return this.#events.filter((record) => record.seq > since);
  }

  onEvent(listener: (record: SimEventRecord) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }

  /**
   * Resolves with the first event (after `sinceSeq`, default: from now on) whose text matches, on any
   * interface or on `ifname`. Rejects after `timeoutMs` real milliseconds.
   */
  waitForEvent(
    match: RegExp | string,
    options: { ifname?: string; timeoutMs?: number; sinceSeq?: number } = {},
  ): Promise<SimEventRecord> {
    const matches = (record: SimEventRecord): boolean =>
      (options.ifname === undefined || record.ifname === options.ifname) &&
      (typeof match === 'string' ? record.text.startsWith(match) : match.test(record.text));
    const past = options.sinceSeq === undefined ? undefined : this.events(options.sinceSeq).find(matches);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no event matching ${String(match)} within ${options.timeoutMs ?? 10_000} ms`));
      }, options.timeoutMs ?? 10_000);
      const off = this.onEvent((record) => {
        if (!matches(record)) return;
        clearTimeout(timer);
        off();
        resolve(record);
      });
    });
  }

  #openBaseSockets(): void {
    this.#server.open(this.p2pDeviceIfname);
    if (this.mainIfname !== this.p2pDeviceIfname) this.#server.open(this.mainIfname);
  }

  #nextPhoneAddress(): MacAddress {
    const used = new Set([...this.#phones.values()].map((phone) => phone.address));
    for (let index = this.#phoneCount; ; index++) {
      const candidate = simulatedDeviceAddress(index);
      if (!used.has(candidate)) return candidate;
    }
  }

  #onEvent(ifname: string, text: string): void {
    const record: SimEventRecord = { seq: ++this.#seq, at: Math.round(this.#clock.now()), ifname, text };
    this.#events.push(record);
    if (this.#events.length > EVENT_HISTORY) this.#events.splice(0, this.#events.length - EVENT_HISTORY);
    this.#server.broadcast(ifname, text);
    this.#emitter.emit('event', record);
  }

  #onPeerNotice(address: MacAddress, notice: PeerNotice): void {
    for (const phone of this.#phones.values()) if (phone.address === address) phone.notice(notice);
  }

  #onDaemonLog(line: string): void {
    this.#log.push(line);
    if (this.#log.length > LOG_HISTORY) this.#log.splice(0, this.#log.length - LOG_HISTORY);
    this.#onLog?.(line);
  }

  #takeReplyDelay(): number {
    const slow = this.#slowReplies;
    if (!slow) return 0;
    if (slow.remaining !== undefined) {
      slow.remaining -= 1;
      if (slow.remaining <= 0) this.#slowReplies = undefined;
    }
    return slow.delayMs;
  }
}

/**
 * The name as wpa_supplicant keeps it: p2p_parse.c (P2P_ATTR_DEVICE_INFO) cuts it at a NUL and replaces every
 * other byte below 32 with '_'; quotes, '%', DEL and any UTF-8 pass through as they are.
 */
export function radioDeviceName(name: string): string {
  const cut = name.indexOf('\0');
  return (cut === -1 ? name : name.slice(0, cut)).replace(/[\x01-\x1f]/g, '_');
}
