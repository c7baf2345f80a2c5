import { describe, expect, it } from 'vitest';
import { printfDecode } from './printf-encoding.js';

describe('printfDecode (hostap printf_encode reversed)', () => {
  it.each([
    ['DIRECT-Ee', 'DIRECT-Ee'],
    ['a\\\\b', 'a\\b'],
    ['say \\"hi\\"', 'say "hi"'],
    ['line\\nbreak\\r\\t\\e', 'line\nbreak\r\t\x1b'],
    ['caf\\xc3\\xa9', 'café'],
    ['\\x00\\x7f', '\x00\x7f'],
    ['bad \\xZZ and \\q', 'bad \\xZZ and \\q'],
    ['trailing \\', 'trailing \\'],
    ['short \\x4', 'short \\x4'],
    ['ünïcode \\x41', 'ünïcode A'],
  ])('%j → %j', (encoded, decoded) => {
    expect(printfDecode(encoded)).toBe(decoded);
  });

  it('replaces invalid UTF-8 with U+FFFD', () => {
    expect(printfDecode('\\xff')).toBe('\uFFFD');
  });
});
