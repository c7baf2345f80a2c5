/**
 * A stand-in for the kiosk agent in simulator tests, doing what the hwsim example responders do
 * (shared/hwsim/examples/*.sh): P2P_FIND, answer each request once with the method the peer asked for
 * (`auth` after a provision discovery), WPS on the group interface for joiners, P2P_FIND again after a
 * failure. It talks through the product's own WpaCtrlClient; commands and events are recorded.
 */
import { WpaCtrlClient } from '../../ctrl/wpa-ctrl-client.js';
import { splitEventPrefix } from '../../protocol/event-prefix.js';

export interface KioskResponderOptions {
  readonly ctrlDir: string;
  readonly localDir: string;
  /** The PIN the kiosk shows (display). */
  readonly pin?: string;
  /** The PIN the operator types for a peer that displays one (keypad); undefined = do not answer. */
  readonly typedPin?: (address: string) => string | undefined;
  /** Answer every request, even repeats (the engine bug the README warns about). */
  readonly answerRepeats?: boolean;
}

export class KioskResponder {
  readonly commands: string[] = [];
  readonly replies: string[] = [];
  /** Every event received on the P2P device socket, without its level prefix. */
  readonly events: string[] = [];
  readonly #client: WpaCtrlClient;
  readonly #groupClients = new Map<string, Promise<WpaCtrlClient>>();
  readonly #answered = new Set<string>();
  readonly #pendingInvites = new Set<string>();
  readonly #waiters: { match: (event: string) => boolean; resolve: (event: string) => void }[] = [];
  readonly #options: KioskResponderOptions;
  #group: string | undefined;
  #busyWith: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;

  private constructor(options: KioskResponderOptions) {
    this.#options = options;
    this.#client = new WpaCtrlClient({
      ifname: 'p2p-dev-wlan0',
      ctrlDir: options.ctrlDir,
      localDir: options.localDir,
      pingIntervalMs: 0,
    });
  }

  static async start(options: KioskResponderOptions): Promise<KioskResponder> {
    const responder = new KioskResponder(options);
    responder.#client.on('event', (event) => responder.#receive(splitEventPrefix(event.raw).body));
    await responder.#client.connect();
    await responder.send('P2P_FIND');
    return responder;
  }

  /** The first received event (without level) matching, waiting up to `timeoutMs` real ms. */
  waitForEvent(match: RegExp | string, timeoutMs = 5000): Promise<string> {
    const test = (event: string): boolean =>
      typeof match === 'string' ? event.startsWith(match) : match.test(event);
    const seen = this.events.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = {
        match: test,
        resolve: (event: string) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`no event matching ${String(match)}; got:\n${this.events.join('\n')}`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Serialised command on the P2P device (or a group interface). */
  send(command: string, ifname?: string): Promise<string> {
    const run = async (): Promise<string> => {
      if (this.#stopped) return '';
      this.commands.push(ifname ? `${ifname}: ${command}` : command);
      const client = ifname ? await this.#groupClient(ifname) : this.#client;
      const reply = await client.request(command).catch((error: unknown) => `ERROR ${String(error)}`);
      this.replies.push(reply);
      return reply;
    };
    const next = this.#queue.then(run, run);
    this.#queue = next;
    return next;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#client.close();
    for (const client of this.#groupClients.values()) await (await client.catch(() => undefined))?.close();
  }

  #groupClient(ifname: string): Promise<WpaCtrlClient> {
    let client = this.#groupClients.get(ifname);
    if (!client) {
      const { ctrlDir, localDir } = this.#options;
      client = WpaCtrlClient.connect({ ifname, ctrlDir, localDir, pingIntervalMs: 0 });
      this.#groupClients.set(ifname, client);
    }
    return client;
  }

  #receive(event: string): void {
    this.events.push(event);
    for (const waiter of [...this.#waiters]) {
      if (!waiter.match(event)) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
    this.#react(event);
  }

  /** Answer a given request of a peer once (phones retransmit; answering again resets things). */
  #once(key: string): boolean {
    if (this.#options.answerRepeats) return true;
    if (this.#answered.has(key)) return false;
    this.#answered.add(key);
    return true;
  }

  /**
   * A second phone while a group runs (or forms) is invited into it (P2P_INVITE group=…) instead of
   * negotiated with: one group at a time, several clients in it.
   */
  #inviteInstead(address: string): boolean {
    if (this.#group) {
      void this.send(`P2P_INVITE group=${this.#group} peer=${address}`);
      return true;
    }
    if (this.#busyWith !== undefined && this.#busyWith !== address) {
      this.#pendingInvites.add(address);
      return true;
    }
    this.#busyWith = address;
    return false;
  }

  #react(event: string): void {
    const [name = '', address = ''] = event.split(' ');
    const group = /group=(\S+)/.exec(event)?.[1];
    const pin = this.#options.pin ?? '12345670';
    const key = `${name} ${address} ${group ?? ''}`;
    switch (name) {
      case 'P2P-GO-NEG-REQUEST': {
        if (!this.#once(key) || this.#inviteInstead(address)) return;
        const id = /dev_passwd_id=(\d+)/.exec(event)?.[1];
        if (id === '4') void this.send(`P2P_CONNECT ${address} pbc go_intent=15`);
        else if (id === '1') void this.send(`P2P_CONNECT ${address} ${pin} display go_intent=15`);
        else if (id === '5') {
          const typed = this.#options.typedPin?.(address);
          if (typed) void this.send(`P2P_CONNECT ${address} ${typed} keypad go_intent=15`);
        }
        return;
      }
      case 'P2P-PROV-DISC-PBC-REQ':
        if (!this.#once(key)) return;
        if (group) void this.send('WPS_PBC', group);
        else if (!this.#inviteInstead(address))
          void this.send(`P2P_CONNECT ${address} pbc go_intent=15 auth`);
        return;
      case 'P2P-PROV-DISC-SHOW-PIN':
        if (!this.#once(key)) return;
        if (group) void this.send(`WPS_PIN any ${pin}`, group);
        else if (!this.#inviteInstead(address))
          void this.send(`P2P_CONNECT ${address} ${pin} display go_intent=15 auth`);
        return;
      case 'P2P-PROV-DISC-ENTER-PIN': {
        if (!this.#once(key)) return;
        const typed = this.#options.typedPin?.(address);
        if (!typed) return;
        if (group) void this.send(`WPS_PIN any ${typed}`, group);
        else if (!this.#inviteInstead(address))
          void this.send(`P2P_CONNECT ${address} ${typed} keypad go_intent=15 auth`);
        return;
      }
      case 'P2P-GROUP-STARTED': {
        if (!event.includes(' GO ')) return;
        this.#group = address;
        for (const peer of this.#pendingInvites) void this.send(`P2P_INVITE group=${address} peer=${peer}`);
        this.#pendingInvites.clear();
        return;
      }
      case 'P2P-GO-NEG-FAILURE':
      case 'P2P-GROUP-FORMATION-FAILURE':
        this.#answered.clear();
        this.#busyWith = undefined;
        this.#pendingInvites.clear();
        return;
      case 'P2P-GROUP-REMOVED':
        this.#answered.clear();
        this.#busyWith = undefined;
        this.#group = undefined;
        void this.#groupClients.get(address)?.then(
          (client) => client.close(),
          () => undefined,
        );
        this.#groupClients.delete(address);
        // The kiosk must P2P_FIND again to be discoverable (hwsim README).
        void this.send('P2P_FIND');
        return;
      default:
        return;
    }
  }
}
