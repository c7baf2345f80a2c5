/**
 * A minimal stand-in for wpa_supplicant's control socket, for transport tests that need behaviour the real
 * daemon cannot be made to show (silence, 64 KiB replies) or that must run without root. It binds
 * `<dir>/<ifname>`, remembers ATTACHed clients and answers through `answer` (null: stay silent).
 */
import { join } from 'node:path';
import { UnixDgramSocket } from '../../src/ctrl/unix-dgram-socket.js';

export type Answer = (command: string) => string | Buffer | null;

export const wpaLikeAnswer: Answer = (command) => {
  if (command === 'PING') return 'PONG\n';
  if (command === 'ATTACH' || command === 'DETACH') return 'OK\n';
  return 'UNKNOWN COMMAND\n';
};

export class StandInDaemon {
  readonly path: string;
  readonly received: string[] = [];
  answer: Answer = wpaLikeAnswer;
  #socket: UnixDgramSocket | null = null;
  readonly #monitors = new Set<string>();

  constructor(
    readonly dir: string,
    readonly ifname = 'wlan0',
  ) {
    this.path = join(dir, ifname);
  }

  start(): void {
    const socket = new UnixDgramSocket();
    socket.bind(this.path, { replaceExisting: true });
    socket.on('message', (data, from) => {
      const command = data.toString();
      this.received.push(command);
      if (command === 'ATTACH') this.#monitors.add(from);
      if (command === 'DETACH') this.#monitors.delete(from);
      const reply = this.answer(command);
      if (reply !== null) void socket.sendTo(from, Buffer.from(reply)).catch(() => undefined);
    });
    this.#socket = socket;
  }

  /** Sends `<3>text` to every ATTACHed client, as wpa_supplicant_ctrl_iface_send does. */
  async event(text: string): Promise<void> {
    const socket = this.#socket;
    if (socket === null) throw new Error('the stand-in daemon is stopped');
    await Promise.all(
      [...this.#monitors].map((path) =>
        socket.sendTo(path, Buffer.from(`<3>${text}`)).catch(() => undefined),
      ),
    );
  }

  get monitors(): number {
    return this.#monitors.size;
  }

  /** Closes the socket and removes its file, like a daemon that exits cleanly. */
  stop(): void {
    this.#socket?.close();
    this.#socket = null;
    this.#monitors.clear();
  }
}
