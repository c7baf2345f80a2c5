import { EventEmitter } from 'node:events';
import {
  engineSettingsSchema,
  type ConnectionRunner,
  type DomainEvent,
  type EngineSettings,
  type KioskSnapshot,
} from '@wdk/core';
import type { Caller } from './api/commands.js';
import { ApiError, storageFailure } from './api/errors.js';
import type { Logger } from './logger.js';
import { peerAddressOf, summarizeDomainEvent } from './domain-event-summary.js';
import type { Metrics } from './metrics.js';
import type { HistoryStore } from './store/history-store.js';
import type { HistoryWriteError, HistoryWriter } from './store/history-writer.js';
import type { SettingsStore } from './store/settings-store.js';
import type { WhitelistInput, WhitelistRecord, WhitelistStore } from './store/whitelist-store.js';

const ENGINE_SETTINGS_KEY = 'engine';

/** What the kiosk shows: the engine's snapshot plus what the agent adds (client IPs, its own errors). */
export type KioskState = Omit<KioskSnapshot, 'clients'> & {
  clients: (KioskSnapshot['clients'][number] & { ip: string | null })[];
};

interface KioskServiceEvents {
  state: [KioskState];
  'domain-event': [DomainEvent];
  whitelist: [WhitelistRecord[]];
  settings: [EngineSettings];
}

/**
 * The agent's application layer: operator actions go to the engine runner and are audited; the runner's
 * domain events become sessions, event-log rows and metrics. Every write is awaited before the caller
 * gets its answer, so an acknowledged change survives a crash.
 */
export class KioskService extends EventEmitter<KioskServiceEvents> {
  private agentError: { code: string; message: string; at: number } | null = null;
  /** The IP address a client got (DHCP or EAPOL), when group addressing runs. */
  clientIp: (address: string) => string | null = () => null;

  constructor(
    private readonly runner: ConnectionRunner,
    readonly whitelist: WhitelistStore,
    private readonly settingsStore: SettingsStore,
    readonly history: HistoryStore,
    /** Sessions and event log, written without blocking the event loop (see HistoryWriter). */
    private readonly writer: HistoryWriter,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    /** False until wpa_supplicant has answered once (the engine has not started before that). */
    private readonly daemonReached: () => boolean = () => true,
  ) {
    super();
    runner.on('snapshot', () => this.emit('state', this.state()));
    runner.on('domain-event', (event) => {
      // Queued for the history writer (its own thread, in order); the event loop does not wait for the disk.
      this.record(event);
      this.emit('domain-event', event);
    });
    runner.on('remember-peer', (peer) => {
      void this.rememberPeer(peer.address, peer.name);
    });
  }

  /** Loads settings and whitelist into the engine; closes sessions a crash left open. */
  async load(): Promise<void> {
    const closed = await this.history.closeOpenSessions('agent-restart', new Date());
    if (closed > 0) this.logger.warn({ sessions: closed }, 'closed sessions left open by a previous run');
    this.runner.setSettings(await this.settings());
    await this.pushWhitelist();
  }

  /** Waits until every domain event so far is persisted (tests, shutdown). */
  async flush(): Promise<void> {
    await this.writer.flush();
  }

  /** A history write failed in the writer (SQLITE_FULL, a lock held too long, …): shown on the kiosk. */
  historyWriteFailed(error: HistoryWriteError): void {
    this.logger.error({ err: error }, 'could not record a domain event');
    const storage = storageFailure(error);
    const what =
      error.op === null ? 'recent events' : error.op.kind === 'event' ? error.op.type : 'a client IP';
    this.reportAgentError(
      storage ? 'storage' : 'history',
      `could not record ${what} in the history: ${storage?.message ?? 'internal error'}`,
    );
  }

  state(): KioskState {
    const snapshot = this.runner.snapshot();
    const state: KioskState = {
      ...snapshot,
      clients: snapshot.clients.map((client) => ({ ...client, ip: this.clientIp(client.address) })),
      // The more recent of the engine's error and the agent's own: a full disk must not hide behind an old one.
      lastError:
        this.agentError && (!snapshot.lastError || this.agentError.at >= snapshot.lastError.at)
          ? this.agentError
          : snapshot.lastError,
    };
    return this.daemonReached() ? state : { ...state, daemon: 'disconnected', discoverable: false };
  }

  /** A problem of the agent itself (not of a connection), shown on the kiosk until the next one. */
  reportAgentError(code: string, message: string): void {
    this.agentError = { code, message, at: Date.now() };
    this.emit('state', this.state());
  }

  /** Clears the agent's own error of that kind once the problem is gone (a write went through again). */
  clearAgentError(code: string): void {
    if (this.agentError?.code !== code) return;
    this.agentError = null;
    this.emit('state', this.state());
  }

  async setClientIp(address: string, ip: string): Promise<void> {
    this.writer.write({ kind: 'client-ip', address, ip });
    this.emit('state', this.state());
  }

  peers() {
    return this.runner.snapshot().peers;
  }

  async settings(): Promise<EngineSettings> {
    const stored = await this.settingsStore.read(ENGINE_SETTINGS_KEY);
    const parsed = engineSettingsSchema.safeParse(stored ?? {});
    if (parsed.success) return parsed.data;
    this.logger.warn({ issues: parsed.error.issues }, 'stored settings are invalid; using defaults');
    return engineSettingsSchema.parse({});
  }

  async updateSettings(patch: Record<string, unknown>, caller: Caller): Promise<EngineSettings> {
    const current = await this.settings();
    const parsed = engineSettingsSchema.safeParse({ ...current, ...patch });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || undefined;
      throw new ApiError('bad-request', `${field ?? 'settings'}: ${issue?.message ?? 'invalid'}`, field);
    }
    const unknownKeys = Object.keys(patch).filter((key) => !(key in parsed.data));
    if (unknownKeys.length > 0)
      throw new ApiError('bad-request', `unknown setting(s): ${unknownKeys.join(', ')}`, unknownKeys[0]);
    await this.settingsStore.write({ [ENGINE_SETTINGS_KEY]: parsed.data });
    await this.history.audit(caller.actor, 'settings.update', maskSecrets(patch));
    this.runner.setSettings(parsed.data);
    this.emit('settings', parsed.data);
    return parsed.data;
  }

  async addToWhitelist(input: WhitelistInput, caller: Caller): Promise<WhitelistRecord> {
    if (input.address && (await this.whitelist.findByAddress(input.address))) {
      throw new ApiError('conflict', `${input.address} is already on the whitelist`, 'address');
    }
    const entry = await this.whitelist.add(input, caller.actor);
    await this.history.audit(caller.actor, 'whitelist.add', {
      id: entry.id,
      address: entry.address,
      name: entry.name,
    });
    await this.pushWhitelist();
    return entry;
  }

  async updateWhitelistEntry(id: number, input: WhitelistInput, caller: Caller): Promise<WhitelistRecord> {
    const existing = await this.whitelist.get(id);
    if (!existing) throw new ApiError('not-found', `no whitelist entry ${id}`, 'id');
    const address = input.address === undefined ? existing.address : input.address;
    const name = input.name === undefined ? existing.name : input.name;
    if (!address && !name)
      throw new ApiError('bad-request', 'address: give an address, a name, or both', 'address');
    if (
      input.address &&
      input.address !== existing.address &&
      (await this.whitelist.findByAddress(input.address))
    ) {
      throw new ApiError('conflict', `${input.address} is already on the whitelist`, 'address');
    }
    const entry = await this.whitelist.update(id, input);
    await this.history.audit(caller.actor, 'whitelist.update', { id, ...input });
    await this.pushWhitelist();
    return entry;
  }

  async removeFromWhitelist(id: number, caller: Caller): Promise<WhitelistRecord> {
    if (!(await this.whitelist.get(id))) throw new ApiError('not-found', `no whitelist entry ${id}`, 'id');
    const entry = await this.whitelist.remove(id);
    await this.history.audit(caller.actor, 'whitelist.remove', {
      id,
      address: entry.address,
      name: entry.name,
    });
    await this.pushWhitelist();
    return entry;
  }

  async approve(id: string, remember: boolean, caller: Caller) {
    const result = this.runner.approve(id, { remember });
    if (!result.ok) throw new ApiError('not-found', result.message, 'id');
    this.metrics.approvals.inc({ outcome: remember ? 'approved-remembered' : 'approved' });
    await this.history.audit(caller.actor, 'approval.approve', { id, remember });
    return { approved: id };
  }

  async deny(id: string, caller: Caller) {
    const result = this.runner.deny(id);
    if (!result.ok) throw new ApiError('not-found', result.message, 'id');
    this.metrics.approvals.inc({ outcome: 'denied' });
    await this.history.audit(caller.actor, 'approval.deny', { id });
    return { denied: id };
  }

  async kick(address: string, caller: Caller) {
    const result = this.runner.kick(address);
    if (!result.ok) throw new ApiError('not-found', result.message, 'address');
    await this.history.audit(caller.actor, 'client.kick', { address });
    return { kicked: address };
  }

  async enterPeerPin(address: string, pin: string, caller: Caller) {
    const result = this.runner.enterPeerPin(address, pin);
    if (!result.ok) throw new ApiError('not-found', result.message, 'address');
    await this.history.audit(caller.actor, 'peer-pin.enter', { address });
    return { entered: address };
  }

  async setDiscoverable(on: boolean, caller: Caller) {
    const result = this.runner.setDiscoverable(on);
    if (!result.ok) throw new ApiError('conflict', result.message);
    await this.history.audit(caller.actor, 'discovery.set', { on });
    return { discoverable: on };
  }

  private async rememberPeer(address: string, name: string | null) {
    try {
      if (await this.whitelist.findByAddress(address)) return;
      await this.whitelist.add({ address, name, label: name ?? address }, 'approval');
      await this.pushWhitelist();
    } catch (err) {
      this.logger.error({ err, address }, 'could not remember an approved peer');
    }
  }

  private async pushWhitelist() {
    const entries = await this.whitelist.list();
    this.runner.setWhitelist(entries.map(({ id, address, name }) => ({ id: String(id), address, name })));
    this.emit('whitelist', entries);
  }

  private record(event: DomainEvent): void {
    this.metrics.events.inc({ type: event.type });
    if (event.type === 'connected') this.metrics.connections.inc();
    if (event.type === 'failed') this.metrics.failures.inc({ reason: event.reason });
    const session =
      event.type === 'connecting' ||
      event.type === 'connected' ||
      event.type === 'disconnected' ||
      event.type === 'failed'
        ? {
            address: event.address,
            name: event.name || null,
            method: event.type === 'connecting' ? event.method : 'unknown',
            reason: event.type === 'disconnected' || event.type === 'failed' ? event.reason : null,
            groupIfname: event.type === 'connected' ? (this.runner.snapshot().group?.ifname ?? null) : null,
          }
        : undefined;
    this.writer.write({
      kind: 'event',
      type: event.type,
      at: Date.now(),
      peerAddress: peerAddressOf(event),
      summary: summarizeDomainEvent(event),
      ...(session ? { session } : {}),
    });
  }
}

function maskSecrets(patch: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(patch).map(([key, value]) => [key, /pin|pass/i.test(key) && value ? '[set]' : value]),
  );
}
