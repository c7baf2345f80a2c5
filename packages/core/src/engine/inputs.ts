import type { WpaEvent } from '../protocol/events.js';
import type { EngineSettings } from './settings.js';
import type { WhitelistEntry } from './whitelist.js';

/** What the operator can do (touchscreen or LAN API). */
export type OperatorAction =
  | { readonly type: 'approve'; readonly id: string; readonly remember: boolean }
  | { readonly type: 'deny'; readonly id: string }
  | { readonly type: 'kick'; readonly address: string }
  | { readonly type: 'enter-peer-pin'; readonly address: string; readonly pin: string }
  | { readonly type: 'dismiss-peer-pin'; readonly address: string }
  | { readonly type: 'set-discoverable'; readonly on: boolean }
  /** Run the start-up sequence again (e.g. after stopping a concurrent AP that made group creation fail). */
  | { readonly type: 'resync' };

export type EngineInputBody =
  | { readonly kind: 'start' }
  | { readonly kind: 'stop' }
  | { readonly kind: 'event'; readonly event: WpaEvent }
  | { readonly kind: 'reply'; readonly requestId: number; readonly reply: string }
  | { readonly kind: 'request-failed'; readonly requestId: number; readonly error: string }
  | { readonly kind: 'timer'; readonly timerId: string }
  | { readonly kind: 'operator'; readonly action: OperatorAction }
  | { readonly kind: 'settings'; readonly settings: EngineSettings }
  | { readonly kind: 'whitelist'; readonly entries: readonly WhitelistEntry[] }
  | { readonly kind: 'daemon-lost' }
  | { readonly kind: 'daemon-back' };

/**
 * An input to the reducer. `freshPin` is a newly generated valid WPS PIN the reducer may take when it needs one
 * (the reducer draws no random numbers itself); the runner attaches one to every input.
 */
export type EngineInput = EngineInputBody & { readonly freshPin?: string };
