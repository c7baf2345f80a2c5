import { describe, expect, it } from 'vitest';
import { RequestQueue, type RequestQueueTransport } from './request-queue.js';

function queueWith(abandoned: 'next' | 'hold'): { queue: RequestQueue; sent: string[] } {
  const sent: string[] = [];
  const transport: RequestQueueTransport = {
    send: async (command) => {
      sent.push(command);
    },
    timeoutError: (command, timeoutMs) => new Error(`${command} timed out after ${timeoutMs}`),
    abandoned: () => abandoned,
  };
  return { queue: new RequestQueue(transport), sent };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RequestQueue', () => {
  it('sends the next command only after the reply to the previous one', async () => {
    const { queue, sent } = queueWith('next');
    const first = queue.enqueue('A');
    const second = queue.enqueue('B');
    await tick();
    expect(sent).toEqual(['A']);
    queue.deliverReply('a');
    await tick();
    expect(sent).toEqual(['A', 'B']);
    queue.deliverReply('b');
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(queue.deliverReply('stray')).toBe(false);
  });

  it("'hold' swallows the late reply of a timed-out command before sending the next", async () => {
    const { queue, sent } = queueWith('hold');
    const slow = queue.enqueue('SLOW', { timeoutMs: 10 });
    const next = queue.enqueue('NEXT');
    await expect(slow).rejects.toThrow('SLOW timed out after 10');
    expect(sent).toEqual(['SLOW']);
    expect(queue.awaitingReply).toBe(true);
    queue.deliverReply('late reply to SLOW');
    await tick();
    expect(sent).toEqual(['SLOW', 'NEXT']);
    queue.deliverReply('reply to NEXT');
    expect(await next).toBe('reply to NEXT');
  });

  it("'next' sends the following command at once after a timeout", async () => {
    const { queue, sent } = queueWith('next');
    const slow = queue.enqueue('SLOW', { timeoutMs: 10 });
    void queue.enqueue('NEXT').catch(() => undefined);
    await expect(slow).rejects.toThrow('timed out');
    await tick();
    expect(sent).toEqual(['SLOW', 'NEXT']);
    queue.failAll(new Error('closed'));
  });

  it('fails the request whose send failed, and carries on', async () => {
    const sent: string[] = [];
    const queue = new RequestQueue({
      send: async (command) => {
        if (command === 'BAD') throw new Error('ENOENT');
        sent.push(command);
      },
      timeoutError: () => new Error('timeout'),
      abandoned: () => 'next',
    });
    const bad = queue.enqueue('BAD');
    const good = queue.enqueue('GOOD');
    await expect(bad).rejects.toThrow('ENOENT');
    await tick();
    queue.deliverReply('ok');
    expect(await good).toBe('ok');
    expect(sent).toEqual(['GOOD']);
  });

  it('failAll rejects what is sent and what waits', async () => {
    const { queue } = queueWith('next');
    const requests = [queue.enqueue('A'), queue.enqueue('B')];
    queue.failAll(new Error('closed'));
    for (const request of requests) await expect(request).rejects.toThrow('closed');
    expect(queue.size).toBe(0);
  });
});
