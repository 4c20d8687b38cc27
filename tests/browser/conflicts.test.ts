// Conflicts people see, between two pages on a real relay: one person edits a cell offline while
// another edits the same cell online; when the first reconnects, Yjs keeps one value, and the page
// whose value lost says so, naming the cell and both values, with one action to restore theirs
// (which reaches the other page as an ordinary edit, no notice there). Screenshots at 1440×900 and
// 390×844. An offline edit made before a reload is still named, and a notice outlives a reload
// until it is acted on.

import { expect, test } from 'vitest';
import { OFFLINE_NOISE, openWorkspace, screenshotPath, useAppAndBrowser, watchedPage, type WatchedPage } from './harness';
import { cellValue, editCell, keyOfId } from './page-helpers';

const s = useAppAndBrowser();
const saved = (w: WatchedPage) => w.page.waitForSelector('[data-testid="sync-status"][data-status="saved"]', { timeout: 30_000 });

test('an edit lost to a concurrent one is named with both values, and restored in one click', async () => {
  const aContext = await s.browser.newContext();
  const bContext = await s.browser.newContext();
  const a = await watchedPage(aContext);
  const b = await watchedPage(bContext);
  await openWorkspace(a, s.app.demoUrl);
  await openWorkspace(b, s.app.demoUrl);
  await Promise.all([saved(a), saved(b)]);
  const key = await keyOfId(a.page, 'entitlements', 'e0006');

  // B goes offline and edits the notes of e0006; A edits the same cell online meanwhile.
  b.allow = OFFLINE_NOISE;
  // The browser's network goes off; the open connection is dropped the way a lost network drops it.
  await bContext.setOffline(true);
  await b.page.evaluate(() => (window as any).reckon.provider.disconnect());
  await b.page.waitForFunction(() => !(window as any).reckon.provider.wsconnected);
  await editCell(b.page, 'entitlements', key, 'notes', 'typed offline by B');
  await editCell(a.page, 'entitlements', key, 'notes', 'typed online by A');
  await saved(a);
  // A's own edit is not a conflict.
  expect(await a.page.$('[data-testid="conflict"]')).toBeNull();

  // B comes back: both pages end on one value; the page whose value lost gets the notice.
  await bContext.setOffline(false);
  await b.page.evaluate(() => (window as any).reckon.retry());
  await saved(b);
  const loser = await Promise.race([a, b].map(async (w) => { await w.page.waitForSelector('[data-testid="conflict"]'); return w; }));
  const winner = loser === a ? b : a;
  const mine = loser === a ? 'typed online by A' : 'typed offline by B';
  const final = loser === a ? 'typed offline by B' : 'typed online by A';
  for (const w of [a, b]) await w.page.waitForFunction(({ k, v }) => (window as any).reckon.reader('entitlements').get(k, 'notes') === v, { k: key, v: final });
  const text = await loser.page.textContent('[data-testid="conflict"]');
  expect(text).toContain('entitlements e0006 · notes');
  expect(await loser.page.textContent('[data-testid="conflict-mine"]')).toBe(`“${mine}”`);
  expect(await loser.page.textContent('[data-testid="conflict-theirs"]')).toBe(`“${final}”`);
  expect(await winner.page.$('[data-testid="conflict"]')).toBeNull();
  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    await loser.page.setViewportSize(viewport);
    const [box] = await loser.page.$$eval('[data-testid="keep-mine"]', (els) => els.map((e) => e.getBoundingClientRect().toJSON()));
    expect(box.right).toBeLessThanOrEqual(viewport.width);
    await loser.page.screenshot({ path: screenshotPath(`conflict-${viewport.width}.png`) });
  }
  await loser.page.setViewportSize({ width: 1440, height: 900 });

  // One click restores the lost value everywhere; the other page takes it as an ordinary edit.
  await loser.page.click('[data-testid="keep-mine"]');
  await loser.page.waitForSelector('[data-testid="conflict-notice"]', { state: 'detached' });
  await winner.page.waitForFunction(({ k, v }) => (window as any).reckon.reader('entitlements').get(k, 'notes') === v, { k: key, v: mine });
  expect(await cellValue(loser.page, 'entitlements', key, 'notes')).toBe(mine);
  expect(await winner.page.$('[data-testid="conflict"]')).toBeNull();
  for (const w of [a, b]) expect(w.errors).toEqual([]);
});

test('an offline edit made before a reload is still named when a concurrent edit replaces it', async () => {
  const pages = await Promise.all([0, 1].map(async () => {
    const w = await watchedPage(await s.browser.newContext());
    await openWorkspace(w, s.app.demoUrl);
    // Every asset through the service worker, so that the page reloads with the network off.
    await w.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await w.page.reload();
    await saved(w);
    return w;
  }));
  // Of two concurrent writes to one cell Yjs keeps the higher client id's: the page with the lower
  // one (each page load has its own) edits offline, so that its value is the one replaced, by a
  // page it has never seen.
  const ids = await Promise.all(pages.map((w) => w.page.evaluate(() => (window as any).reckon.doc.clientID as number)));
  const [off, on] = ids[0] < ids[1] ? pages : [pages[1], pages[0]];
  const key = await keyOfId(off.page, 'entitlements', 'e0007');

  off.allow = OFFLINE_NOISE;
  await off.page.context().setOffline(true);
  await off.page.evaluate(() => (window as any).reckon.provider.disconnect());
  await off.page.waitForFunction(() => !(window as any).reckon.provider.wsconnected);
  await editCell(off.page, 'entitlements', key, 'notes', 'offline, then reloaded');
  await editCell(on.page, 'entitlements', key, 'notes', 'typed online');
  await saved(on);

  // The offline page reloads (a new Yjs client), then comes back online.
  await off.page.reload();
  await off.page.waitForFunction((k) => (window as any).reckon?.reader?.('entitlements')?.get(k, 'notes') === 'offline, then reloaded', key);
  await off.page.context().setOffline(false);
  await off.page.evaluate(() => (window as any).reckon.retry());
  await saved(off);
  await off.page.waitForSelector('[data-testid="conflict"]');
  expect(await off.page.textContent('[data-testid="conflict-mine"]')).toBe('“offline, then reloaded”');
  expect(await off.page.textContent('[data-testid="conflict-theirs"]')).toBe('“typed online”');
  expect(await on.page.$('[data-testid="conflict"]')).toBeNull();

  // The notice is kept until acted on: a reload shows it again; restoring ends it for good.
  await off.page.reload();
  await off.page.waitForSelector('[data-testid="conflict"]');
  expect(await off.page.textContent('[data-testid="conflict-mine"]')).toBe('“offline, then reloaded”');
  await off.page.click('[data-testid="keep-mine"]');
  await on.page.waitForFunction((k) => (window as any).reckon.reader('entitlements').get(k, 'notes') === 'offline, then reloaded', key);
  await off.page.reload();
  await saved(off);
  expect(await off.page.$('[data-testid="conflict"]')).toBeNull();
  for (const w of pages) expect(w.errors).toEqual([]);
});
