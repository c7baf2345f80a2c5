import { dirname } from 'node:path';
import { isSocketError } from './socket-errors.js';

/** Base class of every error the control transports raise. `ctrlPath` is the daemon's socket. */
export class CtrlError extends Error {
  override name = 'CtrlError';
  constructor(
    message: string,
    readonly ctrlPath: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * No reply within the timeout (wpa_ctrl.c's wpa_ctrl_request gives up the same way and returns -2), or no
 * event within recv()'s timeout (`commandName` null).
 */
export class CtrlTimeoutError extends CtrlError {
  override name = 'CtrlTimeoutError';
  constructor(
    /** The command's first word only: commands may carry secrets (passphrases, PINs) and errors get logged. */
    readonly commandName: string | null,
    readonly timeoutMs: number,
    ctrlPath: string,
  ) {
    super(
      commandName === null
        ? `no event from wpa_supplicant within ${timeoutMs} ms (${ctrlPath})`
        : `wpa_supplicant did not answer ${commandName} within ${timeoutMs} ms (${ctrlPath})`,
      ctrlPath,
    );
  }
}

/**
 * The control socket is not there (`ENOENT`), or its file is left over from a daemon that died without
 * removing it (`ECONNREFUSED`).
 */
export class CtrlSocketMissingError extends CtrlError {
  override name = 'CtrlSocketMissingError';
  constructor(
    ctrlPath: string,
    readonly code: 'ENOENT' | 'ECONNREFUSED',
    options?: ErrorOptions,
  ) {
    const what =
      code === 'ENOENT'
        ? `wpa_supplicant control socket ${ctrlPath} does not exist`
        : `nothing listens on wpa_supplicant control socket ${ctrlPath} (a stale file: did the daemon die?)`;
    super(
      `${what}. Check that wpa_supplicant runs for this interface and that its configuration has ` +
        `ctrl_interface=DIR=${dirname(ctrlPath)} GROUP=netdev (usually DIR=/var/run/wpa_supplicant).`,
      ctrlPath,
      options,
    );
  }
}

/** `EACCES`/`EPERM` on the socket or its directory: the process is neither root nor in the socket's group. */
export class CtrlPermissionError extends CtrlError {
  override name = 'CtrlPermissionError';
  constructor(ctrlPath: string, options?: ErrorOptions) {
    super(
      `permission denied on wpa_supplicant control socket ${ctrlPath}. Run as root, or set ` +
        `ctrl_interface=DIR=${dirname(ctrlPath)} GROUP=netdev in wpa_supplicant.conf, restart wpa_supplicant, ` +
        `and add this user to that group (usermod -aG netdev <user>, then log in again).`,
      ctrlPath,
      options,
    );
  }
}

/** The connection was closed by its owner; pending and later requests fail with this. */
export class CtrlClosedError extends CtrlError {
  override name = 'CtrlClosedError';
  constructor(ctrlPath: string) {
    super(`control connection to ${ctrlPath} is closed`, ctrlPath);
  }
}

/** The daemon went away (terminated, socket removed, no PONG) and the client is waiting for it to return. */
export class CtrlDisconnectedError extends CtrlError {
  override name = 'CtrlDisconnectedError';
  constructor(
    ctrlPath: string,
    readonly reason: string,
  ) {
    super(`not connected to wpa_supplicant at ${ctrlPath} (${reason}); reconnecting`, ctrlPath);
  }
}

/** The daemon answered a command that must say `OK` (ATTACH, DETACH, …) with something else. */
export class CtrlCommandFailedError extends CtrlError {
  override name = 'CtrlCommandFailedError';
  readonly commandName: string;
  constructor(
    command: string,
    readonly reply: string,
    ctrlPath: string,
  ) {
    super(
      `${commandName(command)} answered ${JSON.stringify(reply.trim())} instead of OK (${ctrlPath})`,
      ctrlPath,
    );
    this.commandName = commandName(command);
  }
}

/** Turns a socket-level failure towards `ctrlPath` into the CtrlError that tells the user what to fix. */
export function toCtrlError(error: unknown, ctrlPath: string): Error {
  if (!isSocketError(error)) return error instanceof Error ? error : new Error(String(error));
  switch (error.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new CtrlSocketMissingError(ctrlPath, 'ENOENT', { cause: error });
    case 'ECONNREFUSED':
      return new CtrlSocketMissingError(ctrlPath, 'ECONNREFUSED', { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new CtrlPermissionError(ctrlPath, { cause: error });
    default:
      return new CtrlError(`control socket ${ctrlPath}: ${error.message}`, ctrlPath, { cause: error });
  }
}

/** `IFNAME=wlan0 P2P_CONNECT …` → `P2P_CONNECT`. */
export function commandName(command: string): string {
  const match = /^(?:IFNAME=\S+\s+)?(\S+)/.exec(command);
  return match?.[1] ?? '(empty command)';
}
