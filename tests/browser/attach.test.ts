// A workspace made while the relay is unreachable is local only; once the relay can be reached it
// is put on the relay under its own id (claimed for an edit token, synced up) and shared: a second
// browser opening the share link sees its rows.

import { expect, test } from 'vitest';
import { useAppAndBrowser, waitReady, watchedPage } from './harness';

const s = useAppAndBrowser({ demo: false });

test('create offline → relay reachable → attach → a share link shows the rows', async () => {
  const context = await s.browser.newContext();
  const w = await watchedPage(context);
  const { page } = w;
  // The relay's API cannot be reached: "New workspace" makes a local-only workspace.
  await page.route('**/api/workspaces', (route) => route.abort('internetdisconnected'));
  w.allow = /Failed to load resource/;
  await page.goto(s.app.server.url);
  await page.click('button:has-text("New workspace")');
  await page.waitForURL(/#\/w\/local-/);
  await page.waitForSelector('.sheet[data-sheet="entitlements"] .ag-root');
  await page.waitForSelector('[data-testid="sync-status"][data-status="local"]');
  const id = page.url().split('#/w/')[1];
  expect(id).toMatch(/^local-[A-Za-z0-9_-]{22}$/);

  // Rows made offline.
  await page.click('.sheet[data-sheet="entitlements"] button:has-text("+ Row")');
  await page.waitForFunction(() => (window as any).reckon.reader('entitlements').keys().length === 1);
  await page.evaluate(() => {
    const s = (window as any).reckon;
    const key = s.reader('entitlements').keys()[0];
    s.edit(() => s.doc.getMap('entitlements/rows').get(key).set('product', 'Made offline'));
  });

  // The relay is reachable again: Share → put it on the relay → create a view link.
  await page.unroute('**/api/workspaces');
  w.allow = null;
  await page.click('button:has-text("Share")');
  await page.click('[data-testid="attach"]');
  await page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
  await page.click('.modal button:has-text("Create link")');
  const link = await (await page.waitForSelector('.share-link input')).inputValue();
  expect(link).toContain(`#/w/${id}?token=`);

  // The relay holds it under the same id.
  const stored = await s.app.server.readWorkspace(id);
  expect(stored).not.toBeNull();

  // Someone else opens the link: the rows are there, read-only.
  const other = await watchedPage(await s.browser.newContext());
  await other.page.goto(link);
  await waitReady(other.page);
  const product = await other.page.evaluate(() => {
    const r = (window as any).reckon.reader('entitlements');
    return r.get(r.keys()[0], 'product');
  });
  expect(product).toBe('Made offline');
  await other.page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
  expect(await other.page.textContent('.statusbar')).toContain('Read-only');

  // A second claim of the id (e.g. another browser that has it) is refused.
  const again = await fetch(`${s.app.server.url}/api/workspaces`, { method: 'POST', body: JSON.stringify({ workspace: id }) });
  expect(again.status).toBe(409);
  expect(w.errors).toEqual([]);
  expect(other.errors).toEqual([]);
});
