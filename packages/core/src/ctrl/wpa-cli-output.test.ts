import { describe, expect, it } from 'vitest';
import { WpaCliOutputParser, type WpaCliOutputToken } from './wpa-cli-output.js';

/** Chunks exactly as Debian's wpa_cli 2.10 wrote them to a pipe (TERM=dumb), captured against a real daemon. */
const SESSION = [
  'wpa_cli v2.10\nCopyright (c) 2004-2022, Jouni Malinen <j@w1.fi> and contributors\n\nInteractive mode\n\n> ',
  'raw PING\n',
  'PONG\n> ',
  'raw ADD_NETWORK\n',
  '0\n> \r<3>CTRL-EVENT-NETWORK-ADDED 0\n> raw STATUS\n',
  'wpa_state=DISCONNECTED\naddress=a6:47:ad:08:a0:02\n> ',
  '\r<3>CTRL-EVENT-TERMINATING \n> \rConnection to wpa_supplicant lost - trying to reconnect\n> ',
  'raw PING\nNot connected to wpa_supplicant - command dropped.\n> ',
  '> \r  \r',
];

const line = (text: string): WpaCliOutputToken => ({ kind: 'line', text });
const prompt: WpaCliOutputToken = { kind: 'prompt' };

describe('WpaCliOutputParser', () => {
  it('turns a wpa_cli session into lines and prompts', () => {
    const parser = new WpaCliOutputParser();
    const tokens = SESSION.flatMap((chunk) => parser.push(chunk));
    expect(tokens).toEqual([
      line('wpa_cli v2.10'),
      line('Copyright (c) 2004-2022, Jouni Malinen <j@w1.fi> and contributors'),
      line(''),
      line('Interactive mode'),
      line(''),
      prompt,
      line('raw PING'),
      line('PONG'),
      prompt,
      line('raw ADD_NETWORK'),
      line('0'),
      prompt,
      line('<3>CTRL-EVENT-NETWORK-ADDED 0'),
      prompt,
      line('raw STATUS'),
      line('wpa_state=DISCONNECTED'),
      line('address=a6:47:ad:08:a0:02'),
      prompt,
      line('<3>CTRL-EVENT-TERMINATING '),
      prompt,
      line('Connection to wpa_supplicant lost - trying to reconnect'),
      prompt,
      line('raw PING'),
      line('Not connected to wpa_supplicant - command dropped.'),
      prompt,
      prompt,
    ]);
  });

  it('gives the same tokens whatever the chunking', () => {
    const whole = new WpaCliOutputParser().push(SESSION.join(''));
    const text = SESSION.join('');
    for (const size of [1, 2, 3, 7, 64]) {
      const parser = new WpaCliOutputParser();
      const tokens: WpaCliOutputToken[] = [];
      for (let at = 0; at < text.length; at += size) tokens.push(...parser.push(text.slice(at, at + size)));
      // Split inside "> " a prompt is only recognised once both characters are there, and it still is.
      expect(tokens.filter((token) => token.kind === 'line')).toEqual(
        whole.filter((token) => token.kind === 'line'),
      );
      expect(tokens.filter((token) => token.kind === 'prompt').length).toBe(
        whole.filter((token) => token.kind === 'prompt').length,
      );
    }
  });

  it('drops escape sequences and keeps the text after carriage returns', () => {
    const parser = new WpaCliOutputParser();
    expect(
      parser.push('raw ST\r\x1b[K<3>P2P-DEVICE-LOST p2p_dev_addr=02:00:00:00:01:00\n> raw STATUS\n'),
    ).toEqual([line('<3>P2P-DEVICE-LOST p2p_dev_addr=02:00:00:00:01:00'), prompt, line('raw STATUS')]);
    expect(parser.push('OK\r\n> ')).toEqual([line('OK'), prompt]);
  });
});
