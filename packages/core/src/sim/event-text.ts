/**
 * Event texts exactly as wpa_supplicant 2.10 formats them (no level prefix, no trailing newline).
 * Format strings are hostap's (wpa_supplicant/p2p_supplicant.c, src/ap/sta_info.c, src/ap/wps_hostapd.c)
 * and were checked against the hwsim captures in shared/hwsim/captures/.
 */
import type { MacAddress } from './mac-address.js';

/** What a P2P peer advertises; printed by DEVICE-FOUND and the PROV-DISC-* requests. */
export interface PeerAdvertisement {
  readonly deviceAddress: MacAddress;
  readonly primaryDeviceType: string;
  readonly name: string;
  readonly configMethods: number;
  readonly deviceCapability: number;
  readonly groupCapability: number;
  readonly vendorElements: boolean;
}

export type WpsMethodText = 'PBC' | 'Display' | 'Keypad';
export type GroupRole = 'GO' | 'client';
export type GroupRemovalReason =
  | 'REQUESTED'
  | 'FORMATION_FAILED'
  | 'IDLE'
  | 'UNAVAILABLE'
  | 'GO_ENDING_SESSION'
  | 'PSK_FAILURE'
  | 'FREQ_CONFLICT';

const hex = (value: number): string => `0x${value.toString(16)}`;

/** " p2p_dev_addr=… pri_dev_type=… name='…' config_methods=… dev_capab=… group_capab=…" (wpas_prov_disc_req). */
function peerParams(peer: PeerAdvertisement): string {
  // hostap prints the name raw between single quotes: quotes inside the name are not escaped.
  return (
    ` p2p_dev_addr=${peer.deviceAddress} pri_dev_type=${peer.primaryDeviceType} name='${peer.name}'` +
    ` config_methods=${hex(peer.configMethods)} dev_capab=${hex(peer.deviceCapability)}` +
    ` group_capab=${hex(peer.groupCapability)}`
  );
}

export const eventText = {
  deviceFound: (peer: PeerAdvertisement, isNew: boolean): string =>
    `P2P-DEVICE-FOUND ${peer.deviceAddress}${peerParams(peer)}${peer.vendorElements ? ' vendor_elems=1' : ''} new=${isNew ? 1 : 0}`,
  deviceLost: (address: MacAddress): string => `P2P-DEVICE-LOST p2p_dev_addr=${address}`,
  findStopped: (): string => 'P2P-FIND-STOPPED ',
  scanStarted: (): string => 'CTRL-EVENT-SCAN-STARTED ',

  provDiscPbcRequest: (peer: PeerAdvertisement, groupIfname?: string): string =>
    `P2P-PROV-DISC-PBC-REQ ${peer.deviceAddress}${peerParams(peer)}${groupIfname ? ` group=${groupIfname}` : ''}`,
  provDiscShowPin: (peer: PeerAdvertisement, pin: string, groupIfname?: string): string =>
    `P2P-PROV-DISC-SHOW-PIN ${peer.deviceAddress} ${pin}${peerParams(peer)}${groupIfname ? ` group=${groupIfname}` : ''}`,
  provDiscEnterPin: (peer: PeerAdvertisement, groupIfname?: string): string =>
    `P2P-PROV-DISC-ENTER-PIN ${peer.deviceAddress}${peerParams(peer)}${groupIfname ? ` group=${groupIfname}` : ''}`,
  /** Responses to our own P2P_PROV_DISC carry no peer parameters (wpas_prov_disc_resp). */
  provDiscPbcResponse: (address: MacAddress): string => `P2P-PROV-DISC-PBC-RESP ${address}`,
  provDiscShowPinResponse: (address: MacAddress, pin: string): string =>
    `P2P-PROV-DISC-SHOW-PIN ${address} ${pin}`,
  provDiscEnterPinResponse: (address: MacAddress): string => `P2P-PROV-DISC-ENTER-PIN ${address}`,
  provDiscFailure: (address: MacAddress, status: number): string =>
    `P2P-PROV-DISC-FAILURE p2p_dev_addr=${address} status=${status}`,

  goNegRequest: (address: MacAddress, devicePasswordId: number, goIntent: number): string =>
    `P2P-GO-NEG-REQUEST ${address} dev_passwd_id=${devicePasswordId} go_intent=${goIntent}`,
  goNegSuccess: (o: {
    role: GroupRole;
    freq: number;
    peerDevice: MacAddress;
    peerInterface: MacAddress;
    wpsMethod: WpsMethodText;
    /** wpas_go_neg_completed(): 1 when p2p_go_ht40 is set (P2P_CONNECT's `ht40` or the global setting). */
    ht40: boolean;
  }): string =>
    `P2P-GO-NEG-SUCCESS role=${o.role} freq=${o.freq} ht40=${o.ht40 ? 1 : 0} peer_dev=${o.peerDevice} peer_iface=${o.peerInterface} wps_method=${o.wpsMethod}`,
  goNegFailure: (status: number): string => `P2P-GO-NEG-FAILURE status=${status}`,

  groupFormationSuccess: (): string => 'P2P-GROUP-FORMATION-SUCCESS ',
  groupFormationFailure: (): string => 'P2P-GROUP-FORMATION-FAILURE ',
  groupStartedGo: (o: {
    ifname: string;
    ssid: string;
    freq: number;
    passphrase: string;
    goDeviceAddress: MacAddress;
    persistent: boolean;
  }): string =>
    `P2P-GROUP-STARTED ${o.ifname} GO ssid="${o.ssid}" freq=${o.freq} passphrase="${o.passphrase}" go_dev_addr=${o.goDeviceAddress}${o.persistent ? ' [PERSISTENT]' : ''}`,
  groupStartedClient: (o: {
    ifname: string;
    ssid: string;
    freq: number;
    psk: string;
    goDeviceAddress: MacAddress;
    persistent: boolean;
  }): string =>
    `P2P-GROUP-STARTED ${o.ifname} client ssid="${o.ssid}" freq=${o.freq} psk=${o.psk} go_dev_addr=${o.goDeviceAddress}${o.persistent ? ' [PERSISTENT]' : ''}`,
  groupRemoved: (ifname: string, role: GroupRole, reason: GroupRemovalReason): string =>
    `P2P-GROUP-REMOVED ${ifname} ${role} reason=${reason}`,

  invitationResult: (status: number, bssid?: MacAddress): string =>
    `P2P-INVITATION-RESULT status=${status} ${bssid ?? ''}`,
  invitationReceived: (o: { from: MacAddress; persistentId: number }): string =>
    `P2P-INVITATION-RECEIVED sa=${o.from} persistent=${o.persistentId}`,

  /**
   * src/ap/sta_info.c: the group interface address plus p2p_dev_addr= for P2P clients, then ip_addr= when the
   * GO allocated the client an address in EAPOL-Key msg 3/4 (ip_addr_start set).
   */
  apStaConnected: (interfaceAddress: MacAddress, deviceAddress: MacAddress, ipAddress?: string): string =>
    `AP-STA-CONNECTED ${interfaceAddress} p2p_dev_addr=${deviceAddress}${ipAddress ? ` ip_addr=${ipAddress}` : ''}`,
  apStaDisconnected: (interfaceAddress: MacAddress, deviceAddress: MacAddress): string =>
    `AP-STA-DISCONNECTED ${interfaceAddress} p2p_dev_addr=${deviceAddress}`,
  apDisabled: (): string => 'AP-DISABLED ',

  wpsEnrolleeSeen: (o: {
    address: MacAddress;
    uuid: string;
    primaryDeviceType: string;
    configMethods: number;
    devicePasswordId: number;
    name: string;
  }): string =>
    // wps_build_dev_name(): an empty device name goes out as one space, so hostapd prints `[ ]`.
    `WPS-ENROLLEE-SEEN ${o.address} ${o.uuid} ${o.primaryDeviceType} ${hex(o.configMethods)} ${o.devicePasswordId} 1 [${o.name === '' ? ' ' : o.name}]`,
  wpsRegSuccess: (address: MacAddress, uuid: string): string => `WPS-REG-SUCCESS ${address} ${uuid}`,
  wpsPbcActive: (): string => 'WPS-PBC-ACTIVE ',
  wpsPbcDisable: (): string => 'WPS-PBC-DISABLE ',
  wpsSuccess: (): string => 'WPS-SUCCESS ',
  wpsTimeout: (): string => 'WPS-TIMEOUT ',
  wpsFail: (msg: number, configError: number): string => `WPS-FAIL msg=${msg} config_error=${configError}`,
  /** EAP-WSC always ends in EAP-Failure, also when WPS succeeded (captures: after WPS-SUCCESS). */
  eapFailure: (address: MacAddress): string => `CTRL-EVENT-EAP-FAILURE ${address}`,
  disconnected: (bssid: MacAddress): string =>
    `CTRL-EVENT-DISCONNECTED bssid=${bssid} reason=3 locally_generated=1`,
  dscpPolicyClear: (): string => 'CTRL-EVENT-DSCP-POLICY clear_all',
  regdomChange: (): string => 'CTRL-EVENT-REGDOM-CHANGE init=CORE type=WORLD',
  terminating: (): string => 'CTRL-EVENT-TERMINATING ',
} as const;
