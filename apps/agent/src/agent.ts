// First: V8 settings that must apply before the other modules load.
import './v8-footprint.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ConnectionRunner,
  Simulator,
  WpaCtrlClient,
  generateKeypadPin,
  groupSocketOpener,
  startSimHttp,
  systemClock,
  type ClockPort,
  type SimHttpServer,
} from '@wdk/core';
import { DaemonLink } from './daemon-link.js';
import { parseGroupAddressingConfig } from './dhcp/group-addressing.js';
import { WelcomePage } from './dhcp/welcome-page.js';
import { GroupAddressingService } from './group-addressing-service.js';
import { AuthService } from './auth/auth-service.js';
import { repoRoot, type AgentConfig } from './config.js';
import { applyPendingMigrations } from './db/migrate.js';
import { openDatabase } from './db/prisma.js';
import { startHttpServer } from './http/server.js';
import { KioskService } from './kiosk-service.js';
import { createLogger, type Logger } from './logger.js';
import { scheduleMemoryRelease } from './memory-release.js';
import { createMetrics } from './metrics.js';
import { HistoryStore } from './store/history-store.js';
import { HistoryWriter } from './store/history-writer.js';
import { SettingsStore } from './store/settings-store.js';
import { WhitelistStore } from './store/whitelist-store.js';

export interface RunningAgent {
  url: string;
  port: number;
  /** The in-process simulator with --simulate, for tests and the demo. */
  simulator: Simulator | null;
  kiosk: KioskService;
  routes(): { method: string; url: string }[];
  close(): Promise<void>;
}

export interface StartAgentOptions {
  logger?: Logger;
  /** Called once with the first-run admin passcode (printed by the CLI). */
  onFirstRunPasscode?: (passcode: string) => void;
  /**
   * The engine's clock (its timers and timestamps); default the system clock. The soak benchmark runs it
   * scaled like the simulator's radio, so that engine timeouts and radio timings keep their proportions.
   */
  clock?: ClockPort;
}

/** Starts the agent: database (migrated), simulator (with --simulate), control client, engine, API. */
export async function startAgent(
  config: AgentConfig,
  options: StartAgentOptions = {},
): Promise<RunningAgent> {
  const startedAt = performance.now();
  const logger = options.logger ?? createLogger(config.logLevel);
  const applied = await applyPendingMigrations({
    databaseUrl: config.db,
    migrationsDir: path.join(repoRoot, 'prisma', 'migrations'),
    logger,
  });
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const db = openDatabase(config.db);
  // WAL + full sync: an acknowledged write survives a crash of the agent or of the Pi.
  await db.$queryRawUnsafe('PRAGMA journal_mode=WAL');
  await db.$executeRawUnsafe('PRAGMA synchronous=FULL');
  await db.$queryRawUnsafe('PRAGMA busy_timeout=5000');

  let simulator: Simulator | null = null;
  let ctrlDir = config.ctrlDir;
  let simDir: string | null = null;
  let simHttp: SimHttpServer | null = null;
  if (config.simulate) {
    simDir = mkdtempSync(path.join(os.tmpdir(), 'wdk-sim-'));
    ctrlDir = simDir;
    simulator = new Simulator({ ctrlDir, iface: config.iface, timeScale: config.simTimeScale });
    await simulator.start();
    if (config.simHttpPort !== undefined)
      simHttp = await startSimHttp(simulator, { port: config.simHttpPort, host: '127.0.0.1' });
    logger.info({ ctrlDir, httpPort: config.simHttpPort ?? null }, 'simulator started');
  }

  const metrics = createMetrics();
  const ctrl = new DaemonLink(
    new WpaCtrlClient({ ctrlDir, ifname: config.iface }),
    metrics,
    logger.child({ component: 'ctrl' }),
  );
  const runner = new ConnectionRunner({
    ctrl,
    clock: options.clock ?? systemClock,
    pins: { generate: generateKeypadPin },
    logger: logger.child({ component: 'engine' }),
    // WPS_PBC / WPS_PIN for phones joining a standing group go to the group interface's own socket.
    openInterface: groupSocketOpener({ ctrlDir }),
  });
  const settingsStore = new SettingsStore(db);
  const history = new HistoryStore(db);
  // Sessions and the event log: batched commits whose fsync never holds the event loop.
  const historyWriter = HistoryWriter.open(config.db, (error) => kiosk.historyWriteFailed(error));
  const kiosk: KioskService = new KioskService(
    runner,
    new WhitelistStore(db),
    settingsStore,
    history,
    historyWriter,
    metrics,
    logger.child({ component: 'kiosk' }),
    () => ctrl.everConnected,
  );
  const dataDir = config.db.startsWith('file:') ? path.dirname(config.db.slice('file:'.length)) : os.tmpdir();
  const addressing = new GroupAddressingService(
    parseGroupAddressingConfig({ enabled: config.dhcp ?? !config.simulate }),
    {
      request: (command) => ctrl.request(command),
      onClientIp: (address, ip) => void kiosk.setClientIp(address, ip),
      onError: (message) => kiosk.reportAgentError('dhcp', message),
      deviceName: async () => (await kiosk.settings()).deviceName,
    },
    logger.child({ component: 'dhcp' }),
    dataDir,
    config.welcomePage ? { welcomePage: new WelcomePage({ logger }) } : {},
  );
  ctrl.on('event', (event) => addressing.onWpaEvent(event));
  runner.on('domain-event', (event) => addressing.onDomainEvent(event));
  kiosk.clientIp = (address) => addressing.ipOf(address);
  const auth = new AuthService(settingsStore);
  const firstPasscode = await auth.ensurePasscode();
  if (firstPasscode) options.onFirstRunPasscode?.(firstPasscode);
  await kiosk.load();

  const http = await startHttpServer({
    host: config.host,
    port: config.port,
    webOrigins: config.webOrigins,
    trustProxy: config.trustProxy,
    logger,
    kiosk,
    auth,
    metrics,
  });

  // The daemon may start after us (boot order) or be restarting: the link keeps trying, and the engine
  // starts when the daemon can hear it.
  const startEngine = () => {
    void addressing.configureDaemon();
    runner.start();
  };
  ctrl.on('reconnected', () => void addressing.configureDaemon());
  if (await ctrl.connect()) startEngine();
  else ctrl.once('up', startEngine);

  const pruneTimer = setInterval(() => void history.pruneEvents(new Date()).catch(() => undefined), 3600_000);
  pruneTimer.unref();
  // Freed C-heap memory back to the system once startup is over, then every few minutes.
  const stopMemoryRelease = scheduleMemoryRelease();
  logger.info(
    { url: http.url, simulate: config.simulate, readyMs: Math.round(performance.now() - startedAt) },
    'agent ready',
  );

  return {
    url: http.url,
    port: http.port,
    simulator,
    kiosk,
    routes: () => http.routes,
    async close() {
      clearInterval(pruneTimer);
      stopMemoryRelease();
      await runner.stop();
      await addressing.close();
      await http.close();
      await historyWriter.close();
      await ctrl.close();
      await simHttp?.close();
      await simulator?.stop();
      if (simDir) rmSync(simDir, { recursive: true, force: true });
      await db.$disconnect();
    },
  };
}
