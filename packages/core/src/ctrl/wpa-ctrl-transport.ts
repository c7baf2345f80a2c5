import type { EventEmitter } from 'node:events';
import type { WpaEvent } from '../protocol/events.js';
import type { RequestOptions } from './request-queue.js';

/** Why a transport stopped talking to the daemon. */
export type CtrlDisconnectReason =
  /** The daemon sent CTRL-EVENT-TERMINATING (it is exiting or the interface is being removed). */
  | 'terminating'
  /** The control socket file disappeared. */
  | 'socket-removed'
  /**
   * The control socket file is a new one: the daemon restarted (our ATTACH died with it), or it re-created
   * its socket because sends to a slow monitor filled the buffer (ctrl_iface_unix.c, wpas_ctrl_iface_reinit),
   * in which case events were lost. Either way: re-ATTACH and re-read the state.
   */
  | 'socket-replaced'
  /** No PONG to a liveness PING in time. */
  | 'ping-timeout'
  /** A send or receive failed (stale socket, permission change, …); see `error`. */
  | 'socket-error'
  /** wpa_cli reported that it lost its connection, or the wpa_cli process exited. */
  | 'wpa-cli';

export interface CtrlDisconnect {
  reason: CtrlDisconnectReason;
  error?: Error;
}

export interface WpaCtrlTransportEvents {
  /** An unsolicited message from the daemon, parsed (`event.raw` holds the line as received). */
  event: [event: WpaEvent];
  /** The first connection is up (ATTACHed). */
  connected: [];
  /** The daemon went away; requests fail with CtrlDisconnectedError until 'reconnected'. */
  disconnected: [info: CtrlDisconnect];
  /**
   * Connected and ATTACHed again after a loss. Events that happened meanwhile are gone: re-read the state
   * (INTERFACES, STATUS, P2P_PEER …).
   */
  reconnected: [];
  /**
   * A problem that did not stop the transport, e.g. a reconnect attempt that failed for another reason than
   * the socket being absent (permission denied). Emitted only while someone listens.
   */
  error: [error: Error];
  /** close() was called. */
  close: [];
}

export interface CtrlRequestOptions extends RequestOptions {
  /** Route the command to this interface on a global control interface: sends `IFNAME=<ifname> <command>`. */
  ifname?: string;
}

export interface EventsOptions {
  /** Ends the iteration: the pending `next()` rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Events buffered for a slow consumer before it gets an EventBufferOverflowError. Default 10 000. */
  maxBuffered?: number;
}

/**
 * What the engine's runner needs from a control transport: requests with replies, and parsed events.
 * Implemented by WpaCtrlClient (native UNIX datagram sockets) and WpaCliTransport (a wpa_cli child process).
 */
export interface WpaCtrlTransport extends Pick<EventEmitter<WpaCtrlTransportEvents>, 'on' | 'once' | 'off'> {
  readonly connected: boolean;
  /** Resolves with the reply text as the daemon sent it (typically newline-terminated; `FAIL` is a reply). */
  request(command: string, options?: CtrlRequestOptions): Promise<string>;
  events(options?: EventsOptions): AsyncIterableIterator<WpaEvent>;
  close(): Promise<void>;
}

/** `IFNAME=<if> <command>`, as wpa_cli sends it for `-i` on a global interface (wpa_cli.c, wpa_ctrl_command). */
export function routeToInterface(command: string, ifname: string | undefined): string {
  if (ifname === undefined) return command;
  if (!/^[^\s=]+$/.test(ifname)) throw new TypeError(`invalid interface name: ${JSON.stringify(ifname)}`);
  return `IFNAME=${ifname} ${command}`;
}
