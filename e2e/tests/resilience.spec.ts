import { expect, test } from '../fixtures';

test('agent restart: banner while it is down, true state when it is back', async ({ page, agent }) => {
  await page.goto('/');
  await expect(page.getByLabel('Discoverable')).toHaveText('Discoverable');
  await agent.kill();
  await expect(page.getByRole('alert').filter({ hasText: 'reconnecting' })).toBeVisible();
  await agent.start();
  await expect(page.getByRole('alert').filter({ hasText: 'reconnecting' })).toHaveCount(0, {
    timeout: 20_000,
  });
  await expect(page.getByLabel('Discoverable')).toHaveText('Discoverable');
});

test('wpa_supplicant going away is shown, and recovery too', async ({ page, agent }) => {
  await page.goto('/');
  await expect(page.getByLabel('Discoverable')).toHaveText('Discoverable');
  await agent.sim('POST', '/terminate');
  await expect(page.getByRole('alert').filter({ hasText: 'Wi-Fi Direct is unavailable' })).toBeVisible();
  await agent.sim('POST', '/restart');
  await expect(page.getByRole('alert').filter({ hasText: 'Wi-Fi Direct is unavailable' })).toHaveCount(0, {
    timeout: 20_000,
  });
  await expect(page.getByLabel('Discoverable')).toHaveText('Discoverable');
});

test('web server restart: the open page stays live, a reload works again and shows the true state', async ({
  page,
  agent,
  web,
}) => {
  const tablet = { address: '42:00:00:00:91:00', label: 'Shop tablet' };
  await agent.data('POST', '/api/whitelist', tablet);
  await page.goto(web.url);
  await expect(page.getByLabel('Discoverable')).toHaveText('Discoverable');
  await expect(page.getByText('No device connected.')).toBeVisible();
  const devices = page.getByRole('list', { name: 'Connected devices' });
  // The connection banner (Next.js's route announcer is an empty alert of its own).
  const banner = page.getByRole('alert').filter({ hasText: /kiosk agent|Wi-Fi Direct/ });

  // SIGKILL, like a crash. The page came from the web server but talks to the agent itself, so it stays
  // connected, shows no banner, and a phone that connects meanwhile appears on it.
  await web.kill();
  expect(web.running).toBe(false);
  await agent.phone({ preset: 'android-pbc', name: 'Shop tablet', address: tablet.address });
  await expect(devices.getByText('Shop tablet')).toBeVisible();
  await expect(banner).toHaveCount(0);
  // Switching screens needs no server either.
  await page.getByRole('button', { name: 'Whitelist', exact: true }).click();
  await expect(
    page.getByRole('list', { name: 'Whitelisted devices' }).getByText('Shop tablet', { exact: true }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Home', exact: true }).click();
  await expect(devices.getByText('Shop tablet')).toBeVisible();

  // A reload while it is down fails (the kiosk launcher waits for the server before it opens the page).
  await expect(page.reload()).rejects.toThrow(/ERR_CONNECTION_REFUSED/);
  // The state changes while no page is open.
  await agent.data('POST', '/api/whitelist', { address: '42:00:00:00:92:00', label: 'Back office' });

  await web.start();
  await page.goto(`${web.url}#whitelist`);
  const whitelist = page.getByRole('list', { name: 'Whitelisted devices' });
  await expect(whitelist.getByText('Back office', { exact: true })).toBeVisible();
  await expect(whitelist.getByText('Shop tablet', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Home', exact: true }).click();
  await expect(devices.getByText('Shop tablet')).toBeVisible();
  await expect(banner).toHaveCount(0);

  // SIGTERM, as systemd restarts the service: the open page again stays live through it.
  await web.stop();
  expect(web.running).toBe(false);
  await page.getByRole('button', { name: 'Kick Shop tablet' }).click();
  await expect(page.getByText('No device connected.')).toBeVisible();
  await web.start();
  await page.reload();
  await expect(page.getByLabel('Discoverable')).toHaveText('Discoverable');
  await expect(page.getByText('No device connected.')).toBeVisible();
  await expect(banner).toHaveCount(0);
});
