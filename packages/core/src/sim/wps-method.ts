import type { WpsMethodText } from './event-text.js';

/**
 * WPS provisioning method of one side of a connection, named from that side's point of view:
 * `display` = I show a PIN, the peer types it; `keypad` = I type the PIN the peer shows.
 */
export type WpsMethod = 'pbc' | 'display' | 'keypad';

/**
 * Device Password ID a side puts in its GO Negotiation Request (hostap p2p_wps_method_pw_id()):
 * keypad → 1 (DEV_PW_USER_SPECIFIED), display → 5 (DEV_PW_REGISTRAR_SPECIFIED), pbc → 4 (DEV_PW_PUSHBUTTON).
 */
export function devicePasswordId(method: WpsMethod): number {
  switch (method) {
    case 'keypad':
      return 1;
    case 'display':
      return 5;
    case 'pbc':
      return 4;
  }
}

/** The method that answers the peer's: the kiosk displays when the phone types, and vice versa. */
export function complementaryMethod(peerMethod: WpsMethod): WpsMethod {
  switch (peerMethod) {
    case 'keypad':
      return 'display';
    case 'display':
      return 'keypad';
    case 'pbc':
      return 'pbc';
  }
}

/** p2p_wps_method_text(): how P2P-GO-NEG-SUCCESS names a method. */
export function wpsMethodText(method: WpsMethod): WpsMethodText {
  switch (method) {
    case 'pbc':
      return 'PBC';
    case 'display':
      return 'Display';
    case 'keypad':
      return 'Keypad';
  }
}

/** WPS config methods bits (WPS spec table 33) used in Provision Discovery. */
export const CONFIG_METHOD = {
  display: 0x0008,
  pushButton: 0x0080,
  keypad: 0x0100,
} as const;
