const BACKSLASH = 92;
const textEncoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

const SIMPLE_ESCAPES: ReadonlyMap<string, number> = new Map([
  ['\\', 0x5c],
  ['"', 0x22],
  ['n', 0x0a],
  ['r', 0x0d],
  ['t', 0x09],
  ['e', 0x1b],
]);

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/**
 * Reverses hostap's printf_encode() (src/utils/common.c), which wpa_supplicant uses for SSIDs in events and in
 * LIST_NETWORKS: `\\`, `\"`, `\n`, `\r`, `\t`, `\e` and `\xNN` for any other byte outside 32..126. The bytes are
 * decoded as UTF-8, the encoding phones use for their SSIDs; invalid sequences become U+FFFD.
 * Unknown escapes are kept as written.
 */
export function printfDecode(text: string): string {
  if (!text.includes('\\')) return text;
  const bytes: number[] = [];
  let literalStart = 0;
  const flushLiteral = (end: number): void => {
    if (end > literalStart)
      for (const byte of textEncoder.encode(text.slice(literalStart, end))) bytes.push(byte);
  };
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== BACKSLASH || i + 1 >= text.length) continue;
    const next = text[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES.get(next);
    if (simple !== undefined) {
      flushLiteral(i);
      bytes.push(simple);
      i += 1;
      literalStart = i + 1;
      continue;
    }
    if (next === 'x' && i + 3 < text.length) {
      const high = hexValue(text.charCodeAt(i + 2));
      const low = hexValue(text.charCodeAt(i + 3));
      if (high >= 0 && low >= 0) {
        flushLiteral(i);
        bytes.push(high * 16 + low);
        i += 3;
        literalStart = i + 1;
      }
    }
  }
  flushLiteral(text.length);
  return utf8Decoder.decode(new Uint8Array(bytes));
}
