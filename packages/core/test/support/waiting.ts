/** Bounded waits for transport tests: every wait has a deadline, so a broken transport fails, never hangs. */
import type { WpaCtrlTransport } from '../../src/ctrl/wpa-ctrl-transport.js';
import type { WpaEvent } from '../../src/protocol/events.js';

/** Resolves with the first event matching `test`, or rejects after `timeoutMs`. */
export function nextEvent(
  transport: Pick<WpaCtrlTransport, 'on' | 'off'>,
  test: (event: WpaEvent) => boolean,
  timeoutMs = 3000,
): Promise<WpaEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      transport.off('event', listener);
      reject(new Error(`no matching event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (event: WpaEvent): void => {
      if (!test(event)) return;
      clearTimeout(timer);
      transport.off('event', listener);
      resolve(event);
    };
    transport.on('event', listener);
  });
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
