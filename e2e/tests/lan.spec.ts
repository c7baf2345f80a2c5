import { expect, test } from '../fixtures';
import { KIOSK_LAN_ADDRESS, canMakeLan, createLan, removeLan } from '../lan-network';
import { webPort } from '../ports';

test.skip(!canMakeLan(), 'needs root to create the LAN network namespace');

test.beforeAll(() => createLan());
test.afterAll(() => removeLan());

test('a LAN browser must log in; the kiosk itself never does', async ({ page, agent, browser }) => {
  const passcode = agent.passcode();
  expect(passcode).toMatch(/^[a-z0-9]{10}$/);
  const lanUrl = `http://${KIOSK_LAN_ADDRESS}:${webPort}/`;
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
