/**
 * The socket shell: one UNIX datagram socket per interface at `<ctrlDir>/<ifname>`, like
 * wpa_supplicant/ctrl_iface_unix.c. A request is one datagram; the reply goes back to the sender's
 * bound path. ATTACHed senders are monitors and get events as `<level>TEXT` datagrams.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DgramSocket } from 'node-unix-socket';

/** wpa_debug.h levels: MSG_INFO = 3 is what ATTACH subscribes to and what P2P events use. */
export const MSG_INFO = 3;

export interface ControlRequestHandler {
  /** Answer a command (everything but ATTACH/DETACH/LEVEL); `after` runs once the reply is sent. */
  handle(ifname: string, line: string): { reply: string; delayMs: number; after?: () => void };
}

interface Monitor {
  level: number;
}

class ControlSocket {
  readonly monitors = new Map<string, Monitor>();
  closed = false;

  constructor(
    readonly ifname: string,
    readonly path: string,
    readonly socket: DgramSocket,
  ) {}
}

export class SimServer {
  readonly #ctrlDir: string;
  readonly #handler: ControlRequestHandler;
  readonly #sockets = new Map<string, ControlSocket>();
  readonly #onError: (error: Error) => void;

  constructor(options: {
    ctrlDir: string;
    handler: ControlRequestHandler;
    onError?: (error: Error) => void;
  }) {
    this.#ctrlDir = options.ctrlDir;
    this.#handler = options.handler;
    this.#onError = options.onError ?? (() => undefined);
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
    rmSync(path, { force: true });
    const socket = new DgramSocket();
    socket.bind(path);
    const control = new ControlSocket(ifname, path, socket);
    socket.on('data', (data: Buffer, from: string) => this.#receive(control, data, from));
    socket.on('error', (error: Error) => this.#onError(error));
    this.#sockets.set(ifname, control);
  }

  /** Closes and unlinks the socket; queued datagrams already handed to the kernel still arrive. */
  close(ifname: string): void {
    const control = this.#sockets.get(ifname);
    if (!control) return;
    this.#sockets.delete(ifname);
    control.closed = true;
    // Let sends issued in this tick (the last events of a removed group) leave first.
    setImmediate(() => {
      control.socket.close();
      rmSync(control.path, { force: true });
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
      control.socket.close();
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
        // ctrl_iface_unix.c detaches a monitor whose socket is gone (ENOENT / ECONNREFUSED).
        if (error) control.monitors.delete(path);
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
      control.monitors.set(from, { level: MSG_INFO });
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

  #send(
    control: ControlSocket,
    datagram: Buffer,
    to: string,
    done?: (error: Error | undefined) => void,
  ): void {
    try {
      control.socket.sendTo(datagram, 0, datagram.length, to, (error) => done?.(error));
    } catch (error) {
      done?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
