/**
 * A bare control-socket client for the simulator's own tests: one bound datagram socket, one request at a
 * time, unsolicited `<N>…` datagrams collected as events. The real client is ctrl/'s WpaCtrlClient; this
 * exists so the simulator can be tested on its own.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DgramSocket } from 'node-unix-socket';

let clientCount = 0;

export class RawCtrlClient {
  readonly events: string[] = [];
  readonly #socket = new DgramSocket();
  readonly #localPath: string;
  readonly #serverPath: string;
  #pending: ((reply: string) => void) | undefined;
  #eventWaiters: { match: (event: string) => boolean; resolve: (event: string) => void }[] = [];
  #listeners: ((event: string) => void)[] = [];

  constructor(ctrlDir: string, ifname: string, localDir: string) {
    this.#serverPath = join(ctrlDir, ifname);
    this.#localPath = join(localDir, `client-${process.pid}-${++clientCount}`);
    rmSync(this.#localPath, { force: true });
    this.#socket.bind(this.#localPath);
    this.#socket.on('data', (data: Buffer) => this.#receive(data.toString('utf8')));
  }

  get localPath(): string {
    return this.#localPath;
  }

  request(command: string, timeoutMs = 2000): Promise<string> {
    if (this.#pending) return Promise.reject(new Error('one request at a time'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending = undefined;
        reject(new Error(`no reply to ${command}`));
      }, timeoutMs);
      this.#pending = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      const data = Buffer.from(command, 'utf8');
      this.#socket.sendTo(data, 0, data.length, this.#serverPath, (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.#pending = undefined;
        reject(error);
      });
    });
  }

  /** The first collected event (without level) matching, waiting up to `timeoutMs` real ms. */
  waitForEvent(match: RegExp | string, timeoutMs = 5000): Promise<string> {
    const test = (event: string): boolean =>
      typeof match === 'string' ? event.startsWith(match) : match.test(event);
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = {
        match: test,
        resolve: (event: string) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      const timer = setTimeout(() => {
        this.#eventWaiters = this.#eventWaiters.filter((candidate) => candidate !== waiter);
        reject(new Error(`no event matching ${String(match)}; got:\n${this.events.join('\n')}`));
      }, timeoutMs);
      this.#eventWaiters.push(waiter);
    });
  }

  onEvent(listener: (event: string) => void): void {
    this.#listeners.push(listener);
  }

  close(): void {
    this.#socket.close();
    rmSync(this.#localPath, { force: true });
  }

  #receive(text: string): void {
    const event = /^<\d>/.exec(text) ? text.slice(3) : undefined;
    if (event === undefined) {
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.(text);
      return;
    }
    this.events.push(event);
    for (const listener of this.#listeners) listener(event);
    for (const waiter of [...this.#eventWaiters]) {
      if (!waiter.match(event)) continue;
      this.#eventWaiters = this.#eventWaiters.filter((candidate) => candidate !== waiter);
      waiter.resolve(event);
    }
  }
}
