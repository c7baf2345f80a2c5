import { expect, test } from '../fixtures';

// Runs in both the 800×480 and the 1280×800 projects: one screenshot of each screen per size.
test('every screen renders at this size', async ({ page, agent, shot }) => {
  await agent.data('POST', '/api/whitelist', {
    address: '42:00:00:00:91:00',
    name: 'Till tablet',
    label: 'Till',
  });
  await agent.data('POST', '/api/whitelist', { name: 'Guest phone', label: 'Guest phone' });
  await agent.phone({ preset: 'android-pbc', name: 'Till tablet', address: '42:00:00:00:91:00' });
  await page.goto('/');
  await expect(page.getByRole('list', { name: 'Connected devices' }).getByText('Till tablet')).toBeVisible();
  await shot('home');
  for (const screen of ['Whitelist', 'History', 'Settings'] as const) {
    await page.getByRole('button', { name: screen, exact: true }).click();
    await expect(page.getByRole('button', { name: screen, exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await page.waitForTimeout(300);
    await shot(screen.toLowerCase());
  }
  // No text below 16 px and every button at least 48 px high (touch targets).
  const offenders = await page.evaluate(() => {
    const small: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (
        !el.childNodes.length ||
        !Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent?.trim())
      )
        continue;
      if (parseFloat(getComputedStyle(el).fontSize) < 16)
        small.push(`${el.tagName}:${el.textContent?.slice(0, 20)}`);
    }
    for (const b of Array.from(document.querySelectorAll('button'))) {
      if (b.getBoundingClientRect().height < 48) small.push(`button:${b.textContent}`);
    }
    return small;
  });
  expect(offenders).toEqual([]);
});
