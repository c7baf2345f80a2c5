import { expect, test } from '../fixtures';

test('whitelist add, rename and remove persist across an agent restart', async ({ page, agent, shot }) => {
  await page.goto('/#whitelist');
  await page.getByRole('button', { name: 'Whitelist', exact: true }).click();
  const form = page.getByRole('region', { name: 'Add by hand' });
  await form.getByLabel('Device address').fill('not a mac');
  await form.getByRole('button', { name: 'Add to whitelist' }).click();
  await expect(form.getByRole('alert')).toContainText('MAC address');

  await form.getByLabel('Device address').fill('42:00:00:00:81:00');
  await form.getByLabel('Device name').fill('Till tablet');
  await form.getByLabel('Label').fill('Till');
  await form.getByRole('button', { name: 'Add to whitelist' }).click();
  const list = page.getByRole('list', { name: 'Whitelisted devices' });
  await expect(list.getByText('Till', { exact: true })).toBeVisible();

  await form.getByLabel('Device name').fill('Guest phone');
  await form.getByRole('button', { name: 'Add to whitelist' }).click();
  await expect(list.getByText(/name only/)).toBeVisible();
  await shot('whitelist');

  await list.getByRole('button', { name: 'Rename Till' }).click();
  await list.getByLabel('New label').fill('Front till');
  await list.getByRole('button', { name: 'Save' }).click();
  await expect(list.getByText('Front till')).toBeVisible();

  await list.getByRole('button', { name: 'Remove Guest phone' }).click();
  await expect(list.getByText('Guest phone')).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(list.getByRole('listitem').filter({ hasText: 'Guest phone' })).toHaveCount(1);
  await list.getByRole('button', { name: 'Remove Guest phone' }).click();
  await expect(list.getByText('Guest phone')).toHaveCount(0);

  await agent.kill();
  await agent.start();
  await page.reload();
  await expect(list.getByText('Front till')).toBeVisible();
  await expect(list.getByText('Guest phone')).toHaveCount(0);
});

test('a device seen nearby is added with one tap', async ({ page, agent }) => {
  await agent.phone({ preset: 'passer-by', name: 'Nearby Nokia', address: '42:00:00:00:82:00' });
  await page.goto('/#whitelist');
  await page.getByRole('button', { name: 'Whitelist', exact: true }).click();
  const nearby = page.getByRole('list', { name: 'Devices nearby' });
  await nearby.getByRole('button', { name: 'Add Nearby Nokia to the whitelist' }).click();
  await expect(
    page.getByRole('list', { name: 'Whitelisted devices' }).getByText('42:00:00:00:82:00', { exact: false }),
  ).toBeVisible();
});
