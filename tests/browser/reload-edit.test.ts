// Local-first, at the edge: an edit made offline in the same task as a reload (nothing waited for
// in between) is in the document after the reload, six times over. The page's IndexedDB record
// can queue behind the worker's transactions and be aborted by the reload; the synchronous journal
// (web/state/journal.ts) keeps it until committed, and the next load applies it.
//
// Before the journal this failed in a fresh clone's CI (the 4th of six edits was lost).

import { expect, test } from 'vitest';
import { OFFLINE_NOISE, useDemoWorkspace, waitReady } from './harness';
import { keyOfId } from './page-helpers';

const s = useDemoWorkspace();

test('an edit made offline just before a reload is there after it', async () => {
  const { w } = s;
  const { page } = w;
  await page.waitForSelector('[data-testid="sync-status"][data-status="saved"]', { timeout: 30_000 });
  w.allow = OFFLINE_NOISE;
  await page.context().setOffline(true);
  await page.evaluate(() => (window as any).reckon.provider.disconnect());
  const key = await keyOfId(page, 'entitlements', 'e0006');
  const results: string[] = [];
  for (let i = 0; i < 6; i++) {
    const v = `last instant ${i}`;
    await page.evaluate(({ k, v }) => {
      const s = (window as any).reckon;
      s.edit(() => s.doc.getMap('entitlements/cells').set(`${k}\tnotes`, v));
      location.reload();
    }, { k: key, v }).catch(() => {});
    await page.waitForLoadState('load');
    await waitReady(page);
    await page.evaluate(() => (window as any).reckon.provider.disconnect());
    const got = await page.evaluate((k) => (window as any).reckon.reader('entitlements').get(k, 'notes'), key);
    results.push(String(got));
  }
  expect(results).toEqual([0, 1, 2, 3, 4, 5].map((i) => `last instant ${i}`));
});

test('an edit whose record was never committed comes back from the journal, and is stored then', async () => {
  const { w } = s;
  const { page } = w;
  w.allow = new RegExp(`${OFFLINE_NOISE.source}|an update could not be stored`);
  await page.context().setOffline(true); // the relay must not be what brings it back
  await page.evaluate(() => (window as any).reckon.provider.disconnect());
  const key = await keyOfId(page, 'entitlements', 'e0007');
  // Every record this page asks for is aborted, as a reload aborts one queued behind the worker.
  await page.evaluate((k) => {
    IDBObjectStore.prototype.add = function (this: IDBObjectStore) {
      this.transaction.abort();
      return {} as IDBRequest<IDBValidKey>;
    };
    const s = (window as any).reckon;
    s.edit(() => s.doc.getMap('entitlements/cells').set(`${k}\tnotes`, 'never committed'));
  }, key);
  await page.waitForTimeout(300);
  const journaled = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('reckon.journal/')).length);
  expect(journaled).toBeGreaterThan(0);
  for (let i = 0; i < 2; i++) {
    await page.reload();
    await waitReady(page);
    await page.evaluate(() => (window as any).reckon.provider.disconnect());
    expect(await page.evaluate((k) => (window as any).reckon.reader('entitlements').get(k, 'notes'), key)).toBe('never committed');
    // The load stored it (the store's own write, not patched now), and dropped the entries.
    await page.evaluate(() => (window as any).reckon.store.whenWritten());
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('reckon.journal/')).length)).toBe(0);
  }
});
