import { expect, test } from '../fixtures';

interface State {
  clients: { address: string }[];
  pendingApprovals: { id: string }[];
  pin: string | null;
  discoverable: boolean;
  group: unknown;
}

test.describe('connection flows on the kiosk', () => {
  test('the page shows the product and live agent connectivity', async ({ page, agent }) => {
    void agent;
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Wi-Fi Direct Kiosk' })).toBeVisible();
    await expect(page.getByLabel('Discoverable')).toHaveText('Discoverable');
  });

  test('a whitelisted phone connects with no tap', async ({ page, agent }) => {
    await agent.data('POST', '/api/whitelist', { address: '42:00:00:00:71:00', label: 'Shop tablet' });
    await page.goto('/');
    await expect(page.getByLabel('Discoverable')).toHaveText('Discoverable');
    await agent.phone({ preset: 'android-pbc', name: 'Shop tablet', address: '42:00:00:00:71:00' });
    const devices = page.getByRole('list', { name: 'Connected devices' });
    await expect(devices.getByText('Shop tablet')).toBeVisible();
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });

  test('an unknown phone is approved, connects, and is kicked', async ({ page, agent, shot }) => {
    await page.goto('/');
    await agent.phone({ preset: 'android-pbc', name: 'Visitor Pixel', address: '42:00:00:00:72:00' });
    const dialog = page.getByRole('dialog', { name: 'A device asks to connect' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByText('Visitor Pixel')).toBeVisible();
    await expect(dialog.getByTestId('approval-countdown')).toHaveText(/^\d+$/);
    await shot('approval');
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(dialog).toHaveCount(0);
    const devices = page.getByRole('list', { name: 'Connected devices' });
    await expect(devices.getByText('Visitor Pixel')).toBeVisible();
    await shot('home-connected');
    await page.getByRole('button', { name: 'Kick Visitor Pixel' }).click();
    await expect(page.getByText('No device connected.')).toBeVisible();
    const sessions = await agent.data<{ items: { peerAddress: string; endReason: string | null }[] }>(
      'GET',
      '/api/sessions',
    );
    expect(sessions.items[0]).toMatchObject({ peerAddress: '42:00:00:00:72:00', endReason: 'kicked' });
  });

  test('Deny refuses the phone and the kiosk stays discoverable', async ({ page, agent }) => {
    await page.goto('/');
    await agent.phone({ preset: 'android-pbc', name: 'Stranger', address: '42:00:00:00:73:00' });
    const dialog = page.getByRole('dialog', { name: 'A device asks to connect' });
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText('No device connected.')).toBeVisible();
    await expect(page.getByLabel('Discoverable')).toHaveText('Discoverable');
    const events = await agent.data<{ items: { type: string; peerAddress: string | null }[] }>(
      'GET',
      '/api/events',
    );
    expect(events.items).toContainEqual(
      expect.objectContaining({ type: 'denied', peerAddress: '42:00:00:00:73:00' }),
    );
    const phones = await agent.sim<{ phones: { address: string; status: string }[] }>('GET', '/state');
    expect(phones.phones.find((p) => p.address === '42:00:00:00:73:00')?.status).not.toBe('connected');
  });

  test('an unanswered request is denied automatically when the countdown ends', async ({ page, agent }) => {
    await agent.data('PUT', '/api/settings', { approvalTimeoutMs: 3000 });
    await page.goto('/');
    await agent.phone({ preset: 'android-pbc', name: 'Patient phone', address: '42:00:00:00:74:00' });
    const dialog = page.getByRole('dialog', { name: 'A device asks to connect' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveCount(0, { timeout: 10_000 });
    const events = await agent.data<{ items: { type: string }[] }>('GET', '/api/events');
    expect(events.items.map((e) => e.type)).toContain('approval-expired');
  });

  test('the phone types the PIN shown on the kiosk and connects', async ({ page, agent, shot }) => {
    await page.goto('/');
    const pin = page.getByTestId('pin');
    await expect(pin).toHaveText(/^\d{8}$/);
    const shown = (await pin.textContent()) ?? '';
    const state = await agent.data<State>('GET', '/api/state');
    expect(state.pin).toBe(shown);
    await shot('pin');
    await agent.phone({ preset: 'android-pin', name: 'PIN phone', address: '42:00:00:00:75:00' });
    await expect(page.getByRole('list', { name: 'Connected devices' }).getByText('PIN phone')).toBeVisible();
    // The PIN is used up: the next phone gets a new one.
    await expect(pin).not.toHaveText(shown);
  });

  test('a wrong PIN shows the failure and a new PIN', async ({ page, agent }) => {
    await page.goto('/');
    const pin = page.getByTestId('pin');
    await expect(pin).toHaveText(/^\d{8}$/);
    const before = await pin.textContent();
    await agent.phone({ preset: 'android-pin-wrong', name: 'Typo phone', address: '42:00:00:00:76:00' });
    await expect(page.getByTestId('last-error')).toContainText(/PIN/i);
    await expect(pin).not.toHaveText(before ?? '');
    await expect(page.getByLabel('Discoverable')).toHaveText('Discoverable');
  });

  test('a PIN displayed by the peer is typed on the touch keypad', async ({ page, agent, shot }) => {
    await agent.data('PUT', '/api/settings', { mode: 'static-pin' });
    await page.goto('/');
    const phone = (await agent.phone({
      preset: 'windows-display-pin',
      name: 'LAPTOP-7Q2',
      address: '42:00:00:00:77:00',
    })) as {
      displayPin: string;
    };
    const keypad = page.getByRole('dialog', { name: 'Type the PIN shown on the device' });
    await expect(keypad).toBeVisible();
    await shot('peer-pin-keypad');
    for (const digit of phone.displayPin)
      await keypad.getByRole('button', { name: `Digit ${digit}` }).click();
    await expect(keypad.getByLabel('Typed PIN')).toHaveText(phone.displayPin);
    await keypad.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByRole('list', { name: 'Connected devices' }).getByText('LAPTOP-7Q2')).toBeVisible();
  });
});
