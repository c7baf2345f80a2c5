// What the agent sends the kiosk (typed state and events; the web never sees wpa_supplicant text).

export type KioskMode = 'static-pbc' | 'static-pin' | 'dynamic';

export interface KioskState {
  mode: KioskMode;
  discoverable: boolean;
  deviceName: string;
  group: { ifname: string; ssid: string; freq: number | null } | null;
  clients: { address: string; name: string | null; since: number; ip?: string | null }[];
  pendingApprovals: { id: string; address: string; name: string | null; method: string; expiresAt: number }[];
  pin: string | null;
  peerPinRequest: { address: string; name: string | null } | null;
  lastError: { code: string; message: string; at: number } | null;
  daemon: 'connected' | 'disconnected';
  peers: { address: string; name: string | null; lastSeen: number }[];
}

export interface WhitelistEntry {
  id: number;
  address: string | null;
  name: string | null;
  label: string;
  addedBy: string;
  createdAt: string;
  strength: 'address' | 'address+name' | 'name-only';
}

/** A domain event pushed by the agent (see @wdk/core's DomainEvent); only the common fields are read here. */
export interface DomainEvent {
  type: string;
  address?: string;
  name?: string;
  reason?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface SessionRecord {
  id: number;
  peerAddress: string;
  peerName: string | null;
  method: string;
  ip: string | null;
  startedAt: string;
  connectedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
}

export interface EventRecord {
  id: number;
  at: string;
  type: string;
  peerAddress: string | null;
  summary: string;
}

export type Settings = Record<string, unknown> & {
  mode: KioskMode;
  unknownPbc: 'approve' | 'pin';
  fixedPin: string | null;
  approvalTimeoutMs: number;
  maxClients: number;
  discoveryIntervalMs: number;
  deviceName: string;
  groupMode: 'negotiated' | 'autonomous';
};

export type ApiResult<T> =
  { status: 'ok'; data: T } | { status: 'error'; error: { code: string; message: string; field?: string } };
