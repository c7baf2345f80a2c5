import type { DomainEvent } from './domain-events.js';
import type { CommandPurpose, Effect } from './effects.js';
import type { EngineState, PendingCommand } from './state.js';

export interface CommandContext {
  readonly sessionId?: number | null;
  readonly address?: string | null;
  readonly ifname?: string | null;
  readonly sync?: boolean;
}

/**
 * Accumulates one reducer step: the next state and the effects planned so far. Local to one `reduce` call; the
 * state objects it holds are never mutated, only replaced.
 */
export class Transition {
  readonly effects: Effect[] = [];

  constructor(
    public state: EngineState,
    readonly now: number,
    readonly freshPin: string | null,
  ) {}

  update(patch: Partial<EngineState>): this {
    this.state = { ...this.state, ...patch };
    return this;
  }

  /** Plans a control command and records what its reply is for. Returns the request id. */
  command(command: string, purpose: CommandPurpose, context: CommandContext = {}): number {
    const requestId = this.state.nextRequestId;
    const pending: PendingCommand = {
      purpose,
      command,
      sessionId: context.sessionId ?? null,
      address: context.address ?? null,
      ifname: context.ifname ?? null,
      sync: context.sync ?? false,
    };
    this.update({ nextRequestId: requestId + 1, pending: { ...this.state.pending, [requestId]: pending } });
    this.effects.push({ kind: 'command', requestId, command, purpose });
    return requestId;
  }

  /** Forgets a pending command, returning what it was for. */
  settleRequest(requestId: number): PendingCommand | null {
    const pending = this.state.pending[requestId];
    if (!pending) return null;
    const rest = { ...this.state.pending };
    delete rest[requestId];
    this.update({ pending: rest });
    return pending;
  }

  setTimer(timerId: string, at: number): this {
    this.effects.push({ kind: 'set-timer', timerId, at });
    return this;
  }

  cancelTimer(timerId: string): this {
    this.effects.push({ kind: 'cancel-timer', timerId });
    return this;
  }

  notify(event: DomainEvent): this {
    this.effects.push({ kind: 'notify', event });
    return this;
  }

  rememberPeer(address: string, name: string): this {
    this.effects.push({ kind: 'remember-peer', address, name });
    return this;
  }

  error(code: string, message: string): this {
    this.update({ lastError: { code, message, at: this.now } });
    return this.notify({ type: 'error', code, message });
  }
}
