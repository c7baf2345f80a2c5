import type { DomainEvent } from './domain-events.js';

/** Why a command is sent; the reducer routes its reply by the purpose recorded with the request id. */
export type CommandPurpose =
  | 'status'
  | 'interfaces'
  | 'remove-stale-group'
  | 'device-name'
  | 'config-methods'
  | 'per-sta-psk'
  | 'list-networks'
  | 'group-add'
  | 'find'
  | 'stop-find'
  | 'connect'
  | 'invite'
  | 'wps-authorise'
  | 'reinvoke'
  | 'cancel'
  | 'reject'
  | 'remove-client'
  | 'remove-group';

/** The plan the reducer returns: data only; the runner executes it. */
export type Effect =
  | {
      readonly kind: 'command';
      readonly requestId: number;
      readonly command: string;
      readonly purpose: CommandPurpose;
    }
  | { readonly kind: 'set-timer'; readonly timerId: string; readonly at: number }
  | { readonly kind: 'cancel-timer'; readonly timerId: string }
  | { readonly kind: 'notify'; readonly event: DomainEvent }
  | { readonly kind: 'remember-peer'; readonly address: string; readonly name: string };

export type CommandEffect = Extract<Effect, { kind: 'command' }>;
