import { randomBytes } from 'node:crypto';

export interface AuthSession {
  token: string;
  user: string;
  expiresAt: number;
}

/**
 * Login sessions of LAN browsers, in memory: an agent restart logs everybody out, which is the safe
 * default for an unattended kiosk. Sliding expiry.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, AuthSession>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(user: string): AuthSession {
    this.prune();
    const session = {
      token: randomBytes(32).toString('base64url'),
      user,
      expiresAt: this.now() + this.ttlMs,
    };
    this.sessions.set(session.token, session);
    return session;
  }

  /** The live session for a token, its expiry pushed forward; null when unknown or expired. */
  touch(token: string | undefined): AuthSession | null {
    if (!token) return null;
    const session = this.sessions.get(token);
    if (!session) return null;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(token);
      return null;
    }
    session.expiresAt = this.now() + this.ttlMs;
    return session;
  }

  revoke(token: string | undefined): void {
    if (token) this.sessions.delete(token);
  }

  revokeAll(): void {
    this.sessions.clear();
  }

  private prune(): void {
    const now = this.now();
    for (const [token, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(token);
  }
}
