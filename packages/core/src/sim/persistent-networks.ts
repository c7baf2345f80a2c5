/**
 * Persistent P2P groups the kiosk stored as GO (network blocks with disabled=2 in wpa_supplicant.conf):
 * what LIST_NETWORKS shows with [P2P-PERSISTENT], what P2P_GROUP_ADD persistent=<id> and P2P_INVITE
 * persistent=<id> reinvoke, and the p2p_client_list of peers allowed back in.
 */
import type { MacAddress } from './mac-address.js';
import type { PersistentNetwork } from './model-types.js';

export class PersistentNetworks {
  readonly #networks: PersistentNetwork[] = [];
  #nextId = 0;

  constructor(private readonly goDeviceAddress: MacAddress) {}

  list(): readonly PersistentNetwork[] {
    return this.#networks;
  }

  find(id: number | undefined): PersistentNetwork | undefined {
    return id === undefined ? undefined : this.#networks.find((network) => network.id === id);
  }

  /** The network a client belongs to (P2P_PEER's persistent=). */
  ofClient(address: MacAddress): PersistentNetwork | undefined {
    return this.#networks.find((network) => network.clients.includes(address));
  }

  /** wpas_p2p_store_persistent_group(): a new network id for the group's credentials. */
  store(credentials: { ssid: string; passphrase: string }): PersistentNetwork {
    const network: PersistentNetwork = {
      id: this.#nextId++,
      ssid: credentials.ssid,
      passphrase: credentials.passphrase,
      goDeviceAddress: this.goDeviceAddress,
      clients: [],
    };
    this.#networks.push(network);
    return network;
  }

  /** REMOVE_NETWORK <id>|all; false for an unknown id (FAIL). */
  remove(id: number | 'all'): boolean {
    if (id === 'all') {
      this.#networks.splice(0);
      return true;
    }
    const index = this.#networks.findIndex((network) => network.id === id);
    if (index < 0) return false;
    this.#networks.splice(index, 1);
    return true;
  }

  /** wpas_p2p_add_persistent_group_client(): the client may reinvoke the group later. */
  addClient(id: number | undefined, address: MacAddress): void {
    const network = this.find(id);
    if (network && !network.clients.includes(address)) network.clients.push(address);
  }

  /** P2P_REMOVE_CLIENT also drops the peer from every client list. */
  removeClient(address: MacAddress): void {
    for (const network of this.#networks) {
      const index = network.clients.indexOf(address);
      if (index >= 0) network.clients.splice(index, 1);
    }
  }

  snapshot(): PersistentNetwork[] {
    return this.#networks.map((network) => ({ ...network, clients: [...network.clients] }));
  }
}
