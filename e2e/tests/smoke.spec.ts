import { expect, test } from '@playwright/test';

test('the kiosk page shows the product and live agent connectivity', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Wi-Fi Direct Kiosk' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Agent connected');
});
