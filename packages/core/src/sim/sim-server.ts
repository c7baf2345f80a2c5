/**
 * The socket shell: one UNIX datagram socket per interface at `<ctrlDir>/<ifname>`, like
 * wpa_supplicant/ctrl_iface_unix.c. A request is one datagram; the reply goes back to the sender's
 * bound path. ATTACHed senders are monitors and get events as `<level>TEXT` datagrams. The sockets are the
 * control client's UnixDgramSocket, on the same backend (our wdk-dgram addon when built, else node-unix-socket).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DgramBackend } from '../ctrl/dgram-addon.js';
import type { SocketError } from '../ctrl/socket-errors.js';
import { UnixDgramSocket } from '../ctrl/unix-dgram-socket.js';

/** wpa_debug.h levels: MSG_INFO = 3 is what ATTACH subscribes to and what P2P events use. */
export const MSG_INFO = 3;

export interface ControlRequestHandler {
  /** Answer a command (everything but ATTACH/DETACH/LEVEL); `after` runs once the reply is sent. */
  handle(ifname: string, line: string): { reply: string; delayMs: number; after?: () => void };
}

interface Monitor {
  level: number;
  /** Sends that failed in a row because the monitor's queue was full (ctrl_iface_unix.c, dst->errors). */
  errors: number;
}

/** ctrl_iface_unix.c detaches a monitor after this many failed sends in a row. */
const MAX_MONITOR_ERRORS = 10;

/** The receiver's queue was full: the datagram was dropped, as wpa_supplicant drops it. */
function isCongested(error: SocketError): boolean {
  return error.code === 'EAGAIN' || error.code === 'ENOBUFS';
}

class ControlSocket {
  readonly monitors = new Map<string, Monitor>();
  closed = false;
  /** Replaced when it has to be reopened (see SimServer.#reopen). */
  socket!: UnixDgramSocket;

  constructor(
    readonly ifname: string,
    readonly path: string,
  ) {}
}

export class SimServer {
  readonly #ctrlDir: string;
  readonly #handler: ControlRequestHandler;
  readonly #sockets = new Map<string, ControlSocket>();
  readonly #onError: (error: Error) => void;
  readonly #backend: DgramBackend | undefined;

  constructor(options: {
    ctrlDir: string;
    handler: ControlRequestHandler;
    onError?: (error: Error) => void;
    /** The sockets' implementation; default: the control client's (defaultDgramBackend()). */
    backend?: DgramBackend;
  }) {
    this.#ctrlDir = options.ctrlDir;
    this.#handler = options.handler;
    this.#onError = options.onError ?? (() => undefined);
    this.#backend = options.backend;
  }

  get ctrlDir(): string {
    return this.#ctrlDir;
  }

  isOpen(ifname: string): boolean {
    return this.#sockets.has(ifname);
  }

  openInterfaces(): string[] {
    return [...this.#sockets.keys()];
  }

  monitorCount(ifname?: string): number {
    if (ifname !== undefined) return this.#sockets.get(ifname)?.monitors.size ?? 0;
    let total = 0;
    for (const control of this.#sockets.values()) total += control.monitors.size;
    return total;
  }

  /** Binds `<ctrlDir>/<ifname>`, replacing a stale socket file as wpa_supplicant does at start. */
  open(ifname: string): void {
    if (this.#sockets.has(ifname)) return;
    mkdirSync(this.#ctrlDir, { recursive: true });
    const path = join(this.#ctrlDir, ifname);
    const control = new ControlSocket(ifname, path);
    this.#bind(control);
    this.#sockets.set(ifname, control);
  }

  #bind(control: ControlSocket): void {
    const socket = new UnixDgramSocket(this.#backend === undefined ? {} : { backend: this.#backend });
    socket.bind(control.path, { replaceExisting: true });
    socket.on('message', (data: Buffer, from: string) => this.#receive(control, data, from));
    socket.on('error', (error: Error) => this.#onError(error));
    control.socket = socket;
  }

  /**
   * wpas_ctrl_iface_reinit: after EAGAIN wpa_supplicant closes and reopens its socket ("to avoid getting stuck
   * being unable to send any new responses"). Here it is needed for a second reason on the node-unix-socket
   * backend: it keeps a datagram that met EAGAIN queued and from then on polls the socket for writability
   * only, so it would never read a request again (and spins while the receiver stays full). Requests still
   * queued on the old socket are lost, as with wpa_supplicant.
   */
  #reopen(control: ControlSocket): void {
    if (control.closed) return;
    // Its file goes; #bind binds a new one at the same path.
    control.socket.close();
    this.#bind(control);
    this.#onError(new Error(`${control.ifname}: a receiver's queue was full; socket reopened`));
  }

  /** Closes and unlinks the socket; queued datagrams already handed to the kernel still arrive. */
  close(ifname: string): void {
    const control = this.#sockets.get(ifname);
    if (!control) return;
    this.#sockets.delete(ifname);
    control.closed = true;
    // Let sends issued in this tick (the last events of a removed group) leave first.
    setImmediate(() => {
      // A restart in this same tick (a client that reacts to CTRL-EVENT-TERMINATING at once) has bound a new
      // socket at this path by now: that file is not ours to remove.
      control.socket.close({ keepFile: this.#sockets.get(ifname) !== undefined });
    });
  }

  closeAll(): void {
    for (const ifname of [...this.#sockets.keys()]) this.close(ifname);
  }

  /**
   * A killed process: every socket closes at once and nobody unlinks the files, so they stay behind and a
   * client's datagram to them fails with ECONNREFUSED (what a real SIGKILL leaves). open() replaces them.
   */
  abandonAll(): void {
    for (const control of this.#sockets.values()) {
      control.closed = true;
      control.socket.close({ keepFile: true });
    }
    this.#sockets.clear();
  }

  /** Sends `<level>text` to every monitor of `ifname` whose LEVEL admits it. */
  broadcast(ifname: string, text: string, level = MSG_INFO): void {
    const control = this.#sockets.get(ifname);
    if (!control) return;
    const datagram = Buffer.from(`<${level}>${text}`, 'utf8');
    for (const [path, monitor] of control.monitors) {
      if (level < monitor.level) continue;
      this.#send(control, datagram, path, (error) => {
        if (!error) {
          monitor.errors = 0;
          return;
        }
        // ctrl_iface_unix.c drops the event for a monitor that does not keep up, and detaches it after more
        // than 10 failures in a row, or at once when its socket is gone (ENOENT / ECONNREFUSED).
        if (isCongested(error) && ++monitor.errors <= MAX_MONITOR_ERRORS) return;
        control.monitors.delete(path);
      });
    }
  }

  #receive(control: ControlSocket, data: Buffer, from: string): void {
    if (!from) return; // an unbound client cannot get a reply
    const line = data.toString('utf8').replace(/\n$/, '');
    const reply = this.#monitorCommand(control, line, from);
    if (reply !== undefined) {
      this.#send(control, Buffer.from(reply, 'utf8'), from);
      return;
    }
    const answer = this.#handler.handle(control.ifname, line);
    const respond = (): void => {
      this.#send(control, Buffer.from(answer.reply, 'utf8'), from);
      answer.after?.();
    };
    if (answer.delayMs > 0) setTimeout(respond, answer.delayMs);
    else respond();
  }

  /** ATTACH, DETACH and LEVEL act on the sender's monitor registration. */
  #monitorCommand(control: ControlSocket, line: string, from: string): string | undefined {
    if (line === 'ATTACH' || line.startsWith('ATTACH ')) {
      control.monitors.set(from, { level: MSG_INFO, errors: 0 });
      return 'OK\n';
    }
    if (line === 'DETACH') return control.monitors.delete(from) ? 'OK\n' : 'FAIL\n';
    if (line.startsWith('LEVEL ')) {
      const monitor = control.monitors.get(from);
      const level = Number(line.slice(6));
      if (!monitor || !Number.isInteger(level)) return 'FAIL\n';
      monitor.level = level;
      return 'OK\n';
    }
    return undefined;
  }

  /**
   * Sends at once. A client that vanished (ENOENT, ECONNREFUSED) or any other failure is reported to `done`
   * only; a full receiver queue (EAGAIN/ENOBUFS) also reopens the socket (#reopen).
   */
  #send(
    control: ControlSocket,
    datagram: Buffer,
    to: string,
    done?: (error: SocketError | undefined) => void,
  ): void {
    try {
      control.socket.sendNow(to, datagram);
    } catch (cause) {
      const error = cause as SocketError;
      if (isCongested(error)) this.#reopen(control);
      done?.(error);
      return;
    }
    done?.(undefined);
  }
}
