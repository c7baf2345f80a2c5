import type { Page } from '@playwright/test';
import type { AgentProcess } from '../agent-process';
import { expect, test } from '../fixtures';
import { KIOSK_LAN_ADDRESS, canMakeLan, createLan, cutLan, removeLan, restoreLan } from '../lan-network';
import { webPort } from '../ports';

test.skip(!canMakeLan(), 'needs root to create the LAN network namespace');

test.beforeAll(() => createLan());
test.afterAll(() => removeLan());

const lanUrl = `http://${KIOSK_LAN_ADDRESS}:${webPort}/`;

test('a LAN browser must log in; the kiosk itself never does', async ({ page, agent, browser }) => {
  const passcode = agent.passcode();
  expect(passcode).toMatch(/^[a-z0-9]{10}$/);
  await page.goto(lanUrl);
  await expect(page.getByRole('heading', { name: 'Log in to the kiosk' })).toBeVisible();
  await expect(page.getByTestId('pin')).toHaveCount(0);

  await page.getByLabel('Admin passcode').fill('wrong-passcode');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'wrong passcode' })).toBeVisible();

  await page.getByLabel('Admin passcode').fill(passcode);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Wi-Fi Direct Kiosk' })).toBeVisible();
  await expect(page.getByTestId('pin')).toHaveText(/^\d{8}$/);
  void browser;
});

async function logIn(page: Page, agent: AgentProcess) {
  await page.goto(lanUrl);
  await page.getByLabel('Admin passcode').fill(agent.passcode());
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Wi-Fi Direct Kiosk' })).toBeVisible();
}

for (const how of ['link-down', 'silent'] as const) {
  test(`LAN link dropped (${how}): banner while cut, the true state after it is back, no reload`, async ({
    page,
    agent,
  }) => {
    const tablet = { address: '42:00:00:00:93:00', label: 'Shop tablet' };
    await agent.data('POST', '/api/whitelist', tablet);
    await logIn(page, agent);
    const banner = page.getByRole('alert').filter({ hasText: 'Connection to the kiosk agent lost' });
    // The History screen loads its lists once and then on pushed events: the one most likely to go stale.
    await page.getByRole('button', { name: 'History', exact: true }).click();
    const sessions = page.getByRole('list', { name: 'Sessions' });
    await expect(sessions.getByText('No sessions yet.')).toBeVisible();
    // A mark that a reload would wipe.
    await page.evaluate(() => ((window as unknown as { wdkMark: string }).wdkMark = 'same page'));

    // Times are recorded for RELIABILITY.md (annotation `lan-cut`), never asserted.
    const cutAt = Date.now();
    cutLan(how);
    let bannerAfterMs: number | undefined;
    try {
      await expect(banner).toBeVisible({ timeout: 30_000 });
      bannerAfterMs = Date.now() - cutAt;
      // Meanwhile, on the kiosk: a phone connects and the whitelist changes (over loopback).
      await agent.phone({ preset: 'android-pbc', name: 'Shop tablet', address: tablet.address });
      await expect
        .poll(
          async () =>
            (await agent.data<{ clients: { address: string }[] }>('GET', '/api/state')).clients.map(
              (c) => c.address,
            ),
          { timeout: 20_000 },
        )
        .toEqual([tablet.address]);
      await agent.data('POST', '/api/whitelist', { address: '42:00:00:00:94:00', label: 'Back office' });
      await expect(banner).toBeVisible();
      await expect(sessions.getByText('No sessions yet.')).toBeVisible();
    } finally {
      restoreLan(how);
    }
    const restoredAt = Date.now();

    await expect(banner).toHaveCount(0, { timeout: 30_000 });
    const reconnectedAfterMs = Date.now() - restoredAt;
    test.info().annotations.push({
      type: 'lan-cut',
      description: JSON.stringify({ how, bannerAfterMs, reconnectedAfterMs }),
    });
    await expect(sessions.getByText('Shop tablet')).toBeVisible();
    await page.getByRole('button', { name: 'Home', exact: true }).click();
    await expect(
      page.getByRole('list', { name: 'Connected devices' }).getByText('Shop tablet'),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Whitelist', exact: true }).click();
    const whitelist = page.getByRole('list', { name: 'Whitelisted devices' });
    await expect(whitelist.getByText('Back office', { exact: true })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { wdkMark?: string }).wdkMark)).toBe('same page');
  });
}
