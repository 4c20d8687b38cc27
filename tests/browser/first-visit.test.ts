// A first visit to the relay's root: the workspace the operator publishes (the demo, as `npm start`
// does) is there to open, not an empty list; opening it gives this visitor a view link of their
// own, remembered like any link. Screenshots at 1440×900 and 390×844.

import { expect, test } from 'vitest';
import { screenshotPath, useAppAndBrowser, waitReady, watchedPage } from './harness';

const s = useAppAndBrowser({ relay: { publicWorkspaces: [{ id: 'demo', name: 'Demo estate' }] } });

test('the root of the relay offers the published demo on a first visit; it opens read-only', async () => {
  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    const w = await watchedPage(await s.browser.newContext(), viewport);
    const { page } = w;
    await page.goto(`${s.app.server.url}/`);
    const card = await page.waitForSelector('[data-testid="published"]');
    expect(await card.textContent()).toContain('Start here');
    expect(await card.textContent()).toContain('Demo estate');
    // It comes first, before the (empty) list of this device's workspaces.
    expect(await page.evaluate(() => document.querySelector('.home-main')!.firstElementChild!.getAttribute('data-testid'))).toBe('published');
    await page.screenshot({ path: screenshotPath(`first-visit-${viewport.width}.png`) });

    await page.click('[data-testid="open-published"]');
    await waitReady(page);
    await page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
    expect(await page.evaluate(() => (window as any).reckon.readOnly)).toBe(true);
    expect(await page.textContent('[data-testid="workspace-name"]')).toBe('Demo estate');
    // The token stays out of the address bar, as for any link.
    expect(page.url()).toMatch(/#\/w\/demo$/);

    // Back on the list: it is this device's now, and no longer offered.
    await page.click('.brand');
    await page.waitForSelector('tr[data-workspace="demo"]');
    expect(await page.$('[data-testid="published"]')).toBeNull();
    expect(w.errors).toEqual([]);
    await page.context().close();
  }
});
