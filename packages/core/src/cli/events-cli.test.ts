import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runEventsCli } from './events-cli.js';

function collect(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    highWaterMark: 16, // tiny, so that back-pressure is exercised
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      setImmediate(done);
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('runEventsCli', () => {
  it('writes one JSON object per non-empty line', async () => {
    const input = Readable.from([
      '<3>P2P-FIND-STOPPED \r\n\n<3>WPS-FAIL msg=8 ',
      'config_error=18\nnot an event',
    ]);
    const output = collect();
    const count = await runEventsCli(input, output.stream);
    expect(count).toBe(3);
    const objects = output
      .text()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; fields: Record<string, string> });
    expect(objects.map((object) => object.type)).toEqual(['P2P-FIND-STOPPED', 'WPS-FAIL', 'unknown']);
    expect(objects[1]?.fields).toEqual({ msg: '8', config_error: '18' });
  });

  it('handles many lines through a slow writer', async () => {
    const input = new PassThrough();
    const output = collect();
    const done = runEventsCli(input, output.stream);
    for (let i = 0; i < 2000; i++)
      input.write(`<3>AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00\n`);
    input.end();
    expect(await done).toBe(2000);
    expect(output.text().split('\n').filter(Boolean)).toHaveLength(2000);
  });
});
