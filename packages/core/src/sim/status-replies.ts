/**
 * Text blocks wpa_supplicant 2.10 answers for status queries (wpa_supplicant/ctrl_iface.c and
 * src/p2p/p2p.c p2p_get_peer_info_txt()). Pure functions over the model's state.
 */
import type { P2pGroup } from './group.js';
import type { MacAddress } from './mac-address.js';
import type { PersistentNetwork, PhoneProfile } from './model-types.js';
import { wpsMethodText, type WpsMethod } from './wps-method.js';

const hex = (value: number): string => `0x${value.toString(16)}`;

/**
 * STATUS on the P2P device interface. It never associates, so only the state and addresses; the
 * hwsim helper reads p2p_device_address= from it.
 */
export function deviceStatus(o: { deviceAddress: MacAddress; uuid: string }): string {
  return `wpa_state=DISCONNECTED\np2p_device_address=${o.deviceAddress}\naddress=${o.deviceAddress}\nuuid=${o.uuid}\n`;
}

/** STATUS on the station interface (wlan0): no network configured, so INACTIVE. */
export function stationStatus(o: { deviceAddress: MacAddress; address: MacAddress; uuid: string }): string {
  return `wpa_state=INACTIVE\np2p_device_address=${o.deviceAddress}\naddress=${o.address}\nuuid=${o.uuid}\n`;
}

/** STATUS on a group interface: the AP (GO) or the association (client) comes first. */
export function groupStatus(
  group: P2pGroup,
  o: { deviceAddress: MacAddress; uuid: string; ownInterfaceAddress: MacAddress },
): string {
  const connected = group.phase === 'active';
  const lines = connected
    ? [
        `bssid=${group.bssid}`,
        `freq=${group.frequency}`,
        `ssid=${group.ssid}`,
        'id=0',
        `mode=${group.role === 'GO' ? 'P2P GO' : 'station'}`,
        'pairwise_cipher=CCMP',
        'group_cipher=CCMP',
        'key_mgmt=WPA2-PSK',
        `wpa_state=COMPLETED`,
      ]
    : ['wpa_state=SCANNING'];
  lines.push(`p2p_device_address=${o.deviceAddress}`, `address=${o.ownInterfaceAddress}`, `uuid=${o.uuid}`);
  return `${lines.join('\n')}\n`;
}

/** INTERFACES: newest first, as global->ifaces is a prepend list. */
export function interfacesReply(ifnames: readonly string[]): string {
  return ifnames.map((name) => `${name}\n`).join('');
}

/** LIST_NETWORKS: tab-separated rows under a fixed header. Persistent groups have flag [P2P-PERSISTENT]. */
export function listNetworksReply(
  rows: readonly { id: number; ssid: string; bssid: string; flags: string }[],
): string {
  let out = 'network id / ssid / bssid / flags\n';
  for (const row of rows) out += `${row.id}\t${row.ssid}\t${row.bssid}\t${row.flags}\n`;
  return out;
}

export function persistentNetworkRows(
  networks: readonly PersistentNetwork[],
): { id: number; ssid: string; bssid: string; flags: string }[] {
  return networks.map((network) => ({
    id: network.id,
    ssid: network.ssid,
    bssid: network.goDeviceAddress,
    flags: '[P2P-PERSISTENT]',
  }));
}

/** LIST_CREDS with no Interworking credentials. */
export const LIST_CREDS_HEADER = 'cred id / realm / username / domain / imsi\n';

/** P2P_PEER <addr>: ctrl_iface.c p2p_ctrl_peer() followed by p2p_get_peer_info_txt(). */
export function peerInfoReply(o: {
  profile: PhoneProfile;
  interfaceAddress: MacAddress;
  ageSeconds: number;
  intent: WpsMethod | undefined;
  reported: boolean;
  lastProvisionDiscovery: WpsMethod | undefined;
  persistentId: number | undefined;
}): string {
  const p = o.profile;
  const flags = [
    o.reported ? '[REPORTED]' : '',
    o.lastProvisionDiscovery === 'display' ? '[PD_PEER_KEYPAD]' : '',
    o.lastProvisionDiscovery === 'keypad' ? '[PD_PEER_DISPLAY]' : '',
  ].join('');
  return (
    `${p.deviceAddress}\n` +
    `pri_dev_type=${p.primaryDeviceType}\n` +
    `device_name=${p.name}\n` +
    `manufacturer=${p.manufacturer}\n` +
    `model_name=${p.modelName}\n` +
    `model_number=\n` +
    `serial_number=\n` +
    `config_methods=${hex(p.configMethods)}\n` +
    `dev_capab=${hex(p.deviceCapability)}\n` +
    `group_capab=${hex(p.groupCapability)}\n` +
    `level=-30\n` +
    (o.persistentId !== undefined ? `persistent=${o.persistentId}\n` : '') +
    `age=${o.ageSeconds}\n` +
    `listen_freq=2412\n` +
    `wps_method=${o.intent ? wpsMethodText(o.intent) : 'not-ready'}\n` +
    `interface_addr=${o.interfaceAddress}\n` +
    `member_in_go_dev=00:00:00:00:00:00\n` +
    `member_in_go_iface=00:00:00:00:00:00\n` +
    `go_neg_req_sent=0\n` +
    `go_state=unknown\n` +
    `dialog_token=0\n` +
    `intended_addr=00:00:00:00:00:00\n` +
    `country=XX\n` +
    `oper_freq=0\n` +
    `req_config_methods=0x0\n` +
    `flags=${flags}\n` +
    `status=0\n` +
    `invitation_reqs=0\n` +
    (p.vendorElements ? `vendor_elems=dd0a0017f20a000103010001\n` : '')
  );
}

/** STA-FIRST / STA <addr> on a GO (hostapd_ctrl_iface_sta_mib): the address line then key=value. */
export function stationInfoReply(o: {
  interfaceAddress: MacAddress;
  deviceAddress: MacAddress;
  connectedSeconds: number;
  name: string;
  primaryDeviceType: string;
}): string {
  return (
    `${o.interfaceAddress}\n` +
    `flags=[AUTH][ASSOC][AUTHORIZED][WMM][HT]\n` +
    `aid=1\n` +
    `capability=0x431\n` +
    `listen_interval=1\n` +
    `supported_rates=8c 12 98 24 b0 48 60 6c\n` +
    `timeout_next=NULLFUNC POLL\n` +
    `dot11RSNAStatsSTAAddress=${o.interfaceAddress}\n` +
    `dot11RSNAStatsVersion=1\n` +
    `dot11RSNAStatsSelectedPairwiseCipher=00-0f-ac-4\n` +
    `dot11RSNAStatsTKIPLocalMICFailures=0\n` +
    `dot11RSNAStatsTKIPRemoteMICFailures=0\n` +
    `wpa=2\n` +
    `AKMSuiteSelector=00-0f-ac-2\n` +
    `hostapdWPAPTKState=11\n` +
    `hostapdWPAPTKGroupState=0\n` +
    `p2p_dev_capab=0x25\n` +
    `p2p_group_capab=0x0\n` +
    `p2p_primary_device_type=${o.primaryDeviceType}\n` +
    `p2p_device_name=${o.name}\n` +
    `p2p_device_addr=${o.deviceAddress}\n` +
    `connected_time=${o.connectedSeconds}\n`
  );
}
