export interface ReconnectBackoffOptions {
  /** Delay before the first attempt after a loss. Default 100 ms. */
  initialDelayMs?: number;
  /**
   * Longest delay between attempts. Default 2 000 ms, so that a daemon that comes back is found within 2 s
   * even without the socket-file watch (e.g. when the whole ctrl_interface directory was removed).
   */
  maxDelayMs?: number;
}

/** Exponential backoff (doubling, capped) for reconnect attempts; reset after a success. */
export class ReconnectBackoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  #next: number;

  constructor(options: ReconnectBackoffOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? 100;
    this.maxDelayMs = Math.max(options.maxDelayMs ?? 2000, this.initialDelayMs);
    this.#next = this.initialDelayMs;
  }

  /** The delay before the next attempt; each call doubles the following one up to the cap. */
  nextDelay(): number {
    const delay = this.#next;
    this.#next = Math.min(this.#next * 2, this.maxDelayMs);
    return delay;
  }

  reset(): void {
    this.#next = this.initialDelayMs;
  }
}
