/**
 * A stand-in for the kiosk agent in simulator tests, doing what the hwsim example responders do
 * (shared/hwsim/examples/*.sh): P2P_FIND, answer each request once with the method the peer asked for
 * (`auth` after a provision discovery), WPS on the group interface for joiners, P2P_FIND again after a
 * failure. Commands and answers are recorded for assertions.
 */
import { RawCtrlClient } from './raw-ctrl-client.js';

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
  readonly #events: RawCtrlClient;
  readonly #control: RawCtrlClient;
  readonly #groupClients = new Map<string, RawCtrlClient>();
  readonly #answered = new Set<string>();
  readonly #pendingInvites = new Set<string>();
  #group: string | undefined;
  #busyWith: string | undefined;
  readonly #options: KioskResponderOptions;
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;

  private constructor(options: KioskResponderOptions) {
    this.#options = options;
    this.#events = new RawCtrlClient(options.ctrlDir, 'p2p-dev-wlan0', options.localDir);
    this.#control = new RawCtrlClient(options.ctrlDir, 'p2p-dev-wlan0', options.localDir);
  }

  static async start(options: KioskResponderOptions): Promise<KioskResponder> {
    const responder = new KioskResponder(options);
    const attached = await responder.#events.request('ATTACH');
    if (attached !== 'OK\n') throw new Error(`ATTACH answered ${attached}`);
    responder.#events.onEvent((event) => responder.#react(event));
    await responder.send('P2P_FIND');
    return responder;
  }

  /** The events this responder's monitor received (no level prefix). */
  get events(): readonly string[] {
    return this.#events.events;
  }

  waitForEvent(match: RegExp | string, timeoutMs?: number): Promise<string> {
    return this.#events.waitForEvent(match, timeoutMs);
  }

  /** Serialised command on the P2P device (or a group interface). */
  send(command: string, ifname?: string): Promise<string> {
    const run = async (): Promise<string> => {
      if (this.#stopped) return '';
      const client = ifname ? this.#groupClient(ifname) : this.#control;
      this.commands.push(ifname ? `${ifname}: ${command}` : command);
      const reply = await client.request(command).catch((error: unknown) => `ERROR ${String(error)}`);
      this.replies.push(reply);
      return reply;
    };
    const next = this.#queue.then(run, run);
    this.#queue = next;
    return next;
  }

  stop(): void {
    this.#stopped = true;
    this.#events.close();
    this.#control.close();
    for (const client of this.#groupClients.values()) client.close();
  }

  #groupClient(ifname: string): RawCtrlClient {
    let client = this.#groupClients.get(ifname);
    if (!client) {
      client = new RawCtrlClient(this.#options.ctrlDir, ifname, this.#options.localDir);
      this.#groupClients.set(ifname, client);
    }
    return client;
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
        else if (!this.#inviteInstead(address)) void this.send(`P2P_CONNECT ${address} pbc go_intent=15 auth`);
        return;
      case 'P2P-PROV-DISC-SHOW-PIN':
        if (!this.#once(key)) return;
        if (group) void this.send(`WPS_PIN any ${pin}`, group);
        else if (!this.#inviteInstead(address)) void this.send(`P2P_CONNECT ${address} ${pin} display go_intent=15 auth`);
        return;
      case 'P2P-PROV-DISC-ENTER-PIN': {
        if (!this.#once(key)) return;
        const typed = this.#options.typedPin?.(address);
        if (!typed) return;
        if (group) void this.send(`WPS_PIN any ${typed}`, group);
        else if (!this.#inviteInstead(address)) void this.send(`P2P_CONNECT ${address} ${typed} keypad go_intent=15 auth`);
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
        this.#groupClients.get(address)?.close();
        this.#groupClients.delete(address);
        // The kiosk must P2P_FIND again to be discoverable (hwsim README).
        void this.send('P2P_FIND');
        return;
      default:
        return;
    }
  }
}
