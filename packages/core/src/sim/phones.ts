/**
 * Scripted phones: each runs its steps against the radio model, waiting on what it experiences
 * (PeerNotice) on the simulator's clock. A phone also reacts on its own the way Android does: it joins
 * instead of negotiating when the kiosk is already a GO, and accepts (or not) the kiosk's own requests.
 */
import type { SimClock } from './clock.js';
import type { MacAddress } from './mac-address.js';
import type { PeerNotice, PeerNoticeKind, PhoneProfile, PinChoice } from './model-types.js';
import type { WpsMethod } from './wps-method.js';
import type { P2pModel } from './p2p-model.js';
import type { PhoneScript, PhoneStep } from './phone-script.js';
import type { Prng } from './prng.js';
import { RADIO_TIMINGS } from './radio-timings.js';

export type PhoneStatus = 'running' | 'idle' | 'failed' | 'removed';

export interface PhoneSnapshot {
  readonly id: string;
  readonly name: string;
  readonly address: MacAddress;
  readonly preset: string | undefined;
  readonly status: PhoneStatus;
  readonly step: number;
  readonly steps: number;
  readonly failure: string | undefined;
  readonly retriedAfter: readonly string[];
  readonly displayPin: string | undefined;
  readonly notices: readonly PeerNotice[];
}

const FAILURES: readonly PeerNoticeKind[] = [
  'go-neg-failure',
  'formation-failure',
  'join-failure',
  'pd-failure',
];
const DEFAULT_WAIT_MS = 180_000;

class StepFailure extends Error {}

export class SimulatedPhone {
  readonly id: string;
  readonly script: PhoneScript;
  readonly profile: PhoneProfile;
  readonly preset: string | undefined;
  #displayPin: string | undefined;
  readonly #model: P2pModel;
  readonly #clock: SimClock;
  readonly #prng: Prng;
  readonly #queue: PhoneStep[] = [];
  readonly #notices: PeerNotice[] = [];
  #cursor = 0;
  #stepIndex = 0;
  #status: PhoneStatus = 'running';
  /**
   * The WPS method (and PIN) of the phone's last connect or join: an invitation is accepted with it. None yet:
   * the phone's own connect step is still to come (it joins the running group then, with its own method).
   */
  #wps: { method: WpsMethod; pin: PinChoice | undefined } | undefined;
  /** Invited into the kiosk's running group before its connect step: that step joins the group. */
  #invited = false;
  #failure: string | undefined;
  /** Failures the phone recovered from by starting over. */
  readonly #failures: string[] = [];
  #retriesLeft: number;
  #wake: (() => void) | undefined;
  #idleWaiters: (() => void)[] = [];

  constructor(options: {
    id: string;
    script: PhoneScript;
    profile: PhoneProfile;
    preset: string | undefined;
    model: P2pModel;
    clock: SimClock;
    prng: Prng;
  }) {
    this.id = options.id;
    this.script = options.script;
    this.profile = options.profile;
    this.preset = options.preset;
    this.#model = options.model;
    this.#clock = options.clock;
    this.#prng = options.prng;
    this.#displayPin =
      options.script.displayPin ??
      (needsDisplayedPin(options.script.steps) ? this.#prng.keypadPin() : undefined);
    this.#queue.push(...options.script.steps);
    this.#retriesLeft = options.script.retries;
  }

  get address(): MacAddress {
    return this.profile.deviceAddress;
  }

  /** The PIN on the phone's screen (display flows), as a user would read it to the operator. */
  get displayPin(): string | undefined {
    return this.#displayPin;
  }

  get status(): PhoneStatus {
    return this.#status;
  }

  /** Puts the phone on the air and runs its steps. */
  start(): void {
    this.#model.addPeer(this.profile, this.script.invitePolicy);
    if (this.displayPin) this.#model.setDisplayedPin(this.address, this.displayPin);
    void this.#run();
  }

  /** More steps for a running phone (HTTP POST /phones/:id/steps). */
  enqueue(steps: readonly PhoneStep[]): void {
    if (this.#status === 'removed') return;
    if (this.#displayPin === undefined && needsDisplayedPin(steps)) {
      this.#displayPin = this.#prng.keypadPin();
      this.#model.setDisplayedPin(this.address, this.#displayPin);
    }
    this.#queue.push(...steps);
    if (this.#status !== 'running') {
      this.#status = 'running';
      this.#failure = undefined;
      void this.#run();
    }
  }

  /** Resolves when the phone has no step left to run (done, failed or removed). */
  idle(): Promise<void> {
    if (this.#status !== 'running') return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  remove(): void {
    this.#status = 'removed';
    this.#queue.length = 0;
    this.#model.removePeer(this.address);
    this.#wake?.();
    this.#settle();
  }

  /** Called by the simulator for every notice addressed to this phone. */
  notice(notice: PeerNotice): void {
    this.#notices.push(notice);
    this.#react(notice);
    this.#wake?.();
  }

  snapshot(): PhoneSnapshot {
    return {
      id: this.id,
      name: this.profile.name,
      address: this.address,
      preset: this.preset,
      status: this.#status,
      step: this.#stepIndex,
      steps: this.#stepIndex + this.#queue.length,
      failure: this.#failure,
      retriedAfter: [...this.#failures],
      displayPin: this.displayPin,
      notices: [...this.#notices],
    };
  }

  async #run(): Promise<void> {
    for (;;) {
      try {
        for (let step = this.#queue.shift(); step; step = this.#queue.shift()) {
          if (this.#status === 'removed') return;
          await this.#perform(step);
          this.#stepIndex += 1;
        }
        if (this.#status === 'running') this.#status = 'idle';
        break;
      } catch (error) {
        if (this.#status === 'removed') return;
        const message = error instanceof Error ? error.message : String(error);
        if (this.#retriesLeft > 0) {
          // The user taps "connect" again from the top of the script.
          this.#retriesLeft -= 1;
          this.#failures.push(message);
          this.#queue.splice(0, this.#queue.length, ...this.script.steps);
          this.#stepIndex = 0;
          this.#cursor = this.#notices.length;
          await this.#sleep(this.#prng.delay(RADIO_TIMINGS.phoneReaction));
          continue;
        }
        this.#status = 'failed';
        this.#failure = message;
        this.#queue.length = 0;
        break;
      }
    }
    this.#settle();
  }

  #settle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  async #perform(step: PhoneStep): Promise<void> {
    const model = this.#model;
    switch (step.do) {
      case 'appear':
        model.peerEntersRange(this.address);
        return;
      case 'provDisc': {
        // Android skips the GO-negotiation PD when the peer already is a GO: P2P_CONNECT … join sends its own.
        if (this.script.autoJoin && model.kioskIsGroupOwner()) return;
        await this.#findKiosk();
        const from = this.#notices.length;
        model.peerProvisionDiscovery(this.address, step.method, false);
        const answer = await this.#waitFor(['pd-response', 'pd-failure'], step.timeoutMs ?? 10_000, from);
        if (answer.kind === 'pd-failure') throw new StepFailure('provision discovery failed');
        await this.#sleep(this.#prng.delay(RADIO_TIMINGS.phoneReaction));
        return;
      }
      case 'connect': {
        await this.#findKiosk();
        const method = step.method === 'pin' ? 'keypad' : step.method;
        const pin = step.method === 'pin' ? pinChoice(step.pin) : undefined;
        // Android: "if (dev.isGroupOwner()) join" — a kiosk already running a group is joined.
        const join = (this.script.autoJoin || this.#invited) && model.kioskIsGroupOwner();
        this.#wps = { method, pin };
        model.peerConnect(this.address, { method, pin, join });
        return;
      }
      case 'join': {
        await this.#findKiosk();
        const method = step.method === 'pin' ? 'keypad' : step.method;
        const pin = step.method === 'pin' ? pinChoice(step.pin) : undefined;
        this.#wps = { method, pin };
        model.peerConnect(this.address, { method, pin, join: true });
        return;
      }
      case 'waitFor': {
        // Waiting for success also ends on a failure (and fails the step below).
        const kinds: readonly PeerNoticeKind[] =
          step.what === 'failure' ? FAILURES : [step.what, ...FAILURES];
        const notice = await this.#waitFor(kinds, step.timeoutMs ?? DEFAULT_WAIT_MS, this.#cursor);
        if (step.what !== 'failure' && FAILURES.includes(notice.kind)) {
          throw new StepFailure(`waited for ${step.what}, got ${describe(notice)}`);
        }
        return;
      }
      case 'wait':
        await this.#sleep(step.ms);
        return;
      case 'retransmit':
        for (let i = 0; i < step.times; i++) {
          await this.#sleep(step.intervalMs);
          model.peerRetransmit(this.address);
        }
        return;
      case 'leave':
        model.peerLeaveGroup(this.address);
        return;
      case 'walkOut':
        model.peerLeavesRange(this.address);
        return;
      case 'rejoin':
        model.peerRejoin(this.address);
        return;
    }
  }

  /** Automatic behaviour, like the OS and a cooperative user. */
  #react(notice: PeerNotice): void {
    if (this.script.invitePolicy !== 'accept') return;
    if (notice.kind === 'go-neg-request') {
      // The kiosk started a GO negotiation with us: the user taps "accept", Android answers with the
      // complementary method (kiosk displays → we type its PIN; kiosk types → we show ours).
      const method =
        notice.devicePasswordId === 4 ? 'pbc' : notice.devicePasswordId === 5 ? 'keypad' : 'display';
      void this.#sleep(this.#prng.delay(RADIO_TIMINGS.phoneReaction)).then(() => {
        if (this.#status === 'removed') return;
        this.#model.peerConnect(this.address, {
          method,
          pin: method === 'keypad' ? { kind: 'kiosk' } : undefined,
          join: false,
        });
      });
    }
    if (notice.kind === 'invitation' && notice.persistentId === undefined) {
      // The user accepts; the phone joins with the WPS method it was set up for (a phone that types the
      // kiosk's PIN keeps typing it: the kiosk armed WPS_PIN, not the push button).
      const wps = this.#wps;
      if (wps === undefined) {
        this.#invited = true;
        return;
      }
      const { method, pin } = wps;
      void this.#sleep(this.#prng.delay(RADIO_TIMINGS.phoneReaction)).then(() => {
        if (this.#status !== 'removed') this.#model.peerConnect(this.address, { method, pin, join: true });
      });
    }
  }

  async #findKiosk(): Promise<void> {
    if (this.#model.peerSeesKiosk(this.address) || this.#model.kioskIsGroupOwner()) return;
    const found = await this.#waitFor(['found-kiosk'], this.script.findTimeoutMs, this.#notices.length).catch(
      () => undefined,
    );
    if (!found) throw new StepFailure('kiosk not found (is it discoverable? P2P_FIND)');
    await this.#sleep(this.#prng.delay(RADIO_TIMINGS.phoneReaction));
  }

  /** The first notice of `kinds` at or after index `from`; moves the cursor past it. */
  #waitFor(kinds: readonly PeerNoticeKind[], timeoutMs: number, from: number): Promise<PeerNotice> {
    return new Promise((resolve, reject) => {
      const timer = this.#clock.setTimer(timeoutMs, () => {
        this.#wake = undefined;
        reject(new StepFailure(`timed out waiting for ${kinds.join(' or ')}`));
      });
      const check = (): void => {
        if (this.#status === 'removed') {
          this.#clock.clearTimer(timer);
          this.#wake = undefined;
          reject(new StepFailure('removed'));
          return;
        }
        const index = this.#notices.findIndex((notice, i) => i >= from && kinds.includes(notice.kind));
        const notice = this.#notices[index];
        if (!notice) return;
        this.#clock.clearTimer(timer);
        this.#wake = undefined;
        this.#cursor = index + 1;
        resolve(notice);
      };
      this.#wake = check;
      check();
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#clock.setTimer(ms, resolve));
  }
}

/** Steps in which the phone shows its own PIN: connect/join `display`, or PD `keypad` ("kiosk, type mine"). */
function needsDisplayedPin(steps: readonly PhoneStep[]): boolean {
  return steps.some(
    (step) =>
      ((step.do === 'connect' || step.do === 'join') && step.method === 'display') ||
      (step.do === 'provDisc' && step.method === 'keypad'),
  );
}

function pinChoice(pin: string): PinChoice {
  if (pin === 'kiosk-pin') return { kind: 'kiosk' };
  if (pin === 'wrong') return { kind: 'wrong' };
  return { kind: 'literal', pin };
}

function describe(notice: PeerNotice): string {
  switch (notice.kind) {
    case 'go-neg-failure':
      return `GO negotiation failure (status ${notice.status})`;
    case 'join-failure':
      return `join failure (${notice.reason})`;
    default:
      return notice.kind;
  }
}
