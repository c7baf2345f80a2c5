/**
 * Login rate limit per client address: after `freeAttempts` failures, each further attempt must wait an
 * exponentially growing delay (capped). A success clears the record.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; blockedUntil: number }>();

  constructor(
    private readonly freeAttempts = 5,
    private readonly baseDelayMs = 1000,
    private readonly maxDelayMs = 15 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the client must still wait, 0 when it may try. */
  retryAfterMs(client: string): number {
    const record = this.failures.get(client);
    return record ? Math.max(0, record.blockedUntil - this.now()) : 0;
  }

  recordFailure(client: string): void {
    const record = this.failures.get(client) ?? { count: 0, blockedUntil: 0 };
    record.count += 1;
    const over = record.count - this.freeAttempts;
    record.blockedUntil =
      over > 0 ? this.now() + Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (over - 1)) : 0;
    this.failures.set(client, record);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  recordSuccess(client: string): void {
    this.failures.delete(client);
  }
}
