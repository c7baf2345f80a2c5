/** A MAC address as wpa_supplicant prints it with MACSTR: six lower-case hex pairs joined by ':'. */
export type MacAddress = string;

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** True for `xx:xx:xx:xx:xx:xx` in either case. A char scan, no regex: the event parser calls it per token. */
export function isMacAddress(text: string): boolean {
  if (text.length !== 17) return false;
  for (let i = 0; i < 17; i++) {
    const code = text.charCodeAt(i);
    if (i % 3 === 2) {
      if (code !== 58 /* : */) return false;
    } else if (!isHexDigit(code)) {
      return false;
    }
  }
  return true;
}
