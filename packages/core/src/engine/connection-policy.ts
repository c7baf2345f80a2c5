import type { RefusalReason } from './domain-events.js';
import type { EngineSettings } from './settings.js';
import type { PeerRequest } from './state.js';

/** What the kiosk does with a request. */
export type PolicyDecision =
  | { readonly kind: 'accept' }
  | { readonly kind: 'ask-operator' }
  | { readonly kind: 'ask-peer-pin' }
  | { readonly kind: 'refuse'; readonly reason: RefusalReason };

/**
 * The admission policy, per mode (see `connectionModeSchema`). The kiosk answers with the method the peer asked
 * for (DESIGN.md: answering with another one fails the negotiation: hostap rejects incompatible WPS methods), so
 * a method the mode does not offer is refused, which tells the phone's user to pick another one.
 */
export function decide(request: PeerRequest, settings: EngineSettings, whitelisted: boolean): PolicyDecision {
  if (request.via === 'invitation')
    return whitelisted && settings.persistent
      ? { kind: 'accept' }
      : { kind: 'refuse', reason: 'unknown-peer' };
  switch (request.method) {
    case 'pbc':
      if (settings.mode === 'static-pbc') return { kind: 'accept' };
      if (settings.mode === 'static-pin') return { kind: 'refuse', reason: 'pin-required' };
      if (whitelisted) return { kind: 'accept' };
      return settings.unknownPbc === 'approve'
        ? { kind: 'ask-operator' }
        : { kind: 'refuse', reason: 'pin-required' };
    case 'display':
      return settings.mode === 'static-pbc' ? { kind: 'refuse', reason: 'pbc-only' } : { kind: 'accept' };
    case 'keypad':
      return settings.mode === 'static-pbc'
        ? { kind: 'refuse', reason: 'pbc-only' }
        : { kind: 'ask-peer-pin' };
  }
}
