import type { ConnectionMode } from './settings.js';
import type { EngineState } from './state.js';
import { keypadPinOffered } from './keypad-pin.js';
import type { ConnectMethod } from '../protocol/events.js';

/** What the kiosk UI and the API see. */
export interface KioskSnapshot {
  readonly mode: ConnectionMode;
  readonly discoverable: boolean;
  readonly deviceName: string;
  readonly group: { readonly ifname: string; readonly ssid: string; readonly freq: number | null } | null;
  readonly clients: readonly { readonly address: string; readonly name: string; readonly since: number }[];
  readonly pendingApprovals: readonly {
    readonly id: string;
    readonly address: string;
    readonly name: string;
    readonly method: ConnectMethod;
    readonly expiresAt: number;
  }[];
  /** The PIN the next phone must type, when a keypad PIN is possible. */
  readonly pin: string | null;
  /** A peer displays its PIN; the operator must type it. */
  readonly peerPinRequest: { readonly address: string; readonly name: string } | null;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: number } | null;
  readonly daemon: 'connected' | 'disconnected';
  /** Nearby peers, for a one-tap whitelist add. */
  readonly peers: readonly { readonly address: string; readonly name: string; readonly lastSeen: number }[];
}

export function snapshot(state: EngineState): KioskSnapshot {
  const { group, peerPin } = state;
  return {
    mode: state.settings.mode,
    discoverable: state.discoverable,
    deviceName: state.settings.deviceName,
    group: group ? { ifname: group.ifname, ssid: group.ssid, freq: group.freq } : null,
    clients: state.clients.map(({ address, name, since }) => ({ address, name, since })),
    pendingApprovals: state.approvals.map(({ id, request, expiresAt }) => ({
      id,
      address: request.address,
      name: request.name,
      method: request.method,
      expiresAt,
    })),
    pin: keypadPinOffered(state.settings) ? state.pin : null,
    peerPinRequest: peerPin ? { address: peerPin.request.address, name: peerPin.request.name } : null,
    lastError: state.lastError,
    daemon: state.daemon,
    peers: state.peers.map(({ address, name, lastSeen }) => ({ address, name, lastSeen })),
  };
}
