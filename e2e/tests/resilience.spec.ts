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
