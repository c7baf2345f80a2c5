import { test as base } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AgentProcess } from './agent-process';
import { WebProcess } from './web-process';

export { expect } from '@playwright/test';

const screenshotDir = path.join(import.meta.dirname, 'screenshots');

export const test = base.extend<{
  agent: AgentProcess;
  /** A web server of this test's own, which it may kill and restart (the shared one stays up). */
  web: WebProcess;
  shot: (name: string) => Promise<void>;
}>({
  // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature
  agent: async ({}, use, testInfo) => {
    const agent = new AgentProcess();
    await agent.start();
    await use(agent);
    if (testInfo.status !== testInfo.expectedStatus) {
      const sim = await agent.sim('GET', '/events').catch(() => []);
      await testInfo.attach('agent-output', { body: agent.output, contentType: 'text/plain' });
      await testInfo.attach('simulator-events', {
        body: JSON.stringify(sim, null, 1),
        contentType: 'application/json',
      });
      if (process.env.CI) console.log(`--- agent output ---\n${agent.output.slice(-4000)}`);
    }
    await agent.dispose();
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature
  web: async ({}, use, testInfo) => {
    const web = new WebProcess();
    await web.start();
    await use(web);
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('web-output', { body: web.output, contentType: 'text/plain' });
    }
    await web.stop();
  },
  shot: async ({ page }, use, testInfo) => {
    mkdirSync(screenshotDir, { recursive: true });
    await use(async (name) => {
      const viewport = page.viewportSize();
      const size = viewport ? `${viewport.width}x${viewport.height}` : 'page';
      await page.screenshot({ path: path.join(screenshotDir, `${name}-${size}.png`) });
      testInfo.annotations.push({ type: 'screenshot', description: name });
    });
  },
});
