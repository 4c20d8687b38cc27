// A full room and a relay that is down, in their own words with their next step: on a first visit
// (nothing on this device: a whole page, retried until it opens) and with a copy on this device
// (a banner over the workspace, which stays usable). Rooms here hold one connection.

import { afterAll, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../server/app';
import { silentLogger } from '../../server/log';
import { OFFLINE_NOISE, screenshotPath, useAppAndBrowser, waitReady, watchedPage, type WatchedPage } from './harness';
import { editCell, keyOfId } from './page-helpers';

const s = useAppAndBrowser({ limits: { maxConnectionsPerRoom: 1 }, closeApp: false });
let restarted: RunningServer | null = null;
afterAll(async () => {
  await (restarted ?? s.app.server).close();
});

const REFUSED = /WebSocket connection to .* failed|Failed to load resource/;
const viewLink = () => s.app.server.mintShareLink('demo', 'view').url;

async function page(viewport = { width: 1440, height: 900 }): Promise<WatchedPage> {
  const w = await watchedPage(await s.browser.newContext(), viewport);
  w.allow = REFUSED;
  return w;
}

test('a full room: a first visit says so and opens when someone leaves; a viewer shed for an editor keeps working', async () => {
  const owner = await page();
  await owner.page.goto(s.app.demoUrl);
  await waitReady(owner.page);
  await owner.page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');

  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    const v = await page(viewport);
    await v.page.goto(viewLink());
    const el = await v.page.waitForSelector('[data-testid="link-problem"][data-kind="room-full"]', { timeout: 20_000 });
    expect(await el.textContent()).toContain('This workspace is full right now');
    expect(await v.page.$('[data-testid="retry"]')).not.toBeNull();
    await v.page.screenshot({ path: screenshotPath(`link-room-full-${viewport.width}.png`) });
    await v.page.context().close();
  }

  // The owner leaves: a waiting visitor gets in by itself.
  const v = await page();
  await v.page.goto(viewLink());
  await v.page.waitForSelector('[data-testid="link-problem"][data-kind="room-full"]', { timeout: 20_000 });
  await owner.page.context().close();
  await waitReady(v.page);
  await v.page.waitForSelector('[data-testid="sync-status"][data-status="saved"]', { timeout: 20_000 });

  // An editor arrives: the viewer (a copy on its device) is shed, and told so over the workspace.
  const editor = await page();
  await editor.page.goto(s.app.demoUrl);
  await waitReady(editor.page);
  const banner = await v.page.waitForSelector('[data-testid="relay-notice"][data-kind="room-full"]', { timeout: 20_000 });
  expect(await banner.textContent()).toContain('You can keep working');
  expect(await v.page.$('.sheet[data-sheet="entitlements"] .ag-row')).not.toBeNull();
  await v.page.screenshot({ path: screenshotPath('link-room-full-banner-1440.png') });
  for (const x of [owner, v, editor]) expect(x.errors).toEqual([]);
  await v.page.context().close();
  await editor.page.context().close();
});

test('the relay down: with a copy here, keep working (a banner); on a first visit, a page that opens the workspace when the relay is back', async () => {
  const kept = await page();
  await kept.page.goto(s.app.demoUrl);
  await waitReady(kept.page);
  await kept.page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
  // The app shell is cached by the service worker (a first visit with the relay down still gets a page).
  await kept.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await kept.page.reload();
  await waitReady(kept.page);
  const visitor = await page({ width: 390, height: 844 });
  await visitor.page.goto(s.app.server.url);
  await visitor.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await visitor.page.reload();
  await visitor.page.waitForSelector('.home');
  const link = viewLink();

  const port = s.app.server.port;
  kept.allow = visitor.allow = new RegExp(`${REFUSED.source}|${OFFLINE_NOISE.source}`);
  await s.app.server.close();

  const banner = await kept.page.waitForSelector('[data-testid="relay-notice"][data-kind="unreachable"]', { timeout: 20_000 });
  expect(await banner.textContent()).toContain('The relay cannot be reached');
  expect(await banner.textContent()).toContain('You can keep working');
  const key = await keyOfId(kept.page, 'entitlements', 'e0005');
  await editCell(kept.page, 'entitlements', key, 'notes', 'typed while the relay was down');
  await kept.page.screenshot({ path: screenshotPath('link-relay-down-banner-1440.png') });

  await visitor.page.goto(link);
  const el = await visitor.page.waitForSelector('[data-testid="link-problem"][data-kind="unreachable"]', { timeout: 20_000 });
  expect(await el.textContent()).toContain('Nothing of this workspace is on this device yet');
  expect(await visitor.page.$('.workspace')).toBeNull();
  await visitor.page.screenshot({ path: screenshotPath('link-relay-down-390.png') });

  // The relay is back: the visitor's page opens the workspace by itself; the banner goes.
  restarted = await startServer({ port, dataDir: s.app.dataDir, log: silentLogger, limits: { maxConnectionsPerRoom: 5 } });
  // "Try again now" skips the provider's back-off; the page may already have reconnected by itself
  // (the button then is gone), so the click is the DOM's own, not one that waits for the button.
  await visitor.page.evaluate(() => (document.querySelector('[data-testid="retry"]') as HTMLButtonElement | null)?.click());
  await waitReady(visitor.page);
  await kept.page.waitForSelector('[data-testid="sync-status"][data-status="saved"]', { timeout: 20_000 });
  expect(await kept.page.$('[data-testid="relay-notice"]')).toBeNull();
  await visitor.page.waitForFunction((k) => (window as any).reckon.reader('entitlements').get(k, 'notes') === 'typed while the relay was down', key, { timeout: 20_000 });
  for (const x of [kept, visitor]) expect(x.errors).toEqual([]);
});
