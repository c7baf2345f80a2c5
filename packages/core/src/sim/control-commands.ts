/**
 * The control-interface command set: one command line in, the reply wpa_supplicant 2.10 would send out.
 * Parsing follows wpa_supplicant/ctrl_iface.c (commands are case-sensitive, arguments are parsed as
 * loosely as hostap does). Monitor commands (ATTACH, DETACH, LEVEL) need the sender and live in the
 * socket shell.
 */
import { isMacAddress, normalizeMac, type MacAddress } from './mac-address.js';
import { isIpv4Address } from './group.js';
import { REPLY_FAIL, REPLY_OK, type P2pModel } from './p2p-model.js';
import {
  LIST_CREDS_HEADER,
  deviceStatus,
  groupStatus,
  interfacesReply,
  listNetworksReply,
  peerInfoReply,
  persistentNetworkRows,
  stationInfoReply,
  stationStatus,
} from './status-replies.js';
import { groupInterfaceAddress } from './mac-address.js';
import type { WpsMethod } from './wps-method.js';

export const REPLY_UNKNOWN = 'UNKNOWN COMMAND\n';

export interface CommandOutcome {
  readonly reply: string;
  /** TERMINATE: the daemon answers OK, then exits. */
  readonly effect?: 'terminate';
}

/** Global settings SET accepts (wpa_config_process_global knows them); anything else is FAIL. */
const GLOBAL_SETTINGS = new Set([
  'device_name',
  'device_type',
  'manufacturer',
  'model_name',
  'model_number',
  'serial_number',
  'os_version',
  'config_methods',
  'uuid',
  'country',
  'persistent_reconnect',
  'update_config',
  'p2p_go_intent',
  'p2p_ssid_postfix',
  'p2p_group_idle',
  'p2p_passphrase_len',
  'p2p_listen_reg_class',
  'p2p_listen_channel',
  'p2p_oper_reg_class',
  'p2p_oper_channel',
  'p2p_go_ht40',
  'p2p_go_vht',
  'p2p_go_he',
  'p2p_no_group_iface',
  'p2p_search_delay',
  'sec_device_type',
  'wps_cred_processing',
  'ap_scan',
  'wifi_display',
  'ip_addr_go',
  'ip_addr_mask',
  'ip_addr_start',
  'ip_addr_end',
]);

/** P2P_SET fields (p2p_ctrl_set); unknown ones are FAIL. */
const P2P_SET_FIELDS = new Set([
  'discoverability',
  'managed',
  'listen_channel',
  'ssid_postfix',
  'noa',
  'ps',
  'oppps',
  'ctwindow',
  'disabled',
  'per_sta_psk',
  'cross_connect',
  'go_apsd',
  'client_apsd',
  'disallow_freq',
  'disc_int',
  'peer_filter',
  'force_long_sd',
]);

/** Commands accepted with OK and no simulated effect (service discovery and other knobs). */
const ACCEPTED_NO_OP = new Set([
  'P2P_SERVICE_FLUSH',
  'P2P_SERVICE_UPDATE',
  'P2P_SERV_DISC_EXTERNAL',
  'P2P_EXT_LISTEN',
  'P2P_SERVICE_ADD',
  'P2P_SERVICE_DEL',
  'REATTACH',
  'RECONFIGURE',
]);

function ok(reply: string): CommandOutcome {
  return { reply };
}

export class ControlCommands {
  readonly #model: P2pModel;

  constructor(model: P2pModel) {
    this.#model = model;
  }

  /** The interfaces that exist, newest first (INTERFACES). */
  interfaces(): string[] {
    const { mainIfname, p2pDeviceIfname } = this.#model.config;
    const groups = this.#model
      .groups()
      .map((group) => group.ifname)
      .reverse();
    return [...groups, p2pDeviceIfname, mainIfname];
  }

  execute(ifname: string, line: string): CommandOutcome {
    const space = line.indexOf(' ');
    const name = space < 0 ? line : line.slice(0, space);
    const args = space < 0 ? '' : line.slice(space + 1);
    const model = this.#model;
    const { p2pDeviceIfname, mainIfname } = model.config;
    const group = model.group(ifname);
    const isP2pControl = ifname === p2pDeviceIfname || ifname === mainIfname;

    switch (name) {
      case 'PING':
        return ok('PONG\n');
      case 'STATUS':
      case 'STATUS-VERBOSE':
        return ok(this.#status(ifname));
      case 'INTERFACES':
        return ok(interfacesReply(this.interfaces()));
      case 'TERMINATE':
        return { reply: REPLY_OK, effect: 'terminate' };
      case 'SET':
        return ok(this.#set(args));
      case 'GET': {
        const value = model.getSetting(args.trim());
        return ok(value === undefined ? REPLY_FAIL : value);
      }
      case 'SAVE_CONFIG':
        return ok(model.getSetting('update_config') === '0' ? REPLY_FAIL : REPLY_OK);
      case 'LIST_NETWORKS':
        return ok(this.#listNetworks(ifname));
      case 'REMOVE_NETWORK': {
        if (!isP2pControl) return ok(REPLY_FAIL);
        const id = args.trim() === 'all' ? 'all' : Number(args.trim());
        return ok(id === 'all' || Number.isInteger(id) ? model.removeNetwork(id) : REPLY_FAIL);
      }
      // A P2P find keeps the radio scanning: ctrl_iface.c answers FAIL-BUSY to a scan request then.
      case 'SCAN':
        return ok(model.findMode === 'find' ? 'FAIL-BUSY\n' : REPLY_OK);
      case 'LIST_CREDS':
        return ok(LIST_CREDS_HEADER);
      // wpa_cli asks for its completion lists on start; no scan results on a P2P device → empty reply.
      case 'BSS':
        return ok('');
      case 'STA-FIRST':
      case 'STA-NEXT':
      case 'STA':
      case 'ALL_STA':
        return ok(this.#stations(ifname, name, args.trim()));
      case 'WPS_PBC':
        return ok(group ? this.#wpsPbc(ifname, args) : REPLY_FAIL);
      case 'WPS_PIN':
        return ok(group ? this.#wpsPin(ifname, args) : REPLY_FAIL);
      case 'WPS_CANCEL':
        return ok(group ? model.wpsCancel(ifname) : REPLY_FAIL);
      case 'P2P_GET_PASSPHRASE':
        return ok(group && group.role === 'GO' ? group.passphrase : REPLY_FAIL);
      case 'P2P_GROUP_REMOVE':
        return ok(args.trim() ? model.groupRemove(args.trim()) : REPLY_FAIL);
      default:
        break;
    }

    if (!isP2pControl && name.startsWith('P2P_')) {
      // P2P management commands are served by the P2P device; a group interface has no P2P module.
      return ok(REPLY_FAIL);
    }
    switch (name) {
      case 'P2P_FIND':
        return ok(model.find(leadingNumber(args)));
      case 'P2P_LISTEN':
        return ok(model.listen(leadingNumber(args)));
      case 'P2P_STOP_FIND':
        return ok(model.stopFind());
      case 'P2P_FLUSH':
        return ok(model.flush());
      case 'P2P_CONNECT':
        return ok(this.#connect(args));
      case 'P2P_PROV_DISC':
        return ok(this.#provisionDiscovery(args));
      case 'P2P_REJECT': {
        const address = args.trim();
        return ok(isMacAddress(address) ? model.reject(normalizeMac(address)) : REPLY_FAIL);
      }
      case 'P2P_CANCEL':
        return ok(model.cancel());
      case 'P2P_GROUP_ADD':
        return ok(this.#groupAdd(args));
      case 'P2P_REMOVE_CLIENT': {
        const address = args.trim().replace(/^iface=/, '');
        return ok(isMacAddress(address) ? model.removeClient(normalizeMac(address)) : REPLY_FAIL);
      }
      case 'P2P_INVITE':
        return ok(this.#invite(args));
      case 'P2P_PEER':
        return ok(this.#peer(args.trim()));
      case 'P2P_SET':
        return ok(this.#p2pSet(args));
      default:
        return ok(ACCEPTED_NO_OP.has(name) ? REPLY_OK : REPLY_UNKNOWN);
    }
  }

  #status(ifname: string): string {
    const model = this.#model;
    const { deviceAddress, mainAddress, uuid, mainIfname } = model.config;
    const group = model.group(ifname);
    if (group) {
      const ownInterfaceAddress = group.role === 'GO' ? group.bssid : groupInterfaceAddress(deviceAddress);
      return groupStatus(group, { deviceAddress, uuid, ownInterfaceAddress });
    }
    if (ifname === mainIfname) return stationStatus({ deviceAddress, address: mainAddress, uuid });
    return deviceStatus({ deviceAddress, uuid });
  }

  #set(args: string): string {
    const space = args.indexOf(' ');
    if (space < 0) return REPLY_FAIL;
    const key = args.slice(0, space);
    const value = args.slice(space + 1);
    if (!GLOBAL_SETTINGS.has(key)) return REPLY_FAIL;
    if (key === 'p2p_go_intent' && !/^(1[0-5]|\d)$/.test(value)) return REPLY_FAIL;
    if (key.startsWith('ip_addr_') && !isIpv4Address(value)) return REPLY_FAIL;
    this.#model.setSetting(key, value.replace(/^"(.*)"$/, '$1'));
    return REPLY_OK;
  }

  #p2pSet(args: string): string {
    const space = args.indexOf(' ');
    if (space < 0) return REPLY_FAIL;
    const field = args.slice(0, space);
    const value = args.slice(space + 1);
    if (!P2P_SET_FIELDS.has(field)) return REPLY_FAIL;
    this.#model.p2pSet(field, value);
    if (field === 'ssid_postfix') this.#model.setSetting('p2p_ssid_postfix', value);
    return REPLY_OK;
  }

  #listNetworks(ifname: string): string {
    const group = this.#model.group(ifname);
    if (group) return listNetworksReply([{ id: 0, ssid: group.ssid, bssid: 'any', flags: '[CURRENT]' }]);
    return listNetworksReply(persistentNetworkRows(this.#model.networks()));
  }

  /**
   * P2P_CONNECT <addr> <pbc|pin|PIN> [display|keypad] [persistent|persistent=<id>] [join] [auth]
   * [go_intent=<0..15>] [freq=<MHz>] … (p2p_ctrl_connect). A bare PIN means keypad.
   */
  #connect(args: string): string {
    const tokens = args.split(' ').filter((token) => token.length > 0);
    const [address, methodToken, ...options] = tokens;
    if (!address || !isMacAddress(address) || !methodToken) return REPLY_FAIL;
    const flags = new Set(options);
    let method: WpsMethod;
    let pin: string | undefined;
    if (methodToken.startsWith('pbc')) {
      method = 'pbc';
    } else if (methodToken.startsWith('pin')) {
      method = 'display';
    } else {
      if (!/^(\d{4}|\d{8})$/.test(methodToken)) return 'FAIL-INVALID-PIN\n';
      pin = methodToken;
      method = flags.has('display') ? 'display' : 'keypad';
    }
    let goIntent: number | undefined;
    let persistentId: number | undefined;
    for (const option of options) {
      if (option.startsWith('go_intent=')) {
        goIntent = Number.parseInt(option.slice('go_intent='.length), 10);
        if (!Number.isInteger(goIntent) || goIntent < 0 || goIntent > 15) return REPLY_FAIL;
      }
      if (option.startsWith('persistent=')) {
        persistentId = Number.parseInt(option.slice('persistent='.length), 10);
        if (!Number.isInteger(persistentId)) return REPLY_FAIL;
      }
    }
    // The kiosk joining someone else's group is not simulated.
    if (flags.has('join')) return REPLY_FAIL;
    return this.#model.connect({
      peer: normalizeMac(address),
      method,
      pin,
      auth: flags.has('auth'),
      goIntent,
      persistent: flags.has('persistent'),
      persistentId,
    });
  }

  #provisionDiscovery(args: string): string {
    const [address, method] = args.split(' ');
    if (!address || !isMacAddress(address)) return REPLY_FAIL;
    if (method !== 'pbc' && method !== 'display' && method !== 'keypad') return REPLY_FAIL;
    return this.#model.provisionDiscovery(normalizeMac(address), method);
  }

  #groupAdd(args: string): string {
    let persistent = false;
    let persistentId: number | undefined;
    let frequency: number | undefined;
    for (const token of args.split(' ').filter((t) => t.length > 0)) {
      if (token === 'persistent') persistent = true;
      else if (token.startsWith('persistent=')) persistentId = Number.parseInt(token.slice(11), 10);
      else if (token.startsWith('freq=')) frequency = Number.parseInt(token.slice(5), 10);
    }
    if (persistentId !== undefined && !Number.isInteger(persistentId)) return REPLY_FAIL;
    if (frequency !== undefined && !(frequency > 2000)) frequency = undefined;
    return this.#model.groupAdd({ persistent, persistentId, frequency });
  }

  #invite(args: string): string {
    let group: string | undefined;
    let persistentId: number | undefined;
    let peer: MacAddress | undefined;
    for (const token of args.split(' ')) {
      if (token.startsWith('group=')) group = token.slice(6);
      else if (token.startsWith('persistent=')) persistentId = Number.parseInt(token.slice(11), 10);
      else if (token.startsWith('peer=') && isMacAddress(token.slice(5))) peer = normalizeMac(token.slice(5));
    }
    if (!peer || (group === undefined && (persistentId === undefined || !Number.isInteger(persistentId))))
      return REPLY_FAIL;
    return this.#model.invite({ group, persistentId, peer });
  }

  /** P2P_PEER FIRST | NEXT-<addr> | <addr>. */
  #peer(selector: string): string {
    const peers = this.#model.knownPeers();
    let index: number;
    if (selector === 'FIRST') index = 0;
    else if (selector.startsWith('NEXT-')) {
      const after = normalizeMac(selector.slice(5));
      const position = peers.findIndex((peer) => peer.address === after);
      if (position < 0) return REPLY_FAIL;
      index = position + 1;
    } else if (isMacAddress(selector)) {
      index = peers.findIndex((peer) => peer.address === normalizeMac(selector));
    } else return REPLY_FAIL;
    const entry = peers[index];
    if (!entry?.profile) return REPLY_FAIL;
    const persistent = this.#model.networks().find((network) => network.clients.includes(entry.address));
    return peerInfoReply({
      profile: entry.profile,
      interfaceAddress: groupInterfaceAddress(entry.address),
      ageSeconds: Math.max(0, Math.floor((this.#model.now() - entry.lastSeen) / 1000)),
      intent: entry.intent,
      reported: entry.reported,
      lastProvisionDiscovery: entry.lastProvisionDiscovery,
      persistentId: persistent?.id,
    });
  }

  /** WPS_PBC [<bssid>|any] [p2p_dev_addr=<addr>] (wpa_supplicant_ctrl_iface_wps_pbc). */
  #wpsPbc(ifname: string, args: string): string {
    let enrollee: MacAddress | 'any' = 'any';
    for (const word of args.split(' ').filter(Boolean)) {
      const named = /^p2p_dev_addr=(.*)$/.exec(word);
      if (named) {
        if (!isMacAddress(named[1] ?? '')) return REPLY_FAIL;
        enrollee = normalizeMac(named[1] ?? '');
      } else if (word !== 'any' && !isMacAddress(word)) return REPLY_FAIL;
    }
    return this.#model.wpsPbc(ifname, enrollee);
  }

  /** WPS_PIN any|<addr> [<pin>] [<timeout>]: replies with the PIN. */
  #wpsPin(ifname: string, args: string): string {
    const [target, pin] = args.split(' ');
    if (!target) return REPLY_FAIL;
    if (target !== 'any' && !isMacAddress(target)) return REPLY_FAIL;
    if (pin !== undefined && !/^(\d{4}|\d{8})$/.test(pin)) return REPLY_FAIL;
    return this.#model.wpsPin(ifname, target === 'any' ? 'any' : normalizeMac(target), pin);
  }

  /** STA-FIRST, STA-NEXT <addr>, STA <addr>, ALL_STA: only on a GO interface (ap_ctrl_iface_sta_*). */
  #stations(ifname: string, name: string, argument: string): string {
    const group = this.#model.group(ifname);
    if (!group || group.role !== 'GO') return REPLY_FAIL;
    const stations = [...group.stations.values()];
    const now = this.#model.now();
    const info = (station: (typeof stations)[number]): string =>
      stationInfoReply({
        interfaceAddress: station.interfaceAddress,
        deviceAddress: station.deviceAddress,
        connectedSeconds: Math.floor((now - station.connectedAt) / 1000),
        name: station.name,
        primaryDeviceType:
          this.#model.peerProfile(station.deviceAddress)?.primaryDeviceType ?? '0-00000000-0',
      });
    if (name === 'ALL_STA') return stations.map(info).join('');
    if (name === 'STA-FIRST') {
      const first = stations[0];
      return first ? info(first) : '';
    }
    // hostapd_ctrl_iface_sta{,_next}(): an unparsable or unknown address is FAIL (wpa_cli's all_sta stops
    // on it); after the last station STA-NEXT answers an empty reply.
    if (!isMacAddress(argument)) return REPLY_FAIL;
    const address = normalizeMac(argument);
    const index = stations.findIndex(
      (station) => station.interfaceAddress === address || station.deviceAddress === address,
    );
    const station = stations[index];
    if (!station) return REPLY_FAIL;
    if (name === 'STA') return info(station);
    const next = stations[index + 1];
    return next ? info(next) : '';
  }
}

function leadingNumber(args: string): number | undefined {
  const first = args.trim().split(' ')[0];
  if (!first || !/^\d+$/.test(first)) return undefined;
  return Number(first);
}
