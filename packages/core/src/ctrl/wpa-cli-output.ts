/**
 * Splits what an interactive `wpa_cli` prints into lines and prompts. Its output mixes the readline echo of
 * what we typed, replies, the `> ` prompt, and events, which wpa_cli prints as `\r<3>EVENT\n` and follows with
 * a redrawn prompt (wpa_cli.c, wpa_cli_recv_pending: edit_clear_line, printf("\r%s\n"), edit_redraw).
 * A carriage return means "the terminal overwrites this line", so only the text after the last one counts;
 * escape sequences (readline's `ESC[K` and friends) are dropped.
 */

export type WpaCliOutputToken = { kind: 'prompt' } | { kind: 'line'; text: string };

const PROMPT = '> ';
// CSI sequences (ESC [ … final byte), two-byte escapes, and the bell.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|\x07/g;

export class WpaCliOutputParser {
  #partial = '';

  /** Feeds a chunk of stdout; returns the tokens it completes, in order. */
  push(chunk: string): WpaCliOutputToken[] {
    const tokens: WpaCliOutputToken[] = [];
    const lines = (this.#partial + chunk).replace(ESCAPES, '').split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) readLine(line, tokens);
    // A prompt is not followed by a newline until something is typed or printed: recognise it in the
    // unfinished line too, where wpa_cli waits for input. Trailing CRs are kept: they may be half of a CRLF.
    const trailingCrs = /\r*$/.exec(this.#partial)?.[0] ?? '';
    const shown = takePrompts(this.#partial.slice(0, this.#partial.length - trailingCrs.length), tokens);
    this.#partial = shown + trailingCrs;
    return tokens;
  }
}

function readLine(line: string, tokens: WpaCliOutputToken[]): void {
  const text = takePrompts(line.replace(/\r+$/, ''), tokens);
  tokens.push({ kind: 'line', text });
}

/**
 * Emits the prompts in `text` and returns what the terminal would still show after them. Overwritten
 * segments (before a CR) only matter when they were prompts (`> ` then `\r<3>EVENT`); a prompt in front of
 * text is a redrawn prompt followed by the echo of what is being typed (`> raw STATUS`).
 */
function takePrompts(text: string, tokens: WpaCliOutputToken[]): string {
  let shown = '';
  for (let segment of text.split('\r')) {
    while (segment.startsWith(PROMPT)) {
      tokens.push({ kind: 'prompt' });
      segment = segment.slice(PROMPT.length);
    }
    shown = segment;
  }
  return shown;
}
