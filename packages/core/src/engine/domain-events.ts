import type { FailureCode } from './failure.js';
import type { ConnectMethod } from '../protocol/events.js';

/** How a request reached the kiosk. */
export type RequestVia = 'go-neg' | 'prov-disc' | 'join' | 'invitation' | 'discovery';

/** Why a request was turned down. */
export type RefusalReason =
  'operator' | 'group-full' | 'pin-required' | 'pbc-only' | 'unknown-peer' | 'busy' | 'not-discoverable';

/** Why a client left the group. */
export type DisconnectReason = 'left' | 'kicked' | 'group-removed' | 'daemon-restart' | 'stopped';

/**
 * What the engine tells the world (agent history, kiosk UI). Never carries a PIN: the PIN is shown from the
 * snapshot only, behind the kiosk's authentication.
 */
export type DomainEvent =
  | { readonly type: 'peer-seen'; readonly address: string; readonly name: string }
  | {
      readonly type: 'request';
      readonly address: string;
      readonly name: string;
      readonly method: ConnectMethod;
      readonly via: RequestVia;
    }
  | {
      readonly type: 'approval-pending';
      readonly id: string;
      readonly address: string;
      readonly name: string;
      readonly expiresAt: number;
    }
  | {
      readonly type: 'approved';
      readonly id: string;
      readonly address: string;
      readonly name: string;
      readonly remember: boolean;
    }
  | {
      readonly type: 'denied';
      readonly address: string;
      readonly name: string;
      readonly reason: RefusalReason;
      readonly id?: string;
    }
  | {
      readonly type: 'approval-expired';
      readonly id: string;
      readonly address: string;
      readonly name: string;
    }
  | { readonly type: 'peer-pin-requested'; readonly address: string; readonly name: string }
  | {
      readonly type: 'connecting';
      readonly sessionId: number;
      readonly address: string;
      readonly name: string;
      readonly method: ConnectMethod;
      readonly via: RequestVia;
    }
  | {
      readonly type: 'connected';
      readonly address: string;
      readonly name: string;
      readonly sessionId: number | null;
    }
  | {
      readonly type: 'disconnected';
      readonly address: string;
      readonly name: string;
      readonly reason: DisconnectReason;
    }
  | {
      readonly type: 'failed';
      readonly address: string;
      readonly name: string;
      readonly sessionId: number;
      readonly reason: FailureCode;
      readonly message: string;
    }
  | {
      readonly type: 'group-started';
      readonly ifname: string;
      readonly ssid: string;
      readonly freq: number | null;
    }
  | { readonly type: 'group-removed'; readonly ifname: string; readonly reason: string }
  | { readonly type: 'pin-rotated' }
  | { readonly type: 'discoverable-changed'; readonly discoverable: boolean }
  | { readonly type: 'daemon-lost' }
  | { readonly type: 'daemon-back' }
  | { readonly type: 'error'; readonly code: string; readonly message: string };

export type DomainEventType = DomainEvent['type'];
