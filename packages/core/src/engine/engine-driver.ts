import { parseEventLine } from '../protocol/event-parser.js';
import type { Effect } from './effects.js';
import type { EngineInputBody, OperatorAction } from './inputs.js';
import { reduce } from './reduce.js';
import type { EngineSettingsInput } from './settings.js';
import { defaultEngineSettings } from './settings.js';
import { initialEngineState, type EngineState } from './state.js';
import type { WhitelistEntry } from './whitelist.js';

/** One step of a scripted run: an event line, a reply to a pending command, a failed request, time, the operator. */
export type DriverStep =
  | { readonly event: string }
  | { readonly reply: string; readonly with?: string }
  | { readonly fail: string }
  | { readonly advance: number }
  | { readonly operator: OperatorAction }
  | { readonly input: EngineInputBody };

/**
 * Drives the pure reducer with a simulated clock, like xstate's simulated clock: inputs in, effects recorded,
 * timers fired in order when time is advanced. For tests, replays and what-if tools; no I/O, no waiting.
 */
export class EngineDriver {
  state: EngineState;
  now: number;
  readonly log: Effect[] = [];
  private readonly timers = new Map<string, number>();
  private readonly pins: () => string;

  constructor(
    options: {
      settings?: EngineSettingsInput;
      whitelist?: readonly WhitelistEntry[];
      now?: number;
      /** Fresh PINs handed to the reducer; a fixed valid sequence by default. */
      pins?: () => string;
    } = {},
  ) {
    this.state = initialEngineState(defaultEngineSettings(options.settings), options.whitelist ?? []);
    this.now = options.now ?? 0;
    let n = 0;
    const sequence = ['12345670', '87654325', '11111115', '22222220', '33333335', '44444440'];
    this.pins = options.pins ?? ((): string => sequence[n++ % sequence.length] ?? '12345670');
  }

  /**
   * A kiosk that went through its start-up sequence (every command answered OK, INTERFACES listing `interfaces`);
   * the effects of the start-up are in `log`, the driver's `mark()` is after them.
   */
  static started(
    options: ConstructorParameters<typeof EngineDriver>[0] & { interfaces?: string } = {},
  ): EngineDriver {
    const driver = new EngineDriver({ now: 1_000, ...options });
    driver.send({ kind: 'start' });
    driver.replyAll({ INTERFACES: options.interfaces ?? 'wlan0\np2p-dev-wlan0\n' });
    return driver;
  }

  /** Applies one input at the current time; returns its effects. */
  send(input: EngineInputBody): Effect[] {
    const [state, effects] = reduce(this.state, { ...input, freshPin: this.pins() }, this.now);
    this.state = state;
    this.log.push(...effects);
    for (const effect of effects) {
      if (effect.kind === 'set-timer') this.timers.set(effect.timerId, effect.at);
      if (effect.kind === 'cancel-timer') this.timers.delete(effect.timerId);
    }
    return effects;
  }

  /** A wpa_supplicant event line, parsed by the protocol's parser. */
  event(line: string): Effect[] {
    return this.send({ kind: 'event', event: parseEventLine(line) });
  }

  /** The reply to the oldest pending command whose text starts with `prefix`. */
  reply(prefix: string, reply = 'OK'): Effect[] {
    return this.send({ kind: 'reply', requestId: this.pendingId(prefix), reply });
  }

  requestFailed(prefix: string, error = 'timeout'): Effect[] {
    return this.send({ kind: 'request-failed', requestId: this.pendingId(prefix), error });
  }

  pendingId(prefix: string): number {
    const entry = Object.entries(this.state.pending)
      .map(([id, pending]) => [Number(id), pending.command] as const)
      .sort(([a], [b]) => a - b)
      .find(([, command]) => command.startsWith(prefix));
    if (!entry) throw new Error(`no pending command starting with ${JSON.stringify(prefix)}`);
    return entry[0];
  }

  /** Answers every pending command with OK until none is left (a start-up sequence, say). */
  replyAll(replies: Readonly<Record<string, string>> = {}): Effect[] {
    const effects: Effect[] = [];
    for (let guard = 0; guard < 100; guard++) {
      const ids = Object.keys(this.state.pending)
        .map(Number)
        .sort((a, b) => a - b);
      const id = ids[0];
      if (id === undefined) return effects;
      const command = this.state.pending[id]?.command ?? '';
      const reply = Object.entries(replies).find(([prefix]) => command.startsWith(prefix))?.[1] ?? 'OK';
      effects.push(...this.send({ kind: 'reply', requestId: id, reply }));
    }
    throw new Error('replyAll: the engine keeps sending commands');
  }

  /** Moves the clock forward, firing due timers in time order. */
  advance(ms: number): Effect[] {
    const until = this.now + ms;
    const effects: Effect[] = [];
    for (;;) {
      const due = [...this.timers.entries()].filter(([, at]) => at <= until).sort(([, a], [, b]) => a - b)[0];
      if (!due) break;
      const [timerId, at] = due;
      this.timers.delete(timerId);
      this.now = Math.max(this.now, at);
      effects.push(...this.send({ kind: 'timer', timerId }));
    }
    this.now = until;
    return effects;
  }

  /** Runs a script; returns the effects of all its steps. */
  run(steps: readonly DriverStep[]): Effect[] {
    return steps.flatMap((step): Effect[] => {
      if ('event' in step) return this.event(step.event);
      if ('reply' in step) return this.reply(step.reply, step.with ?? 'OK');
      if ('fail' in step) return this.requestFailed(step.fail);
      if ('advance' in step) return this.advance(step.advance);
      if ('operator' in step) return this.send({ kind: 'operator', action: step.operator });
      return this.send(step.input);
    });
  }

  /** The timers the engine asked for and has not cancelled, by id: when they fire. */
  armedTimers(): Map<string, number> {
    return this.timers;
  }
}

/** The command strings among effects. */
export function commandsOf(effects: readonly Effect[]): string[] {
  return effects.flatMap((effect) => (effect.kind === 'command' ? [effect.command] : []));
}

/** The domain events among effects. */
export function notificationsOf(effects: readonly Effect[]): Extract<Effect, { kind: 'notify' }>['event'][] {
  return effects.flatMap((effect) => (effect.kind === 'notify' ? [effect.event] : []));
}
