import { ApiError } from '../api/errors.js';
import type { SettingsStore } from '../store/settings-store.js';
import { LoginThrottle } from './login-throttle.js';
import {
  generatePasscode,
  hashPasscode,
  isAcceptablePasscode,
  passcodeRule,
  verifyPasscode,
} from './passcode.js';
import { SessionRegistry } from './sessions.js';

const PASSCODE_KEY = 'auth.passcodeHash';

/** The admin passcode (hashed in the settings table), LAN login sessions and the login rate limit. */
export class AuthService {
  readonly sessions: SessionRegistry;
  readonly throttle = new LoginThrottle();

  constructor(
    private readonly settings: SettingsStore,
    readonly sessionTtlMs = 8 * 3600 * 1000,
  ) {
    this.sessions = new SessionRegistry(sessionTtlMs);
  }

  /** On first run, creates a passcode and returns it so it can be printed once; afterwards null. */
  async ensurePasscode(): Promise<string | null> {
    if (typeof (await this.settings.read(PASSCODE_KEY)) === 'string') return null;
    const passcode = generatePasscode();
    await this.settings.write({ [PASSCODE_KEY]: await hashPasscode(passcode) });
    return passcode;
  }

  async setPasscode(passcode: string): Promise<void> {
    if (!isAcceptablePasscode(passcode))
      throw new ApiError('bad-request', `passcode ${passcodeRule}`, 'passcode');
    await this.settings.write({ [PASSCODE_KEY]: await hashPasscode(passcode) });
    this.sessions.revokeAll();
  }

  async login(client: string, passcode: string) {
    const wait = this.throttle.retryAfterMs(client);
    if (wait > 0)
      throw new ApiError(
        'rate-limited',
        `too many wrong passcodes; try again in ${Math.ceil(wait / 1000)} s`,
      );
    const stored = await this.settings.read(PASSCODE_KEY);
    if (typeof stored !== 'string' || !(await verifyPasscode(passcode, stored))) {
      this.throttle.recordFailure(client);
      throw new ApiError('unauthorized', 'wrong passcode', 'passcode');
    }
    this.throttle.recordSuccess(client);
    return this.sessions.create('admin');
  }
}
