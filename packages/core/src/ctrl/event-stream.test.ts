import { describe, expect, it } from 'vitest';
import { EventBufferOverflowError, EventStreams } from './event-stream.js';
import { ReconnectBackoff } from './reconnect-backoff.js';

describe('EventStreams', () => {
  it('buffers for each iterator from the moment it is opened, and ends after the buffer', async () => {
    const streams = new EventStreams<number>();
    streams.push(0);
    const iterator = streams.open();
    streams.push(1);
    streams.push(2);
    streams.endAll();
    const seen: number[] = [];
    for await (const value of iterator) seen.push(value);
    expect(seen).toEqual([1, 2]);
    expect(await streams.open().next()).toEqual({ value: undefined, done: true });
  });

  it('tells a consumer that falls behind instead of dropping events silently', async () => {
    const streams = new EventStreams<number>();
    const iterator = streams.open({ maxBuffered: 2 });
    for (const value of [1, 2, 3]) streams.push(value);
    expect((await iterator.next()).value).toBe(1);
    expect((await iterator.next()).value).toBe(2);
    await expect(iterator.next()).rejects.toBeInstanceOf(EventBufferOverflowError);
  });

  it('ends a waiting next() with the abort reason', async () => {
    const streams = new EventStreams<number>();
    const controller = new AbortController();
    const pending = streams.open({ signal: controller.signal }).next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('ReconnectBackoff', () => {
  it('doubles from 100 ms up to the 2 s cap, and starts over after reset', () => {
    const backoff = new ReconnectBackoff();
    expect(Array.from({ length: 7 }, () => backoff.nextDelay())).toEqual([
      100, 200, 400, 800, 1600, 2000, 2000,
    ]);
    backoff.reset();
    expect(backoff.nextDelay()).toBe(100);
  });
});
