/** A MAC address as wpa_supplicant prints it (MACSTR): six lower-case hex pairs joined by ':'. */
export type MacAddress = string;

const MAC_PATTERN = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

export function isMacAddress(text: string): boolean {
  return MAC_PATTERN.test(text);
}

export function normalizeMac(text: string): MacAddress {
  return text.toLowerCase();
}

/**
 * The interface address a device uses in a P2P group. hwsim (and most drivers) derive it from the P2P
 * device address by setting bit 0x04 of the first octet: device 42:00:00:00:01:00 → group interface
 * 46:00:00:00:01:00 (hwsim README, "Protocol quirks learned").
 */
export function groupInterfaceAddress(deviceAddress: MacAddress): MacAddress {
  const [first = '00', ...rest] = deviceAddress.split(':');
  const octet = (Number.parseInt(first, 16) | 0x04).toString(16).padStart(2, '0');
  return [octet, ...rest].join(':');
}

/** The n-th simulated phone's P2P device address: 42:00:00:00:0n:00 like hwsim radio n. */
export function simulatedDeviceAddress(index: number): MacAddress {
  const high = ((index >> 8) & 0xff).toString(16).padStart(2, '0');
  const low = (index & 0xff).toString(16).padStart(2, '0');
  return `42:00:00:${high}:${low}:00`;
}
