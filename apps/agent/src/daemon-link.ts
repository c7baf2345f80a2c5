import { EventEmitter } from 'node:events';
import type { CtrlPort, WpaCtrlClient, WpaEvent } from '@wdk/core';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

interface DaemonLinkEvents {
  event: [WpaEvent];
  disconnected: [];
  reconnected: [];
  /** The first connection, when connect() had to wait for the daemon. */
  up: [];
}

/**
 * The engine's view of wpa_supplicant: the control client's events, with the boot-order case folded in. When
 * the agent starts before the daemon (or the daemon is down), `connect()` answers false and keeps trying in
 * the background; `'up'` then fires once, so the agent starts the engine only when it can be heard.
 * Every request's round trip is measured for /metrics.
 */
export class DaemonLink extends EventEmitter<DaemonLinkEvents> implements CtrlPort {
  constructor(
    private readonly client: WpaCtrlClient,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    super();
    client.on('event', (event) => this.emit('event', event));
    client.on('disconnected', (info) => {
      this.logger.warn({ reason: info.reason }, 'wpa_supplicant went away');
      this.emit('disconnected');
    });
    client.on('reconnected', () => this.emit('reconnected'));
    client.on('error', (err) => this.logger.warn({ err: err.message }, 'control client error'));
  }

  /** True once the first connection is up. */
  get everConnected(): boolean {
    return this.#everConnected;
  }

  #everConnected = false;

  /** Connects now if the daemon is there (true); otherwise keeps trying in the background (false). */
  async connect(): Promise<boolean> {
    try {
      await this.client.connect();
      this.#everConnected = true;
      return true;
    } catch (err) {
      this.logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'wpa_supplicant not reachable yet; waiting for it',
      );
      void this.client.connect({ waitForDaemon: true }).then(
        () => {
          this.#everConnected = true;
          this.emit('up');
        },
        () => undefined, // closed while waiting
      );
      return false;
    }
  }

  async request(command: string, options?: { timeoutMs?: number }): Promise<string> {
    const stop = this.metrics.controlRoundTrip.startTimer();
    try {
      return await this.client.request(command, options);
    } finally {
      stop();
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
