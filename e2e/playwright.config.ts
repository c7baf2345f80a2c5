import { defineConfig } from '@playwright/test';
import { webPort } from './ports';

const repo = new URL('..', import.meta.url).pathname;

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  // One agent and one simulator at fixed ports: tests run one at a time.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${webPort}`,
    trace: 'retain-on-failure',
    // Debian's chromium; never `playwright install` (no download host is reachable).
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
  },
  projects: [
    {
      name: 'kiosk-800x480',
      use: { viewport: { width: 800, height: 480 }, hasTouch: true },
      testIgnore: /lan\.spec/,
    },
    {
      name: 'panel-1280x800',
      use: { viewport: { width: 1280, height: 800 }, hasTouch: true },
      testMatch: /screens\.spec/,
    },
    {
      // A browser on another host of the LAN: Chromium runs in a network namespace (see lan-browser.sh).
      name: 'lan-browser',
      testMatch: /lan\.spec/,
      use: {
        viewport: { width: 1280, height: 800 },
        launchOptions: { executablePath: `${repo}e2e/lan-browser.sh`, args: chromiumArgs },
      },
    },
  ],
  webServer: [
    {
      command: `pnpm --filter @wdk/web exec next start --port ${webPort}`,
      cwd: repo,
      url: `http://127.0.0.1:${webPort}`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { WDK_AGENT_PORT: '18080', NEXT_TELEMETRY_DISABLED: '1' },
    },
  ],
});
