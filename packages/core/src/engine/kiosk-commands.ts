import {
  interfaces,
  listNetworks,
  p2pCancel,
  p2pConnect,
  p2pFind,
  p2pGroupAdd,
  p2pGroupRemove,
  p2pInvite,
  p2pReject,
  p2pRemoveClient,
  p2pSet,
  p2pStopFind,
  set,
  status,
  withIfname,
  wpsPbcForPeer,
  wpsPin,
  type Command,
} from '../protocol/commands.js';
import type { ConnectMethod } from '../protocol/events.js';
import type { ConnectionMode } from './settings.js';

/**
 * WPS config methods the kiosk advertises (`SET config_methods`): push button where pbc is offered, `display`
 * (the kiosk shows a PIN the phone types) and `keypad` (the operator types a PIN the phone shows) where PINs
 * are. wpa_supplicant refuses provision discovery for methods it does not advertise (hostap p2p_pd.c).
 */
export function configMethodsFor(mode: ConnectionMode): string {
  switch (mode) {
    case 'static-pbc':
      return 'virtual_push_button';
    case 'static-pin':
      return 'display keypad';
    case 'dynamic':
      return 'virtual_push_button display keypad';
  }
}

export interface ConnectAnswer {
  readonly method: ConnectMethod;
  readonly pin: string | null;
  readonly goIntent: number;
  /** Authorise the peer to initiate (after its provision discovery) instead of initiating (hwsim README). */
  readonly auth: boolean;
  readonly persistent: boolean;
  readonly freq: number | undefined;
}

/**
 * The commands the kiosk sends, in its own words, all built and validated by the protocol's builders (they
 * throw CommandValidationError before anything unchecked reaches wpa_supplicant).
 */
export const kioskCommands = {
  status: (): Command => status(),
  interfaces: (): Command => interfaces(),
  listNetworks: (): Command => listNetworks(),
  setDeviceName: (name: string): Command => set('device_name', name),
  setConfigMethods: (mode: ConnectionMode): Command => set('config_methods', configMethodsFor(mode)),
  perStaPsk: (): Command => p2pSet('per_sta_psk', 1),
  find: (): Command => p2pFind(),
  stopFind: (): Command => p2pStopFind(),
  cancel: (): Command => p2pCancel(),
  connect: (address: string, answer: ConnectAnswer): Command =>
    p2pConnect(address, answer.method === 'pbc' ? 'pbc' : (answer.pin ?? ''), {
      ...(answer.method === 'pbc' ? {} : { pinMode: answer.method }),
      persistent: answer.persistent,
      auth: answer.auth,
      goIntent: answer.goIntent,
      ...(answer.freq === undefined ? {} : { freq: answer.freq }),
    }),
  groupAdd: (options: {
    persistent: boolean;
    persistentId: number | null;
    freq: number | undefined;
  }): Command =>
    p2pGroupAdd({
      persistent: options.persistent && (options.persistentId ?? true),
      ...(options.freq === undefined ? {} : { freq: options.freq }),
    }),
  reinvoke: (persistentId: number): Command => p2pGroupAdd({ persistent: persistentId }),
  groupRemove: (group: string): Command => p2pGroupRemove(group),
  reject: (address: string): Command => p2pReject(address),
  removeClient: (address: string): Command => p2pRemoveClient(address),
  invite: (group: string, address: string): Command => p2pInvite({ group, peer: address }),
  /** Push the button on the GO for this one enrollee (Digi how-to: `wpa_cli -i <group> wps_pbc`). */
  wpsPbc: (group: string, address: string): Command => withIfname(group, wpsPbcForPeer(address)),
  /** Accept this PIN once on the GO (Digi how-to: `wps_pin any <pin>`). */
  wpsPin: (group: string, pin: string): Command => withIfname(group, wpsPin('any', pin)),
};

/**
 * For logs: replaces anything that looks like a WPS PIN (8 digits on their own) with asterisks, and the value of
 * passphrase= / psk= (P2P-GROUP-STARTED, P2P_GET_PASSPHRASE …) with [redacted].
 */
export function maskPins(text: string): string {
  return text
    .replace(/(?<![\w:])\d{8}(?![\w:])/g, '********')
    .replace(/\b(passphrase|psk)=("[^"]*"|\S+)/g, '$1=[redacted]');
}
