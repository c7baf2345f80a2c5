import type { WpaEvent } from '../protocol/events.js';

/**
 * What the runner needs from a wpa_supplicant control client: requests with a timeout, parsed events, and the
 * daemon going away / coming back. `WpaCtrlClient` (src/ctrl) satisfies it, and so does the simulator's client.
 */
export interface CtrlPort {
  request(command: string, options?: { timeoutMs?: number }): Promise<string>;
  on(name: 'event', listener: (event: WpaEvent) => void): unknown;
  on(name: 'disconnected' | 'reconnected', listener: () => void): unknown;
  off(name: 'event', listener: (event: WpaEvent) => void): unknown;
  off(name: 'disconnected' | 'reconnected', listener: () => void): unknown;
}

/** Requests on another interface's control socket (a P2P group interface such as p2p-wlan0-0). */
export interface InterfaceRequester {
  request(command: string, options?: { timeoutMs?: number }): Promise<string>;
  close(): void | Promise<void>;
}

export interface InterfaceOpenOptions {
  /**
   * Receives the group interface's own events (the connection is ATTACHed before the opener resolves).
   * wpa_supplicant copies most of a group's events to the P2P device socket, but not a joining peer's
   * WPS-FAIL or the registrar's WPS-TIMEOUT outside group formation (ap.c, wpas_ap_wps_event_cb: the copy is
   * made only while `wpa_s == global->p2p_group_formation`; hostapd's wps_hostapd.c reports on the group).
   */
  onEvent?: (event: WpaEvent) => void;
}

/**
 * Opens requests to a group interface. Needed when `ctrl` talks to a per-interface socket (p2p-dev-wlan0): a
 * per-interface socket does not route `IFNAME=<if> CMD` (only the global one does, ctrl_iface.c), and WPS on the
 * GO must be sent to the group interface (Digi how-to: `wpa_cli -i p2p-wlan0-0 wps_pbc`).
 */
export type InterfaceOpener = (ifname: string, options?: InterfaceOpenOptions) => Promise<InterfaceRequester>;

/** Time and timers; the system clock in production, a virtual one in tests. */
export interface ClockPort {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: ClockPort = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Fresh keypad PINs (8 digits, valid WPS checksum). */
export interface PinPort {
  generate(): string;
}

type LogMethod = (fields: Record<string, unknown>, message: string) => void;

/** A pino-compatible logger (structured fields first, then the message). */
export interface LoggerPort {
  debug?: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

export const silentLogger: LoggerPort = { info: () => {}, warn: () => {}, error: () => {} };
